from odoo import fields, models

from .prm_sellout_importer import (
    DEFAULT_MAX_FILE_MB,
    DEFAULT_MAX_ROWS,
    DEFAULT_MAX_UNPACKED_MB,
)


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    prm_settlement_segregation = fields.Boolean(
        related="company_id.prm_settlement_segregation", readonly=False
    )
    prm_sellout_max_file_mb = fields.Integer(
        string="Largest sell-out file (MB)",
        config_parameter="prm_incentive.sellout_max_file_mb",
        default=DEFAULT_MAX_FILE_MB,
    )
    prm_sellout_max_unpacked_mb = fields.Integer(
        string="Largest unpacked spreadsheet (MB)",
        config_parameter="prm_incentive.sellout_max_unpacked_mb",
        default=DEFAULT_MAX_UNPACKED_MB,
    )
    prm_sellout_max_rows = fields.Integer(
        string="Most rows in a sell-out file",
        config_parameter="prm_incentive.sellout_max_rows",
        default=DEFAULT_MAX_ROWS,
    )
