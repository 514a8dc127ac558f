from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ProductTemplate(models.Model):
    _inherit = "product.template"

    prm_order_min_qty = fields.Float(
        string="Minimum partner order",
        digits="Product Unit",
        default=0.0,
        help="Smallest quantity (in the product's unit) a partner may order on "
        "the portal quick order page; 0 means no minimum.",
    )
    # The other side of the launches' products, so that product searches can
    # filter on launches in the same query (the portal catalogue).
    prm_launch_ids = fields.Many2many(
        "prm.launch",
        "prm_launch_product_template_rel",
        "product_tmpl_id",
        "launch_id",
        string="Launches",
        groups="prm_partner.group_prm_user",
    )

    @api.constrains("prm_order_min_qty")
    def _check_prm_order_min_qty(self):
        for template in self:
            if template.prm_order_min_qty < 0:
                raise ValidationError(
                    self.env._(
                        "The minimum partner order of %(product)s cannot be negative.",
                        product=template.display_name,
                    )
                )
