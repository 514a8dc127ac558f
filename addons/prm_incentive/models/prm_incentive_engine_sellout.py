from dataclasses import dataclass

from odoo import api, models
from odoo.tools import float_round

from .prm_incentive_engine import (
    AMOUNT_DIGITS,
    BASE_DIGITS,
    AccrualContext,
    IncentivePlan,
)
from .prm_incentive_rule import QUANTITY_BASES, SELLOUT_BASES

SELLOUT_LINE_FIELDS = [
    "kind",
    "name",
    "program_id",
    "company_id",
    # Writing a monetary amount reads its currency.
    "currency_id",
    "rule_id",
    "sellout_batch_id",
    "partner_id",
    "date",
    "period_start",
    "attribution",
    "revision",
    "base",
    "amount",
    "rate",
    "multiplier",
    "paid_ratio",
    "settlement_id",
    "origin_line_id",
    "move_id",
    "move_line_id",
    "customer_id",
    "product_id",
]


@dataclass
class SelloutContext(AccrualContext):
    """What the sell-out reports of a plan read besides the rules
    (``_prepare_sellout_context``)."""

    # (report, product, country, currency, day, quantity sum, amount sum) of the
    # rows of the validated reports, from one grouped query
    groups: list[tuple]
    products: dict[int, models.BaseModel]  # {product id: product}


class PrmIncentiveEngine(models.AbstractModel):
    """Sell-out as an accrual source.

    Rules whose base is a sell-out base earn on the validated sell-out reports
    of the partner who reported them (attribution *resale*: it resold the
    products). A report is validated and cancelled as a whole and its rows are
    frozen once validated, so accruals are kept per rule, report, partner and
    program period (kind ``sellout``) rather than per row: a 100,000-row report
    makes a handful of accruals. Their base is the sum of the matching rows
    (rule filters on product, category, end-customer country and launch apply
    row by row), converted into the program currency at each row's date.

    Cancelling a report makes its targets zero: the usual diff (``_plan_key``)
    removes open accruals and claws back settled ones.
    """

    _inherit = "prm.incentive.engine"

    # --- Hooks of the invoice engine ---

    @api.model
    def _batch_sources(self):
        # Sell-out bases earn on sell-out reports, never on invoices.
        return {
            **super()._batch_sources(),
            "sellout": ("sellout_batch_id", SELLOUT_BASES),
        }

    @api.model
    def _build_period_moves_plan(self, programs, date_from, date_to, full=False):
        """Period close and preview also bring the sell-out accruals of the
        period up to date (reports validated before a rule existed or
        changed)."""
        plan = super()._build_period_moves_plan(programs, date_from, date_to, full=full)
        batches = self._get_period_sellout_batches(programs, date_from, date_to)
        if batches:
            plan.merge(self._build_sellout_plan(batches, programs))
        return plan

    # --- Entry points ---

    @api.model
    def _refresh_sellout_accruals(self, batches, programs=None):
        """Bring the accruals of sell-out reports ``batches`` up to date."""
        return self._apply_plan(self._build_sellout_plan(batches, programs))

    @api.model
    def _get_period_sellout_batches(self, programs, date_from, date_to):
        """Validated reports overlapping the period, plus those that already
        have sell-out accruals of ``programs`` in it (they may be cancelled)."""
        if not self.env["prm.incentive.rule"].search_count(
            [("program_id", "in", programs.ids), ("base", "in", SELLOUT_BASES)],
            limit=1,
        ):
            return self.env["prm.sellout.batch"]
        batches = self.env["prm.sellout.batch"].search(
            [
                ("company_id", "in", programs.company_id.ids),
                ("state", "=", "validated"),
                ("date_from", "<=", date_to),
                ("date_to", ">=", date_from),
            ]
        )
        return self._with_accrued(batches, programs, "sellout", date_from, date_to)

    # --- Plan ---

    @api.model
    def _build_sellout_plan(self, batches, programs=None):
        """Plan the accruals of sell-out reports ``batches`` for ``programs``
        (default: every program of their companies), in a fixed number of
        queries whatever the number of rows."""
        plan = IncentivePlan()
        batches = self.env["prm.sellout.batch"].search_fetch(
            [("id", "in", batches.ids)],
            ["name", "state", "partner_id", "company_id", "date_from", "date_to"],
        )
        if not batches:
            return plan
        _programs, rules = self._plan_rules(
            batches.company_id, programs, [("base", "in", SELLOUT_BASES)]
        )
        if not rules:
            return plan
        return self._plan_batch_accruals(
            "sellout",
            batches,
            rules,
            SELLOUT_LINE_FIELDS,
            self._prepare_sellout_context,
            self._sellout_targets,
        )

    @api.model
    def _prepare_sellout_context(self, batches, rules):
        """Everything the computation reads, in a fixed number of queries: the
        report rows are summed per report, product, country, currency and day
        by one grouped query. Returns a ``SelloutContext``."""
        rule_index = self._prepare_rule_context(rules)
        programs = rules.program_id
        validated = batches.filtered(lambda b: b.state == "validated")
        groups = self.env["prm.sellout.line"]._read_group(
            [("batch_id", "in", validated.ids)],
            ["batch_id", "product_id", "country_id", "currency_id", "date:day"],
            ["quantity:sum", "amount:sum"],
        )
        partners = (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search_fetch(
                [("id", "in", batches.partner_id.ids)], self._partner_fields()
            )
        )
        eligible = {
            program.id: set(program._eligible_partners(partners).ids)
            for program in programs
        }
        products = (
            self.env["product.product"]
            .with_context(active_test=False)
            .search_fetch(
                [("id", "in", list({group[1].id for group in groups}))],
                ["categ_id"],
            )
        )
        currencies = self.env["res.currency"].browse(
            {group[3].id for group in groups if group[3]}
        )
        return SelloutContext(
            rules=rule_index,
            eligible=eligible,
            rates=self._rate_tables(
                batches.company_id,
                currencies | programs.currency_id | batches.company_id.currency_id,
            ),
            groups=groups,
            products={product.id: product for product in products},
        )

    @api.model
    def _sellout_rule_matches(self, ctx, rule, day, product, country):
        if not rule.program_id._is_valid_on(day):
            return False
        products = ctx.rules.products[rule.id]
        if products and product.id not in products:
            return False
        categs = ctx.rules.categs.get(rule.id)
        if categs is not None and (not product or product.categ_id.id not in categs):
            return False
        countries = ctx.rules.countries[rule.id]
        if countries and country.id not in countries:
            return False
        launch = ctx.rules.launches.get(rule.id)
        if launch:
            launch_products, date_start, date_end = launch
            if (
                product.id not in launch_products
                or day < date_start
                or (date_end and day > date_end)
            ):
                return False
        return True

    @api.model
    def _prepare_sellout_base(self, ctx, rule, batch, currency, day, quantity, amount):
        """Value of a sell-out base for one group of report rows, in the
        program currency at the rate of ``day`` for amounts (hook; ``ctx`` is
        the plan's ``SelloutContext``)."""
        if rule.base == "sellout_quantity":
            return quantity
        if rule.base == "sellout_amount":
            program_currency = rule.program_id.currency_id
            return self._convert(
                ctx, amount, currency, program_currency, batch.company_id, day
            )
        return None

    @api.model
    def _sellout_targets(self, ctx, by_key):
        """``{(rule id, report id, partner id, period start): target values}``."""
        sums = {}
        for batch, product, country, currency, day, quantity, amount in ctx.groups:
            partner_id = batch.partner_id.id
            product = ctx.products.get(product.id, product)
            for rule in ctx.rules.by_company.get(batch.company_id.id, ()):
                if partner_id not in ctx.eligible[rule.program_id.id]:
                    continue
                if not self._sellout_rule_matches(ctx, rule, day, product, country):
                    continue
                value = self._prepare_sellout_base(
                    ctx, rule, batch, currency, day, quantity, amount
                )
                if value is None:
                    continue
                start = rule.program_id._get_period(day)[0]
                entry = sums.setdefault(
                    (rule.id, batch.id, partner_id, start), [0.0, day, batch]
                )
                entry[0] += value
                entry[1] = max(entry[1], day)
        targets = {}
        for key, (base, day, batch) in sums.items():
            rule = ctx.rules.records.browse(key[0])
            targets[key] = self._prepare_sellout_target(
                ctx, rule, batch, key, base, day, by_key.get(key)
            )
        return targets

    @api.model
    def _prepare_sellout_target(self, ctx, rule, batch, key, base, day, lines):
        program = rule.program_id
        currency = program.currency_id
        partner = batch.partner_id
        values = {
            "attribution": "resale",
            "rate": rule._line_rate(),
            "multiplier": ctx.rules.multipliers.get(
                (rule.id, partner.prm_tier_id.id), 1.0
            ),
            "origin_line_id": False,
        }
        locked = self._locked_reference(lines)
        if locked:
            # Settled accruals keep the terms they were computed with.
            values.update(self._frozen_terms(locked))
        if rule.base in QUANTITY_BASES:
            earned_base = round(base, BASE_DIGITS)
        else:
            earned_base = currency.round(base)
        amount = float_round(
            base * rule._rate_factor(values["rate"]) * values["multiplier"],
            precision_digits=AMOUNT_DIGITS,
        )
        return {
            **values,
            "kind": "sellout",
            "name": self.env._("Sell-out %(report)s", report=batch.name),
            "base": earned_base,
            "amount": amount,
            "paid_ratio": 1.0,
            "program_id": program.id,
            "rule_id": rule.id,
            "sellout_batch_id": batch.id,
            "move_id": False,
            "move_line_id": False,
            "customer_id": False,
            "product_id": False,
            "date": day,
        }
