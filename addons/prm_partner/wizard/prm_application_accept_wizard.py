from odoo import api, fields, models
from odoo.exceptions import UserError

OUTCOMES = [
    ("create", "Create a new partner"),
    ("link", "Link to existing partner"),
]


class PrmApplicationAcceptWizard(models.TransientModel):
    """Accept an application that looks like a company already known: say so,
    and let the reviewer create a new partner or link an existing one."""

    _name = "prm.application.accept.wizard"
    _description = "Accept Partner Application"

    application_id = fields.Many2one("prm.application", required=True, readonly=True)
    duplicate_status = fields.Selection(related="application_id.duplicate_status")
    duplicate_note = fields.Text(related="application_id.duplicate_note")
    candidate_partner_ids = fields.Many2many(
        "res.partner",
        compute="_compute_candidate_partner_ids",
        string="Partners it may be",
    )
    outcome = fields.Selection(OUTCOMES, required=True, default="create")
    partner_id = fields.Many2one(
        "res.partner",
        string="Existing partner",
        domain=[("is_company", "=", True)],
        help="The company the application is from: it joins the program and "
        "starts onboarding instead of a new partner being created.",
    )

    @api.depends("application_id")
    def _compute_candidate_partner_ids(self):
        for wizard in self:
            wizard.candidate_partner_ids = (
                wizard.application_id.sudo().duplicate_ids.partner_id
            )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        application = self.env["prm.application"].browse(values.get("application_id"))
        if application:
            partner = (
                application.partner_id
                or application.sudo().duplicate_ids.partner_id[:1]
            )
            if partner and "partner_id" in fields_list:
                values["partner_id"] = partner.id
            if (
                self.env.context.get("prm_accept_outcome") == "link"
                or application.partner_id
            ):
                values["outcome"] = "link"
        return values

    def action_accept(self):
        self.ensure_one()
        if self.outcome == "link":
            if not self.partner_id:
                raise UserError(
                    self.env._(
                        "Choose the existing partner to link the application to."
                    )
                )
            self.application_id._prm_accept_as(self.partner_id)
        else:
            self.application_id._prm_accept_as(False)
        return self.application_id.action_open_partner()
