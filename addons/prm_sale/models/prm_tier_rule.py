from odoo import fields, models


class PrmTierRule(models.Model):
    _inherit = "prm.tier.rule"

    metric = fields.Selection(
        selection_add=[
            ("invoiced_revenue", "Invoiced revenue"),
            ("active_customers", "Active customers"),
        ],
        ondelete={"invoiced_revenue": "cascade", "active_customers": "cascade"},
    )
