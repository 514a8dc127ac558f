from odoo import fields, models


class PrmTierRule(models.Model):
    _inherit = "prm.tier.rule"

    metric = fields.Selection(
        selection_add=[("sellout_revenue", "Sell-out revenue")],
        ondelete={"sellout_revenue": "cascade"},
    )
