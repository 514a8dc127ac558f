from odoo import fields, models


class PrmTierRule(models.Model):
    _inherit = "prm.tier.rule"

    metric = fields.Selection(
        selection_add=[("activations", "Code activations")],
        ondelete={"activations": "cascade"},
    )
