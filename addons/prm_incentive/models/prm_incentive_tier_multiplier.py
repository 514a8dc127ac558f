from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.prm_partner.tools.bounds import (
    MAX_MULTIPLIER,
    check_record_numbers,
)


class PrmIncentiveTierMultiplier(models.Model):
    """Multiplier of a rule's earnings for partners of a tier (Gold x1.5...).
    Partners of a tier absent from the table earn x1."""

    _name = "prm.incentive.tier.multiplier"
    _inherit = ["prm.finite.mixin"]
    _description = "Incentive Tier Multiplier"
    _order = "rule_id, tier_id"

    rule_id = fields.Many2one(
        "prm.incentive.rule", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="rule_id.company_id", store=True)
    tier_id = fields.Many2one("prm.tier", required=True, ondelete="cascade")
    multiplier = fields.Float(required=True, default=1.0, digits=(16, 4))

    _rule_tier_uniq = models.UniqueIndex(
        "(rule_id, tier_id)", "A rule has one multiplier per tier."
    )

    @api.constrains("multiplier")
    def _check_multiplier(self):
        check_record_numbers(self, ["multiplier"], maximum=MAX_MULTIPLIER)
        for row in self:
            if row.multiplier < 0:
                raise ValidationError(
                    self.env._(
                        "The multiplier of tier %(tier)s cannot be negative.",
                        tier=row.tier_id.display_name,
                    )
                )
