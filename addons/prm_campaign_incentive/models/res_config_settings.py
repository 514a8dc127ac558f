from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    prm_mdf_points_rate = fields.Float(
        related="company_id.prm_mdf_points_rate", readonly=False
    )
