from odoo import models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _action_confirm(self):
        """Selling the card product of a code batch assigns that many codes
        to the customer (the partner who resells the cards)."""
        res = super()._action_confirm()
        self._prm_assign_activation_codes()
        return res

    def _prm_assign_activation_codes(self):
        lines = self.order_line.filtered(
            lambda line: line.product_id and line.product_uom_qty > 0
        )
        if not lines:
            return
        Batch = self.env["prm.activation.batch"].sudo()
        batches = Batch.search(
            [
                ("product_id", "in", lines.product_id.ids),
                ("state", "in", ("generated", "exported")),
            ],
            order="id",
        )
        if not batches:
            return
        for line in lines.filtered(lambda ln: ln.product_id in batches.product_id):
            line.order_id._prm_assign_codes_for_line(
                line, batches.filtered(lambda b, ln=line: b.product_id == ln.product_id)
            )

    def _prm_assign_codes_for_line(self, line, batches):
        needed = int(line.product_uom_qty)
        Code = self.env["prm.activation.code"].sudo()
        partner = self.partner_id.commercial_partner_id
        for batch in batches:
            if not needed:
                break
            if (
                batch.date_expiry
                and batch.date_expiry < line.order_id.date_order.date()
            ):
                continue
            serials = Code.search_fetch(
                [("batch_id", "=", batch.id), ("state", "=", "issued")],
                ["serial"],
                order="serial",
                limit=needed,
            ).mapped("serial")
            for start, end in _runs(serials):
                batch._prm_assign_serials(partner, start, end, sale_order=self)
            needed -= len(serials)
        if needed:
            raise UserError(
                self.env._(
                    "Only %(left)s codes of %(product)s are left to assign; generate a "
                    "new batch before confirming this order.",
                    left=int(line.product_uom_qty) - needed,
                    product=line.product_id.display_name,
                )
            )


def _runs(serials):
    """Consecutive runs ``(first, last)`` of sorted ``serials``."""
    runs = []
    for serial in serials:
        if runs and runs[-1][1] == serial - 1:
            runs[-1][1] = serial
        else:
            runs.append([serial, serial])
    return [tuple(run) for run in runs]
