from collections import defaultdict

from odoo import api, models
from odoo.fields import Domain


class PrmDealConflict(models.Model):
    _inherit = "prm.deal.conflict"

    @api.model
    def _prm_customer_channels(self, customers):
        """The channel partners of the customers' confirmed orders and posted
        invoices."""
        through = defaultdict(set)
        for customer_id, channels in super()._prm_customer_channels(customers).items():
            through[customer_id] |= channels
        moves = (
            self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    ("commercial_partner_id", "in", customers.ids),
                    ("prm_partner_id", "!=", False),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                ],
                ["commercial_partner_id", "prm_partner_id"],
            )
        )
        for customer, channel in moves:
            through[customer.id].add(channel.id)
        orders = (
            self.env["sale.order"]
            .sudo()
            ._read_group(
                Domain("partner_id", "child_of", customers.ids)
                & Domain("prm_partner_id", "!=", False)
                & Domain("state", "=", "sale"),
                ["partner_id", "prm_partner_id"],
            )
        )
        for partner, channel in orders:
            through[partner.commercial_partner_id.id].add(channel.id)
        return through
