#!/usr/bin/env python3
"""Benchmark: intake of N partner applications in one batch (an import).

Usage:
    python3 tests/benchmarks/bench_application_intake.py --database DB [--size N]

``DB`` is an existing database with prm_partner installed (any data). In one
transaction, rolled back at the end (the database is left unchanged), the
script creates a company with six application criteria, three territory lines
and 20 existing partners, then for 10, 1,000 and N applications (default
10,000) runs ``prm.application._prm_intake`` on rows of which one in ten is a
certain duplicate of the previous row, two in ten share a key with an existing
partner and one in ten writes from a free-mail address
(``bulk_application_rows``). It prints seconds and SQL statements by kind.

It asserts that the lookups (SELECT) do not grow per application (the ORM
reads at most 1,000 records per statement, so they may grow by a few per 1,000)
and that the writes stay within ``STATEMENTS_PER_100_APPLICATIONS`` per 100
applications: the ORM inserts and updates 100 rows per statement.
"""

import sys
import time
from collections import Counter

import benchlib

SIZES = (10, 1000)
STATEMENTS_PER_100_APPLICATIONS = 15
SELECTS_PER_1000_APPLICATIONS = 10


def parse_args():
    parser = benchlib.arg_parser(__doc__, 10000)
    return parser.parse_args()


def setup(env):
    from odoo import Command

    from odoo.addons.prm_partner.tests.common_application import bulk_partner_vals

    company = env["res.company"].create({"name": "PRM Application Benchmark"})
    env.user.company_ids |= company
    env = env(context={**env.context, "allowed_company_ids": company.ids})
    Users = env["res.users"].with_context(no_reset_password=True)
    managers = Users.create(
        [
            {
                "name": f"Bench Manager {i}",
                "login": f"prm_bench_app_manager_{i}",
                "company_id": company.id,
                "company_ids": [Command.set(company.ids)],
                "group_ids": [Command.link(env.ref("prm_partner.group_prm_user").id)],
            }
            for i in range(3)
        ]
    )
    company.prm_application_manager_id = managers[2]
    countries = {c: env.ref(f"base.{c}") for c in ("es", "pt", "de", "fr", "us")}
    Assignment = env["prm.territory.assignment"]
    Assignment.create(
        [
            {
                "user_id": managers[0].id,
                "country_ids": [Command.set((countries["es"] | countries["pt"]).ids)],
            },
            {
                "user_id": managers[1].id,
                "country_ids": [Command.set((countries["es"] | countries["de"]).ids)],
                "capacity": 2000,
            },
            {
                "user_id": managers[2].id,
                "country_ids": [Command.set((countries["fr"] | countries["us"]).ids)],
            },
        ]
    )
    Criterion = env["prm.application.criterion"]
    Criterion.create(
        [
            {
                "name": "Markets",
                "kind": "country",
                "mandatory": True,
                "weight": 30,
                "country_ids": [Command.set([c.id for c in countries.values()])],
            },
            {"name": "Revenue", "kind": "revenue", "min_revenue": 200000, "weight": 25},
            {"name": "Team", "kind": "headcount", "min_headcount": 5, "weight": 15},
            {
                "name": "Type",
                "kind": "partner_type",
                "weight": 10,
                "partner_type_ids": [
                    Command.set(env.ref("prm_partner.partner_type_reseller").ids)
                ],
            },
            {"name": "Website", "kind": "website", "weight": 10},
            {"name": "VAT", "kind": "vat", "weight": 10},
        ]
    )
    env["res.partner"].create(bulk_partner_vals(20, company.id))
    env.flush_all()
    return env


def intake(env, counter, size, tag):
    from odoo.addons.prm_partner.tests.common_application import (
        bulk_application_rows,
    )

    rows = bulk_application_rows(size, prefix=tag, offset=size * 10)
    env.flush_all()
    env.invalidate_all()
    with counter.measure() as counts:
        started = time.perf_counter()
        apps = env["prm.application"]._prm_intake(rows, source="import")
        env.flush_all()
        seconds = time.perf_counter() - started
        counts = Counter(counts)
    states = Counter(apps.mapped("state"))
    return seconds, counts, states


def main():
    args = parse_args()
    sizes = sorted({*SIZES, args.size})
    rows = []
    with benchlib.rolled_back_env(args, "prm_partner") as env:
        cr = env.cr
        env = setup(env)
        counter = benchlib.QueryCounter(cr)
        # Warm-up (ORM caches: xmlids, defaults, templates), not reported.
        cr.execute("SAVEPOINT bench_size")
        intake(env, counter, 10, "Warmup")
        env.invalidate_all()
        cr.execute("ROLLBACK TO SAVEPOINT bench_size")
        for size in sizes:
            cr.execute("SAVEPOINT bench_size")
            rows.append((size, *intake(env, counter, size, f"B{size}")))
            env.invalidate_all()
            cr.execute("ROLLBACK TO SAVEPOINT bench_size")

    print(
        f"{'applications':>12} {'seconds':>8} {'queries':>8} {'SELECT':>7} "
        f"{'INSERT':>7} {'UPDATE':>7} {'other':>6} {'q/app':>7}  outcome"
    )
    for size, seconds, counts, states in rows:
        total = sum(counts.values())
        other = total - counts["SELECT"] - counts["INSERT"] - counts["UPDATE"]
        outcome = ", ".join(f"{k}: {v}" for k, v in sorted(states.items()))
        print(
            f"{size:>12} {seconds:>8.2f} {total:>8} {counts['SELECT']:>7} "
            f"{counts['INSERT']:>7} {counts['UPDATE']:>7} {other:>6} "
            f"{total / size:>7.3f}  {outcome}"
        )
        benchlib.report("application intake (import)", size, seconds, total)

    failures = []
    base_size, _s, base_counts, _st = rows[0]
    base_writes = sum(base_counts.values()) - base_counts["SELECT"]
    for size, _seconds, counts, _states in rows[1:]:
        selects = counts["SELECT"] - base_counts["SELECT"]
        if selects > SELECTS_PER_1000_APPLICATIONS * (size // 1000 + 1):
            failures.append(f"{size}: {selects} more SELECT than for {base_size}")
        writes = sum(counts.values()) - counts["SELECT"] - base_writes
        if writes > STATEMENTS_PER_100_APPLICATIONS * (size - base_size) / 100:
            failures.append(f"{size}: {writes} more writes than for {base_size}")
    return benchlib.exit_status(failures)


if __name__ == "__main__":
    sys.exit(main())
