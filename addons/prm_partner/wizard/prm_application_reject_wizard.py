from odoo import api, fields, models


class PrmApplicationRejectWizard(models.TransientModel):
    """Reject partner applications with a reason and tell the applicants."""

    _name = "prm.application.reject.wizard"
    _description = "Reject Partner Applications"

    application_ids = fields.Many2many("prm.application", required=True)
    reason_id = fields.Many2one("prm.application.reject.reason", required=True)
    note = fields.Text(help="Internal note, not sent to the applicant.")
    send_email = fields.Boolean(
        string="Email the applicant",
        default=True,
        help="Send the rejection email, in the applicant's language when known.",
    )
    template_id = fields.Many2one(
        "mail.template",
        string="Email template",
        domain=[("model", "=", "prm.application")],
        default=lambda self: self.env.ref(
            "prm_partner.mail_template_prm_application_rejected",
            raise_if_not_found=False,
        ),
    )
    without_email_count = fields.Integer(compute="_compute_without_email_count")

    @api.depends("application_ids")
    def _compute_without_email_count(self):
        for wizard in self:
            wizard.without_email_count = len(
                wizard.application_ids.filtered(lambda a: not a.email)
            )

    def action_reject(self):
        self.ensure_one()
        self.application_ids._prm_reject(
            self.reason_id,
            note=self.note,
            send_email=self.send_email,
            template=self.template_id,
        )
        return {"type": "ir.actions.act_window_close"}
