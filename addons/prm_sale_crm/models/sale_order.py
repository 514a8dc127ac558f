from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    prm_partner_id = fields.Many2one(
        compute="_compute_prm_partner_id", store=True, readonly=False, precompute=True
    )

    @api.depends("opportunity_id.prm_partner_id")
    def _compute_prm_partner_id(self):
        """An order made from a partner's opportunity is sold through it; a
        channel partner chosen by hand stays."""
        for order in self:
            if order.opportunity_id.prm_partner_id:
                order.prm_partner_id = order.opportunity_id.prm_partner_id
            elif not order.prm_partner_id:
                order.prm_partner_id = False
