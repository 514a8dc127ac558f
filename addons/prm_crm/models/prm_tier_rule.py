from odoo import fields, models


class PrmTierRule(models.Model):
    _inherit = "prm.tier.rule"

    metric = fields.Selection(
        selection_add=[("won_opportunities", "Won opportunities")],
        ondelete={"won_opportunities": "cascade"},
    )
