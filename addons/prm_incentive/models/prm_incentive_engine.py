import bisect
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from odoo import api, fields, models
from odoo.tools import SQL, float_is_zero, float_round, format_date

from odoo.addons.prm_partner.tools.sql import pg_array

CUSTOMER_MOVE_TYPES = ("out_invoice", "out_refund")
# The document each kind of accrual is earned on.
SOURCE_FIELD = {"line": "move_id", "sellout": "sellout_batch_id"}
BASE_DIGITS = 4
# Accruals keep their amounts at this precision, whatever the currency: a
# settlement rounds once per document line (see ``prm.settlement``), so 1,000
# accruals of 0.005 USD pay 5.00, not 1,000 roundings of 0.01.
AMOUNT_DIGITS = 6
# From this many new accruals on, ``_apply_plan`` inserts them in one statement.
SQL_INSERT_THRESHOLD = 500
LOG_COLUMNS = ("create_uid", "create_date", "write_uid", "write_date")


class IncentivePlan:
    """Changes the engine would make to the accruals, before writing them.

    ``creates`` are value dicts, ``updates`` map an accrual id to its new values,
    ``deletes`` are accrual ids. ``deltas`` lists, for previews, the change of
    ``(program_id, rule_id, partner_id, period_start) -> [base, amount]``.
    ``marks`` lists ``(programs, period starts, moment)``: applying the plan
    brings those periods' accruals up to date as of that moment
    (``prm.incentive.sync``).
    """

    def __init__(self):
        self.creates = []
        self.updates = {}
        self.deletes = []
        self.deltas = defaultdict(lambda: [0.0, 0.0])
        self.marks = []

    def __bool__(self):
        return bool(self.creates or self.updates or self.deletes)

    def add_delta(self, key, base, amount):
        delta = self.deltas[key]
        delta[0] += base
        delta[1] += amount

    def merge(self, other):
        """Add the changes of ``other``, a plan on other accruals."""
        self.creates += other.creates
        self.updates.update(other.updates)
        self.deletes += other.deletes
        self.marks += other.marks
        for key, (base, amount) in other.deltas.items():
            self.add_delta(key, base, amount)
        return self


@dataclass
class RuleIndex:
    """The rules a plan applies and what matching a source reads of them and of
    their programs, indexed by id (``_prepare_rule_context``): the per-line loop
    then runs no query."""

    records: models.BaseModel  # prm.incentive.rule, archived ones included
    # {company id: [rule]}: active rules of active programs, the ones that earn
    by_company: dict[int, list[models.BaseModel]]
    # {rule id: category ids, sub-categories included}; no key: any category
    categs: dict[int, set[int]]
    products: dict[int, set[int]]  # {rule id: product ids}; empty: any product
    countries: dict[int, set[int]]  # {rule id: country ids}; empty: any country
    # {rule id: (variant ids, first day, last day or False)} of launch rules
    launches: dict[int, tuple[set[int], date, date | bool]]
    # {(rule id, tier id): multiplier}; no key: 1.0
    multipliers: dict[tuple[int, int], float]


@dataclass
class AccrualContext:
    """What planning the accruals of one batch of sources reads, fetched in a
    fixed number of queries and indexed in plain dicts, whatever the source;
    each source extends it (``MoveContext``, ``SelloutContext``)."""

    rules: RuleIndex
    eligible: dict[int, set[int]]  # {program id: ids of the partners it pays}
    # {(company id, currency id): rate table}, see ``_conversion_rates``
    rates: dict[tuple[int, int], tuple[list, list, list, list]]
    # What the per-line loop derives from a rule, a program or a partner, kept
    # for the plan (``_rule_terms``...): 100,000 lines share a few rules.
    memo: dict = field(default_factory=dict, kw_only=True)

    def remember(self, key, compute):
        """``memo[key]``, computed by ``compute()`` the first time."""
        try:
            return self.memo[key]
        except KeyError:
            value = self.memo[key] = compute()
            return value


@dataclass
class MoveContext(AccrualContext):
    """What the invoice lines of a plan read besides the rules
    (``_prepare_context``), and the accruals they already carry
    (``_build_plan``)."""

    # {(company id, product id): product read in that company (its cost)}
    products: dict[tuple[int, int], models.BaseModel]
    # {invoice line id: channel partner id of its sales order}
    order_partners: dict[int, int]
    # {invoice line id: [accrual]} of the invoices credit notes reverse: the
    # accruals a credit note mirrors
    origin_accruals: defaultdict[int, list] = field(
        default_factory=lambda: defaultdict(list)
    )
    # {invoice line id: {(rule id, line id, partner id)}} of existing accruals
    keys_by_aml: defaultdict[int, set[tuple]] = field(
        default_factory=lambda: defaultdict(set)
    )


class PrmIncentiveEngine(models.AbstractModel):
    """Computes accruals in batches.

    Every public step works on whole recordsets with a fixed number of queries
    (one ``search_fetch``/``_read_group`` per model involved, whatever the number
    of invoice lines) and writes with one ``create`` of a list, batched updates
    and one ``unlink``. Planning is separated from writing (``_build_*_plan`` /
    ``_apply_plan``) so that period-close previews compute without writing.

    Callers run it as superuser on purpose: accruals follow the invoices whoever
    posts them, and nobody but the engine writes computed accruals.
    """

    _name = "prm.incentive.engine"
    _description = "Incentive Accrual Engine"

    # --- Entry points ---

    @api.model
    def _refresh_move_accruals(self, moves, programs=None):
        """Bring the accruals of customer invoices ``moves`` up to date."""
        plan = self._build_plan(moves, programs)
        return self._apply_plan(plan)

    @api.model
    def _refresh_period_accruals(self, programs, date_from, date_to, full=False):
        """Bring the accruals of ``programs`` up to date for the customer
        invoices dated between ``date_from`` and ``date_to``: every invoice
        when ``full``, else only those whose data changed since the period was
        last refreshed (see ``_get_period_moves``)."""
        return self._apply_plan(
            self._build_period_moves_plan(programs, date_from, date_to, full=full)
        )

    @api.model
    def _build_period_moves_plan(self, programs, date_from, date_to, full=False):
        Sync = self.env["prm.incentive.sync"]
        # Taken before reading: what is written after it is re-planned next time.
        moment = Sync._now()
        moves = self._get_period_moves(programs, date_from, date_to, full=full)
        plan = self._build_plan(moves, programs)
        for program in programs:
            starts = self._whole_periods(program, date_from, date_to)
            if starts:
                plan.marks.append((program, starts, moment))
        return plan

    @api.model
    def _whole_periods(self, program, date_from, date_to):
        """Starts of the periods of ``program`` lying within the range."""
        starts = []
        start, end = program._get_period(date_from)
        if start < date_from:
            start, end = program._get_period(end + timedelta(days=1))
        while end <= date_to:
            starts.append(start)
            start, end = program._get_period(end + timedelta(days=1))
        return starts

    @api.model
    def _get_period_moves(self, programs, date_from, date_to, full=False):
        """Customer invoices of the period, plus those that already have
        accruals of these programs in it (they may have left the posted state).

        Unless ``full``, when the period was refreshed as a whole before
        (``prm.incentive.sync``) and neither the programs, their rules nor the
        currency rates changed since, only the invoices whose data changed
        since are returned (``_changed_period_moves``): closing a period whose
        accruals are up to date costs a few queries, not a re-plan of every
        invoice line."""
        if not full:
            since = self._period_mark(programs, date_from, date_to)
            if since is not None and not self._rules_changed(programs, date_to, since):
                return self._changed_period_moves(programs, date_from, date_to, since)
        Move = self.env["account.move"]
        moves = Move.search(
            [
                ("company_id", "in", programs.company_id.ids),
                ("move_type", "in", CUSTOMER_MOVE_TYPES),
                ("prm_settlement_id", "=", False),
                ("state", "=", "posted"),
                ("invoice_date", ">=", date_from),
                ("invoice_date", "<=", date_to),
            ]
        )
        return self._with_accrued(moves, programs, "line", date_from, date_to)

    @api.model
    def _period_mark(self, programs, date_from, date_to):
        """When the range, one whole period of each program, was last brought
        up to date for all of them; None otherwise."""
        if not programs or any(
            program._get_period(date_from) != (date_from, date_to)
            for program in programs
        ):
            return None
        return self.env["prm.incentive.sync"]._get_mark(programs, date_from)

    @api.model
    def _rules_changed(self, programs, date_to, since):
        """Whether what every invoice's accruals depend on changed after
        ``since``: the programs, their rules (filters, multipliers, brackets,
        launches), product categories, or currency rates dated up to the
        period end. One query; deletions there are caught by the nightly full
        refresh (``prm.incentive.line._cron_compute_accruals``)."""
        query = SQL(
            """
            SELECT EXISTS (SELECT 1 FROM prm_incentive_program
                            WHERE id = ANY(%(programs)s) AND write_date > %(since)s)
                OR EXISTS (SELECT 1 FROM prm_incentive_rule
                            WHERE program_id = ANY(%(programs)s)
                              AND write_date > %(since)s)
                OR EXISTS (SELECT 1 FROM prm_incentive_tier_multiplier row
                             JOIN prm_incentive_rule rule ON rule.id = row.rule_id
                            WHERE rule.program_id = ANY(%(programs)s)
                              AND row.write_date > %(since)s)
                OR EXISTS (SELECT 1 FROM prm_incentive_bracket row
                             JOIN prm_incentive_rule rule ON rule.id = row.rule_id
                            WHERE rule.program_id = ANY(%(programs)s)
                              AND row.write_date > %(since)s)
                OR EXISTS (SELECT 1 FROM prm_launch launch
                             JOIN prm_incentive_rule rule ON rule.launch_id = launch.id
                            WHERE rule.program_id = ANY(%(programs)s)
                              AND launch.write_date > %(since)s)
                OR EXISTS (SELECT 1 FROM product_category
                            WHERE write_date > %(since)s)
                OR EXISTS (SELECT 1 FROM res_currency_rate
                            WHERE write_date > %(since)s AND name <= %(date_to)s)
            """,
            programs=programs.ids,
            since=since,
            date_to=date_to,
        )
        return self.env.execute_query(query)[0][0]

    @api.model
    def _changed_period_moves(self, programs, date_from, date_to, since):
        """Customer invoices of the period whose accruals may have changed
        after ``since``, in one query: the invoice itself (posted, reset,
        cancelled, reversed, partner or date changed...), its product lines or
        their products, its customer, the customer's referrer or its channel
        partner, the sales orders it invoices, the invoice a credit note
        reverses or that invoice's accruals, and payments on paid-basis
        programs; plus the invoices that left the period or the posted state
        since, still carrying accruals in it.

        Rows carry the start of the transaction that wrote them; ``since``
        comes from ``prm.incentive.sync._now``."""
        self.env.flush_all()
        paid = any(program.basis == "paid" for program in programs)
        query = SQL(
            """
            WITH period_move AS (
                SELECT move.id, move.write_date, move.reversed_entry_id,
                       move.commercial_partner_id, move.prm_partner_id
                  FROM account_move move
                 WHERE move.company_id = ANY(%(companies)s)
                   AND move.move_type IN %(types)s
                   AND move.prm_settlement_id IS NULL
                   AND move.state = 'posted'
                   AND move.invoice_date BETWEEN %(date_from)s AND %(date_to)s
            )
            SELECT move.id
              FROM period_move move
         LEFT JOIN res_partner customer ON customer.id = move.commercial_partner_id
         LEFT JOIN res_partner channel ON channel.id = move.prm_partner_id
         LEFT JOIN res_partner referrer ON referrer.id = customer.prm_referrer_id
             WHERE move.write_date > %(since)s
                OR customer.write_date > %(since)s
                OR channel.write_date > %(since)s
                OR referrer.write_date > %(since)s
                OR EXISTS (
                    SELECT 1
                      FROM account_move_line aml
                      JOIN product_product product ON product.id = aml.product_id
                      JOIN product_template template
                           ON template.id = product.product_tmpl_id
                     WHERE aml.move_id = move.id
                       AND aml.display_type = 'product'
                       AND (aml.write_date > %(since)s
                            OR product.write_date > %(since)s
                            OR template.write_date > %(since)s))
                OR EXISTS (
                    SELECT 1
                      FROM account_move_line aml
                      JOIN sale_order_line_invoice_rel rel
                           ON rel.invoice_line_id = aml.id
                      JOIN sale_order_line sol ON sol.id = rel.order_line_id
                      JOIN sale_order sale ON sale.id = sol.order_id
                     WHERE aml.move_id = move.id AND sale.write_date > %(since)s)
                OR EXISTS (
                    SELECT 1 FROM account_move origin
                     WHERE origin.id = move.reversed_entry_id
                       AND origin.write_date > %(since)s)
                OR EXISTS (
                    SELECT 1 FROM prm_incentive_line accrual
                     WHERE accrual.move_id = move.reversed_entry_id
                       AND accrual.write_date > %(since)s)
                OR (%(paid)s AND EXISTS (
                    SELECT 1
                      FROM account_move_line aml
                      JOIN account_partial_reconcile part
                           ON aml.id IN (part.debit_move_id, part.credit_move_id)
                     WHERE aml.move_id = move.id AND part.create_date > %(since)s))
             UNION
            SELECT accrual.move_id
              FROM prm_incentive_line accrual
              JOIN account_move move ON move.id = accrual.move_id
             WHERE accrual.program_id = ANY(%(programs)s)
               AND accrual.kind = 'line'
               AND accrual.date BETWEEN %(date_from)s AND %(date_to)s
               AND move.write_date > %(since)s
            """,
            companies=programs.company_id.ids,
            types=CUSTOMER_MOVE_TYPES,
            date_from=date_from,
            date_to=date_to,
            since=since,
            paid=paid,
            programs=programs.ids,
        )
        ids = [row[0] for row in self.env.execute_query(query)]
        return self.env["account.move"].browse(sorted(ids))

    @api.model
    def _with_accrued(self, sources, programs, kind, date_from, date_to):
        """``sources`` (invoices or sell-out reports) plus those that already
        have accruals of ``kind`` for ``programs`` in the period but no longer
        match the search (reset to draft, cancelled...): recomputing them is
        what claws their accruals back."""
        fname = SOURCE_FIELD[kind]
        accrued = self.env["prm.incentive.line"]._read_group(
            [
                ("program_id", "in", programs.ids),
                ("kind", "=", kind),
                ("date", ">=", date_from),
                ("date", "<=", date_to),
                (fname, "not in", sources.ids),
            ],
            [fname],
        )
        return sources | sources.browse([source.id for (source,) in accrued])

    # --- Invoice-line plan ---

    @api.model
    def _plan_rules(self, companies, programs=None, rule_domain=()):
        """``(programs, their rules)`` a plan applies: ``programs``, or every
        program of ``companies``. Archived programs and rules included: their
        settled or open accruals still follow their sources (refunds, reset to
        draft, cancelled reports)."""
        # Every program of the companies: their rules by their stored company,
        # in one query (posting an invoice plans here).
        scope = (
            [("program_id", "in", programs.ids)]
            if programs is not None
            else [("company_id", "in", companies.ids)]
        )
        rules = (
            self.env["prm.incentive.rule"]
            .with_context(active_test=False)
            .search_fetch([*scope, *rule_domain], self._rule_fields())
        )
        return (rules.program_id if programs is None else programs), rules

    @api.model
    def _build_plan(self, moves, programs=None):
        """Plan the accruals of the product lines of customer invoices ``moves``
        for ``programs`` (default: every active program of their companies)."""
        plan = IncentivePlan()
        # Read through the cache: the invoice just posted is in it.
        moves = self.env["account.move"].browse(moves.ids)
        moves.fetch(
            [
                "name",
                "move_type",
                "state",
                "invoice_date",
                "date",
                "company_id",
                "currency_id",
                "commercial_partner_id",
                "prm_partner_id",
                "amount_total",
                "amount_residual",
                "reversed_entry_id",
            ]
        )
        moves = moves.filtered(
            lambda m: (
                m.move_type in CUSTOMER_MOVE_TYPES
                # Credit notes paying a settlement are not sales.
                and not m.prm_settlement_id
            )
        ).sorted()
        if not moves:
            return plan
        _programs, rules = self._plan_rules(moves.company_id, programs)
        if not rules:
            return plan
        origin_moves = moves.reversed_entry_id
        all_moves = moves | origin_moves
        amls = self.env["account.move.line"].search_fetch(
            [("move_id", "in", all_moves.ids), ("display_type", "=", "product")],
            [
                "move_id",
                "product_id",
                "quantity",
                "price_subtotal",
                "product_uom_id",
                "sequence",
            ],
            order="move_id, sequence, id",
        )
        existing = self.env["prm.incentive.line"].search_fetch(
            [
                ("move_id", "in", all_moves.ids),
                ("kind", "=", "line"),
                ("rule_id", "in", rules.ids),
                ("move_line_id", "!=", False),
            ],
            [
                "kind",
                "program_id",
                "company_id",
                # Writing a monetary amount reads its currency.
                "currency_id",
                "rule_id",
                "move_line_id",
                "move_id",
                "partner_id",
                "customer_id",
                "product_id",
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
            ],
            order="revision, id",
        )
        ctx = self._prepare_context(moves, amls, rules)
        by_key = defaultdict(lambda: self.env["prm.incentive.line"])
        origin_accruals = ctx.origin_accruals
        keys_by_aml = ctx.keys_by_aml
        move_ids, origin_ids = set(moves.ids), set(origin_moves.ids)
        for line in existing:
            key = (line.rule_id.id, line.move_line_id.id, line.partner_id.id)
            if line.move_id.id in move_ids:
                by_key[key] |= line
                keys_by_aml[key[1]].add(key)
            if line.move_id.id in origin_ids and not line.origin_line_id:
                origin_accruals[line.move_line_id.id].append(line)
        amls_by_move = defaultdict(list)
        for aml in amls:
            amls_by_move[aml.move_id.id].append(aml)
        targets = {}
        for move in moves:
            mirror = self._match_refund_lines(move, amls_by_move, origin_accruals)
            for aml in amls_by_move[move.id]:
                if move.state != "posted":
                    continue
                if aml.id in mirror:
                    candidates = self._mirror_candidates(
                        ctx, move, aml, mirror[aml.id], by_key
                    )
                else:
                    candidates = self._line_candidates(ctx, move, aml, by_key)
                targets.update(candidates)
        # Keys computed before that no longer match (invoice reset to draft,
        # channel partner changed, filters changed on open lines): target 0.
        for key in by_key:
            targets.setdefault(key, None)
        for key, target in targets.items():
            self._plan_key(plan, ctx, key, target, by_key.get(key))
        return plan

    @api.model
    def _rule_fields(self):
        return [
            "program_id",
            "company_id",
            "base",
            "product_ids",
            "categ_ids",
            "country_ids",
            "launch_id",
            "rate_type",
            "rate",
            "fixed_amount",
            "tier_multiplier_ids",
            "pay_resale",
            "pay_deal",
            "pay_referral",
            "attribution_mode",
            "active",
        ]

    @api.model
    def _prepare_context(self, moves, amls, rules):
        """Fetch, in a fixed number of queries, everything the per-line
        computation reads, and index it in plain dicts: a ``MoveContext``."""
        rule_index = self._prepare_rule_context(rules)
        programs = rules.program_id
        # Partners: customers, their referrers, deal partners (invoice or order).
        order_partners = self._order_partners(amls)
        Partner = self.env["res.partner"].with_context(active_test=False)
        # Customers and the partners earning on them in one query; the
        # referrers of customers are read with them (a referrer is most often
        # a channel partner read here already).
        customer_ids = set(moves.commercial_partner_id.ids)
        partners = Partner.search_fetch(
            [
                (
                    "id",
                    "in",
                    list(
                        customer_ids
                        | set(moves.prm_partner_id.ids)
                        | set(order_partners.values())
                    ),
                )
            ],
            [*self._partner_fields(), "prm_referrer_id", "country_id"],
        )
        customers = partners.filtered(lambda p: p.id in customer_ids)
        referrers = customers.prm_referrer_id - partners
        if referrers:
            referrers = Partner.search_fetch(
                [("id", "in", referrers.ids)], self._partner_fields()
            )
        eligible = {}
        for program in programs:
            eligible[program.id] = set(
                program._eligible_partners(partners | referrers).ids
            )
        # Products (cost for margins, category for filters), per company.
        products_by_company = {}
        for company in moves.company_id:
            products = (
                self.env["product.product"]
                .with_company(company)
                .with_context(active_test=False)
                .search_fetch(
                    [("id", "in", amls.product_id.ids)],
                    ["categ_id", "uom_id", "standard_price"],
                )
            )
            for product in products:
                products_by_company[company.id, product.id] = product
        # Rules of batch sources never earn on invoice lines: out of the loop.
        batch_bases = {
            base for _field, bases in self._batch_sources().values() for base in bases
        }
        if batch_bases:
            rule_index.by_company = {
                company_id: [
                    rule for rule in company_rules if rule.base not in batch_bases
                ]
                for company_id, company_rules in rule_index.by_company.items()
            }
        return MoveContext(
            rules=rule_index,
            eligible=eligible,
            rates=self._conversion_rates(moves, programs),
            products=products_by_company,
            order_partners=order_partners,
        )

    @api.model
    def _prepare_rule_context(self, rules):
        """What the per-line computation reads of ``rules`` and their programs,
        fetched in a fixed number of queries and indexed in plain dicts: a
        ``RuleIndex``, shared by every source's context."""
        programs = rules.program_id
        programs.fetch(
            [
                "company_id",
                "currency_id",
                "kind",
                "basis",
                "date_start",
                "date_end",
                "period",
                "partner_type_ids",
                "tier_ids",
                "active",
            ]
        )
        rules.tier_multiplier_ids.fetch(["tier_id", "multiplier"])
        by_company = defaultdict(list)
        for rule in rules:
            if rule.active and rule.program_id.active:
                by_company[rule.company_id.id].append(rule)
        return RuleIndex(
            records=rules,
            by_company=by_company,
            categs=self._expand_categories(rules),
            products={rule.id: set(rule.product_ids.ids) for rule in rules},
            countries={rule.id: set(rule.country_ids.ids) for rule in rules},
            launches={
                rule.id: (
                    set(rule.launch_id._prm_variants().ids),
                    rule.launch_id.date_start,
                    rule.launch_id.date_end,
                )
                for rule in rules.filtered("launch_id")
            },
            multipliers={
                (row.rule_id.id, row.tier_id.id): row.multiplier
                for row in rules.tier_multiplier_ids
            },
        )

    @api.model
    def _partner_fields(self):
        return [
            "prm_is_partner",
            "prm_state",
            "prm_partner_type_id",
            "prm_tier_id",
            "company_id",
        ]

    @api.model
    def _expand_categories(self, rules):
        """{rule_id: set of category ids, sub-categories included} in one query."""
        wanted = set(rules.categ_ids.ids)
        if not wanted:
            return {}
        categs = self.env["product.category"].search_fetch(
            [("id", "child_of", list(wanted))], ["parent_path"]
        )
        ancestors = {
            categ.id: {int(x) for x in categ.parent_path.split("/") if x}
            for categ in categs
        }
        result = {}
        for rule in rules.filtered("categ_ids"):
            roots = set(rule.categ_ids.ids)
            result[rule.id] = {cid for cid, path in ancestors.items() if path & roots}
        return result

    @api.model
    def _order_partners(self, amls):
        """{invoice line id: channel partner id of its sales order} (one query):
        an invoice grouping orders of several channel partners pays each one on
        its own lines."""
        if not amls:
            return {}
        groups = self.env["sale.order.line"]._read_group(
            [
                ("invoice_lines", "in", amls.ids),
                ("order_id.prm_partner_id", "!=", False),
            ],
            ["invoice_lines", "order_id.prm_partner_id"],
        )
        return {aml.id: partner.id for aml, partner in groups if aml and partner}

    @api.model
    def _conversion_rates(self, moves, programs):
        """Rate tables to convert invoice amounts into program currencies at the
        invoice date, read in one query.

        Returns ``{(company_id, currency_id): (own dates, own rates, shared
        dates, shared rates)}`` sorted by date, read the way
        ``res.currency._get_rates`` does: the company's own latest rate up to the
        day wins over a shared one, and before the first rate the oldest applies.
        """
        return self._rate_tables(
            moves.company_id,
            moves.currency_id | programs.currency_id | moves.company_id.currency_id,
        )

    @api.model
    def _rate_tables(self, companies, currencies):
        """Rate tables of ``currencies`` for ``companies`` (see
        ``_conversion_rates``), in one query."""
        roots = companies.root_id
        rows = self.env["res.currency.rate"].search_fetch(
            [
                ("currency_id", "in", currencies.ids),
                ("company_id", "in", [False, *roots.ids]),
            ],
            ["currency_id", "company_id", "name", "rate"],
            order="name, id",
        )
        tables = {}
        for company in companies:
            root = company.root_id.id
            for currency in currencies:
                own = [
                    r
                    for r in rows
                    if r.currency_id == currency and r.company_id.id == root
                ]
                shared = [
                    r for r in rows if r.currency_id == currency and not r.company_id
                ]
                tables[company.id, currency.id] = (
                    [r.name for r in own],
                    [r.rate for r in own],
                    [r.name for r in shared],
                    [r.rate for r in shared],
                )
        return tables

    @api.model
    def _currency_rate(self, ctx, company, currency, day):
        own_dates, own_rates, shared_dates, shared_rates = ctx.rates[
            company.id, currency.id
        ]
        idx = bisect.bisect_right(own_dates, day)
        if idx:
            return own_rates[idx - 1]
        idx = bisect.bisect_right(shared_dates, day)
        if idx:
            return shared_rates[idx - 1]
        if own_rates:
            return own_rates[0]
        return shared_rates[0] if shared_rates else 1.0

    @api.model
    def _convert(self, ctx, amount, from_currency, to_currency, company, day):
        """``from_currency._convert(amount, to_currency, company, day)`` on the
        rate tables prefetched in ``ctx.rates`` (no query per line)."""
        if from_currency == to_currency or not amount:
            return to_currency.round(amount)
        rate = self._currency_rate(
            ctx, company, to_currency, day
        ) / self._currency_rate(ctx, company, from_currency, day)
        return to_currency.round(amount * rate)

    # --- Per line ---

    @api.model
    def _get_attributions(self, ctx, move, aml, customer):
        """{attribution: partner id} found on an invoice line (see readme:
        precedence is resale, deal, referral)."""
        found = {}
        if customer.prm_is_partner:
            found["resale"] = customer.id
        deal = ctx.order_partners.get(aml.id) or move.prm_partner_id.id
        if deal and deal != customer.id:
            found["deal"] = deal
        if customer.prm_referrer_id and customer.prm_referrer_id != customer:
            found["referral"] = customer.prm_referrer_id.id
        return found

    @api.model
    def _rule_matches(self, ctx, rule, move, aml, customer, product):
        terms = self._rule_terms(ctx, rule)
        day = move.invoice_date
        if not ctx.remember(
            ("valid", terms["program_id"], day),
            lambda: terms["program"]._is_valid_on(day),
        ):
            return False
        products = ctx.rules.products[rule.id]
        if products and aml.product_id.id not in products:
            return False
        categs = ctx.rules.categs.get(rule.id)
        if categs is not None and (not product or product.categ_id.id not in categs):
            return False
        countries = ctx.rules.countries[rule.id]
        if countries and customer.country_id.id not in countries:
            return False
        launch = ctx.rules.launches.get(rule.id)
        if launch:
            products, date_start, date_end = launch
            day = move.invoice_date
            if (
                aml.product_id.id not in products
                or day < date_start
                or (date_end and day > date_end)
            ):
                return False
        return True

    @api.model
    def _prepare_line_base(self, ctx, rule, move, aml, product, currency, day):
        """Value of ``rule.base`` for one invoice line, signed (refunds are
        negative), in ``currency`` at the rate of ``day`` for monetary bases;
        ``None`` when it cannot be known (margin of a product without cost).
        ``ctx`` is the plan's ``MoveContext``. Override to add a base."""
        sign = -1.0 if move.move_type == "out_refund" else 1.0
        company = move.company_id
        if rule.base == "revenue":
            return self._convert(
                ctx, sign * aml.price_subtotal, move.currency_id, currency, company, day
            )
        quantity = aml.quantity
        if product and aml.product_uom_id and aml.product_uom_id != product.uom_id:
            quantity = aml.product_uom_id._compute_quantity(
                quantity, product.uom_id, round=False
            )
        if rule.base == "quantity":
            return sign * quantity
        if rule.base == "margin":
            if not product or not product.standard_price:
                return None
            revenue = self._convert(
                ctx, sign * aml.price_subtotal, move.currency_id, currency, company, day
            )
            cost = self._convert(
                ctx,
                sign * quantity * product.standard_price,
                company.currency_id,
                currency,
                company,
                day,
            )
            return currency.round(revenue - cost)
        return None

    @api.model
    def _paid_ratio(self, move, program):
        if program.basis != "paid":
            return 1.0
        currency = move.currency_id
        if currency.is_zero(move.amount_total):
            return 1.0
        ratio = (move.amount_total - move.amount_residual) / move.amount_total
        return min(max(ratio, 0.0), 1.0)

    @api.model
    def _line_candidates(self, ctx, move, aml, by_key):
        """{key: target values} of the accruals an invoice line should carry."""
        result = {}
        customer = move.commercial_partner_id
        product = ctx.products.get((move.company_id.id, aml.product_id.id))
        found = self._get_attributions(ctx, move, aml, customer)
        for rule in ctx.rules.by_company.get(move.company_id.id, ()):
            if not self._rule_matches(ctx, rule, move, aml, customer, product):
                continue
            terms = self._rule_terms(ctx, rule)
            eligible = ctx.eligible[terms["program_id"]]
            payees = [
                (code, found[code])
                for code in terms["attributions"]
                if code in found and found[code] in eligible
            ]
            if terms["first"]:
                payees = payees[:1]
            for code, partner_id in payees:
                key = (rule.id, aml.id, partner_id)
                locked = self._locked_reference(by_key.get(key))
                multiplier = ctx.rules.multipliers.get(
                    (rule.id, self._partner_tier(ctx, partner_id)), 1.0
                )
                values = {
                    "attribution": code,
                    "rate": terms["line_rate"],
                    "multiplier": multiplier,
                    "origin_line_id": False,
                }
                if locked:
                    # Settled accruals keep the terms they were computed with;
                    # open ones follow the current rule and tier.
                    values.update(self._frozen_terms(locked))
                target = self._prepare_target(ctx, rule, move, aml, product, values)
                if target is not None:
                    result[key] = target
        # Accruals already computed for this line that the current rules no
        # longer produce keep their terms while settled, or while their rule or
        # program is archived, as long as their attribution still holds.
        for key in ctx.keys_by_aml.get(aml.id, ()):
            if key in result:
                continue
            lines = by_key[key]
            reference = self._locked_reference(lines)
            rule = lines[:1].rule_id
            if not reference and not (rule.active and rule.program_id.active):
                reference = lines[:1]
            if reference and found.get(reference.attribution) == key[2]:
                values = self._frozen_terms(reference)
                target = self._prepare_target(ctx, rule, move, aml, product, values)
                if target is not None:
                    result[key] = target
        return result

    @api.model
    def _rule_terms(self, ctx, rule):
        """What the per-line loop reads of ``rule`` and its program, read once
        per plan (``_prepare_rule_terms``, a hook: add keys there)."""
        return ctx.remember(("rule", rule.id), lambda: self._prepare_rule_terms(rule))

    @api.model
    def _prepare_rule_terms(self, rule):
        program = rule.program_id
        return {
            "program": program,
            "program_id": program.id,
            "currency": program.currency_id,
            "attributions": tuple(rule._get_attributions()),
            "first": rule.attribution_mode == "first",
            "line_rate": rule._line_rate(),
            "base": rule.base,
        }

    @api.model
    def _partner_tier(self, ctx, partner_id):
        return ctx.remember(
            ("tier", partner_id),
            lambda: self.env["res.partner"].browse(partner_id).prm_tier_id.id,
        )

    @api.model
    def _memo_rate_factor(self, ctx, rule, rate):
        return ctx.remember(("factor", rule.id, rate), lambda: rule._rate_factor(rate))

    @api.model
    def _locked_reference(self, lines):
        """The settled accrual whose terms a key keeps, if any."""
        if not lines:
            return None
        locked = lines.filtered("settlement_id")
        return locked[:1] or None

    @api.model
    def _frozen_terms(self, line):
        return {
            "attribution": line.attribution,
            "rate": line.rate,
            "multiplier": line.multiplier,
            "origin_line_id": line.origin_line_id.id,
        }

    @api.model
    def _prepare_target(self, ctx, rule, move, aml, product, values, rate_date=None):
        """Target values of one accrual key: base (rounded in the program
        currency), amount (at full precision: settlements round) and what
        produced them. ``None``: nothing due."""
        terms = self._rule_terms(ctx, rule)
        program, currency = terms["program"], terms["currency"]
        day = move.invoice_date
        base = self._prepare_line_base(
            ctx, rule, move, aml, product, currency, rate_date or day
        )
        if base is None:
            return None
        ratio = self._paid_ratio(move, program)
        earned_base = base * ratio
        if terms["base"] == "quantity":
            earned_base = round(earned_base, BASE_DIGITS)
        else:
            earned_base = currency.round(earned_base)
        amount = float_round(
            base
            * self._memo_rate_factor(ctx, rule, values["rate"])
            * values["multiplier"]
            * ratio,
            precision_digits=AMOUNT_DIGITS,
        )
        return {
            **values,
            "base": earned_base,
            "amount": amount,
            "paid_ratio": ratio,
            "program_id": terms["program_id"],
            "rule_id": rule.id,
            "move_id": move.id,
            "move_line_id": aml.id,
            "customer_id": move.commercial_partner_id.id,
            "product_id": aml.product_id.id,
            "date": day,
        }

    # --- Refunds ---

    @api.model
    def _match_refund_lines(self, move, amls_by_move, origin_accruals):
        """{refund line id: original invoice line} for a credit note reversing an
        invoice that earned: lines are paired by product, in order."""
        origin = move.reversed_entry_id
        if move.move_type != "out_refund" or not origin:
            return {}
        pool = defaultdict(list)
        for aml in amls_by_move.get(origin.id, ()):
            if aml.id in origin_accruals:
                pool[aml.product_id.id].append(aml)
        matches = {}
        for aml in amls_by_move.get(move.id, ()):
            if pool.get(aml.product_id.id):
                matches[aml.id] = pool[aml.product_id.id].pop(0)
        return matches

    @api.model
    def _mirror_candidates(self, ctx, move, aml, origin_aml, by_key):
        """A credit note reversing an invoice claws back from the partners the
        invoice paid, on the invoice's terms and at the invoice date's rate,
        whatever the partner's eligibility today."""
        result = {}
        product = ctx.products.get((move.company_id.id, aml.product_id.id))
        rate_date = move.reversed_entry_id.invoice_date
        for original in ctx.origin_accruals.get(origin_aml.id, ()):
            key = (original.rule_id.id, aml.id, original.partner_id.id)
            if key in result:
                continue
            values = self._frozen_terms(original)
            values["origin_line_id"] = original.id
            target = self._prepare_target(
                ctx, original.rule_id, move, aml, product, values, rate_date=rate_date
            )
            if target is not None:
                result[key] = target
        return result

    @api.model
    def _plan_batch_accruals(
        self, kind, batches, rules, line_fields, prepare, targets_of
    ):
        """Plan the accruals of ``kind`` earned on batch documents (sell-out
        reports, activation code batches), kept per rule, batch, partner and
        program period: the existing ones are read in one query, ``prepare``
        (batches, rules) builds the source's context and ``targets_of`` (ctx,
        existing by key) its ``{key: target values}``."""
        plan = IncentivePlan()
        batch_field = self._batch_sources()[kind][0]
        Line = self.env["prm.incentive.line"]
        by_key = defaultdict(lambda: Line)
        for line in Line.search_fetch(
            [
                (batch_field, "in", batches.ids),
                ("kind", "=", kind),
                ("rule_id", "in", rules.ids),
            ],
            line_fields,
            order="revision, id",
        ):
            key = (
                line.rule_id.id,
                line[batch_field].id,
                line.partner_id.id,
                line.period_start,
            )
            by_key[key] |= line
        ctx = prepare(batches, rules)
        targets = targets_of(ctx, by_key)
        for key in by_key:
            targets.setdefault(key, None)
        for key, target in targets.items():
            self._plan_key(plan, ctx, key, target, by_key.get(key))
        return plan

    # --- Diff ---

    @api.model
    def _plan_key(self, plan, ctx, key, target, lines):
        """Plan what makes the accruals of one key add up to ``target``
        (``ctx``: the plan's ``AccrualContext``, whatever the source)."""
        if not lines:
            # A new key (most of a first run): nothing to compare or withdraw.
            if target:
                self._plan_new_key(plan, ctx, key, target)
            return
        Line = self.env["prm.incentive.line"]
        locked = lines.filtered("settlement_id")
        open_lines = lines - locked
        target_base = target["base"] if target else 0.0
        target_amount = target["amount"] if target else 0.0
        locked_base = sum(locked.mapped("base"))
        locked_amount = sum(locked.mapped("amount"))
        rule = ctx.rules.records.browse(key[0])
        need_amount = float_round(
            target_amount - locked_amount, precision_digits=AMOUNT_DIGITS
        )
        need_base = round(target_base - locked_base, BASE_DIGITS)
        nothing = float_is_zero(
            need_amount, precision_digits=AMOUNT_DIGITS
        ) and float_is_zero(need_base, precision_digits=BASE_DIGITS)
        keep = open_lines[-1:] if not nothing else Line
        for line in open_lines - keep:
            plan.deletes.append(line.id)
        delta_key = (rule.program_id.id, rule.id, key[2])
        for line in open_lines - keep:
            plan.add_delta((*delta_key, line.period_start), -line.base, -line.amount)
        if nothing:
            return
        values = dict(target or {}, base=need_base, amount=need_amount)
        if not target:
            values.update(self._prepare_withdrawn_values(lines[:1]))
        values["partner_id"] = key[2]
        period_start = rule.program_id._get_period(values["date"])[0]
        if keep:
            changes = {
                fname: value
                for fname, value in values.items()
                if self._differs(keep, fname, value)
            }
            if changes:
                plan.updates[keep.id] = changes
                plan.add_delta(
                    (*delta_key, period_start),
                    need_base - keep.base,
                    need_amount - keep.amount,
                )
            return
        values.setdefault("kind", "line")
        values["revision"] = max(lines.mapped("revision"), default=-1) + 1
        plan.creates.append(values)
        plan.add_delta((*delta_key, period_start), need_base, need_amount)

    @api.model
    def _plan_new_key(self, plan, ctx, key, target):
        """``_plan_key`` for a key without accruals yet: one accrual of the
        target, if it is not nothing."""
        amount = float_round(target["amount"], precision_digits=AMOUNT_DIGITS)
        base = round(target["base"], BASE_DIGITS)
        if float_is_zero(amount, precision_digits=AMOUNT_DIGITS) and float_is_zero(
            base, precision_digits=BASE_DIGITS
        ):
            return
        program_id = target["program_id"]
        day = target["date"]
        period = ctx.remember(
            ("period", program_id, day),
            lambda: (
                self.env["prm.incentive.program"].browse(program_id)._get_period(day)[0]
            ),
        )
        values = dict(target, base=base, amount=amount, partner_id=key[2])
        values.setdefault("kind", "line")
        values["revision"] = 0
        plan.creates.append(values)
        plan.add_delta((program_id, key[0], key[2], period), base, amount)

    @api.model
    def _prepare_withdrawn_values(self, reference):
        """Values of the accrual withdrawing what ``reference``'s key earned (its
        source no longer earns): same source and terms, nothing paid."""
        values = {
            "kind": reference.kind,
            "program_id": reference.program_id.id,
            "rule_id": reference.rule_id.id,
            "move_id": reference.move_id.id,
            "move_line_id": reference.move_line_id.id,
            "customer_id": reference.customer_id.id,
            "product_id": reference.product_id.id,
            "date": reference.date,
            "attribution": reference.attribution,
            "rate": reference.rate,
            "multiplier": reference.multiplier,
            "paid_ratio": 0.0,
            "origin_line_id": reference.origin_line_id.id,
        }
        source = self._batch_sources().get(reference.kind)
        if source:
            # Same batch; the withdrawal points at the accrual it withdraws.
            values.update(
                {
                    source[0]: reference[source[0]].id,
                    "name": reference.name,
                    "origin_line_id": reference.id,
                }
            )
        return values

    @api.model
    def _batch_sources(self):
        """``{kind: (batch field, rule bases)}`` of the accrual sources other
        than invoice lines that earn per batch document (sell-out reports,
        activation code batches): rules on those bases never earn on invoice
        lines (hook: a source module adds its kind)."""
        return {}

    @api.model
    def _base_kinds(self):
        """Accrual kinds carrying a base that period results are computed on."""
        return ("line", *self._batch_sources())

    @api.model
    def _differs(self, line, fname, value):
        current = line[fname]
        if isinstance(current, models.BaseModel):
            return current.id != (value or False)
        if isinstance(current, float):
            return not float_is_zero(current - (value or 0.0), precision_digits=6)
        return current != value

    # --- Period results ---

    @api.model
    def _build_period_plan(self, program, date_to, pending=None):
        """Plan the period results (brackets, rebates, bonuses, caps and
        accelerators) of ``program`` for every period up to the one ending on
        ``date_to`` that has open invoice-line accruals.

        ``pending`` is an unapplied invoice-line plan whose deltas are counted as
        if written (previews).
        """
        plan = IncentivePlan()
        rules = program.rule_ids.filtered(lambda r: r.active and r._is_period_rule())
        if not rules:
            return plan
        Line = self.env["prm.incentive.line"]
        last_start = program._get_period(date_to)[0]
        keys = {
            (rule.id, partner.id, period_start)
            for rule, partner, period_start in Line._read_group(
                [
                    ("rule_id", "in", rules.ids),
                    ("kind", "in", self._base_kinds()),
                    ("settlement_id", "=", False),
                    ("period_start", "<=", last_start),
                ],
                ["rule_id", "partner_id", "period_start:day"],
            )
        }
        pending_deltas = {}
        if pending:
            for (
                program_id,
                rule_id,
                partner_id,
                start,
            ), delta in pending.deltas.items():
                if (
                    program_id == program.id
                    and rule_id in rules.ids
                    and start <= last_start
                ):
                    pending_deltas[rule_id, partner_id, start] = delta
                    keys.add((rule_id, partner_id, start))
        if not keys:
            return plan
        partner_ids = {key[1] for key in keys}
        starts = {key[2] for key in keys}
        totals = {
            (rule.id, partner.id, start): (base, amount)
            for rule, partner, start, base, amount in Line._read_group(
                [
                    ("rule_id", "in", rules.ids),
                    ("kind", "in", self._base_kinds()),
                    ("partner_id", "in", list(partner_ids)),
                    ("period_start", "in", list(starts)),
                ],
                ["rule_id", "partner_id", "period_start:day"],
                ["base:sum", "amount:sum"],
            )
        }
        results = defaultdict(lambda: Line)
        for line in Line.search_fetch(
            [
                ("rule_id", "in", rules.ids),
                ("kind", "=", "period"),
                ("partner_id", "in", list(partner_ids)),
                ("period_start", "in", list(starts)),
            ],
            [
                "rule_id",
                "partner_id",
                "period_start",
                "currency_id",
                "amount",
                "revision",
                "multiplier",
                "settlement_id",
            ],
            order="revision, id",
        ):
            results[line.rule_id.id, line.partner_id.id, line.period_start] |= line
        partners = self.env["res.partner"].search_fetch(
            [("id", "in", list(partner_ids))], ["prm_tier_id"]
        )
        tiers = {partner.id: partner.prm_tier_id for partner in partners}
        for key in sorted(keys, key=lambda k: (k[2], k[0], k[1])):
            rule = rules.browse(key[0])
            base, amount = totals.get(key, (0.0, 0.0))
            delta = pending_deltas.get(key)
            if delta:
                base += delta[0]
                amount += delta[1]
            existing = results.get(key, Line)
            locked = existing.filtered("settlement_id")
            multiplier = (
                locked[:1].multiplier
                if locked
                else rule._get_tier_multiplier(tiers.get(key[1]))
            )
            target = rule._get_period_target(base, amount, multiplier)
            need = float_round(
                target - amount - sum(locked.mapped("amount")),
                precision_digits=AMOUNT_DIGITS,
            )
            open_lines = existing - locked
            keep = open_lines[-1:]
            for line in open_lines - keep:
                plan.deletes.append(line.id)
            if float_is_zero(need, precision_digits=AMOUNT_DIGITS):
                if keep:
                    plan.deletes.append(keep.id)
                    plan.add_delta(
                        (program.id, rule.id, key[1], key[2]), 0.0, -keep.amount
                    )
                continue
            values = self._prepare_period_values(
                program, rule, key, base, need, multiplier
            )
            if keep:
                plan.updates[keep.id] = {
                    "amount": need,
                    "period_base": base,
                    "name": values["name"],
                    "multiplier": multiplier,
                }
            else:
                values["revision"] = max(existing.mapped("revision"), default=-1) + 1
                plan.creates.append(values)
            plan.add_delta(
                (program.id, rule.id, key[1], key[2]),
                0.0,
                need - (keep.amount if keep else 0.0),
            )
        return plan

    @api.model
    def _prepare_period_values(self, program, rule, key, base, amount, multiplier):
        period_start = key[2]
        period_end = program._get_period(period_start)[1]
        return {
            "kind": "period",
            "program_id": program.id,
            "rule_id": rule.id,
            "partner_id": key[1],
            "date": period_end,
            "amount": amount,
            "period_base": base,
            "multiplier": multiplier,
            # Also the label of the bill line paying it: formatted, not raw
            # floats ("base 12500.0").
            "name": self.env._(
                "%(rule)s: period %(start)s to %(end)s, base %(base)s, %(how)s",
                rule=rule.name,
                start=format_date(self.env, period_start),
                end=format_date(self.env, period_end),
                base=rule._format_base(base),
                how=rule._describe_period_rate(base),
            ),
        }

    # --- Writing ---

    @api.model
    def _apply_plan(self, plan):
        """Write a plan: one unlink, batched updates, one create of a list."""
        Line = self.env["prm.incentive.line"]
        if plan.deletes:
            Line.browse(plan.deletes).unlink()
        for line_id, values in plan.updates.items():
            Line.browse(line_id).write(values)
        if len(plan.creates) >= SQL_INSERT_THRESHOLD:
            created = self._insert_lines(plan.creates)
        else:
            created = Line.create(plan.creates) if plan.creates else Line
        for programs, starts, moment in plan.marks:
            self.env["prm.incentive.sync"]._mark(programs, starts, moment)
        return created

    @api.model
    def _column_converter(self, Line, fname):
        """``f(value, row)``: the column value ``create`` writes for ``fname``;
        plain conversions for the types whose ORM conversion is one (the engine
        gives valid ids, selections and dates), the field's own otherwise."""
        field = Line._fields[fname]
        if field.type in ("many2one", "selection"):
            return lambda value, _row: value or None
        if field.type == "boolean":
            return lambda value, _row: bool(value)
        if field.type == "integer":
            return lambda value, _row: int(value or 0)
        if field.type == "date":
            return lambda value, _row: fields.Date.to_date(value) or None
        if field.type == "float":
            # The ORM's rounding without its string formatting (float_repr),
            # which was a third of this method's time: same numeric stored.
            digits = field.get_digits(self.env)
            if not digits:
                return lambda value, _row: float(value or 0.0)
            scale = digits[1]
            return lambda value, _row: float_round(
                float(value or 0.0), precision_digits=scale
            )
        return lambda value, row: field.convert_to_column_insert(value, Line, row)

    @api.model
    def _insert_lines(self, vals_list):
        """Create accruals ``vals_list`` in one INSERT, writing the rows the
        ORM's ``create`` would (defaults, related company and currency, period
        start, clawback flag, log fields), then invalidate the cache.

        Raw SQL because it is measured to be the difference: the ORM creates
        100,000 accruals in about 80 s (per-record company checks, computed
        and related fields, 100-row INSERTs), this statement in under 2 s
        (tests/benchmarks/bench_incentives.py). Only the engine calls it, as
        superuser; ``test_insert_lines_matches_the_orm`` compares both paths.
        """
        Line = self.env["prm.incentive.line"]
        if not vals_list:
            return Line
        assert self.env.su, "accruals are inserted by the engine only"
        self.env.flush_all()
        columns = [
            name
            for name, field in Line._fields.items()
            if field.store and field.column_type and name not in ("id", *LOG_COLUMNS)
        ]
        defaults = Line.default_get(columns)
        programs = {
            program.id: program
            for program in self.env["prm.incentive.program"]
            .with_context(active_test=False)
            .browse({vals["program_id"] for vals in vals_list})
        }
        periods = {}
        rows = {name: [] for name in columns}
        convert = {name: self._column_converter(Line, name) for name in columns}
        for vals in vals_list:
            row = {**defaults, **vals}
            program = programs[row["program_id"]]
            row["company_id"] = program.company_id.id
            row["currency_id"] = program.currency_id.id
            day = fields.Date.to_date(row["date"])
            row["date"] = day
            if (program.id, day) not in periods:
                periods[program.id, day] = program._get_period(day)[0]
            row["period_start"] = periods[program.id, day]
            row["is_clawback"] = Line._is_clawback_values(row)
            for name in columns:
                # Like the ORM: a column neither given nor defaulted is NULL.
                rows[name].append(
                    convert[name](row[name], row) if name in row else None
                )
        now = self.env.cr.now()
        query = SQL(
            """
            INSERT INTO prm_incentive_line (%(columns)s, %(log)s)
            SELECT *, %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM unnest(%(arrays)s)
         RETURNING id
            """,
            columns=SQL(", ").join(SQL.identifier(name) for name in columns),
            log=SQL(", ").join(SQL.identifier(name) for name in LOG_COLUMNS),
            uid=self.env.uid,
            now=now,
            arrays=SQL(", ").join(
                SQL(
                    "%s::%s[]",
                    pg_array(rows[name]),
                    SQL(Line._fields[name].column_type[1]),
                )
                for name in columns
            ),
        )
        ids = [row[0] for row in self.env.execute_query(query)]
        # Inverse one2many fields (programs, invoices) and read caches.
        self.env.invalidate_all()
        return Line.browse(ids)
