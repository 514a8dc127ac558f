from collections import defaultdict

from odoo import fields, models
from odoo.exceptions import UserError


class StockPicking(models.Model):
    """Deliveries of partners' orders: a tracking reference, kits shipped with
    their components' serials, and a shipment notice to the customer."""

    _inherit = "stock.picking"

    prm_tracking_ref = fields.Char(
        string="Tracking reference",
        copy=False,
        help="Carrier tracking reference, shown to the customer on the portal "
        "and in the shipment notice.",
    )

    def _action_done(self):
        deliveries = self.filtered(lambda p: p.picking_type_code == "outgoing")
        deliveries._prm_check_kits()
        result = super()._action_done()
        deliveries.filtered(lambda p: p.state == "done")._prm_send_shipment_notice()
        return result

    # --- Business ---

    def _prm_check_kits(self):
        """A kit leaves only with all its components' serials recorded."""
        kit_lots = self.move_line_ids.filtered(
            lambda line: line.quantity and line.product_id.prm_is_kit
        ).lot_id
        missing = kit_lots._prm_kit_missing_components()
        if missing:
            raise UserError(
                self.env._(
                    "Record the serial numbers of the kits' components before "
                    "shipping them: %(missing)s.",
                    missing="; ".join(
                        f"{lot.name}: {', '.join(texts)}"
                        for lot, texts in missing.items()
                    ),
                )
            )

    def _prm_shipped_lines(self):
        """What this delivery shipped, for the portal and the notice: a list
        of ``{"product", "quantity", "uom", "lots": [{"lot", "components"}]}``,
        a kit's component serials under the kit's serial."""
        self.ensure_one()
        grouped = defaultdict(lambda: {"quantity": 0.0, "lots": self.env["stock.lot"]})
        for line in self.move_line_ids:
            entry = grouped[line.product_id]
            entry["quantity"] += line.quantity
            entry["uom"] = line.product_uom_id
            entry["lots"] |= line.lot_id
        return [
            {
                "product": product,
                "quantity": entry["quantity"],
                "uom": entry["uom"],
                "lots": [
                    {"lot": lot, "components": lot.prm_component_lot_ids}
                    for lot in entry["lots"]
                ],
            }
            for product, entry in grouped.items()
        ]

    def _prm_send_shipment_notice(self):
        """Post the shipment notice on each delivery's sales order, to its
        customer (email and portal message)."""
        for picking in self.filtered("sale_id"):
            # sudo: the warehouse user validating may neither read nor post on
            # the order; the notice only reaches the order's customer.
            order_sudo = picking.sale_id.sudo()
            body = self.env["ir.qweb"]._render(
                "prm_stock.shipment_notice",
                {"picking": picking, "lines": picking._prm_shipped_lines()},
            )
            order_sudo.message_post(
                body=body,
                subject=self.env._(
                    "%(order)s: shipped (%(delivery)s)",
                    order=order_sudo.name,
                    delivery=picking.name,
                ),
                partner_ids=order_sudo.partner_id.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
