from odoo import api, fields, models


class PrmApplicationDuplicate(models.Model):
    """A partner or an open application that looks like the same company as an
    application, with the identity keys they share."""

    _name = "prm.application.duplicate"
    _description = "Partner Application Duplicate Candidate"
    _order = "application_id, certainty, id"

    application_id = fields.Many2one(
        "prm.application", required=True, index=True, ondelete="cascade"
    )
    partner_id = fields.Many2one("res.partner", index=True, ondelete="cascade")
    candidate_id = fields.Many2one(
        "prm.application",
        string="Other application",
        index=True,
        ondelete="cascade",
    )
    certainty = fields.Selection(
        [("certain", "Certain"), ("probable", "Probable")], required=True
    )
    reason_codes = fields.Char(
        help="Comma-separated shared keys: vat, email_domain, name, phone."
    )
    reasons = fields.Char(compute="_compute_reasons")
    candidate_state = fields.Selection(related="candidate_id.state")
    partner_prm_state = fields.Selection(
        related="partner_id.prm_state", string="Program status"
    )

    _one_target = models.Constraint(
        "CHECK((partner_id IS NULL) != (candidate_id IS NULL))",
        "A duplicate candidate is either a partner or an application.",
    )

    def _compute_reasons(self):
        names = self._prm_reason_labels()
        for line in self:
            codes = (line.reason_codes or "").split(",")
            line.reasons = ", ".join(names[c] for c in codes if c in names)

    @api.model
    def _prm_reason_labels(self):
        return {
            "vat": self.env._("same VAT number"),
            "email_domain": self.env._("same email domain"),
            "name": self.env._("same company name"),
            "phone": self.env._("same phone number"),
        }
