from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.prm_partner.tools.bounds import check_record_numbers


class PrmIncentiveBracket(models.Model):
    """One bracket of a rule: from a threshold of the period base to the next,
    a rate (percent of a monetary base, amount per unit of a quantity base) and
    a lump sum paid once the bracket is reached (target bonuses)."""

    _name = "prm.incentive.bracket"
    _inherit = ["prm.finite.mixin"]
    _description = "Incentive Bracket"
    _order = "rule_id, sequence, amount_from, id"

    rule_id = fields.Many2one(
        "prm.incentive.rule", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="rule_id.company_id", store=True)
    currency_id = fields.Many2one(related="rule_id.currency_id")
    sequence = fields.Integer(default=10)
    amount_from = fields.Float(string="From", required=True, default=0.0)
    amount_to = fields.Float(
        string="Up to", help="Upper bound (excluded). 0 means no upper bound."
    )
    rate = fields.Float(
        digits=(16, 4),
        help="Percentage of a revenue or margin base, amount per unit of a "
        "quantity base.",
    )
    fixed_amount = fields.Monetary(
        string="Lump sum", help="Paid once when the period base reaches the bracket."
    )

    @api.constrains("amount_from", "amount_to", "rate", "fixed_amount")
    def _check_values(self):
        # Finite and bounded first: NaN passes the comparisons below.
        check_record_numbers(self, ["amount_from", "amount_to", "rate", "fixed_amount"])
        for bracket in self:
            if bracket.amount_from < 0 or bracket.amount_to < 0:
                raise ValidationError(
                    self.env._("Bracket thresholds cannot be negative.")
                )
            if bracket.rate < 0 or bracket.fixed_amount < 0:
                raise ValidationError(
                    self.env._(
                        "Bracket rates and lump sums cannot be negative (rule "
                        "%(rule)s).",
                        rule=bracket.rule_id.display_name,
                    )
                )
            if bracket.amount_to and bracket.amount_to <= bracket.amount_from:
                raise ValidationError(
                    self.env._(
                        "Bracket from %(from_)s must end above its start (up to "
                        "%(to)s).",
                        from_=bracket.amount_from,
                        to=bracket.amount_to,
                    )
                )
        for rule in self.rule_id.filtered(lambda r: r.rate_type == "bracket"):
            rule._check_bracket_ladder()
