from itertools import pairwise

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare, float_round

from odoo.addons.prm_partner.tools.bounds import (
    MAX_MULTIPLIER,
    MAX_RATE,
    check_record_numbers,
)
from odoo.addons.prm_partner.tools.formatting import format_money, format_number

from .prm_incentive_engine import AMOUNT_DIGITS
from .prm_incentive_program import PERIOD_KINDS

# Attributions in precedence order: when a rule pays on several and only the
# highest may earn, the first one found on the invoice line wins.
ATTRIBUTIONS = [
    ("resale", "Resale"),
    ("deal", "Deal"),
    ("referral", "Referral"),
]
MONETARY_BASES = ("revenue", "margin", "sellout_amount")
QUANTITY_BASES = ("quantity", "sellout_quantity")
SELLOUT_BASES = ("sellout_amount", "sellout_quantity")


class PrmIncentiveRule(models.Model):
    """How a program earns on an invoice line: which lines (filters), for whom
    (attributions), on which base and at which rate.

    **Extension point for bases.** ``base`` is a selection other modules extend
    with ``selection_add`` (e.g. a sell-out base); ``prm.incentive.engine``
    computes the value of a base for one source line in
    ``_prepare_line_base()``, which a module overrides for its own base.
    """

    _name = "prm.incentive.rule"
    _inherit = ["prm.finite.mixin"]
    _description = "Incentive Rule"
    _order = "program_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    program_id = fields.Many2one(
        "prm.incentive.program", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="program_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="program_id.currency_id")
    program_kind = fields.Selection(related="program_id.kind")
    base = fields.Selection(
        [
            ("revenue", "Untaxed revenue"),
            ("margin", "Margin"),
            ("quantity", "Quantity"),
            ("sellout_amount", "Sell-out amount"),
            ("sellout_quantity", "Sell-out quantity"),
        ],
        required=True,
        default="revenue",
        help="Untaxed revenue: invoice line subtotal. Margin: subtotal minus the "
        "product cost (lines whose cost is unknown do not earn). Quantity: units "
        "sold, in the product's unit of measure. Sell-out amount and quantity: what "
        "the partner reports it sold to end customers (validated sell-out reports).",
    )

    # --- Filters ---
    product_ids = fields.Many2many(
        "product.product",
        string="Products",
        check_company=True,
        help="Only these products earn. Leave empty for every product.",
    )
    categ_ids = fields.Many2many(
        "product.category",
        string="Product categories",
        help="Only products of these categories or of their sub-categories earn.",
    )
    country_ids = fields.Many2many(
        "res.country",
        string="Customer countries",
        help="Only invoices of customers in these countries earn.",
    )
    launch_id = fields.Many2one(
        "prm.launch",
        string="Product launch",
        check_company=True,
        help="Only the products of this launch earn, on invoices dated within the "
        "launch (from its start to its end, if any).",
    )

    # --- Rate ---
    rate_type = fields.Selection(
        [
            ("percent", "Percentage"),
            ("fixed", "Fixed amount per unit"),
            ("bracket", "Brackets"),
            ("points", "Points"),
        ],
        required=True,
        default="percent",
        help="Points: loyalty points programs credit points per currency unit of a "
        "revenue, margin or sell-out amount base, or per unit of a quantity base.",
    )
    rate = fields.Float(string="Rate (%)", digits=(16, 4))
    points_rate = fields.Float(
        string="Points per unit",
        digits=(16, 4),
        help="Points credited per currency unit of the base (revenue, margin, "
        "sell-out amount, in the program currency) or per unit sold (quantities).",
    )
    fixed_amount = fields.Monetary(string="Amount per unit")
    bracket_mode = fields.Selection(
        [
            ("retroactive", "Retroactive (whole base at the reached bracket)"),
            ("progressive", "Progressive (each slice at its own rate)"),
        ],
        default="retroactive",
        required=True,
    )
    bracket_ids = fields.One2many("prm.incentive.bracket", "rule_id", string="Brackets")
    tier_multiplier_ids = fields.One2many(
        "prm.incentive.tier.multiplier", "rule_id", string="Tier multipliers"
    )
    cap_amount = fields.Monetary(
        string="Cap per period",
        help="Most a partner earns from this rule in one period. 0 means no cap.",
    )
    accelerator_target = fields.Float(
        string="Accelerator target",
        help="Period base above which the accelerator applies. 0 means no accelerator.",
    )
    accelerator_multiplier = fields.Float(
        default=1.0,
        digits=(16, 4),
        help="What is earned on the part of the period base above the target is "
        "multiplied by this factor.",
    )

    # --- Attribution ---
    pay_resale = fields.Boolean(
        string="Resale",
        default=True,
        help="Pays the customer of the invoice when it is itself a channel partner "
        "(it resells).",
    )
    pay_deal = fields.Boolean(
        string="Deal",
        default=True,
        help="Pays the channel partner of the invoice or of its sales order (the "
        "partner that registered or was routed the deal).",
    )
    pay_referral = fields.Boolean(
        string="Referral",
        help="Pays the partner set as referrer on the customer.",
    )
    attribution_mode = fields.Selection(
        [
            ("first", "Highest precedence only"),
            ("all", "Every attribution"),
        ],
        required=True,
        default="first",
        help="Precedence is resale, then deal, then referral. With 'Highest "
        "precedence only' a line pays one partner; with 'Every attribution' it "
        "pays each eligible partner found on it.",
    )
    is_period_rule = fields.Boolean(
        compute="_compute_is_period_rule",
        help="Computed at period close from the period totals.",
    )

    # --- Compute ---

    @api.depends(
        "program_id.kind",
        "rate_type",
        "cap_amount",
        "accelerator_target",
        "accelerator_multiplier",
    )
    def _compute_is_period_rule(self):
        for rule in self:
            rule.is_period_rule = rule._is_period_rule()

    # --- Constraints ---

    @api.constrains(
        "rate",
        "points_rate",
        "fixed_amount",
        "cap_amount",
        "accelerator_target",
        "accelerator_multiplier",
    )
    def _check_finite(self):
        """NaN passes every comparison below and inf overflows every sum:
        each number is finite and bounded."""
        check_record_numbers(
            self, ["rate", "fixed_amount", "cap_amount", "accelerator_target"]
        )
        check_record_numbers(self, ["points_rate"], maximum=MAX_RATE)
        check_record_numbers(self, ["accelerator_multiplier"], maximum=MAX_MULTIPLIER)

    @api.constrains(
        "rate", "fixed_amount", "cap_amount", "rate_type", "base", "points_rate"
    )
    def _check_rate(self):
        for rule in self:
            if (rule.rate_type == "points") != (rule.program_id.kind == "points"):
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s: points programs credit points (rate type "
                        "Points), and only they do.",
                        rule=rule.display_name,
                    )
                )
            if rule.points_rate < 0:
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s: the points per unit cannot be negative.",
                        rule=rule.display_name,
                    )
                )
            if rule.rate_type == "percent" and not (0 <= rule.rate <= 100):
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s: the rate must be between 0 and 100%% (got "
                        "%(rate)s).",
                        rule=rule.display_name,
                        rate=rule.rate,
                    )
                )
            if rule.fixed_amount < 0 or rule.cap_amount < 0:
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s: amounts per unit and caps cannot be negative.",
                        rule=rule.display_name,
                    )
                )
            if rule.rate_type == "percent" and rule.base not in MONETARY_BASES:
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s: a percentage needs a revenue, margin or sell-out amount "
                        "base; use a fixed amount per unit on quantities.",
                        rule=rule.display_name,
                    )
                )
            if rule.rate_type == "fixed" and rule.base not in QUANTITY_BASES:
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s: a fixed amount per unit needs the quantity base.",
                        rule=rule.display_name,
                    )
                )

    @api.constrains("accelerator_target", "accelerator_multiplier")
    def _check_accelerator(self):
        for rule in self:
            if rule.accelerator_target < 0:
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s: the accelerator target cannot be negative.",
                        rule=rule.display_name,
                    )
                )
            if rule.accelerator_multiplier < 1:
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s: the accelerator multiplies earnings above the "
                        "target and must be at least 1 (got %(value)s).",
                        rule=rule.display_name,
                        value=rule.accelerator_multiplier,
                    )
                )

    @api.constrains("pay_resale", "pay_deal", "pay_referral")
    def _check_attribution(self):
        for rule in self:
            if not rule._get_attributions():
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s pays on no attribution: tick resale, deal or "
                        "referral.",
                        rule=rule.display_name,
                    )
                )

    @api.constrains("rate_type", "bracket_ids")
    def _check_brackets(self):
        for rule in self:
            if rule.rate_type != "bracket":
                continue
            if not rule.bracket_ids:
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s is computed by brackets but has none.",
                        rule=rule.display_name,
                    )
                )
            rule._check_bracket_ladder()

    def _check_bracket_ladder(self):
        """Brackets, in their order, must follow each other without overlap nor
        gap; only the last one may have no upper bound."""
        self.ensure_one()
        brackets = self.bracket_ids.sorted(lambda b: (b.sequence, b.id))
        for previous, bracket in pairwise(brackets):
            if float_compare(bracket.amount_from, previous.amount_from, 6) <= 0:
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s: brackets are unordered (%(current)s comes after "
                        "%(previous)s); order them by increasing threshold.",
                        rule=self.display_name,
                        current=bracket.amount_from,
                        previous=previous.amount_from,
                    )
                )
            if not previous.amount_to or (
                float_compare(bracket.amount_from, previous.amount_to, 6) < 0
            ):
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s: bracket from %(current)s overlaps the bracket "
                        "from %(previous)s.",
                        rule=self.display_name,
                        current=bracket.amount_from,
                        previous=previous.amount_from,
                    )
                )
            if float_compare(bracket.amount_from, previous.amount_to, 6) > 0:
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s: gap between %(to)s and %(from)s; each bracket "
                        "must start where the previous one ends.",
                        rule=self.display_name,
                        to=previous.amount_to,
                        **{"from": bracket.amount_from},
                    )
                )

    # --- CRUD ---

    def write(self, vals):
        """Accruals keep the rate they were computed with; changing what a rule
        measures would make its old and new lines incomparable."""
        changing = [
            rule
            for rule in self
            for fname in ("base", "rate_type")
            if fname in vals and vals[fname] != rule[fname]
        ]
        if changing:
            used = (
                self.env["prm.incentive.line"]
                .sudo()
                ._read_group(
                    [("rule_id", "in", [rule.id for rule in changing])], ["rule_id"]
                )
            )
            if used:
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s already has accruals: its base and rate type "
                        "can no longer change. Archive it and create a new rule.",
                        rule=used[0][0].display_name,
                    )
                )
        return super().write(vals)

    # --- Business ---

    def _get_attributions(self):
        """Attributions this rule pays on, in precedence order."""
        self.ensure_one()
        return [code for code in self._attribution_precedence() if self[f"pay_{code}"]]

    @api.model
    def _attribution_precedence(self):
        """Attribution codes, highest precedence first (hook: a module adding an
        attribution adds a ``pay_<code>`` boolean and its code here)."""
        return [code for code, _label in ATTRIBUTIONS]

    def _is_period_rule(self):
        """Whether the amount is (also) decided at period close."""
        self.ensure_one()
        return bool(
            self.program_id.kind in PERIOD_KINDS
            or self.rate_type == "bracket"
            or self.cap_amount
            or (self.accelerator_target and self.accelerator_multiplier > 1)
        )

    def _amount_from_lines(self):
        """Whether the invoice lines carry the amount (else only the base, the
        amount being computed on the period total)."""
        self.ensure_one()
        return self.program_id.kind not in PERIOD_KINDS and self.rate_type in (
            "percent",
            "fixed",
            "points",
        )

    def _line_rate(self):
        """Rate applied to the base of one line: a percentage, an amount per unit,
        or 0 when the amount only comes from the period total."""
        self.ensure_one()
        if not self._amount_from_lines():
            return 0.0
        if self.rate_type == "points":
            return self.points_rate
        return self.rate if self.rate_type == "percent" else self.fixed_amount

    def _rate_factor(self, rate):
        """Multiplier of the base for ``rate`` (percent on money, per unit on
        quantities)."""
        self.ensure_one()
        if self.rate_type == "points":
            return rate
        return rate / 100.0 if self.base in MONETARY_BASES else rate

    def _get_tier_multiplier(self, tier):
        self.ensure_one()
        row = self.tier_multiplier_ids.filtered(lambda m: m.tier_id == tier)[:1]
        return row.multiplier if row else 1.0

    def _bracket_amount(self, base):
        """Amount earned on a positive ``base`` by the brackets."""
        self.ensure_one()
        brackets = self.bracket_ids.sorted(lambda b: (b.sequence, b.id))
        if self.bracket_mode == "retroactive":
            reached = brackets.filtered(lambda b: b.amount_from <= base)[-1:]
            if not reached:
                return 0.0
            return base * self._rate_factor(reached.rate) + reached.fixed_amount
        amount = 0.0
        for bracket in brackets:
            if bracket.amount_from > base:
                break
            top = min(base, bracket.amount_to) if bracket.amount_to else base
            amount += (top - bracket.amount_from) * self._rate_factor(bracket.rate)
            amount += bracket.fixed_amount
        return amount

    def _raw_period_amount(self, base):
        """Amount of a period base before tier multiplier, accelerator and cap.
        A negative base (more refunded than sold) mirrors the positive one."""
        self.ensure_one()
        sign = -1.0 if base < 0 else 1.0
        base = abs(base)
        if self.rate_type == "bracket":
            amount = self._bracket_amount(base)
        elif self.rate_type == "percent":
            amount = base * self.rate / 100.0
        elif self.rate_type == "points":
            amount = base * self.points_rate
        else:
            amount = base * self.fixed_amount
        return sign * amount

    def _get_period_target(self, base, line_amount, multiplier):
        """Amount a partner earns from this rule over one period.

        :param base: sum of the bases of the period's lines
        :param line_amount: sum of the amounts already carried by those lines
        :param multiplier: tier multiplier (period-computed rules only)
        """
        self.ensure_one()
        if self._amount_from_lines():
            amount = line_amount
        else:
            amount = self._raw_period_amount(base) * multiplier
        if (
            self.accelerator_target
            and self.accelerator_multiplier > 1
            and base > self.accelerator_target
            and amount > 0
        ):
            above = amount * (base - self.accelerator_target) / base
            amount += above * (self.accelerator_multiplier - 1)
        if self.cap_amount and amount > self.cap_amount:
            amount = self.cap_amount
        # Full precision like the accruals it adds to: settlements round.
        return float_round(amount, precision_digits=AMOUNT_DIGITS)

    def _describe_rate(self, rate):
        """Human-readable rate of an accrual of this rule."""
        self.ensure_one()
        if self.rate_type == "bracket" or not self._amount_from_lines():
            return dict(self._fields["rate_type"]._description_selection(self.env))[
                self.rate_type
            ]
        return self._describe_rate_value(rate)

    def _describe_rate_value(self, rate):
        """``rate`` as applied to this rule's base, in the reader's language:
        "2.5 %", "$ 20.00 per unit", "1 points per USD"."""
        self.ensure_one()
        if self.rate_type == "points":
            if self.base in MONETARY_BASES:
                return self.env._(
                    "%(rate)s points per %(currency)s",
                    rate=format_number(self.env, rate, 4),
                    currency=self.currency_id.name,
                )
            return self.env._(
                "%(rate)s points per unit", rate=format_number(self.env, rate, 4)
            )
        if self.base in MONETARY_BASES:
            return f"{format_number(self.env, rate, 4)} %"
        return self.env._(
            "%(amount)s per unit",
            amount=format_money(self.env, rate, self.currency_id),
        )

    def _format_base(self, base):
        """A base of this rule: money in the program currency, or a quantity."""
        self.ensure_one()
        if self.base in MONETARY_BASES:
            return format_money(self.env, base, self.currency_id)
        return format_number(self.env, base, 4)

    def _describe_period_rate(self, base):
        """How a period result of this rule was computed on ``base``: the
        brackets reached, or the rate."""
        self.ensure_one()
        if self.rate_type != "bracket":
            return self._describe_rate_value(
                self.rate if self.rate_type == "percent" else self.fixed_amount
            )
        brackets = self.bracket_ids.sorted(lambda b: (b.sequence, b.id))
        reached = brackets.filtered(lambda b: b.amount_from <= abs(base))
        if not reached:
            return self.env._("No bracket reached")
        if self.bracket_mode == "retroactive":
            return self.env._(
                "Bracket reached: %(bracket)s",
                bracket=self._describe_bracket(reached[-1]),
            )
        return self.env._(
            "Progressive brackets: %(brackets)s",
            brackets="; ".join(self._describe_bracket(b) for b in reached),
        )

    def _describe_bracket(self, bracket):
        self.ensure_one()
        rate = self._describe_rate_value(bracket.rate)
        threshold = self._format_base(bracket.amount_from)
        if bracket.fixed_amount:
            return self.env._(
                "%(rate)s from %(threshold)s, plus %(lump_sum)s",
                rate=rate,
                threshold=threshold,
                lump_sum=format_money(self.env, bracket.fixed_amount, self.currency_id),
            )
        return self.env._("%(rate)s from %(threshold)s", rate=rate, threshold=threshold)
