from odoo import api, fields, models


class PrmRoutingRule(models.Model):
    _inherit = "prm.routing.rule"

    prm_certification_id = fields.Many2one(
        "prm.certification",
        string="Required certification",
        ondelete="restrict",
        help="Only partners one of whose people holds a valid certificate of "
        "this certification receive the rule's leads.",
    )

    @api.model
    def _prm_routing_certified_partners(self, lead_rule, partners):
        partners = super()._prm_routing_certified_partners(lead_rule, partners)
        if not lead_rule.prm_certification_id:
            return partners
        return partners._prm_training_certified_among(lead_rule.prm_certification_id)
