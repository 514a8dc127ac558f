#!/usr/bin/env python3
"""Benchmark: incentive accruals and the period close on N posted invoice lines.

Usage:
    python3 tests/benchmarks/bench_incentives.py --database DB [--size N] [--partners P]

``DB`` is an existing database with prm_incentive installed (any data). In one
transaction, rolled back at the end (the database is left unchanged), the
script creates a company with a chart of accounts, P channel partners (default
1,000) and a monthly commission program with two rules, then N posted invoice
lines (default 100,000) of last month: one invoice of 10 lines is posted
through the ORM, then cloned with set-based SQL (moves and lines) ten times per
partner. It then runs, printing lines, seconds and SQL queries for each phase:

* generation of the invoices;
* accrual computation (``prm.incentive.engine._build_period_moves_plan``);
* insert of the accruals (``_apply_plan``, the ORM's 100-row INSERTs);
* settlement close (``prm.settlement._close_period``: accruals refreshed, one
  draft settlement per partner, accruals locked and attached);
* Odoo's own create + post of the same bills, rolled back (the floor);
* posting (the approved settlements: one vendor bill per settlement).

It asserts (exit status 1 otherwise) that the accrual computation runs at most
50 queries whatever N (no query per line), and that posting makes one vendor
bill per partner for the period with at most 200 lines per bill.
"""

import sys
import time
from collections import Counter
from datetime import timedelta

import benchlib

LINES_PER_INVOICE = 10
MAX_COMPUTE_QUERIES = 50
MAX_BILL_LINES = 200
MAX_CLOSE_QUERIES = 200


def parse_args():
    parser = benchlib.arg_parser(__doc__, 100000)
    parser.add_argument("-p", "--partners", type=int, default=1000)
    return parser.parse_args()


class Bench:
    # Names this benchmark's rows in the ``make bench`` table.
    report_prefix = "incentives: "

    def __init__(self, env, size, partners):
        from odoo import fields

        self.env = env
        self.size = size
        self.partner_count = min(partners, max(1, size // (LINES_PER_INVOICE * 10)))
        today = fields.Date.context_today(env["res.partner"])
        self.date_to = today.replace(day=1) - timedelta(days=1)
        self.date_from = self.date_to.replace(day=1)
        self.phases = []

    def phase(self, name, lines, seconds, counts):
        self.phases.append((name, lines, seconds, sum(counts.values()), dict(counts)))
        # Posting compares with Odoo's own create + post of the same bills,
        # timed just before it.
        extra = {}
        if name == "posting":
            floor = next((p for p in self.phases if p[0] == "Odoo create+post"), None)
            if floor and floor[2]:
                extra = {
                    "ratio": seconds / floor[2],
                    "ratio_of": "posting / Odoo create+post",
                }
        benchlib.report(
            f"{self.report_prefix}{name}", lines, seconds, sum(counts.values()), **extra
        )
        print(
            f"{name:<22} {lines:>9} lines {seconds:>8.2f} s "
            f"{sum(counts.values()):>7} queries"
        )

    def setup(self):
        from odoo import Command

        env = self.env
        company = env["res.company"].create({"name": "PRM Incentive Benchmark"})
        env["account.chart.template"].try_loading("generic_coa", company)
        self.env = env = env(
            context={
                **env.context,
                "allowed_company_ids": company.ids,
                "tracking_disable": True,
                "mail_create_nolog": True,
                "mail_notrack": True,
            }
        )
        env.user.company_ids |= company
        self.company = company
        hardware = env["product.category"].create({"name": "Bench hardware"})
        self.products = env["product.product"].create(
            [
                {"name": "Bench server", "categ_id": hardware.id, "taxes_id": []},
                {"name": "Bench service", "taxes_id": []},
            ]
        )
        payout = env["product.product"].create(
            {
                "name": "Bench incentive",
                "type": "service",
                "taxes_id": [],
                "supplier_taxes_id": [],
            }
        )
        journal = env["account.journal"].search(
            [
                *env["account.journal"]._check_company_domain(company),
                ("type", "=", "purchase"),
            ],
            limit=1,
        )
        self.program = env["prm.incentive.program"].create(
            {
                "name": "Bench commission",
                "kind": "commission",
                "period": "monthly",
                "date_start": self.date_from.replace(month=1),
                "payout_method": "bill",
                "journal_id": journal.id,
                "product_id": payout.id,
                "company_id": company.id,
                "rule_ids": [
                    Command.create({"name": "5% of revenue", "rate": 5.0}),
                    Command.create(
                        {
                            "name": "1% more on hardware",
                            "rate": 1.0,
                            "categ_ids": [Command.set(hardware.ids)],
                        }
                    ),
                ],
            }
        )
        customer = env["res.partner"].create(
            {"name": "Bench end customer", "company_id": company.id}
        )
        # The template has no channel partner: it earns nothing itself.
        self.template = env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_date": self.date_from,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": self.products[index % 2].id,
                            "quantity": 1 + index % 3,
                            "price_unit": 100.0 + index,
                            "tax_ids": [],
                        }
                    )
                    for index in range(LINES_PER_INVOICE)
                ],
            }
        )
        self.template.action_post()
        env.flush_all()

    def generate(self, counter):
        """Channel partners, then their posted invoices cloned by SQL."""

        env = self.env
        reseller = env.ref("prm_partner.partner_type_reseller")
        invoices = self.size // LINES_PER_INVOICE
        with counter.measure() as counts:
            start = time.perf_counter()
            Partner = env["res.partner"]
            partners = Partner.browse()
            vals = [
                {
                    "name": f"Bench reseller {index}",
                    "is_company": True,
                    "prm_is_partner": True,
                    "prm_state": "active",
                    "prm_partner_type_id": reseller.id,
                    "company_id": self.company.id,
                }
                for index in range(self.partner_count)
            ]
            for chunk in range(0, len(vals), 1000):
                partners |= Partner.create(vals[chunk : chunk + 1000])
            env.flush_all()
            days = (self.date_to - self.date_from).days + 1
            channel = [partners.ids[index % len(partners)] for index in range(invoices)]
            dates = [
                self.date_from + timedelta(days=index % days)
                for index in range(invoices)
            ]
            self.move_ids = benchlib.clone_posted_moves(
                env, self.template, channel, "bench", dates=dates
            )
            benchlib.analyze(env, "res_partner")
            seconds = time.perf_counter() - start
            counts = Counter(counts)
        self.partners = partners
        self.phase("generation", invoices * LINES_PER_INVOICE, seconds, counts)

    def run(self, counter):
        env = self.env
        engine = env["prm.incentive.engine"].sudo()
        env.invalidate_all()
        with counter.measure() as counts:
            start = time.perf_counter()
            plan = engine._build_period_moves_plan(
                self.program, self.date_from, self.date_to
            )
            seconds = time.perf_counter() - start
            compute = Counter(counts)
        self.compute_queries = sum(compute.values())
        self.phase("accrual computation", len(plan.creates), seconds, compute)

        with counter.measure() as counts:
            start = time.perf_counter()
            created = engine._apply_plan(plan)
            env.flush_all()
            seconds = time.perf_counter() - start
            insert = Counter(counts)
        self.phase("accrual insert", len(created), seconds, insert)
        env.invalidate_all()
        benchlib.analyze(env, "prm_incentive_line")

        Settlement = env["prm.settlement"]
        with counter.measure() as counts:
            start = time.perf_counter()
            settlements = Settlement._close_period(self.program, self.date_to)
            env.flush_all()
            seconds = time.perf_counter() - start
            close = Counter(counts)
        self.phase(
            "settlement close", sum(settlements.mapped("line_count")), seconds, close
        )
        self.close_queries = sum(close.values())
        self.settlements = settlements

        settlements.action_approve()
        env.flush_all()
        self.odoo_floor(counter, settlements)
        with counter.measure() as counts:
            start = time.perf_counter()
            settlements.action_post()
            env.flush_all()
            seconds = time.perf_counter() - start
            posting = Counter(counts)
        bills = settlements.move_ids
        self.phase("posting", len(bills.invoice_line_ids), seconds, posting)
        self.bills = bills

    def odoo_floor(self, counter, settlements):
        """Odoo's own ``create`` and ``action_post`` of the same bills (values
        prepared outside the measure, no settlement link), rolled back: what
        posting the settlements cannot go below."""
        env = self.env

        class Rollback(Exception):
            pass

        vals_list = [
            vals
            for settlement in settlements
            for vals in settlement._prepare_payout_moves_vals()
        ]
        for vals in vals_list:
            del vals["prm_settlement_id"]
        env.flush_all()
        env.invalidate_all()
        try:
            with env.cr.savepoint():
                with counter.measure() as counts:
                    start = time.perf_counter()
                    moves = env["account.move"].sudo().create(vals_list)
                    moves.action_post()
                    env.flush_all()
                    seconds = time.perf_counter() - start
                    floor = Counter(counts)
                lines = len(moves.invoice_line_ids)
                raise Rollback
        except Rollback:
            pass
        env.invalidate_all(flush=False)
        self.phase("Odoo create+post", lines, seconds, floor)


def main():
    args = parse_args()
    failures = []
    with benchlib.rolled_back_env(args, "prm_incentive") as env:
        cr = env.cr
        bench = Bench(env, args.size, args.partners)
        started = time.perf_counter()
        bench.setup()
        print(
            f"fixture (company, chart, program, template invoice): "
            f"{time.perf_counter() - started:.1f}s; period {bench.date_from} to "
            f"{bench.date_to}; {bench.partner_count} partners"
        )
        counter = benchlib.QueryCounter(cr)
        bench.generate(counter)
        bench.run(counter)
        per_partner = Counter(move.partner_id.id for move in bench.bills)
        lines_per_bill = [len(move.invoice_line_ids) for move in bench.bills]
        settled_partners = set(bench.settlements.partner_id.ids)
        print()
        print(
            f"bills: {len(bench.bills)} for {len(settled_partners)} partners "
            f"(max {max(per_partner.values(), default=0)} per partner); lines per "
            f"bill: max {max(lines_per_bill, default=0)}, min "
            f"{min(lines_per_bill, default=0)}"
        )
        print(
            "queries = every SQL statement of the phase; the accrual computation "
            f"is asserted at most {MAX_COMPUTE_QUERIES} (it was "
            f"{bench.compute_queries})."
        )
        if bench.compute_queries > MAX_COMPUTE_QUERIES:
            failures.append(
                f"accrual computation ran {bench.compute_queries} queries "
                f"(> {MAX_COMPUTE_QUERIES})"
            )
        if bench.close_queries > MAX_CLOSE_QUERIES:
            failures.append(
                f"the close ran {bench.close_queries} queries (> {MAX_CLOSE_QUERIES})"
            )
        if set(per_partner) != settled_partners or any(
            count != 1 for count in per_partner.values()
        ):
            failures.append("not exactly one vendor bill per partner and period")
        if len(settled_partners) != bench.partner_count:
            failures.append(
                f"{len(settled_partners)} partners settled, {bench.partner_count} expected"
            )
        if max(lines_per_bill, default=0) > MAX_BILL_LINES:
            failures.append(
                f"a bill has {max(lines_per_bill)} lines (> {MAX_BILL_LINES})"
            )
    return benchlib.exit_status(failures)


if __name__ == "__main__":
    sys.exit(main())
