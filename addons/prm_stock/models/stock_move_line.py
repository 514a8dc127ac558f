from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError


class StockMoveLine(models.Model):
    """A kit's components' serial numbers, entered on the delivery's detailed
    operations next to the kit's serial number."""

    _inherit = "stock.move.line"

    prm_is_kit = fields.Boolean(related="product_id.prm_is_kit")
    prm_component_product_ids = fields.Many2many(
        "product.product",
        string="Kit components",
        compute="_compute_prm_component_product_ids",
    )
    prm_component_lot_ids = fields.Many2many(
        "stock.lot",
        string="Component serial numbers",
        compute="_compute_prm_component_lot_ids",
        inverse="_inverse_prm_component_lot_ids",
        help="Serial numbers of the components assembled in this kit: "
        "recorded on the kit's serial number and listed in the shipment notice.",
    )

    # --- Compute ---

    @api.depends("product_id")
    def _compute_prm_component_product_ids(self):
        for line in self:
            line.prm_component_product_ids = (
                line.product_id.product_tmpl_id.prm_kit_line_ids.product_id
            )

    @api.depends("lot_id.prm_component_lot_ids")
    def _compute_prm_component_lot_ids(self):
        for line in self:
            line.prm_component_lot_ids = line.lot_id.prm_component_lot_ids

    def _inverse_prm_component_lot_ids(self):
        for line in self:
            components = line.prm_component_lot_ids
            if components == line.lot_id.prm_component_lot_ids:
                continue
            line._prm_check_components(components)
            line.lot_id.prm_component_lot_ids = [Command.set(components.ids)]

    # --- Business ---

    def _prm_check_components(self, components):
        """Component serials go on a kit's serial of a line still to ship,
        and are not in another kit already."""
        self.ensure_one()
        if not (self.lot_id and self.prm_is_kit):
            raise UserError(
                self.env._(
                    "Choose the kit's serial number before its components' serial "
                    "numbers (%(product)s).",
                    product=self.product_id.display_name,
                )
            )
        if self.state == "done":
            raise UserError(
                self.env._(
                    "%(serial)s has shipped: its components can no longer change.",
                    serial=self.lot_id.name,
                )
            )
        elsewhere = components.filtered(
            lambda c: c.prm_kit_lot_id and c.prm_kit_lot_id != self.lot_id
        )
        if elsewhere:
            raise ValidationError(
                self.env._(
                    "%(serial)s is already in the kit %(kit)s.",
                    serial=elsewhere[0].name,
                    kit=elsewhere[0].prm_kit_lot_id.name,
                )
            )
