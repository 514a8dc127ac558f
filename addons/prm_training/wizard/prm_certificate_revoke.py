from odoo import fields, models


class PrmCertificateRevoke(models.TransientModel):
    _name = "prm.certificate.revoke"
    _description = "Revoke Certificates"

    certificate_ids = fields.Many2many(
        "prm.certificate",
        default=lambda self: self.env["prm.certificate"].browse(
            self.env.context.get("active_ids", [])
        ),
    )
    reason = fields.Text(required=True)

    def action_revoke(self):
        self.ensure_one()
        self.certificate_ids._prm_revoke(self.reason)
        return {"type": "ir.actions.act_window_close"}
