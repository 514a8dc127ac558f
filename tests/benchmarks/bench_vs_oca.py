#!/usr/bin/env python3
"""Period close at scale: prm_incentive against OCA's commission_oca and
account_commission_oca, on one data set, in one run.

Usage::

    python3 tests/benchmarks/bench_vs_oca.py --create [--size N] [--partners P]
    python3 tests/benchmarks/bench_vs_oca.py --database DB [--size N]

The OCA modules (19.0, pinned below) are taken from PyPI with ``pip download
--no-deps`` (their metadata asks for an ``odoo`` distribution PyPI does not
serve), unpacked into ``.oca-addons/`` at the repository root and put on the
addons path; the script installs them (and prm_incentive) into the database.

One data set serves both (in one transaction, rolled back at the end): P
channel partners that are also OCA agents at 5 % (monthly settlement), one end
customer per partner with that agent, N posted invoice lines of last month
(cloned by SQL from one invoice posted through the ORM) whose channel partner is
the partner, a prm_incentive program with one 5 % rule. Then, timed with their
SQL statements:

* prm_incentive: accrual computation + insert, period close, post (and
  Odoo's own create + post of the same bills, the floor of posting);
* OCA: agent lines of the invoice lines, settle wizard, invoice wizard + post.

It asserts (exit status 1 otherwise) that both pay the same total to the cent
and prints the table with the ratio ("N x faster than OCA").
"""

import argparse
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from datetime import timedelta
from pathlib import Path

import benchlib
from bench_incentives import LINES_PER_INVOICE, Bench

ROOT = Path(__file__).resolve().parents[2]
OCA_DIR = ROOT / ".oca-addons"
OCA_PINS = {
    "odoo-addon-commission-oca": "19.0.2.0.0.10",
    "odoo-addon-account-commission-oca": "19.0.1.0.1.4",
}
OCA_MODULES = ("commission_oca", "account_commission_oca")
MODULES = ("prm_incentive", *OCA_MODULES)
OCA_BATCH = 100  # invoices whose agent lines are computed together


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("-d", "--database", help="existing database to use")
    target.add_argument(
        "--create", action="store_true", help="create (and drop) a throwaway database"
    )
    parser.add_argument("-n", "--size", type=int, default=100000)
    parser.add_argument("-p", "--partners", type=int, default=1000)
    parser.add_argument("-c", "--config", help="Odoo configuration file")
    parser.add_argument("--keep", action="store_true", help="keep a --create database")
    parser.add_argument(
        "--min-ratio", type=float, default=0.0, help="fail below this speed-up"
    )
    return parser.parse_args()


def oca_addons():
    """The pinned OCA modules, downloaded and unpacked once."""
    if all((OCA_DIR / module / "__manifest__.py").exists() for module in OCA_MODULES):
        return OCA_DIR
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--quiet",
                "-d",
                tmp,
                *(f"{name}=={version}" for name, version in OCA_PINS.items()),
            ],
            check=True,
        )
        OCA_DIR.mkdir(exist_ok=True)
        for wheel in Path(tmp).glob("*.whl"):
            with zipfile.ZipFile(wheel) as archive:
                for member in archive.namelist():
                    if member.startswith("odoo/addons/"):
                        target = OCA_DIR / member.removeprefix("odoo/addons/")
                        if member.endswith("/"):
                            continue
                        target.parent.mkdir(parents=True, exist_ok=True)
                        target.write_bytes(archive.read(member))
    return OCA_DIR


def ensure_modules(db, addons_path, config=None):
    query = (
        "SELECT count(*) FROM ir_module_module WHERE state = 'installed' "
        f"AND name IN {MODULES!r}"
    )
    out = subprocess.run(
        ["psql", "-d", db, "-tAc", query], capture_output=True, text=True, check=False
    )
    if out.returncode == 0 and out.stdout.strip() == str(len(MODULES)):
        return
    print(f"installing {', '.join(MODULES)} in {db} (a few minutes)...", flush=True)
    cmd = [sys.executable, "-m", "odoo"]
    if config:
        cmd += ["-c", config]
    cmd += [
        "-d",
        db,
        f"--addons-path={addons_path}",
        "--log-level=warn",
        "--stop-after-init",
        "-i",
        ",".join(MODULES),
    ]
    subprocess.run(cmd, check=True)


class VersusOca(Bench):
    """``bench_incentives.Bench`` with one 5 % rule, customers whose agent is
    the channel partner, and the OCA pipeline."""

    report_prefix = "vs OCA: "

    def setup(self):
        super().setup()
        env = self.env
        # One rule, like OCA's fixed 5 %.
        self.program.rule_ids[1:].unlink()
        self.program.rule_ids.write({"rate": 5.0, "pay_deal": True})
        self.commission = env["commission"].create(
            {"name": "Bench 5 %", "commission_type": "fixed", "fix_qty": 5.0}
        )

    def generate(self, counter):
        env = self.env
        reseller = env.ref("prm_partner.partner_type_reseller")
        invoices = self.size // LINES_PER_INVOICE
        with counter.measure() as counts:
            start = time.perf_counter()
            Partner = env["res.partner"]
            partners = Partner.create(
                [
                    {
                        "name": f"Bench reseller {index}",
                        "is_company": True,
                        "prm_is_partner": True,
                        "prm_state": "active",
                        "prm_partner_type_id": reseller.id,
                        "company_id": self.company.id,
                        "agent": True,
                        "commission_id": self.commission.id,
                        "settlement": "monthly",
                    }
                    for index in range(self.partner_count)
                ]
            )
            customers = Partner.create(
                [
                    {
                        "name": f"Customer of {partner.name}",
                        "is_company": True,
                        "company_id": self.company.id,
                        "commission_agent_ids": [(6, 0, partner.ids)],
                    }
                    for partner in partners
                ]
            )
            env.flush_all()
            days = (self.date_to - self.date_from).days + 1
            channel = [partners.ids[i % len(partners)] for i in range(invoices)]
            buyers = [customers.ids[i % len(customers)] for i in range(invoices)]
            dates = [self.date_from + timedelta(days=i % days) for i in range(invoices)]
            self.move_ids = benchlib.clone_posted_moves(
                env, self.template, channel, "oca", dates=dates, customer_ids=buyers
            )
            benchlib.analyze(env, "res_partner", "partner_agent_rel")
            seconds = time.perf_counter() - start
            counts = Counter(counts)
        self.partners = partners
        self.phase("generation", invoices * LINES_PER_INVOICE, seconds, counts)

    def run_oca(self, counter):
        env = self.env
        moves = env["account.move"].browse(self.move_ids)
        env.invalidate_all()
        with counter.measure() as counts:
            start = time.perf_counter()
            # By batches of invoices, as they are made: one call on 100,000
            # lines grows faster than linearly in the ORM.
            for chunk in range(0, len(moves), OCA_BATCH):
                moves[chunk : chunk + OCA_BATCH].invoice_line_ids.recompute_agents()
                env.flush_all()
            seconds = time.perf_counter() - start
            agents = Counter(counts)
        agent_lines = env["account.invoice.line.agent"].search(
            [("invoice_id", "in", moves.ids)]
        )
        self.phase("OCA agent lines", len(agent_lines), seconds, agents)
        benchlib.analyze(env, "account_invoice_line_agent")
        env.invalidate_all()

        with counter.measure() as counts:
            start = time.perf_counter()
            wizard = env["commission.make.settle"].create(
                {
                    "date_to": self.date_to + timedelta(days=1),
                    "settlement_type": "sale_invoice",
                    "agent_ids": [(6, 0, self.partners.ids)],
                }
            )
            wizard.action_settle()
            env.flush_all()
            seconds = time.perf_counter() - start
            settle = Counter(counts)
        settlements = env["commission.settlement"].search(
            [("agent_id", "in", self.partners.ids)]
        )
        self.phase("OCA settle", len(settlements.line_ids), seconds, settle)

        journal = self.program._get_payout_journal()
        with counter.measure() as counts:
            start = time.perf_counter()
            wizard = env["commission.make.invoice"].create(
                {
                    "journal_id": journal.id,
                    "product_id": self.program.product_id.id,
                    "settlement_ids": [(6, 0, settlements.ids)],
                    "date": self.date_to,
                }
            )
            action = wizard.button_create()
            bills = env["account.move"].search(action["domain"])
            bills.action_post()
            env.flush_all()
            seconds = time.perf_counter() - start
            posting = Counter(counts)
        self.phase("OCA invoice + post", len(bills.invoice_line_ids), seconds, posting)
        self.oca_settlements = settlements
        self.oca_bills = bills


def report(bench):
    """The side-by-side table; returns (prm seconds, OCA seconds)."""
    by_name = {
        name: (seconds, queries) for name, _l, seconds, queries, _c in bench.phases
    }
    rows = [
        (
            "accruals / agent lines",
            ("accrual computation", "accrual insert"),
            ("OCA agent lines",),
        ),
        ("period close / settle wizard", ("settlement close",), ("OCA settle",)),
        ("posting / invoice wizard + post", ("posting",), ("OCA invoice + post",)),
    ]
    totals = [[0.0, 0], [0.0, 0]]
    print()
    print(f"{'phase':<34} {'prm_incentive':>24} {'OCA':>24}")
    for label, prm, oca in rows:
        cells = []
        for side, names in enumerate((prm, oca)):
            seconds = sum(by_name[name][0] for name in names)
            queries = sum(by_name[name][1] for name in names)
            totals[side][0] += seconds
            totals[side][1] += queries
            cells.append(f"{seconds:8.1f} s {queries:8} q")
        print(f"{label:<34} {cells[0]:>24} {cells[1]:>24}")
    cells = [f"{seconds:8.1f} s {queries:8} q" for seconds, queries in totals]
    print(f"{'total':<34} {cells[0]:>24} {cells[1]:>24}")
    posting, floor = by_name["posting"], by_name["Odoo create+post"]
    print(
        f"\nposting {posting[0]:.1f} s / {posting[1]} q against Odoo's own create "
        f"+ post of the same bills {floor[0]:.1f} s / {floor[1]} q: "
        f"{posting[0] / floor[0]:.2f}x the floor"
    )
    return totals[0][0], totals[1][0]


def run(db, args, addons_path):
    failures = []
    args.database, args.addons_path = db, addons_path
    with benchlib.rolled_back_env(args, "account_commission_oca") as env:
        bench = VersusOca(env, args.size, args.partners)
        started = time.perf_counter()
        bench.setup()
        print(
            f"fixture: {time.perf_counter() - started:.1f}s; period {bench.date_from} "
            f"to {bench.date_to}; {bench.partner_count} partners"
        )
        counter = benchlib.QueryCounter(env.cr)
        bench.generate(counter)
        bench.run(counter)
        bench.run_oca(counter)
        currency = bench.program.currency_id
        prm_total = sum(bench.settlements.mapped("amount_total"))
        oca_total = sum(bench.oca_settlements.mapped("total"))
        prm_paid = sum(bench.bills.mapped("amount_total"))
        oca_paid = sum(bench.oca_bills.mapped("amount_total"))
        print(
            f"\ntotals: prm_incentive {prm_total:.2f} (bills {prm_paid:.2f}), "
            f"OCA {oca_total:.2f} (bills {oca_paid:.2f})"
        )
        for label, mine, theirs in (
            ("settled", prm_total, oca_total),
            ("billed", prm_paid, oca_paid),
        ):
            if currency.compare_amounts(mine, theirs):
                failures.append(f"{label} totals differ: {mine:.2f} vs {theirs:.2f}")
        prm_seconds, oca_seconds = report(bench)
        ratio = oca_seconds / prm_seconds if prm_seconds else float("inf")
        print(f"\nprm_incentive is {ratio:.1f}x faster than OCA end to end")
        benchlib.report(
            "vs OCA: period close end to end",
            args.size,
            prm_seconds,
            ratio=ratio,
            ratio_of="OCA seconds / prm_incentive seconds",
        )
        if ratio < args.min_ratio:
            failures.append(f"ratio {ratio:.1f} below {args.min_ratio}")
    return benchlib.exit_status(failures)


def main():
    args = parse_args()
    addons_path = f"{ROOT / 'addons'},{oca_addons()}"
    db = args.database
    if args.create:
        db = f"prm_bench_oca_{int(time.time())}"
        subprocess.run(["createdb", db], check=True)
    try:
        ensure_modules(db, addons_path, args.config)
        return run(db, args, addons_path)
    finally:
        if args.create and not args.keep:
            subprocess.run(["dropdb", "--if-exists", db], check=False)


if __name__ == "__main__":
    sys.exit(main())
