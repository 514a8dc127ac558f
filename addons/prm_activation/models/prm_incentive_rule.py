from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.prm_partner.tools.formatting import format_money, format_number

ACTIVATION_BASES = ("activation_count", "activation_value")


class PrmIncentiveRule(models.Model):
    """Activations as a base: a number of activations (an amount per
    activation) or their value (a percentage), credited to the partner the
    code was assigned to, optionally only within the first days after the
    assignment."""

    _inherit = "prm.incentive.rule"

    base = fields.Selection(
        selection_add=[
            ("activation_count", "Number of activations"),
            ("activation_value", "Value of activations"),
        ],
        ondelete={"activation_count": "cascade", "activation_value": "cascade"},
    )
    activation_window_days = fields.Integer(
        string="Activation window (days)",
        help="Only activations made within this many days after the code was "
        "assigned to the partner earn. 0: no limit.",
    )

    _activation_window_positive = models.Constraint(
        "CHECK(activation_window_days BETWEEN 0 AND 3650)",
        "The activation window is between 0 and 3650 days.",
    )

    @api.constrains(
        "rate", "fixed_amount", "cap_amount", "rate_type", "base", "points_rate"
    )
    def _check_rate(self):
        activation = self.filtered(lambda r: r.base in ACTIVATION_BASES)
        result = super(PrmIncentiveRule, self - activation)._check_rate()
        for rule in activation:
            allowed = (
                ("fixed", "bracket", "points")
                if rule.base == "activation_count"
                else ("percent", "bracket", "points")
            )
            if rule.rate_type not in allowed or (
                (rule.rate_type == "points") != (rule.program_id.kind == "points")
            ):
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s: pay a fixed amount per activation on the "
                        "number of activations, a percentage on their value.",
                        rule=rule.display_name,
                    )
                )
            if (
                rule.fixed_amount < 0
                or rule.cap_amount < 0
                or not (0 <= rule.rate <= 100)
            ):
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s: amounts cannot be negative and a rate is "
                        "between 0 and 100%%.",
                        rule=rule.display_name,
                    )
                )
        return result

    def _rate_factor(self, rate):
        self.ensure_one()
        if self.base == "activation_value" and self.rate_type != "points":
            return rate / 100.0
        return super()._rate_factor(rate)

    def _raw_period_amount(self, base):
        self.ensure_one()
        if self.base == "activation_value" and self.rate_type == "percent":
            return base * self.rate / 100.0
        return super()._raw_period_amount(base)

    def _describe_rate_value(self, rate):
        self.ensure_one()
        if self.base == "activation_value" and self.rate_type != "points":
            return f"{format_number(self.env, rate, 4)} %"
        if self.base == "activation_count" and self.rate_type == "fixed":
            return self.env._(
                "%(amount)s per activation",
                amount=format_money(self.env, rate, self.currency_id),
            )
        return super()._describe_rate_value(rate)

    def _format_base(self, base):
        self.ensure_one()
        if self.base == "activation_value":
            return format_money(self.env, base, self.currency_id)
        return super()._format_base(base)
