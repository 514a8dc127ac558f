"""Tier requalification engine.

One code path decides what happens to each partner: the daily job, the
*Requalify tiers* action and the what-if simulation all call
``_prm_evaluate``. Only the first two then call ``_prm_persist``.
"""

import ast
import logging
from collections import Counter, defaultdict, namedtuple
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import format_date, get_lang

from odoo.addons.base.models.res_lang import intersperse

from .prm_tier_rule import OPERATORS

_logger = logging.getLogger(__name__)

# What requalification does to one partner.
UPGRADE = "upgrade"  # a higher tier, applied at once
DOWNGRADE = "downgrade"  # a lower tier, once the grace period is over
GRACE = "grace"  # stops qualifying: pending downgrade, manager warned
RETARGET = "retarget"  # still in grace, but now qualifies for another lower tier
CANCEL = "cancel"  # requalifies during the grace period
CANCEL_LOCKED = "cancel_locked"  # tier locked by hand: the pending downgrade goes
TIER_ACTIONS = (UPGRADE, DOWNGRADE)
PENDING_ACTIONS = (GRACE, RETARGET)

# Fields the engine reads on every partner; fetch them with one search_fetch.
PARTNER_FIELDS = [
    "company_id",
    "prm_tier_id",
    "prm_tier_lock_until",
    "prm_downgrade_tier_id",
    "prm_downgrade_date",
    "prm_manager_id",
]

RuleSpec = namedtuple("RuleSpec", "metric operator threshold months")
Rung = namedtuple("Rung", "tier_id rank rules")


def metric_key(metric, months):
    """Key of a metric value in ``metric_values`` (history, simulation)."""
    return f"{metric}/{months}"


@dataclass(slots=True)
class Decision:
    """What requalification does to one partner (ids only, no records)."""

    partner_id: int
    manager_id: int | bool
    old_tier_id: int | bool
    qualified_tier_id: int | bool
    direction: str  # outcome against the current tier: up / same / down
    locked_until: date | None
    old_pending_tier_id: int | bool
    old_pending_date: date | None
    values: dict  # {(metric, months): value}
    action: str | None = None
    target_tier_id: int | bool = False  # new tier, or the pending one
    pending_date: date | None = None


@dataclass
class Evaluation:
    """The decisions for the partners of one company, and what explains them."""

    company: models.BaseModel
    today: date
    ladder: list  # [Rung], best first
    ranks: dict  # {tier_id: sequence}
    names: dict  # {tier_id: name}
    grace_days: int
    decisions: list = field(default_factory=list)

    @cached_property
    def rungs(self):
        return {rung.tier_id: rung for rung in self.ladder}


PER_PARTNER = (
    "partner_ids",
    "manager_ids",
    "reasons",
    "bodies",
    "metric_values",
    "old_states",
)


@dataclass
class Change:
    """Partners to which one action happens with the same tiers: persisted with
    one ORM call per model."""

    company_id: int
    action: str
    old_tier_id: int | bool
    target_tier_id: int | bool
    pending_date: date | None
    direction: str
    partner_ids: list = field(default_factory=list)
    manager_ids: list = field(default_factory=list)
    reasons: list = field(default_factory=list)
    bodies: list = field(default_factory=list)
    metric_values: list = field(default_factory=list)
    # (tier, pending tier, pending date) each partner had when it was evaluated.
    old_states: list = field(default_factory=list)

    def keep(self, indexes):
        """Restrict the change to the partners at ``indexes``."""
        for name in PER_PARTNER:
            values = getattr(self, name)
            setattr(self, name, [values[i] for i in indexes])


class PrmTierRequalification(models.AbstractModel):
    """Requalification engine: decides tiers from metrics, persists the changes.

    Extension points: ``_prm_ladder`` (which tiers compete), ``_prm_decide``
    (the policy for one partner), ``_prm_after_persist`` (react to a change,
    e.g. notify partners).
    """

    _name = "prm.tier.requalification"
    _description = "Tier Requalification Engine"

    # --- Business ---

    @api.model
    def _prm_requalify(self, partners, commit=False):
        """Requalify ``partners`` (fetched with ``PARTNER_FIELDS``).

        Reads everything first (a constant number of queries whatever the number
        of partners), then persists one change group at a time. With ``commit``
        (cron only), each persisted group is committed with the cron progress,
        so a crash loses no finished group and the next run resumes the rest
        (requalification is idempotent).

        :return: Counter of partners per action, plus ``unchanged``
        """
        today = fields.Date.context_today(self)
        evaluations = [
            self._prm_evaluate(
                company_partners, company, self._prm_ladder(company), today
            )
            for company, company_partners in self._prm_split_by_company(partners)
        ]
        changes = self._prm_prepare_changes(evaluations)
        changed = sum(len(change.partner_ids) for change in changes)
        summary = Counter(unchanged=len(partners) - changed)
        Cron = self.env["ir.cron"]
        if commit:
            Cron._commit_progress(summary["unchanged"], remaining=changed)
        for change in changes:
            done = len(change.partner_ids)
            self._prm_persist(change)
            summary[change.action] += len(change.partner_ids)
            # Partners another run changed meanwhile (see _prm_claim).
            summary["unchanged"] += done - len(change.partner_ids)
            if commit and not Cron._commit_progress(done):
                # Out of time: the cron calls us again for what remains.
                break
        return summary

    @api.model
    def _prm_split_by_company(self, partners):
        """``[(company, partners)]``: each partner is evaluated in its program
        company (``res.partner._prm_program_company``), never in the companies
        the caller's context selects."""
        by_company = defaultdict(list)
        for partner in partners:
            company_id = partner.company_id.id or partner._prm_program_company().id
            by_company[company_id].append(partner.id)
        Company = self.env["res.company"].sudo()
        return [
            (Company.browse(company_id), partners.browse(ids))
            for company_id, ids in sorted(by_company.items())
        ]

    @api.model
    def _prm_ladder(self, company, rules_by_tier=None):
        """Active tiers of ``company`` and shared ones, best first.

        :param rules_by_tier: ``{tier_id: [RuleSpec]}`` replacing the stored
            rules (what-if simulation); tiers missing from it have no rule.
        :return: ``[Rung]``
        """
        # sudo: the ladder of the partners' company must be complete whatever
        # companies the user has selected; only ranks and rules are used.
        tiers = (
            self.env["prm.tier"]
            .sudo()
            .search_fetch(
                [("company_id", "in", [company.id, False])],
                ["sequence"],
                order="sequence desc, id desc",
            )
        )
        if rules_by_tier is None:
            rules_by_tier = defaultdict(list)
            rules = (
                self.env["prm.tier.rule"]
                .sudo()
                .search_fetch(
                    [("tier_id", "in", tiers.ids)],
                    ["tier_id", "metric", "operator", "threshold", "lookback_months"],
                )
            )
            for rule in rules:
                rules_by_tier[rule.tier_id.id].append(
                    RuleSpec(
                        rule._prm_metric_code(),
                        rule.operator,
                        rule.threshold,
                        rule.lookback_months,
                    )
                )
        return [
            Rung(tier.id, tier.sequence, tuple(rules_by_tier.get(tier.id, ())))
            for tier in tiers
        ]

    @api.model
    def _prm_evaluate(self, partners, company, ladder, today):
        """Decide what requalification does to each of ``partners`` for
        ``company``. Writes nothing (the what-if simulation relies on it).

        ``partners`` must be fetched with ``PARTNER_FIELDS``: reading them
        lazily would cost one query per 1,000 partners.
        """
        specs = {(rule.metric, rule.months) for rung in ladder for rule in rung.rules}
        # sudo: tier qualification must not depend on the invoices and
        # opportunities the clicking user may read; entry points check that the
        # user is a channel manager at least.
        metrics = partners.sudo()._prm_compute_metrics(specs, today, company)
        ranks = {rung.tier_id: rung.rank for rung in ladder}
        tier_ids = {*partners.prm_tier_id.ids, *partners.prm_downgrade_tier_id.ids}
        tiers = (
            self.env["prm.tier"]
            .sudo()
            .with_context(active_test=False)
            .search_fetch(
                [("id", "in", [*tier_ids, *ranks])],
                ["name", "sequence"],
            )
        )
        evaluation = Evaluation(
            company=company,
            today=today,
            ladder=ladder,
            ranks={**{tier.id: tier.sequence for tier in tiers}, **ranks},
            names={tier.id: tier.name for tier in tiers},
            grace_days=company.sudo().prm_downgrade_grace_days,
        )
        for partner in partners:
            values = {spec: metrics[spec].get(partner.id, 0.0) for spec in specs}
            qualified = self._prm_qualify(ladder, values)
            evaluation.decisions.append(
                self._prm_decide(partner, qualified, values, evaluation)
            )
        return evaluation

    @api.model
    def _prm_qualify(self, ladder, values):
        """The best rung whose rules all hold (a rung without rules always
        does), or None."""
        for rung in ladder:
            if all(
                OPERATORS[rule.operator](
                    values.get((rule.metric, rule.months), 0.0), rule.threshold
                )
                for rule in rung.rules
            ):
                return rung
        return None

    @api.model
    def _prm_decide(self, partner, qualified, values, evaluation):
        """The requalification policy for one partner.

        Upgrades apply at once; a partner that stops qualifying keeps its tier
        for the company's grace period (pending downgrade, manager warned) and
        is downgraded when the grace ends, to the tier it qualifies for then;
        requalifying during the grace cancels the downgrade. A tier lock wins
        over all of this until its end date.
        """
        today = evaluation.today
        old_id = partner.prm_tier_id.id
        new_id = qualified.tier_id if qualified else False
        lock = partner.prm_tier_lock_until
        decision = Decision(
            partner_id=partner.id,
            manager_id=partner.prm_manager_id.id,
            old_tier_id=old_id,
            qualified_tier_id=new_id,
            direction=self._prm_direction(
                evaluation.ranks.get(old_id), qualified and qualified.rank
            ),
            locked_until=lock if lock and lock >= today else None,
            old_pending_tier_id=partner.prm_downgrade_tier_id.id,
            old_pending_date=partner.prm_downgrade_date,
            values=values,
        )
        pending = bool(partner.prm_downgrade_date)
        if decision.locked_until:
            decision.direction = "same"
            if pending:
                decision.action = CANCEL_LOCKED
        elif new_id == old_id:
            if pending:
                decision.action = CANCEL
        elif decision.direction != "down":
            decision.action, decision.target_tier_id = UPGRADE, new_id
        elif not evaluation.grace_days or (
            pending and partner.prm_downgrade_date <= today
        ):
            decision.action, decision.target_tier_id = DOWNGRADE, new_id
        elif not pending:
            decision.action, decision.target_tier_id = GRACE, new_id
            decision.pending_date = today + relativedelta(days=evaluation.grace_days)
        elif decision.old_pending_tier_id != new_id:
            decision.action, decision.target_tier_id = RETARGET, new_id
            decision.pending_date = partner.prm_downgrade_date
        return decision

    @api.model
    def _prm_direction(self, old_rank, new_rank):
        # No tier ranks below every tier.
        if old_rank == new_rank:
            return "same"
        if old_rank is None or (new_rank is not None and new_rank > old_rank):
            return "up"
        return "down"

    # --- Texts ---

    @api.model
    def _prm_prepare_changes(self, evaluations):
        """Group the decisions into ``Change`` sets and write their texts.

        Texts are built before any write so that persisting needs no read.
        """
        labels = None
        changes = {}
        for evaluation in evaluations:
            for decision in evaluation.decisions:
                if not decision.action:
                    continue
                key = (
                    evaluation.company.id,
                    decision.action,
                    decision.old_tier_id,
                    decision.target_tier_id,
                    decision.pending_date,
                )
                change = changes.get(key)
                if change is None:
                    change = changes[key] = Change(
                        *key,
                        direction=self._prm_direction(
                            evaluation.ranks.get(decision.old_tier_id),
                            evaluation.ranks.get(decision.target_tier_id),
                        ),
                    )
                labels = labels or self._prm_labels()
                reason, body = self._prm_describe(decision, evaluation, labels)
                change.partner_ids.append(decision.partner_id)
                change.manager_ids.append(decision.manager_id)
                change.reasons.append(reason)
                change.bodies.append(body)
                change.metric_values.append(
                    {metric_key(*spec): v for spec, v in decision.values.items()}
                )
                change.old_states.append(
                    (
                        decision.old_tier_id or None,
                        decision.old_pending_tier_id or None,
                        decision.old_pending_date or None,
                    )
                )
        return list(changes.values())

    @api.model
    def _prm_labels(self):
        """Labels and a number formatter for the texts of one run.

        ``formatLang`` looks the language up on every call, which costs more
        than the whole evaluation on 10,000 partners: resolve it once.
        """
        Rule = self.env["prm.tier.rule"]
        lang = get_lang(self.env)
        grouping = ast.literal_eval(lang.grouping)
        separator = lang.thousands_sep or ""

        def format_value(value):
            value = float(value or 0.0)
            digits = 0 if value.is_integer() else 2
            integer, _dot, decimals = (f"%.{digits}f" % value).partition(".")
            integer = intersperse(integer, grouping, separator)[0]
            return f"{integer}{lang.decimal_point}{decimals}" if decimals else integer

        return {
            "metric": dict(Rule._fields["metric"]._description_selection(self.env)),
            "operator": dict(Rule._fields["operator"]._description_selection(self.env)),
            "format": format_value,
        }

    def _prm_rule_text(self, rule, values, labels):
        fmt = labels["format"]
        return self.env._(
            "%(metric)s %(operator)s %(threshold)s over %(months)s months: %(value)s",
            metric=labels["metric"].get(rule.metric, rule.metric),
            operator=labels["operator"].get(rule.operator, rule.operator),
            threshold=fmt(rule.threshold),
            months=rule.months,
            value=fmt(values.get((rule.metric, rule.months))),
        )

    def _prm_describe(self, decision, evaluation, labels):
        """``(reason, chatter body)`` of one decision."""
        names = evaluation.names

        def name(tier_id):
            return names.get(tier_id) or self.env._("no tier")

        rungs = evaluation.rungs
        values = decision.values
        old, target = name(decision.old_tier_id), name(decision.target_tier_id)
        old_rung = rungs.get(decision.old_tier_id)
        if old_rung:
            missed = "; ".join(
                self._prm_rule_text(rule, values, labels)
                for rule in old_rung.rules
                if not OPERATORS[rule.operator](
                    values.get((rule.metric, rule.months), 0.0), rule.threshold
                )
            )
            below = self.env._(
                "No longer meets %(tier)s (%(missed)s).", tier=old, missed=missed
            )
        else:
            below = self.env._("%(tier)s is no longer an active tier.", tier=old)
        new_rung = rungs.get(decision.target_tier_id)
        if new_rung and new_rung.rules:
            meets = self.env._(
                "Meets every rule of %(tier)s: %(rules)s.",
                tier=name(new_rung.tier_id),
                rules="; ".join(
                    self._prm_rule_text(rule, values, labels) for rule in new_rung.rules
                ),
            )
        elif new_rung:
            meets = self.env._(
                "%(tier)s is the entry level (no qualification rule).",
                tier=name(new_rung.tier_id),
            )
        else:
            meets = self.env._("The partner meets no tier.")

        action = decision.action
        if action == UPGRADE:
            reason = meets
            title = self.env._(
                "Tier upgraded from %(old)s to %(new)s by requalification.",
                old=old,
                new=target,
            )
        elif action == DOWNGRADE:
            if decision.old_pending_date:
                reason = self.env._(
                    "%(below)s The grace period ended on %(date)s. %(meets)s",
                    below=below,
                    date=format_date(self.env, decision.old_pending_date),
                    meets=meets,
                )
            else:
                reason = f"{below} {meets}"
            title = self.env._(
                "Tier downgraded from %(old)s to %(new)s by requalification.",
                old=old,
                new=target,
            )
        elif action == GRACE:
            reason = below
            title = self.env._(
                "Downgrade to %(new)s on %(date)s unless the partner requalifies "
                "for %(old)s before.",
                new=target,
                date=format_date(self.env, decision.pending_date),
                old=old,
            )
        elif action == RETARGET:
            reason = below
            title = self.env._(
                "The pending downgrade on %(date)s now goes to %(new)s.",
                date=format_date(self.env, decision.pending_date),
                new=target,
            )
        elif action == CANCEL:
            reason = meets
            title = self.env._(
                "Requalifies for %(old)s: the pending downgrade to %(pending)s is "
                "cancelled.",
                old=old,
                pending=name(decision.old_pending_tier_id),
            )
        else:  # CANCEL_LOCKED
            reason = self.env._(
                "Tier locked until %(date)s.",
                date=format_date(self.env, decision.locked_until),
            )
            title = self.env._(
                "Tier locked: the pending downgrade to %(pending)s is cancelled.",
                pending=name(decision.old_pending_tier_id),
            )
        body = Markup("<p><b>%s</b></p><p>%s</p>") % (title, reason)
        return reason, body

    # --- Persistence ---

    @api.model
    def _prm_persist(self, change):
        """Write one ``Change`` through the ORM, so that the overrides of
        ``res.partner.write`` (tier pricelist, other modules) see it: one
        ``write`` for the whole group, the history rows in one ``create``, the
        chatter notes in one ``_message_log_batch`` and the warning activities
        in one ``create``. Field tracking is off: the note of each partner says
        what changed and the figures that decided it.

        As superuser: the entry points checked that the user may requalify;
        channel managers may not write tiers themselves.
        """
        if not self._prm_claim(change):
            return
        partners_sudo = (
            self.env["res.partner"]
            .sudo()
            .browse(change.partner_ids)
            .with_context(mail_notrack=True)
        )
        if change.action in TIER_ACTIONS:
            values = {
                "prm_tier_id": change.target_tier_id or False,
                "prm_downgrade_tier_id": False,
                "prm_downgrade_date": False,
            }
        elif change.action in PENDING_ACTIONS:
            values = {
                "prm_downgrade_tier_id": change.target_tier_id or False,
                "prm_downgrade_date": change.pending_date,
            }
        else:
            values = {"prm_downgrade_tier_id": False, "prm_downgrade_date": False}
        partners_sudo.write(values)
        if change.action in TIER_ACTIONS:
            self._prm_create_history(change)
        partners_sudo._message_log_batch(
            dict(zip(change.partner_ids, change.bodies, strict=True))
        )
        if change.action == GRACE:
            self._prm_schedule_warnings(change)
        self._prm_after_persist(change)

    @api.model
    def _prm_claim(self, change):
        """Lock the partners of ``change`` and keep those still as they were
        evaluated; return whether any is left.

        The daily job commits group by group, from one evaluation made at its
        start, and a manager may requalify the same partners meanwhile: the
        partners another run is changing (locked) or has changed are left to
        that run, so each change is written (history, note, activity) once and
        nobody waits for anybody.
        """
        self.env.flush_all()
        fnames = ["prm_tier_id", "prm_downgrade_tier_id", "prm_downgrade_date"]
        partners = self.env["res.partner"].sudo().browse(change.partner_ids)
        locked = partners.try_lock_for_update(allow_referencing=True)
        # Re-read what the lock protects: another run may have written it.
        locked.invalidate_recordset(fnames)
        locked.fetch(fnames)
        keep = [
            index
            for index, (partner, state) in enumerate(
                zip(partners, change.old_states, strict=True)
            )
            if partner in locked
            and (
                partner.prm_tier_id.id or None,
                partner.prm_downgrade_tier_id.id or None,
                partner.prm_downgrade_date or None,
            )
            == state
        ]
        if len(keep) < len(change.partner_ids):
            _logger.info(
                "Tier requalification: %s partner(s) changed or being changed since "
                "they were evaluated, left to the run that changed them",
                len(change.partner_ids) - len(keep),
            )
            change.keep(keep)
        return bool(keep)

    @api.model
    def _prm_create_history(self, change):
        """One history row per partner whose tier changed."""
        self.env["prm.tier.history"].sudo().create(
            [
                {
                    "partner_id": partner_id,
                    "company_id": change.company_id,
                    "old_tier_id": change.old_tier_id or False,
                    "new_tier_id": change.target_tier_id or False,
                    "reason": reason,
                    "metric_values": values,
                    "user_id": self.env.uid,
                    "mode": "automatic",
                    "direction": change.direction,
                }
                for partner_id, reason, values in zip(
                    change.partner_ids,
                    change.reasons,
                    change.metric_values,
                    strict=True,
                )
            ]
        )

    @api.model
    def _prm_schedule_warnings(self, change):
        """A warning activity for the channel manager of each partner whose
        grace period starts."""
        activity_type = self.env.ref(
            "mail.mail_activity_data_warning", raise_if_not_found=False
        )
        model_id = self.env["ir.model"]._get_id("res.partner")
        vals_list = [
            {
                "res_model_id": model_id,
                "res_id": partner_id,
                "activity_type_id": activity_type.id if activity_type else False,
                "summary": self.env._("Tier downgrade pending"),
                "note": body,
                "user_id": manager_id,
                "date_deadline": fields.Date.context_today(self),
            }
            for partner_id, manager_id, body in zip(
                change.partner_ids, change.manager_ids, change.bodies, strict=True
            )
            if manager_id
        ]
        # mail.activity computes res_name with one browse per activity: read
        # the names of the group first, in one query per 1,000 partners.
        self.env["res.partner"].browse(change.partner_ids).mapped("display_name")
        # sudo: the warning goes to each partner's own manager, whoever runs
        # the requalification. quick_update: no e-mail per activity; managers
        # see them in their activities.
        self.env["mail.activity"].sudo().with_context(
            mail_activity_quick_update=True
        ).create(vals_list)
        self.env.flush_all()

    @api.model
    def _prm_after_persist(self, change):
        """Hook called after each persisted ``Change`` (ids in
        ``change.partner_ids``): notify partners, recompute benefits..."""
