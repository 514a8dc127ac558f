from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    prm_registration_days = fields.Integer(
        string="Default deal protection (days)",
        config_parameter="prm_crm.registration_days",
        default=90,
        help="Protection of approved deal registrations for partners whose tier "
        "sets none.",
    )
