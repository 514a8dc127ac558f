from odoo import api, fields, models
from odoo.exceptions import ValidationError


class PrmKitLine(models.Model):
    """A component of an equipment kit: the kit's serial number groups the
    serial numbers of its components."""

    _name = "prm.kit.line"
    _description = "Equipment Kit Component"
    _order = "kit_tmpl_id, sequence, id"

    kit_tmpl_id = fields.Many2one(
        "product.template",
        string="Kit",
        required=True,
        index=True,
        ondelete="cascade",
    )
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one(
        "product.product",
        string="Component",
        required=True,
        ondelete="restrict",
        domain=[("is_storable", "=", True), ("tracking", "=", "serial")],
    )
    quantity = fields.Integer(default=1, required=True)

    _quantity_positive = models.Constraint(
        "CHECK(quantity > 0)", "A kit holds at least one of each component."
    )

    @api.constrains("product_id", "kit_tmpl_id")
    def _check_component(self):
        for line in self:
            if line.product_id.tracking != "serial":
                raise ValidationError(
                    self.env._(
                        "%(component)s must be tracked by serial number to be a "
                        "component of the kit %(kit)s.",
                        component=line.product_id.display_name,
                        kit=line.kit_tmpl_id.display_name,
                    )
                )
            if line.product_id.product_tmpl_id == line.kit_tmpl_id:
                raise ValidationError(
                    self.env._(
                        "The kit %(kit)s cannot be its own component.",
                        kit=line.kit_tmpl_id.display_name,
                    )
                )
