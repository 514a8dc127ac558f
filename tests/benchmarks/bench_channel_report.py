#!/usr/bin/env python3
"""Benchmark: channel analytics (prm.channel.report) on a large channel history.

Usage:
    python3 tests/benchmarks/bench_channel_report.py --database DB [--size N]

``DB`` is an existing database with prm_sale_crm installed (any data). In one
transaction, rolled back at the end (the database is left unchanged), the
script creates a company, N/50 program partners and, spread over 36 months,
N routed-lead offers (N leads), N/4 deal registrations, N/4 won opportunities
and N posted customer invoices (half sell-through, half resale), cloned from a
few template rows with set-based SQL, then ANALYZEs the tables. Default N:
200,000.

It then times, as a channel manager, what the screens read:

* the pivot: last 12 months by partner, and by partner and month;
* one partner's 12 months (the analysis opened from Partner 360);
* the dashboard (``get_prm_channel_dashboard``) for the last 3 months;
* Partner 360's figures of 80 partners (one list page);

and prints the plan of the pivot query (EXPLAIN ANALYZE). It asserts that each
read is one query on the report and that the month
filter reaches every source of the query (it is applied in each source's scan).
"""

import sys
import time
from contextlib import contextmanager

import benchlib

MONTHS = 36


def parse_args():
    parser = benchlib.arg_parser(__doc__, 200000)
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs")
    return parser.parse_args()


class Bench:
    def __init__(self, env, size):
        self.env = env
        self.size = size

    def _clone(self, table, template_id, count, overrides, returning=""):
        """INSERT ``count`` copies of a row; ``overrides`` are SQL expressions
        of ``g`` (1..count) and of the template row ``t``."""
        from odoo.tools import SQL

        columns = benchlib.table_columns(self.env.cr, table)
        self.env.cr.execute(
            SQL(
                "INSERT INTO %(table)s (%(cols)s) SELECT %(values)s "
                "FROM %(table)s t, generate_series(1, %(count)s) g "
                "WHERE t.id = %(template)s %(returning)s",
                table=SQL.identifier(table),
                cols=SQL(", ").join(SQL.identifier(c) for c in columns),
                values=SQL(", ").join(
                    overrides.get(c, SQL("t.%s", SQL.identifier(c))) for c in columns
                ),
                count=count,
                template=template_id,
                returning=SQL(returning),
            )
        )

    def setup(self):
        from odoo import Command

        env = self.env
        company = env["res.company"].create({"name": "PRM Analytics Benchmark"})
        env["account.chart.template"].try_loading("generic_coa", company)
        self.env = env = env(
            context={**env.context, "allowed_company_ids": company.ids}
        )
        self.company = company
        env.user.company_ids |= company
        self.manager = env["res.users"].create(
            {
                "name": "Bench Channel Manager",
                "login": "prm_bench_analytics",
                "company_id": company.id,
                "company_ids": [Command.set(company.ids)],
                "group_ids": [Command.link(env.ref("prm_partner.group_prm_user").id)],
            }
        )
        Partner = env["res.partner"].with_context(tracking_disable=True)
        tiers = env["prm.tier"].create(
            [{"name": f"Bench tier {i}", "sequence": 9100 + i} for i in range(4)]
        )
        self.partners = Partner.create(
            [
                {
                    "name": f"Bench channel partner {i:05d}",
                    "is_company": True,
                    "prm_is_partner": True,
                    "prm_state": "active",
                    "prm_tier_id": tiers[i % 4].id,
                    "prm_manager_id": self.manager.id,
                    "company_id": company.id,
                }
                for i in range(max(self.size // 50, 10))
            ]
        )
        customer = Partner.create({"name": "Bench end customer"})
        lead = env["crm.lead"].create(
            {"name": "Bench lead", "type": "opportunity", "company_id": company.id}
        )
        move = env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_date": "2024-01-15",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Bench",
                            "price_unit": 1000,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        move.action_post()
        env.flush_all()
        self.populate(lead.id, move.id)

    def populate(self, lead_id, move_id):
        from odoo.tools import SQL

        cr = self.env.cr
        n = self.size
        partners = SQL("(%s::int[])", self.partners.ids)
        count = len(self.partners)
        # A pseudo-random day in the last 36 months, and partner, from g.
        day = SQL(
            "(now() at time zone 'UTC') - ((g * 7919) %% %s) * interval '1 day'",
            MONTHS * 30,
        )
        partner = SQL("%s[1 + (g * 31) %% %s]", partners, count)
        started = time.perf_counter()

        # Routed leads and their offers.
        self._clone("crm_lead", lead_id, n, {"type": SQL("'lead'")}, "RETURNING id")
        lead_ids = [row[0] for row in cr.fetchall()]
        cr.execute(
            SQL(
                """
                INSERT INTO prm_lead_offer (lead_id, partner_id, company_id, state,
                       offered_at, deadline, responded_at, partner_notified,
                       create_uid, create_date, write_uid, write_date)
                SELECT l.id, %(partner)s, %(company)s,
                       (ARRAY['accepted', 'declined', 'expired', 'accepted'])[1 + g %% 4],
                       %(day)s, %(day)s + interval '2 days',
                       CASE WHEN g %% 4 IN (0, 1, 3)
                            THEN %(day)s + (g %% 40) * interval '1 hour' END,
                       TRUE, 1, now(), 1, now()
                  FROM unnest(%(leads)s::int[]) WITH ORDINALITY AS l(id, g)
                """,
                partner=partner,
                company=self.company.id,
                day=day,
                leads=lead_ids,
            )
        )
        # Registrations, then won opportunities.
        states = SQL(
            "(ARRAY['submitted', 'approved', 'rejected', 'won', 'lost', 'expired'])"
            "[1 + g %% 6]"
        )
        self._clone(
            "crm_lead",
            lead_id,
            n // 4,
            {
                "prm_partner_id": partner,
                "prm_registration_partner_id": partner,
                "prm_registration_state": states,
                "prm_registration_date": day,
                "won_status": SQL("CASE WHEN g %% 6 = 3 THEN 'won' ELSE 'pending' END"),
                "date_closed": SQL("CASE WHEN g %% 6 = 3 THEN %s END", day),
                "expected_revenue": SQL("1000 + g %% 50000"),
            },
        )
        self._clone(
            "crm_lead",
            lead_id,
            n // 4,
            {
                "prm_partner_id": partner,
                "won_status": SQL("'won'"),
                "date_closed": day,
                "expected_revenue": SQL("1000 + g %% 50000"),
            },
        )
        # Invoices: half sell-through, half resale; every tenth a credit note.
        invoice_day = SQL("(%s)::date", day)
        self._clone(
            "account_move",
            move_id,
            n,
            {
                "name": SQL("'BENCH/' || g"),
                "move_type": SQL(
                    "CASE WHEN g %% 10 = 0 THEN 'out_refund' ELSE 'out_invoice' END"
                ),
                "prm_partner_id": SQL("CASE WHEN g %% 2 = 0 THEN %s END", partner),
                "partner_id": SQL(
                    "CASE WHEN g %% 2 = 1 THEN %s ELSE t.partner_id END", partner
                ),
                "commercial_partner_id": SQL(
                    "CASE WHEN g %% 2 = 1 THEN %s ELSE t.commercial_partner_id END",
                    partner,
                ),
                "invoice_date": invoice_day,
                "date": invoice_day,
                "amount_untaxed_signed": SQL(
                    "CASE WHEN g %% 10 = 0 THEN -1 ELSE 1 END * (100 + g %% 5000)"
                ),
            },
        )
        for table in ("prm_lead_offer", "crm_lead", "account_move", "res_partner"):
            cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
        self.env.invalidate_all()
        return time.perf_counter() - started


@contextmanager
def counting(cr, with_params=False):
    """The statements run in the block: their text, or (text, params)."""
    queries = []
    execute = cr.execute

    def spy(query, params=None, log_exceptions=True):
        code = str(getattr(query, "code", query))
        queries.append(
            (code, getattr(query, "params", params) or ()) if with_params else code
        )
        return execute(query, params, log_exceptions)

    cr.execute = spy
    try:
        yield queries
    finally:
        del cr.execute


def best_of(repeat, env, func):
    """(best seconds, report queries of the last run)."""
    times = []
    for _ in range(repeat):
        env.invalidate_all()
        with counting(env.cr) as queries:
            started = time.perf_counter()
            func()
            times.append(time.perf_counter() - started)
    return min(times), len([q for q in queries if "prm_lead_offer" in q])


def main():
    args = parse_args()
    from odoo import fields
    from odoo.tools import SQL

    failures = []
    with benchlib.rolled_back_env(args, "prm_sale_crm") as env:
        bench = Bench(env, args.size)
        started = time.perf_counter()
        bench.setup()
        env = bench.env
        print(
            f"{args.size} offers, {args.size // 4} registrations, "
            f"{args.size // 4} won opportunities, {args.size} invoices, "
            f"{len(bench.partners)} partners: created in "
            f"{time.perf_counter() - started:.1f}s"
        )
        Report = env["prm.channel.report"].with_user(bench.manager)
        label, date_from, date_to = Report._prm_period("12months")
        domain = Report._prm_period_domain(date_from, date_to)
        aggregates = [
            "revenue:sum",
            "offer_count:sum",
            "accept_rate:avg",
            "won_count:sum",
            "avg_deal_size:avg",
            "avg_accept_hours:avg",
        ]
        partner = bench.partners[7]
        partners_page = bench.partners[:80].with_user(bench.manager)
        cases = [
            (
                "pivot, 12 months by partner",
                lambda: Report._read_group(domain, ["partner_id"], aggregates),
                1,
            ),
            (
                "pivot, 12 months by partner and month",
                lambda: Report._read_group(
                    domain, ["partner_id", "date:month"], aggregates
                ),
                1,
            ),
            (
                "one partner, 12 months by month",
                lambda: Report._read_group(
                    [*domain, ("partner_id", "=", partner.id)],
                    ["date:month"],
                    aggregates,
                ),
                1,
            ),
            (
                "dashboard, last 3 months",
                lambda: Report.get_prm_channel_dashboard("3months"),
                1,
            ),
            (
                "Partner 360, 80 partners",
                lambda: partners_page.mapped("prm_channel_revenue_12m"),
                1,
            ),
        ]
        print(f"\n{'read':<40} {'seconds':>8} {'report queries':>15}")
        for name, func, expected in cases:
            seconds, queries = best_of(args.repeat, env, func)
            print(f"{name:<40} {seconds:>8.3f} {queries:>15}")
            benchlib.report(f"channel report: {name}", args.size, seconds, queries)
            if queries != expected:
                failures.append(f"{name}: {queries} report queries, not {expected}")
        # The pivot's own SQL, as the ORM built it.
        env.invalidate_all()
        with counting(env.cr, with_params=True) as queries:
            Report._read_group(domain, ["partner_id"], aggregates)
        code, params = next(q for q in queries if "prm_lead_offer" in q[0])
        env.cr.execute(SQL("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + code, *params))
        plan = "\n".join(row[0] for row in env.cr.fetchall())
        print(
            f"\nplan of the pivot by partner ({label}, from {fields.Date.to_string(date_from)}):"
        )
        print(plan)
        for column in (
            "offered_at",
            "prm_registration_date",
            "date_closed",
            "invoice_date",
        ):
            if (
                f"'month'::text, {column}" not in plan
                and f"'month'::text, ({column}" not in plan
            ):
                failures.append(f"the month filter does not reach {column}")
    return benchlib.exit_status(failures)


if __name__ == "__main__":
    sys.exit(main())
