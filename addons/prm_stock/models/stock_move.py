from odoo import fields, models


class StockMove(models.Model):
    _inherit = "stock.move"

    prm_is_kit = fields.Boolean(related="product_id.prm_is_kit")
