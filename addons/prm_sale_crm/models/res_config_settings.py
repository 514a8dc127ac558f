from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    prm_traffic_threshold = fields.Integer(
        related="company_id.prm_traffic_threshold", readonly=False
    )
