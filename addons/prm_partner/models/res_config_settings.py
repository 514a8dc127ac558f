from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    prm_downgrade_grace_days = fields.Integer(
        related="company_id.prm_downgrade_grace_days", readonly=False
    )
