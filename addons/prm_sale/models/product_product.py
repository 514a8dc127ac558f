from odoo import fields, models


class ProductProduct(models.Model):
    _inherit = "product.product"

    # The other side of the launches' variants, so that product searches can
    # filter on launches in the same query (the portal catalogue).
    prm_variant_launch_ids = fields.Many2many(
        "prm.launch",
        "prm_launch_product_product_rel",
        "product_id",
        "launch_id",
        string="Launches of this variant",
        groups="prm_partner.group_prm_user",
    )
