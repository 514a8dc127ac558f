from odoo import fields, models


class PrmApplicationRejectReason(models.Model):
    """Why a partner application was turned down (reporting, applicant email)."""

    _name = "prm.application.reject.reason"
    _description = "Partner Application Rejection Reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    applicant_message = fields.Text(
        translate=True,
        help="Sentence added to the rejection email sent to the applicant; leave "
        "empty to keep the reason internal.",
    )
    application_count = fields.Integer(compute="_compute_application_count")

    def _compute_application_count(self):
        counts = dict(
            self.env["prm.application"]._read_group(
                [("reject_reason_id", "in", self.ids)],
                ["reject_reason_id"],
                ["__count"],
            )
        )
        for reason in self:
            reason.application_count = counts.get(reason, 0)
