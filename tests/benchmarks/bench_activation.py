#!/usr/bin/env python3
"""Benchmark: generating N activation codes, then activating a tenth of them
through the API in batches.

Usage:
    python3 tests/benchmarks/bench_activation.py --database DB [--size N] [--batch B]

``DB`` is an existing database with prm_activation installed (any data). In one
transaction, rolled back at the end (the database is left unchanged), the
script creates a card product, a reseller, an incentive program paying 5 per
activation, then:

* generates a batch of N codes (default 100,000): random codes, keyed hashes,
  one ``INSERT``, the printer's CSV file;
* assigns them all to the reseller;
* activates N / 10 of them through ``prm.activation.code.activate_codes`` (the
  JSON-2 method) as a user of the *Activation API* group, B codes a call
  (default 500), each call refreshing the partner's accruals.

It prints seconds and SQL queries of each phase and of each activation call,
and asserts (exit status 1 otherwise) that generation takes under 60 seconds
and that every activation call after the first (which warms the caches) runs
the same number of queries (flat per batch, whatever the number of codes
already activated).
"""

import sys
import time

import benchlib

MAX_GENERATE_SECONDS = 60.0


def parse_args():
    parser = benchlib.arg_parser(__doc__, 100000)
    parser.add_argument("--batch", type=int, default=500)
    return parser.parse_args()


def main():
    args = parse_args()
    failures = []
    with benchlib.rolled_back_env(args, "prm_activation") as env:
        from odoo import Command
        from odoo.tests import new_test_user

        env = env(context={"tracking_disable": True, "mail_notrack": True})
        company = env.company
        product = env["product.product"].create(
            {"name": "Bench card", "type": "service", "list_price": 30.0}
        )
        partner = env["res.partner"].create(
            {
                "name": "Bench Reseller",
                "is_company": True,
                "prm_is_partner": True,
                "prm_state": "active",
            }
        )
        payout = env["product.product"].create(
            {"name": "Bench payout", "type": "service"}
        )
        program = env["prm.incentive.program"].create(
            {
                "name": "Bench activation commission",
                "kind": "commission",
                "period": "monthly",
                "date_start": "2020-01-01",
                "basis": "invoiced",
                "payout_method": "bill",
                "product_id": payout.id,
                "company_id": company.id,
                "rule_ids": [
                    Command.create(
                        {
                            "name": "5 per activation",
                            "base": "activation_count",
                            "rate_type": "fixed",
                            "fixed_amount": 5.0,
                        }
                    )
                ],
            }
        )
        api_user = new_test_user(
            env,
            login="bench_activation_api",
            groups="base.group_user,prm_activation.group_prm_activation_api",
        )
        counter = benchlib.QueryCounter(env.cr)

        batch = env["prm.activation.batch"].create(
            {"product_id": product.id, "quantity": args.size, "value": 30.0}
        )
        with counter.measure() as counts:
            started = time.perf_counter()
            codes = batch._prm_generate_codes()
            env.flush_all()
            seconds = time.perf_counter() - started
        print(
            f"generate {args.size} codes: {seconds:.2f} s, "
            f"{sum(counts.values())} queries ({dict(counts)})"
        )
        benchlib.report(
            "activation: generate codes", args.size, seconds, sum(counts.values())
        )
        if seconds > MAX_GENERATE_SECONDS:
            failures.append(f"generation took {seconds:.1f} s")
        unique = env["prm.activation.code"].search_count([("batch_id", "=", batch.id)])
        if unique != args.size or len(set(codes)) != args.size:
            failures.append(f"{unique} codes stored for {args.size}")

        with counter.measure() as counts:
            started = time.perf_counter()
            batch._prm_assign_serials(partner, 1, args.size)
            env.flush_all()
            seconds = time.perf_counter() - started
        print(
            f"assign {args.size} codes: {seconds:.2f} s, {sum(counts.values())} queries"
        )
        benchlib.report(
            "activation: assign by serial range",
            args.size,
            seconds,
            sum(counts.values()),
        )
        benchlib.analyze(
            env, "prm_activation_code", "prm_activation", "prm_incentive_line"
        )

        to_activate = codes[: args.size // 10]
        Code = env["prm.activation.code"].with_user(api_user)
        per_call = []
        total_started = time.perf_counter()
        for start in range(0, len(to_activate), args.batch):
            chunk = to_activate[start : start + args.batch]
            env.invalidate_all()
            with counter.measure() as counts:
                started = time.perf_counter()
                answers = Code.activate_codes(
                    [
                        {
                            "code": code,
                            "subscriber_email": f"bench{start + i}@example.com",
                        }
                        for i, code in enumerate(chunk)
                    ]
                )
                env.flush_all()
                seconds = time.perf_counter() - started
            activated = sum(answer["status"] == "activated" for answer in answers)
            if activated != len(chunk):
                failures.append(
                    f"call at {start}: {activated} of {len(chunk)} activated"
                )
            per_call.append((len(chunk), seconds, sum(counts.values())))
            print(
                f"  activate codes {start + 1}-{start + len(chunk)}: {seconds:.2f} s, "
                f"{sum(counts.values())} queries"
            )
        total = time.perf_counter() - total_started
        print(
            f"activate {len(to_activate)} codes in {len(per_call)} API calls of "
            f"{args.batch}: {total:.2f} s ({len(to_activate) / total:.0f} codes/s)"
        )
        # The first call warms the caches (rules, parameters, rights).
        queries = {row[2] for row in per_call[1:] if row[0] == args.batch}
        print(f"queries per call after the first: {sorted(queries)}")
        benchlib.report(
            f"activation: API calls of {args.batch} codes",
            len(to_activate),
            total,
            sum(row[2] for row in per_call),
            calls=len(per_call),
        )
        if len(queries) > 1:
            failures.append(f"queries per call are not flat: {sorted(queries)}")
        earned = sum(
            env["prm.incentive.line"]
            .search([("program_id", "=", program.id), ("kind", "=", "activation")])
            .mapped("amount")
        )
        print(f"accrued: {earned:.2f} for {len(to_activate)} activations")
        if round(earned, 2) != 5.0 * len(to_activate):
            failures.append(f"accrued {earned} instead of {5.0 * len(to_activate)}")
    return benchlib.exit_status(failures)


if __name__ == "__main__":
    sys.exit(main())
