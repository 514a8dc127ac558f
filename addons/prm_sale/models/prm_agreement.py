from odoo import api, fields, models


class PrmAgreement(models.Model):
    """Payment and delivery terms an agreement grants the partner."""

    _inherit = "prm.agreement"

    payment_term_id = fields.Many2one(
        "account.payment.term", string="Payment terms", check_company=True
    )
    incoterm_id = fields.Many2one("account.incoterms", string="Delivery terms")
    confirm_portal_orders = fields.Boolean(
        string="Confirm portal orders",
        help="Orders the partner places on the portal quick order page are "
        "confirmed at once instead of waiting as quotations for your team.",
    )

    @api.model
    def _prm_term_fields(self):
        return super()._prm_term_fields() | {
            "payment_term_id",
            "incoterm_id",
            "confirm_portal_orders",
        }

    def _prepare_renewal_vals(self):
        return {
            **super()._prepare_renewal_vals(),
            "payment_term_id": self.payment_term_id.id,
            "incoterm_id": self.incoterm_id.id,
            "confirm_portal_orders": self.confirm_portal_orders,
        }
