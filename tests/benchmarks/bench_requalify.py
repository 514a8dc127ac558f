#!/usr/bin/env python3
"""Benchmark: the daily tier requalification job on N program partners.

Usage:
    python3 tests/benchmarks/bench_requalify.py --database DB [--partners N]

``DB`` is an existing database with prm_sale_crm installed (revenue and
won-opportunity metrics; any data). In one
transaction, rolled back at the end (the database is left unchanged), the
script creates a company with a chart of accounts and four tiers, then for a
baseline of 100 partners and for N partners (default 10,000):

* creates the program partners (batched ORM create) and their posted customer
  invoices and won opportunities: a few real invoices are posted through the
  ORM, then cloned with set-based SQL (moves and lines) for every partner;
* runs ``res.partner._cron_prm_requalify()`` and prints partners, seconds,
  SQL queries, queries per partner and what changed;
* runs it a second time (it must change nothing).

Requalification writes through the ORM (one ``write`` per change group, the
history in one ``create``, the chatter notes with ``_message_log_batch``, the
warning activities in one ``create``); the ORM sends 100 rows per INSERT or
UPDATE. It asserts that the reads (SELECT) are within 10 queries of each other
for N partners and for 100, that the writes stay within the ORM's batches
(one statement per 100 rows changed, per table), and that the second run
writes nothing.
"""

import math
import sys
import time
from collections import Counter
from datetime import timedelta
from unittest.mock import patch

import benchlib

BASELINE = 100

# Partner profiles, by index modulo 20: (share name, current tier, resale
# amount, sell-through amounts, won opportunities, pending downgrade).
PROFILES = (
    [("upgrade to Silver", "registered", 12000, (), 0, None)] * 6
    + [("upgrade to Gold", "silver", 40000, (10000, 10000), 0, None)] * 2
    + [("grace starts", "gold", 15000, (), 0, None)] * 2
    + [("downgrade after grace", "silver", 2000, (), 0, "past")]
    + [("pending downgrade cancelled", "silver", 12000, (), 0, "future")]
    + [("upgrade to Platinum", "gold", 160000, (5000,) * 4, 2, None)]
    + [("unchanged", "silver", 12000, (), 0, None)] * 7
)


def parse_args():
    parser = benchlib.arg_parser(
        __doc__, 10000, "-n", "--partners", "--size", dest="partners"
    )
    return parser.parse_args()


class Bench:
    def __init__(self, env):
        from odoo import fields

        self.env = env
        self.today = fields.Date.context_today(env["res.partner"])

    # --- Fixture shared by both sizes ---

    def setup(self):
        from odoo import Command

        env = self.env
        company = env["res.company"].create({"name": "PRM Benchmark"})
        env["account.chart.template"].try_loading("generic_coa", company)
        self.env = env = env(
            context={**env.context, "allowed_company_ids": company.ids}
        )
        self.company = company
        env.user.company_ids |= company
        Tier = env["prm.tier"]

        def rule(metric, threshold):
            return Command.create(
                {"metric": metric, "threshold": threshold, "lookback_months": 12}
            )

        self.tiers = {
            "registered": Tier.create({"name": "B-Registered", "sequence": 9010}),
            "silver": Tier.create(
                {
                    "name": "B-Silver",
                    "sequence": 9020,
                    "rule_ids": [rule("invoiced_revenue", 10000)],
                }
            ),
            "gold": Tier.create(
                {
                    "name": "B-Gold",
                    "sequence": 9030,
                    "rule_ids": [
                        rule("invoiced_revenue", 50000),
                        rule("active_customers", 2),
                    ],
                }
            ),
            "platinum": Tier.create(
                {
                    "name": "B-Platinum",
                    "sequence": 9040,
                    "rule_ids": [
                        rule("invoiced_revenue", 150000),
                        rule("active_customers", 4),
                        rule("won_opportunities", 2),
                    ],
                }
            ),
        }
        Partner = env["res.partner"].with_context(tracking_disable=True)
        self.manager = env["res.users"].create(
            {
                "name": "Bench Channel Manager",
                "login": "prm_bench_manager",
                "company_id": company.id,
                "company_ids": [(6, 0, company.ids)],
                "group_ids": [(4, env.ref("prm_partner.group_prm_user").id)],
            }
        )
        self.customers = Partner.create(
            [
                {"name": f"Bench end customer {i}", "company_id": company.id}
                for i in range(4)
            ]
        )
        # Templates: one posted invoice per amount, cloned for every partner.
        template_partner = Partner.create(
            {
                "name": "Bench template partner",
                "is_company": True,
                "prm_is_partner": True,
                "company_id": company.id,
            }
        )
        self.templates = {}
        amounts = {profile[2] for profile in PROFILES}
        vals = {("resale", amount): (template_partner, False) for amount in amounts}
        for profile in PROFILES:
            for index, amount in enumerate(profile[3]):
                vals[("sell", index, amount)] = (
                    self.customers[index],
                    template_partner,
                )
        moves = env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": customer.id,
                    "prm_partner_id": channel.id if channel else False,
                    "invoice_date": self.today - timedelta(days=30),
                    "invoice_line_ids": [
                        (
                            0,
                            0,
                            {"name": "Bench", "price_unit": key[-1], "tax_ids": [(5,)]},
                        )
                    ],
                }
                for key, (customer, channel) in vals.items()
            ]
        )
        moves.action_post()
        self.templates = dict(zip(vals, moves.ids, strict=True))
        won_stage = env["crm.stage"].search([("is_won", "=", True)], limit=1)
        self.lead_template = (
            env["crm.lead"]
            .create(
                {
                    "name": "Bench won deal",
                    "type": "opportunity",
                    "partner_id": self.customers[0].id,
                    "prm_partner_id": template_partner.id,
                    "stage_id": won_stage.id,
                    "company_id": company.id,
                }
            )
            .id
        )
        env.flush_all()

    # --- One population ---

    def populate(self, size, tag):
        env = self.env
        tiers = self.tiers
        pending_dates = {
            "past": self.today - timedelta(days=1),
            "future": self.today + timedelta(days=20),
        }
        vals_list = []
        for index in range(size):
            _label, tier, _resale, _sell, _won, pending = PROFILES[
                index % len(PROFILES)
            ]
            vals_list.append(
                {
                    "name": f"{tag} partner {index}",
                    "is_company": True,
                    "prm_is_partner": True,
                    "prm_state": "active",
                    "prm_tier_id": tiers[tier].id,
                    "prm_manager_id": self.manager.id,
                    "company_id": self.company.id,
                    "prm_downgrade_tier_id": tiers["registered"].id
                    if pending
                    else False,
                    "prm_downgrade_date": pending_dates.get(pending, False),
                }
            )
        Partner = env["res.partner"].with_context(
            tracking_disable=True, mail_create_nolog=True, mail_notrack=True
        )
        partners = Partner.browse()
        for start in range(0, size, 1000):
            partners |= Partner.create(vals_list[start : start + 1000])
        env.flush_all()
        by_template = {}
        leads = []
        for index, partner_id in enumerate(partners.ids):
            _label, _tier, resale, sell, won, _pending = PROFILES[index % len(PROFILES)]
            by_template.setdefault(self.templates[("resale", resale)], []).append(
                ("resale", partner_id)
            )
            for customer_index, amount in enumerate(sell):
                key = self.templates[("sell", customer_index, amount)]
                by_template.setdefault(key, []).append(("sell", partner_id))
            leads += [partner_id] * won
        moves = 0
        for template_id, targets in by_template.items():
            moves += self._clone_move(template_id, targets, tag)
        self._clone_lead(leads)
        env.invalidate_all()
        return partners, moves, len(leads)

    def _clone_move(self, template_id, targets, tag):
        """Copies of a posted invoice for other partners: moves, then lines."""
        from odoo.tools import SQL

        cr = self.env.cr
        kind = targets[0][0]
        partner_ids = [partner_id for _kind, partner_id in targets]
        overrides = {
            "name": SQL("m.name || %s || t.n", f"-{tag}-"),
            "prm_partner_id" if kind == "sell" else "partner_id": SQL("t.partner_id"),
        }
        if kind == "resale":
            overrides["commercial_partner_id"] = SQL("t.partner_id")
        move_cols = benchlib.table_columns(self.env.cr, "account_move")
        cr.execute(
            SQL(
                """
                INSERT INTO account_move (%(cols)s)
                SELECT %(values)s
                  FROM account_move m,
                       unnest(%(ids)s::int[]) WITH ORDINALITY AS t(partner_id, n)
                 WHERE m.id = %(template)s
                RETURNING id, %(target)s
                """,
                cols=SQL(", ").join(SQL.identifier(c) for c in move_cols),
                values=SQL(", ").join(
                    overrides.get(c, SQL("m.%s", SQL.identifier(c))) for c in move_cols
                ),
                ids=partner_ids,
                template=template_id,
                target=SQL.identifier(
                    "prm_partner_id" if kind == "sell" else "partner_id"
                ),
            )
        )
        new_moves = cr.fetchall()
        line_cols = benchlib.table_columns(self.env.cr, "account_move_line")
        line_overrides = {"move_id": SQL("nm.move_id")}
        if kind == "resale":
            line_overrides["partner_id"] = SQL("nm.partner_id")
        cr.execute(
            SQL(
                """
                INSERT INTO account_move_line (%(cols)s)
                SELECT %(values)s
                  FROM account_move_line l,
                       unnest(%(move_ids)s::int[], %(partner_ids)s::int[])
                           AS nm(move_id, partner_id)
                 WHERE l.move_id = %(template)s
                """,
                cols=SQL(", ").join(SQL.identifier(c) for c in line_cols),
                values=SQL(", ").join(
                    line_overrides.get(c, SQL("l.%s", SQL.identifier(c)))
                    for c in line_cols
                ),
                move_ids=[move_id for move_id, _partner in new_moves],
                partner_ids=[partner for _move, partner in new_moves],
                template=template_id,
            )
        )
        return len(new_moves)

    def _clone_lead(self, partner_ids):
        from odoo.tools import SQL

        cols = benchlib.table_columns(self.env.cr, "crm_lead")
        overrides = {
            "prm_partner_id": SQL("t.partner_id"),
            "date_closed": SQL("%s", self.today - timedelta(days=10)),
        }
        self.env.cr.execute(
            SQL(
                "INSERT INTO crm_lead (%s) SELECT %s FROM crm_lead l, "
                "unnest(%s::int[]) AS t(partner_id) WHERE l.id = %s",
                SQL(", ").join(SQL.identifier(c) for c in cols),
                SQL(", ").join(
                    overrides.get(c, SQL("l.%s", SQL.identifier(c))) for c in cols
                ),
                partner_ids,
                self.lead_template,
            )
        )

    # --- Measure ---

    def requalify(self, counter):
        """Run the job; return (summary, seconds, counts, activity counts)."""
        env = self.env
        Engine = type(env["prm.tier.requalification"])
        schedule = Engine._prm_schedule_warnings
        activity_counts = Counter()

        def counted_schedule(engine, change):
            before = Counter(counter.counts)
            result = schedule(engine, change)
            activity_counts.update(Counter(counter.counts) - before)
            return result

        env.flush_all()
        env.invalidate_all()
        with (
            patch.object(Engine, "_prm_schedule_warnings", counted_schedule),
            counter.measure() as counts,
        ):
            start = time.perf_counter()
            summary = env["res.partner"]._cron_prm_requalify()
            env.flush_all()
            seconds = time.perf_counter() - start
            counts = Counter(counts)
        return summary, seconds, counts, activity_counts


def main():
    args = parse_args()
    sizes = [BASELINE, args.partners] if args.partners != BASELINE else [BASELINE]
    rows = []
    with benchlib.rolled_back_env(args, "prm_sale_crm") as env:
        cr = env.cr
        bench = Bench(env)
        started = time.perf_counter()
        bench.setup()
        print(
            f"fixture (company, chart, tiers, templates): {time.perf_counter() - started:.1f}s"
        )
        counter = benchlib.QueryCounter(cr)
        # Warm-up (ORM caches: xmlids, defaults, selections), not reported.
        cr.execute("SAVEPOINT bench_size")
        bench.populate(len(PROFILES), "Warm-up")
        bench.requalify(counter)
        bench.env.invalidate_all()
        cr.execute("ROLLBACK TO SAVEPOINT bench_size")
        for size in sizes:
            cr.execute("SAVEPOINT bench_size")
            started = time.perf_counter()
            _partners, moves, leads = bench.populate(size, f"B{size}")
            print(
                f"{size} partners: {moves} posted invoices, {leads} won deals "
                f"created in {time.perf_counter() - started:.1f}s"
            )
            total = bench.env["res.partner"].search_count(
                bench.env["res.partner"]._prm_requalify_domain()
            )
            summary, seconds, counts, activity = bench.requalify(counter)
            second, seconds_2, counts_2, _activity_2 = bench.requalify(counter)
            rows.append(
                (
                    size,
                    total,
                    summary,
                    seconds,
                    counts,
                    activity,
                    seconds_2,
                    counts_2,
                )
            )
            bench.env.invalidate_all()
            cr.execute("ROLLBACK TO SAVEPOINT bench_size")

    print()
    header = (
        f"{'partners':>9} {'seconds':>8} {'queries':>8} {'q/partner':>9} "
        f"{'reads':>6} {'writes':>6} {'activity q':>10} {'2nd run q':>9} {'2nd run s':>9}"
    )
    print(header)
    for _size, total, summary, seconds, counts, activity, seconds_2, counts_2 in rows:
        queries = sum(counts.values())
        print(
            f"{total:>9} {seconds:>8.2f} {queries:>8} {queries / total:>9.4f} "
            f"{counts['SELECT']:>6} {benchlib.QueryCounter.writes(counts):>6} "
            f"{sum(activity.values()):>10} {sum(counts_2.values()):>9} "
            f"{seconds_2:>9.2f}"
        )
        changes = ", ".join(f"{k}: {v}" for k, v in sorted(summary.items()))
        print(f"{'':>9} changes: {changes}")
        benchlib.report("requalification job", total, seconds, queries)
        benchlib.report(
            "requalification job, second run (no change)",
            total,
            seconds_2,
            sum(counts_2.values()),
        )
    print(
        "queries = every SQL statement of the run; reads = SELECTs; writes = INSERT, "
        "UPDATE, DELETE (ORM, 100 rows a statement); activity q = the statements "
        "of the warning activities."
    )

    failures = []
    for size, _total, _summary, _s, _counts, _activity, _s2, counts_2 in rows:
        if benchlib.QueryCounter.writes(counts_2):
            failures.append(f"{size}: the second run wrote ({dict(counts_2)})")
    if len(rows) == 2:
        reads = [r[4]["SELECT"] for r in rows]
        if abs(reads[0] - reads[1]) > 10:
            failures.append(
                f"reads grow with partners: {reads[0]} for {rows[0][1]}, "
                f"{reads[1]} for {rows[1][1]}"
            )
        # Rows written per table: every changed partner (UPDATE) gets a note;
        # tier changes a history row; grace periods an activity.
        for size, total, summary, _s, counts, _activity, _s2, _c2 in rows:
            changed = total - summary["unchanged"]
            bound = 4 * (math.ceil(changed / 100) + len(summary)) + 60
            if benchlib.QueryCounter.writes(counts) > bound:
                failures.append(
                    f"{size}: {benchlib.QueryCounter.writes(counts)} writes for "
                    f"{changed} changed partners, more than the ORM's batches ({bound})"
                )
        second = [sum(r[7].values()) for r in rows]
        if abs(second[0] - second[1]) > 10:
            failures.append(f"second-run queries grow with partners: {second}")
    return benchlib.exit_status(failures)


if __name__ == "__main__":
    sys.exit(main())
