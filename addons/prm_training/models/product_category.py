from odoo import fields, models


class ProductCategory(models.Model):
    _inherit = "product.category"

    prm_certification_ids = fields.Many2many(
        "prm.certification",
        "prm_certification_product_category_rel",
        "categ_id",
        "certification_id",
        string="Required certifications",
        help="Program partners sell products of this category only when one of "
        "their people holds a valid certificate of one of these certifications.",
    )
