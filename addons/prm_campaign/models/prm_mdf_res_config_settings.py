from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    prm_mdf_period = fields.Selection(
        related="company_id.prm_mdf_period", readonly=False
    )
    prm_mdf_carry_over_percent = fields.Float(
        related="company_id.prm_mdf_carry_over_percent", readonly=False
    )
    prm_mdf_payout_method = fields.Selection(
        related="company_id.prm_mdf_payout_method", readonly=False
    )
    prm_mdf_journal_id = fields.Many2one(
        related="company_id.prm_mdf_journal_id", readonly=False
    )
    prm_mdf_account_id = fields.Many2one(
        related="company_id.prm_mdf_account_id", readonly=False
    )
    prm_mdf_product_id = fields.Many2one(
        related="company_id.prm_mdf_product_id", readonly=False
    )
