from dataclasses import dataclass
from datetime import timedelta

from odoo import api, models
from odoo.tools import float_round

from odoo.addons.prm_incentive.models.prm_incentive_engine import (
    AMOUNT_DIGITS,
    BASE_DIGITS,
    AccrualContext,
    IncentivePlan,
)

from .prm_incentive_rule import ACTIVATION_BASES

ACTIVATION_LINE_FIELDS = [
    "kind",
    "name",
    "program_id",
    "company_id",
    "currency_id",
    "rule_id",
    "activation_batch_id",
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
class ActivationContext(AccrualContext):
    """What the activations of a plan read besides the rules."""

    # (batch, partner, day, days after assignment, count, value sum) of the
    # activations in force, from one grouped query
    groups: list[tuple]


class PrmIncentiveEngine(models.AbstractModel):
    """Activations as an accrual source, plugged in like sell-out reports.

    Rules on an activation base earn on the activations in force of the codes
    a partner was assigned (attribution *resale*: it sold the cards), per
    rule, code batch, partner and program period (kind ``activation``): an
    activation refreshes its batch's accruals, and a code voided after its
    activation lowers the target, which the usual diff (``_plan_key``) turns
    into a withdrawal of open accruals or a clawback of settled ones.
    """

    _inherit = "prm.incentive.engine"

    # --- Hooks of the invoice engine ---

    @api.model
    def _batch_sources(self):
        return {
            **super()._batch_sources(),
            "activation": ("activation_batch_id", ACTIVATION_BASES),
        }

    @api.model
    def _build_period_moves_plan(self, programs, date_from, date_to, full=False):
        """Period close and preview also bring the activation accruals of the
        period up to date."""
        plan = super()._build_period_moves_plan(programs, date_from, date_to, full=full)
        batches = self._get_period_activation_batches(programs, date_from, date_to)
        if batches:
            plan.merge(self._build_activation_plan(batches, programs))
        return plan

    # --- Entry points ---

    @api.model
    def _refresh_activation_accruals(self, batches, programs=None):
        """Bring the accruals of the activations of code batches ``batches``
        up to date."""
        return self._apply_plan(self._build_activation_plan(batches, programs))

    @api.model
    def _get_period_activation_batches(self, programs, date_from, date_to):
        if not self.env["prm.incentive.rule"].search_count(
            [("program_id", "in", programs.ids), ("base", "in", ACTIVATION_BASES)],
            limit=1,
        ):
            return self.env["prm.activation.batch"]
        Batch = self.env["prm.activation.batch"]
        active = self.env["prm.activation"]._read_group(
            [
                ("company_id", "in", programs.company_id.ids),
                ("date", ">=", date_from),
                ("date", "<", date_to + timedelta(days=1)),
            ],
            ["batch_id"],
        )
        accrued = self.env["prm.incentive.line"]._read_group(
            [
                ("program_id", "in", programs.ids),
                ("kind", "=", "activation"),
                ("date", ">=", date_from),
                ("date", "<=", date_to),
            ],
            ["activation_batch_id"],
        )
        return Batch.browse(
            {batch.id for (batch,) in active} | {batch.id for (batch,) in accrued}
        )

    # --- Plan ---

    @api.model
    def _build_activation_plan(self, batches, programs=None):
        """Plan the accruals of the activations of ``batches`` in a fixed
        number of queries whatever the number of activations."""
        plan = IncentivePlan()
        if not batches:
            return plan
        batches = self.env["prm.activation.batch"].browse(batches.ids)
        _programs, rules = self._plan_rules(
            batches.company_id, programs, [("base", "in", ACTIVATION_BASES)]
        )
        if not rules:
            return plan
        return self._plan_batch_accruals(
            "activation",
            batches,
            rules,
            ACTIVATION_LINE_FIELDS,
            self._prepare_activation_context,
            self._activation_targets,
        )

    @api.model
    def _prepare_activation_context(self, batches, rules):
        rule_index = self._prepare_rule_context(rules)
        programs = rules.program_id
        groups = self.env["prm.activation"]._read_group(
            [("batch_id", "in", batches.ids), ("state", "=", "done")],
            ["batch_id", "partner_id", "date:day", "days_after_assignment"],
            ["__count", "value:sum"],
        )
        partners = (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search_fetch(
                [("id", "in", list({group[1].id for group in groups}))],
                self._partner_fields(),
            )
        )
        eligible = {
            program.id: set(program._eligible_partners(partners).ids)
            for program in programs
        }
        batches.fetch(["company_id", "product_id", "name"])
        batches.product_id.fetch(["categ_id"])
        return ActivationContext(
            rules=rule_index,
            eligible=eligible,
            rates=self._rate_tables(
                batches.company_id,
                programs.currency_id | batches.company_id.currency_id,
            ),
            groups=groups,
        )

    @api.model
    def _activation_rule_matches(self, ctx, rule, batch, day, days_after):
        if not rule.program_id._is_valid_on(day):
            return False
        window = rule.activation_window_days
        if window and days_after > window:
            return False
        product = batch.product_id
        products = ctx.rules.products[rule.id]
        if products and product.id not in products:
            return False
        categs = ctx.rules.categs.get(rule.id)
        if categs is not None and product.categ_id.id not in categs:
            return False
        # Subscribers have no known country and no launch applies: rules
        # filtered on them do not earn on activations.
        return not ctx.rules.countries[rule.id] and not ctx.rules.launches.get(rule.id)

    @api.model
    def _prepare_activation_base(self, ctx, rule, batch, day, count, value):
        """Value of an activation base for one group of activations, in the
        program currency for values (hook)."""
        if rule.base == "activation_count":
            return float(count)
        if rule.base == "activation_value":
            return self._convert(
                ctx,
                value,
                batch.company_id.currency_id,
                rule.program_id.currency_id,
                batch.company_id,
                day,
            )
        return None

    @api.model
    def _activation_targets(self, ctx, by_key):
        sums = {}
        for batch, partner, day, days_after, count, value in ctx.groups:
            day = day.date() if hasattr(day, "date") else day
            for rule in ctx.rules.by_company.get(batch.company_id.id, ()):
                if partner.id not in ctx.eligible[rule.program_id.id]:
                    continue
                if not self._activation_rule_matches(ctx, rule, batch, day, days_after):
                    continue
                base = self._prepare_activation_base(
                    ctx, rule, batch, day, count, value
                )
                if base is None:
                    continue
                start = rule.program_id._get_period(day)[0]
                entry = sums.setdefault(
                    (rule.id, batch.id, partner.id, start), [0.0, day, batch, partner]
                )
                entry[0] += base
                entry[1] = max(entry[1], day)
        targets = {}
        for key, (base, day, batch, partner) in sums.items():
            rule = ctx.rules.records.browse(key[0])
            targets[key] = self._prepare_activation_target(
                ctx, rule, batch, partner, base, day, by_key.get(key)
            )
        return targets

    @api.model
    def _prepare_activation_target(self, ctx, rule, batch, partner, base, day, lines):
        program = rule.program_id
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
            values.update(self._frozen_terms(locked))
        if rule.base == "activation_count":
            earned_base = round(base, BASE_DIGITS)
        else:
            earned_base = program.currency_id.round(base)
        amount = float_round(
            base * rule._rate_factor(values["rate"]) * values["multiplier"],
            precision_digits=AMOUNT_DIGITS,
        )
        return {
            **values,
            "kind": "activation",
            "name": self.env._("Activations %(batch)s", batch=batch.name),
            "base": earned_base,
            "amount": amount,
            "paid_ratio": 1.0,
            "program_id": program.id,
            "rule_id": rule.id,
            "activation_batch_id": batch.id,
            "move_id": False,
            "move_line_id": False,
            "customer_id": False,
            "product_id": batch.product_id.id,
            "date": day,
        }
