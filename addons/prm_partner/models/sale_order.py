from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    prm_partner_id = fields.Many2one(
        "res.partner",
        string="Channel partner",
        compute="_compute_prm_partner_id",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        index=True,
        domain=[("prm_is_partner", "=", True)],
        help="Channel partner that brought or resold this sale; invoices inherit it.",
    )

    @api.depends("opportunity_id.prm_partner_id")
    def _compute_prm_partner_id(self):
        for order in self:
            if order.opportunity_id.prm_partner_id:
                order.prm_partner_id = order.opportunity_id.prm_partner_id
            elif not order.prm_partner_id:
                order.prm_partner_id = False

    def _prepare_invoice(self):
        vals = super()._prepare_invoice()
        # The customer itself is never its own channel partner (see account.move).
        if (
            self.prm_partner_id
            and self.prm_partner_id != self.partner_id.commercial_partner_id
        ):
            vals["prm_partner_id"] = self.prm_partner_id.id
        return vals
