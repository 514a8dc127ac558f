#!/usr/bin/env python3
"""Benchmark: importing and validating a sell-out file of N rows.

Usage:
    python3 tests/benchmarks/bench_sellout.py --database DB [--size N]

``DB`` is an existing database with prm_incentive installed (any data). In one
transaction, rolled back at the end (the database is left unchanged), the
script creates a distributor, 500 products with internal references, a
sell-out program (2% of the sell-out amount, 1.00 per unit on a product
category), then builds a CSV and an XLSX file of N rows (default 100,000; 1%
of the rows carry an unknown product) and of 1,000 rows, and for each:

* uploads it through the upload wizard (read, parse, check, ``COPY``, totals);
* for the CSV, fixes the rows with errors and validates the report (sell-out
  accruals computed from the rows by grouped queries).

It prints rows, seconds and SQL queries of each phase (the ``COPY`` is one
more statement), and asserts (exit status 1 otherwise) that the import of N
rows takes under 60 seconds per format and runs the same queries as the import
of 1,000 rows, and that validation's queries do not grow with the rows either.
"""

import base64
import io
import random
import sys
import time
from collections import Counter
from datetime import timedelta

import benchlib

BASELINE = 1000
MAX_SECONDS = 60.0
PRODUCTS = 500


def parse_args():
    parser = benchlib.arg_parser(__doc__, 100000)
    return parser.parse_args()


class Bench:
    HEADER = ["Date", "SKU", "Qty", "Amount", "Currency", "Country", "Customer"]

    def __init__(self, env):
        from odoo import fields

        self.env = env
        today = fields.Date.context_today(env["res.partner"])
        self.date_to = today.replace(day=1) - timedelta(days=1)
        self.date_from = self.date_to.replace(day=1)
        self.rows = []

    def setup(self):
        from odoo import Command

        env = self.env = self.env(
            context={
                **self.env.context,
                "tracking_disable": True,
                "mail_create_nolog": True,
                "mail_notrack": True,
            }
        )
        category = env["product.category"].create({"name": "Bench sell-out category"})
        self.products = env["product.product"].create(
            [
                {
                    "name": f"Bench sell-out product {index}",
                    "default_code": f"BSO-{index:05d}",
                    "categ_id": category.id if index % 5 == 0 else False,
                }
                for index in range(PRODUCTS)
            ]
        )
        self.partner = env["res.partner"].create(
            {
                "name": "Bench sell-out distributor",
                "is_company": True,
                "prm_is_partner": True,
                "prm_state": "active",
                "prm_partner_type_id": env.ref(
                    "prm_partner.partner_type_distributor"
                ).id,
            }
        )
        env["res.currency"].with_context(active_test=False).search(
            [("name", "=", "EUR")]
        ).active = True
        self.program = env["prm.incentive.program"].create(
            {
                "name": "Bench sell-out program",
                "kind": "commission",
                "period": "monthly",
                "date_start": self.date_from.replace(month=1),
                "company_id": env.company.id,
                "rule_ids": [
                    Command.create(
                        {
                            "name": "2% of sell-out",
                            "base": "sellout_amount",
                            "rate": 2.0,
                        }
                    ),
                    Command.create(
                        {
                            "name": "1.00 per unit",
                            "base": "sellout_quantity",
                            "rate_type": "fixed",
                            "fixed_amount": 1.0,
                            "categ_ids": [Command.set(category.ids)],
                        }
                    ),
                ],
            }
        )
        env.flush_all()

    def make_rows(self, size):
        rng = random.Random(size)
        days = (self.date_to - self.date_from).days + 1
        rows = []
        for index in range(size):
            unknown = index % 100 == 99
            rows.append(
                [
                    (self.date_from + timedelta(days=index % days)).isoformat(),
                    "NOPE-%d" % index
                    if unknown
                    else f"BSO-{rng.randrange(PRODUCTS):05d}",
                    str(rng.randint(1, 20)),
                    f"{rng.uniform(10, 5000):.2f}",
                    ("", "EUR", "")[index % 3],
                    ("DE", "FR", "IT", "ES", "US")[index % 5],
                    f"Customer {index % 2000}",
                ]
            )
        return rows

    def csv(self, rows):
        import pandas as pd

        return pd.DataFrame(rows, columns=self.HEADER).to_csv(index=False).encode()

    def xlsx(self, rows):
        import openpyxl

        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(self.HEADER)
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    def upload(self, counter, content, file_name):
        env = self.env
        wizard = env["prm.sellout.upload.wizard"].create(
            {
                "partner_id": self.partner.id,
                "date_from": self.date_from,
                "date_to": self.date_to,
                "file": base64.b64encode(content),
                "file_name": file_name,
                "column_product": "SKU",
                "column_quantity": "Qty",
                "column_date": "Date",
                "column_amount": "Amount",
                "column_currency": "Currency",
                "column_country": "Country",
                "column_customer": "Customer",
                "save_mapping": False,
            }
        )
        env.flush_all()
        env.invalidate_all()
        with counter.measure() as counts:
            start = time.perf_counter()
            action = wizard.action_import()
            batch = env["prm.sellout.batch"].browse(action["res_id"])
            batch.flush_recordset()
            seconds = time.perf_counter() - start
            counts = Counter(counts)
        return batch, seconds, counts

    def validate(self, counter, batch):
        env = self.env
        bad = env["prm.sellout.line"].search(
            [("batch_id", "=", batch.id), ("has_error", "=", True)]
        )
        bad.write({"product_id": self.products[0].id})
        env.flush_all()
        env.invalidate_all()
        with counter.measure() as counts:
            start = time.perf_counter()
            batch.action_validate()
            env.flush_all()
            seconds = time.perf_counter() - start
            counts = Counter(counts)
        return seconds, counts, len(bad)


def main():
    args = parse_args()
    failures = []
    results = {}
    with benchlib.rolled_back_env(args, "prm_incentive") as env:
        cr = env.cr
        bench = Bench(env)
        bench.setup()
        counter = benchlib.QueryCounter(cr)
        # Warm-up (registry caches), not reported.
        cr.execute("SAVEPOINT bench_size")
        warmup, _seconds, _counts = bench.upload(
            counter, bench.csv(bench.make_rows(50)), "warmup.csv"
        )
        bench.validate(counter, warmup)
        bench.env.invalidate_all()
        cr.execute("ROLLBACK TO SAVEPOINT bench_size")
        sizes = [BASELINE, args.size] if args.size != BASELINE else [BASELINE]
        for size in sizes:
            rows = bench.make_rows(size)
            for fmt in ("csv", "xlsx"):
                started = time.perf_counter()
                content = bench.csv(rows) if fmt == "csv" else bench.xlsx(rows)
                built = time.perf_counter() - started
                cr.execute("SAVEPOINT bench_size")
                batch, seconds, counts = bench.upload(
                    counter, content, f"sellout.{fmt}"
                )
                line_count, error_count = batch.line_count, batch.error_count
                validate = None
                if fmt == "csv":
                    validate = bench.validate(counter, batch)
                    accruals = len(batch.incentive_line_ids)
                results[size, fmt] = (
                    line_count,
                    error_count,
                    seconds,
                    counts,
                    validate,
                )
                print(
                    f"{size:>7} rows {fmt:<4} ({len(content) / 1e6:5.1f} MB, built in "
                    f"{built:5.1f}s): import {seconds:6.2f}s, "
                    f"{sum(counts.values()) + 1:>3} queries (incl. COPY), "
                    f"{line_count} rows stored, {error_count} with errors"
                    + (
                        f"; fix {validate[2]} rows + validate {validate[0]:6.2f}s, "
                        f"{sum(validate[1].values())} queries, {accruals} accruals"
                        if validate
                        else ""
                    )
                )
                benchlib.report(
                    f"sell-out import, {fmt.upper()}",
                    size,
                    seconds,
                    sum(counts.values()) + 1,  # + the COPY
                )
                if validate:
                    benchlib.report(
                        "sell-out validation",
                        size,
                        validate[0],
                        sum(validate[1].values()),
                    )
                bench.env.invalidate_all()
                cr.execute("ROLLBACK TO SAVEPOINT bench_size")

    big = max(size for size, _fmt in results)
    for fmt in ("csv", "xlsx"):
        line_count, _errors, seconds, counts, _validate = results[big, fmt]
        if line_count != big:
            failures.append(f"{fmt}: {line_count} rows stored out of {big}")
        if big >= 100000 and seconds > MAX_SECONDS:
            failures.append(f"{fmt}: {big} rows imported in {seconds:.1f}s (> 60s)")
        base = results[BASELINE, fmt][3]
        if sum(base.values()) != sum(counts.values()):
            failures.append(
                f"{fmt}: import queries grow with rows ({sum(base.values())} for "
                f"{BASELINE}, {sum(counts.values())} for {big})"
            )
    validate_small = sum(results[BASELINE, "csv"][4][1].values())
    validate_big = sum(results[big, "csv"][4][1].values())
    if validate_small != validate_big:
        failures.append(
            f"validation queries grow with rows ({validate_small} for {BASELINE}, "
            f"{validate_big} for {big})"
        )
    return benchlib.exit_status(failures)


if __name__ == "__main__":
    sys.exit(main())
