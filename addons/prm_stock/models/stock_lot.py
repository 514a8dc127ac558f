from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain


class StockLot(models.Model):
    """Kit serials group their components' serials."""

    _inherit = "stock.lot"

    prm_kit_lot_id = fields.Many2one(
        "stock.lot",
        string="In kit",
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
        help="Serial number of the equipment kit this component was assembled in.",
    )
    prm_component_lot_ids = fields.One2many(
        "stock.lot", "prm_kit_lot_id", string="Component serial numbers"
    )

    @api.constrains("prm_kit_lot_id", "product_id")
    def _check_prm_kit_lot(self):
        for lot in self.filtered("prm_kit_lot_id"):
            kit = lot.prm_kit_lot_id.product_id.product_tmpl_id
            if lot.product_id not in kit.prm_kit_line_ids.product_id:
                raise ValidationError(
                    self.env._(
                        "%(serial)s (%(product)s) is not a component of the kit "
                        "%(kit)s.",
                        serial=lot.name,
                        product=lot.product_id.display_name,
                        kit=kit.display_name,
                    )
                )
        # One serial per component slot: not more than the kit holds.
        for kit_lot in self.prm_kit_lot_id:
            lines = kit_lot.product_id.product_tmpl_id.prm_kit_line_ids
            for line in lines:
                count = len(
                    kit_lot.prm_component_lot_ids.filtered(
                        lambda c, line=line: c.product_id == line.product_id
                    )
                )
                if count > line.quantity:
                    raise ValidationError(
                        self.env._(
                            "The kit %(serial)s holds %(quantity)s %(component)s, "
                            "not %(count)s.",
                            serial=kit_lot.name,
                            quantity=line.quantity,
                            component=line.product_id.display_name,
                            count=count,
                        )
                    )

    def _prm_kit_missing_components(self):
        """{kit lot: missing component texts} for kit serials whose components'
        serials are not all recorded."""
        missing = {}
        for lot in self.filtered("product_id.prm_is_kit"):
            texts = []
            for line in lot.product_id.product_tmpl_id.prm_kit_line_ids:
                count = len(
                    lot.prm_component_lot_ids.filtered(
                        lambda c, line=line: c.product_id == line.product_id
                    )
                )
                if count < line.quantity:
                    texts.append(
                        f"{line.quantity - count} × {line.product_id.display_name}"
                    )
            if texts:
                missing[lot] = texts
        return missing

    @api.model
    def _prm_delivered_domain(self, partner):
        """Move lines that delivered serials to ``partner``'s company."""
        return Domain(
            [
                ("state", "=", "done"),
                ("lot_id", "!=", False),
                ("picking_code", "=", "outgoing"),
                (
                    "picking_id.partner_id",
                    "child_of",
                    partner.commercial_partner_id.ids,
                ),
            ]
        )

    @api.model
    def _prm_delivered_lots(self, partner):
        """Serial numbers delivered to ``partner``'s company (sudo: partners
        cannot read stock moves; only the serials leave)."""
        lines_sudo = (
            self.env["stock.move.line"]
            .sudo()
            .search(self._prm_delivered_domain(partner))
        )
        return lines_sudo.lot_id
