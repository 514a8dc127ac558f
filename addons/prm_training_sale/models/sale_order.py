from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def action_confirm(self):
        # Before super(): a refused order must not be half-confirmed.
        self._prm_training_check_certifications()
        return super().action_confirm()

    def _prm_training_sellers(self):
        """Program partners selling this order: the customer when it is one
        (resale) and the order's channel partner."""
        self.ensure_one()
        sellers = self.partner_id.commercial_partner_id | self.prm_partner_id
        return sellers.filtered("prm_is_partner")

    def _prm_training_check_certifications(self):
        """Products of categories that require a certification are sold only
        by partners one of whose people holds it (see
        ``res.partner._prm_training_check_products``)."""
        for order in self.filtered(lambda o: o.state in ("draft", "sent")):
            sellers = order._prm_training_sellers()
            if sellers:
                sellers._prm_training_check_products(
                    order.order_line.product_id, order.date_order.date()
                )
