from odoo import api, fields, models

from ..models.prm_tier_rule import CERTIFICATION_PREFIX


class PrmTierSimulation(models.TransientModel):
    _inherit = "prm.tier.simulation"

    @api.model
    def _prepare_simulation_rule_vals(self, rule):
        vals = super()._prepare_simulation_rule_vals(rule)
        vals["certification_id"] = rule.certification_id.id
        return vals


class PrmTierSimulationRule(models.TransientModel):
    _inherit = "prm.tier.simulation.rule"

    certification_id = fields.Many2one("prm.certification", ondelete="cascade")

    def _prm_metric_code(self):
        self.ensure_one()
        if self.metric == "certification" and self.certification_id:
            return f"{CERTIFICATION_PREFIX}{self.certification_id.id}"
        return super()._prm_metric_code()
