#!/usr/bin/env python3
"""Benchmark: what prm_incentive adds to posting one ordinary customer invoice.

Usage:
    python3 tests/benchmarks/bench_posting_overhead.py --database DB [--size N]

``DB`` has prm_incentive installed. In one transaction, rolled back at the end,
the script creates a company with a chart of accounts, 100 channel partners, a
monthly commission program with two rules, and 2 x N draft customer invoices of
10 lines (default N = 1,000), each with a channel partner. It posts them one by
one (``action_post`` per invoice, as an accountant does), alternating:

* with prm_incentive: the posting hook computes the invoice's accruals;
* without: the same call with the hook ``account.move._prm_compute_incentives``
  switched off for the duration of the call, i.e. Odoo's own posting (and the
  other PRM modules' overrides) alone.

Alternating invoices share the machine's load evenly. It prints seconds and
queries per invoice for both and asserts (exit status 1 otherwise) that posting
with prm_incentive costs at most ``--max-ratio`` (1.2) times the time without.
"""

import sys
import time
from contextlib import contextmanager
from datetime import timedelta

import benchlib

LINES = 10
PARTNERS = 100


def parse_args():
    parser = benchlib.arg_parser(__doc__, 1000)
    parser.add_argument("--max-ratio", type=float, default=1.2)
    return parser.parse_args()


@contextmanager
def hook_disabled(env):
    """Posting without prm_incentive's work: its hook does nothing meanwhile."""
    Move = type(env["account.move"])
    original = Move._prm_compute_incentives
    Move._prm_compute_incentives = lambda self: None
    try:
        yield
    finally:
        Move._prm_compute_incentives = original


def setup(env, size):
    from odoo import Command, fields

    company = env["res.company"].create({"name": "PRM Posting Benchmark"})
    env["account.chart.template"].try_loading("generic_coa", company)
    env = env(
        context={
            **env.context,
            "allowed_company_ids": company.ids,
            "tracking_disable": True,
        }
    )
    env.user.company_ids |= company
    today = fields.Date.context_today(env["res.partner"])
    day = today.replace(day=1) - timedelta(days=1)
    product = env["product.product"].create({"name": "Bench product", "taxes_id": []})
    env["prm.incentive.program"].create(
        {
            "name": "Bench commission",
            "kind": "commission",
            "period": "monthly",
            "date_start": day.replace(month=1, day=1),
            "payout_method": "bill",
            "company_id": company.id,
            "rule_ids": [
                Command.create({"name": "5% of revenue", "rate": 5.0}),
                Command.create({"name": "1% more", "rate": 1.0}),
            ],
        }
    )
    reseller = env.ref("prm_partner.partner_type_reseller")
    partners = env["res.partner"].create(
        [
            {
                "name": f"Bench reseller {index}",
                "is_company": True,
                "prm_is_partner": True,
                "prm_state": "active",
                "prm_partner_type_id": reseller.id,
                "company_id": company.id,
            }
            for index in range(PARTNERS)
        ]
    )
    customer = env["res.partner"].create({"name": "Bench customer"})
    moves = env["account.move"].browse()
    vals = [
        {
            "move_type": "out_invoice",
            "partner_id": customer.id,
            "invoice_date": day,
            "prm_partner_id": partners[index % PARTNERS].id,
            "invoice_line_ids": [
                Command.create(
                    {
                        "product_id": product.id,
                        "quantity": 1 + line % 3,
                        "price_unit": 100.0 + line,
                        "tax_ids": [],
                    }
                )
                for line in range(LINES)
            ],
        }
        for index in range(2 * size)
    ]
    for chunk in range(0, len(vals), 200):
        moves |= env["account.move"].create(vals[chunk : chunk + 200])
    env.flush_all()
    benchlib.analyze(env, "account_move", "account_move_line", "res_partner")
    return env, moves


def main():
    args = parse_args()
    failures = []
    with benchlib.rolled_back_env(args, "prm_incentive") as env:
        started = time.perf_counter()
        env, moves = setup(env, args.size)
        print(
            f"fixture: {time.perf_counter() - started:.1f}s, "
            f"{len(moves)} draft invoices of {LINES} lines"
        )
        counter = benchlib.QueryCounter(env.cr)
        totals = {"with": [0.0, 0], "without": [0.0, 0]}
        for index, move in enumerate(moves):
            mode = "with" if index % 2 else "without"
            env.invalidate_all()
            with counter.measure() as counts:
                start = time.perf_counter()
                if mode == "with":
                    move.action_post()
                    env.flush_all()
                else:
                    with hook_disabled(env):
                        move.action_post()
                        env.flush_all()
                totals[mode][0] += time.perf_counter() - start
                totals[mode][1] += sum(counts.values())
        accruals = env["prm.incentive.line"].search_count(
            [("move_id", "in", moves.ids)]
        )
        print(f"accruals made while posting: {accruals}")
        for mode, (seconds, queries) in totals.items():
            print(
                f"{mode + ' prm_incentive':<24} {args.size:>6} invoices "
                f"{1000 * seconds / args.size:8.1f} ms {queries / args.size:7.1f} "
                "queries per invoice"
            )
        ratio = totals["with"][0] / totals["without"][0]
        print(f"posting with prm_incentive costs {ratio:.2f}x the time without")
        for mode, (seconds, queries) in totals.items():
            benchlib.report(
                f"posting one invoice, {mode} prm_incentive",
                args.size,
                seconds,
                queries,
                ratio=ratio if mode == "with" else None,
                ratio_of="time with / time without the accrual hook",
            )
        if ratio > args.max_ratio:
            failures.append(f"posting overhead {ratio:.2f}x (> {args.max_ratio}x)")
    return benchlib.exit_status(failures)


if __name__ == "__main__":
    sys.exit(main())
