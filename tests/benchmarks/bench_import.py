#!/usr/bin/env python3
"""Partner import benchmark: prm-client's batched calls against one call per row.

Starts an Odoo HTTP server on the database, gives a program administrator an
API key, then imports ``--size`` partners (type, tier, channel manager,
country, territories; a representative on every tenth) with ``prm-client``
over JSON-2 in batches of ``--batch-size``, and a sample of ``--sample`` rows
with one call per row. The one-call-per-row time of the whole size is
extrapolated from the sample's time per row (said so in the output).

The server works on a copy of ``--database`` (``createdb -T``, dropped at
the end; the database must have no other connection meanwhile), or on a
throwaway database with ``--create``: the database given is left as it was.

Usage::

    python3 tests/benchmarks/bench_import.py --create [--size 10000]
    python3 tests/benchmarks/bench_import.py --database DB [--size 10000]

Exits 1 when the batched import takes more than ``--max-seconds`` (20) for
10,000 rows or more, or is not ``--min-ratio`` (15) times faster than one
call per row.
"""

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import benchlib

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools" / "prm_client"))

from prm_client import Config, PrmClient  # noqa: E402

LOGIN = "prm_bench_importer"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("-d", "--database", help="existing database to use")
    target.add_argument(
        "--create", action="store_true", help="create (and drop) a throwaway database"
    )
    parser.add_argument("-n", "--size", type=int, default=10000)
    parser.add_argument("--sample", type=int, default=500, help="rows sent one by one")
    parser.add_argument("--batch-size", type=int, default=2500)
    parser.add_argument("--max-seconds", type=float, default=20.0)
    parser.add_argument("--min-ratio", type=float, default=15.0)
    parser.add_argument("-c", "--config", help="Odoo configuration file")
    parser.add_argument("--addons-path", default=str(ROOT / "addons"))
    parser.add_argument("--keep", action="store_true", help="keep a --create database")
    return parser.parse_args()


def odoo_args(args, db):
    cli = ["--addons-path", args.addons_path, "-d", db, "--log-level", "warn"]
    if args.config:
        cli = ["-c", args.config, *cli]
    if os.environ.get("ODOO_DATA_DIR"):
        cli += ["--data-dir", os.environ["ODOO_DATA_DIR"]]
    return cli


def ensure_module(args, db):
    out = subprocess.run(
        [
            "psql",
            "-d",
            db,
            "-tAc",
            "SELECT 1 FROM ir_module_module WHERE name = 'prm_partner' "
            "AND state = 'installed'",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.stdout.strip() == "1":
        return
    print(f"installing prm_partner in {db} (a few minutes)...", flush=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "odoo",
            *odoo_args(args, db),
            "-i",
            "prm_partner",
            "--stop-after-init",
        ],
        check=True,
    )


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(args, db, port):
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "odoo",
            *odoo_args(args, db),
            "--http-interface",
            "127.0.0.1",
            "--http-port",
            str(port),
            "--max-cron-threads",
            "0",
            "--db-filter",
            f"^{db}$",
        ],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the Odoo server stopped while starting")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/web/health", timeout=5)
            return server
        except OSError:
            time.sleep(1)
    server.terminate()
    raise SystemExit("the Odoo server did not answer within 120 s")


def cpu_seconds(server):
    """CPU seconds the Odoo server process used so far: on a machine shared
    with other work, what the import cost regardless of the wait for a core."""
    import psutil

    times = psutil.Process(server.pid).cpu_times()
    return times.user + times.system


def with_env(args, db, func):
    """``func(env)`` as superuser in a committed transaction."""
    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    if odoo.tools.config.get("db_name") != db:
        odoo.tools.config.parse_config(odoo_args(args, db), setup_logging=True)
    try:
        with Registry(db).cursor() as cr:
            return func(api.Environment(cr, SUPERUSER_ID, {}))
    finally:
        # No connection left open: the database is dropped at the end.
        Registry.delete(db)
        odoo.sql_db.close_db(db)


def setup(env):
    """A program administrator with an API key; the references the rows use."""
    from datetime import timedelta

    from odoo import Command, fields

    user = (
        env["res.users"].with_context(active_test=False).search([("login", "=", LOGIN)])
    )
    if not user:
        user = env["res.users"].create(
            {"name": "Bench Importer", "login": LOGIN, "email": "bench@example.com"}
        )
    user.write(
        {
            "active": True,
            "group_ids": [
                Command.link(env.ref("base.group_user").id),
                Command.link(env.ref("prm_partner.group_prm_manager").id),
            ],
        }
    )
    key = (
        env["res.users.apikeys"]
        .with_user(user)
        .sudo()
        ._generate("rpc", "bench_import", fields.Datetime.now() + timedelta(days=1))
    )
    tiers = env["prm.tier"].search([], limit=4).mapped("name")
    if not tiers:
        tiers = (
            env["prm.tier"]
            .create(
                [{"name": f"Bench tier {i}", "sequence": 900 + i} for i in range(4)]
            )
            .mapped("name")
        )
    types = env["prm.partner.type"].search([], limit=4)
    return {
        "key": key,
        "tiers": tiers,
        "types": [t.code or t.name for t in types],
        "manager": user.login,
    }


def make_rows(refs, tag, start, count):
    countries = ["ES", "FR", "DE", "IT", "PT", "NL", "BE", "US"]
    rows = []
    for i in range(start, start + count):
        row = {
            "name": f"Bench {tag} partner {i}",
            "ref": f"BENCH-{tag}-{i}",
            "email": f"office{i}@bench-{tag}-{i}.example.com",
            "phone": f"+34 600 {i:06d}",
            "city": "Madrid",
            "country": countries[i % len(countries)],
            "territories": f"{countries[i % len(countries)]}, {countries[(i + 1) % len(countries)]}",
            "tier": refs["tiers"][i % len(refs["tiers"])],
            "manager": refs["manager"],
            "status": "prospect",
        }
        if refs["types"]:
            row["partner_type"] = refs["types"][i % len(refs["types"])]
        if i % 10 == 0:
            row["representatives"] = (
                f"Rep {i} <rep{i}@bench-{tag}-{i}.example.com> [admin]"
            )
        rows.append(row)
    return rows


def run(args, db):
    tag = str(int(time.time()))
    refs = with_env(args, db, setup)
    port = free_port()
    server = start_server(args, db, port)
    failures = []
    try:
        client = PrmClient(
            Config(
                url=f"http://127.0.0.1:{port}",
                db=db,
                api_key=refs["key"],
                transport="json2",
            )
        )
        benchlib.print_load("start")
        # Warm-up: registry caches and the HTTP worker, not timed.
        client.import_partners(make_rows(refs, tag, 10**7, 20), dry_run=True)

        rows = make_rows(refs, tag, 0, args.size)
        cpu = cpu_seconds(server)
        started = time.perf_counter()
        run_batched = client.import_partners(rows, batch_size=args.batch_size)
        batched = time.perf_counter() - started
        batched_cpu = cpu_seconds(server) - cpu

        sample = make_rows(refs, tag, args.size, args.sample)
        started = time.perf_counter()
        run_single = client.import_partners(sample, batch_size=1)
        single = time.perf_counter() - started
        benchlib.print_load("end")
    finally:
        server.terminate()
        server.wait(timeout=60)

    per_row = single / args.sample
    extrapolated = per_row * args.size
    ratio = extrapolated / batched
    calls = -(-args.size // args.batch_size)
    print(
        f"batched: {args.size} partners in {calls} calls of {args.batch_size}: "
        f"{batched:.2f} s ({args.size / batched:,.0f} rows/s), "
        f"{run_batched.counts()}; Odoo server CPU time {batched_cpu:.1f} s "
        "(PostgreSQL's not counted)"
    )
    print(
        f"one call per row: {args.sample} rows measured in {single:.2f} s "
        f"({per_row * 1000:.1f} ms per row), extrapolated to {args.size} rows: "
        f"{extrapolated:.1f} s"
    )
    print(f"ratio (one call per row, extrapolated / batched): {ratio:.1f}x")
    benchlib.report(
        f"partner import, prm-client batches of {args.batch_size}",
        args.size,
        batched,
        ratio=ratio,
        ratio_of="one call per row (extrapolated)",
        server_cpu=round(batched_cpu, 1),
    )
    for name, result in (("batched", run_batched), ("one call per row", run_single)):
        if result.failed:
            failures.append(
                f"{name}: {len(result.failed)} rows failed: {result.failed[0]}"
            )
    if args.size >= 10000 and batched > args.max_seconds:
        failures.append(f"batched import took {batched:.1f} s (> {args.max_seconds} s)")
    if ratio < args.min_ratio:
        failures.append(f"ratio {ratio:.1f}x below {args.min_ratio}x")
    return failures


def main():
    args = parse_args()
    stamp = int(time.time())
    if args.create:
        db = f"prm_bench_import_{stamp}"
        subprocess.run(["createdb", db], check=True)
    else:
        ensure_module(args, args.database)
        db = f"{args.database[:40]}_import_{stamp}"
        print(f"working on a copy of {args.database}: {db}", flush=True)
        subprocess.run(["createdb", "-T", args.database, db], check=True)
    try:
        ensure_module(args, db)
        failures = run(args, db)
    finally:
        if not (args.create and args.keep):
            subprocess.run(["dropdb", "--if-exists", db], check=False)
    for failure in failures:
        sys.stderr.write(f"FAIL {failure}\n")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
