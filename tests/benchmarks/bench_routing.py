#!/usr/bin/env python3
"""Lead routing benchmark: Odoo's geo-assignment against PRM routing.

Both run on the same leads and the same partner base, in one database that has
``prm_crm`` and Odoo's ``website_crm_partner_assign`` installed:

* Odoo: ``crm.lead.assign_partner()`` (``search_geo_partner`` then
  ``assign_geo_localize``); leads and partners carry latitude/longitude
  beforehand, so no geocoding service is called (this machine has no internet).
* PRM: ``prm.routing.rule._prm_route_leads(leads)`` with a weighted rule.

Each run happens inside a savepoint that is rolled back, and all the benchmark
data is rolled back at the end: an existing database is left as it was.

Usage::

    python3 tests/benchmarks/bench_routing.py --create [--size 1000]
    python3 tests/benchmarks/bench_routing.py --database DB [--size 1000]

Exits 1 when PRM routing is not at least ``--min-ratio`` times faster, or when
its query count exceeds ``--max-queries``.
"""

import argparse
import random
import subprocess
import sys
import time
from pathlib import Path

import benchlib

ROOT = Path(__file__).resolve().parents[2]
ADDONS = ROOT / "addons"
MODULES = ("prm_crm", "website_crm_partner_assign")

# (country code, latitude, longitude) of a few cities per country.
CITIES = {
    "es": [(40.42, -3.70), (41.39, 2.17), (37.39, -5.98), (39.47, -0.38)],
    "fr": [(48.86, 2.35), (45.76, 4.84), (43.30, 5.37), (44.84, -0.58)],
    "de": [(52.52, 13.40), (48.14, 11.58), (50.94, 6.96), (53.55, 9.99)],
    "it": [(41.90, 12.50), (45.46, 9.19), (40.85, 14.27), (45.07, 7.69)],
    "us": [(40.71, -74.01), (34.05, -118.24), (41.88, -87.63), (47.61, -122.33)],
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--database", help="existing database to use")
    target.add_argument(
        "--create", action="store_true", help="create (and drop) a throwaway database"
    )
    parser.add_argument("--size", type=int, default=1000, help="number of leads")
    parser.add_argument("--partners", type=int, default=200, help="channel partners")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--min-ratio", type=float, default=10.0)
    parser.add_argument("--max-queries", type=int, default=150)
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each method; the best counts"
    )
    parser.add_argument("--keep", action="store_true", help="keep a --create database")
    return parser.parse_args()


def odoo_cmd(db, *args):
    return [
        sys.executable,
        "-m",
        "odoo",
        "-d",
        db,
        f"--addons-path={ADDONS}",
        "--log-level=warn",
        "--stop-after-init",
        *args,
    ]


def ensure_modules(db):
    """Install the modules the benchmark compares, if they are missing."""
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
    subprocess.run(odoo_cmd(db, "-i", ",".join(MODULES)), check=True)


def setup_data(env, size, partner_count, seed):
    """Partners (grades for Odoo, tiers for PRM) and leads, all geolocated."""
    from odoo import Command

    rng = random.Random(seed)
    countries = {
        code: env.ref(f"base.{code}") for code in CITIES
    }  # res.country per code
    weights = (1, 2, 4, 8)
    Tier = env["prm.tier"]
    top = max(Tier.with_context(active_test=False).search([]).mapped("sequence") or [0])
    tiers = Tier.create(
        [
            {
                "name": f"Bench tier {w}",
                "sequence": top + 1000 + i,
                "routing_weight": w,
                "company_id": False,
            }
            for i, w in enumerate(weights)
        ]
    )
    grades = env["res.partner.grade"].create(
        [{"name": f"Bench grade {w}", "partner_weight": w} for w in weights]
    )
    bench_type = env["prm.partner.type"].create(
        {"name": "Bench type", "code": f"bench_{seed}_{int(time.time())}"}
    )
    partner_vals = []
    for i in range(partner_count):
        code = list(CITIES)[i % len(CITIES)]
        lat, lng = rng.choice(CITIES[code])
        level = i % len(weights)
        partner_vals.append(
            {
                "name": f"Bench partner {i}",
                "is_company": True,
                "email": f"partner{i}@bench.example.com",
                "country_id": countries[code].id,
                "partner_latitude": lat + rng.uniform(-1, 1),
                "partner_longitude": lng + rng.uniform(-1, 1),
                "grade_id": grades[level].id,
                "prm_is_partner": True,
                "prm_state": "active",
                "prm_tier_id": tiers[level].id,
                "prm_partner_type_id": bench_type.id,
                "prm_country_ids": [Command.set(countries[code].ids)],
            }
        )
    partners = env["res.partner"].create(partner_vals)
    env["prm.routing.rule"].create(
        {
            "name": "Bench weighted",
            "sequence": -1000,
            "company_id": False,
            "partner_type_ids": [Command.set(bench_type.ids)],
            "distribution": "weighted",
            "sla_hours": 48,
        }
    )
    lead_vals = []
    for i in range(size):
        code = rng.choice(list(CITIES))
        lat, lng = rng.choice(CITIES[code])
        lead_vals.append(
            {
                "name": f"Bench lead {i}",
                "type": "lead",
                "user_id": False,
                "team_id": False,
                "country_id": countries[code].id,
                "partner_latitude": lat + rng.uniform(-2, 2),
                "partner_longitude": lng + rng.uniform(-2, 2),
            }
        )
    leads = env["crm.lead"].create(lead_vals)
    env.flush_all()
    return partners, leads


def measure(env, label, func, repeat):
    """Best of ``repeat`` runs of ``func``, each on a cold ORM cache inside a
    savepoint that is rolled back (every run sees the same data)."""
    cr = env.cr
    best = None
    for _i in range(repeat):
        env.flush_all()
        env.invalidate_all()
        savepoint = cr.savepoint(flush=True)
        try:
            queries = cr.sql_log_count
            start = time.perf_counter()
            result = func()
            env.flush_all()
            elapsed = time.perf_counter() - start
            queries = cr.sql_log_count - queries
        finally:
            savepoint.close(rollback=True)
            env.invalidate_all()
        if best is None or elapsed < best[0]:
            best = (elapsed, queries, result)
    elapsed, queries, result = best
    print(f"  {label:<38} {elapsed:8.3f} s {queries:8d} queries   {result}")
    return elapsed, queries


def run(db, args):
    import odoo
    from odoo.modules.registry import Registry
    from odoo.tools import config

    config.parse_config(
        ["-d", db, f"--addons-path={ADDONS}", "--log-level=warn"], setup_logging=True
    )
    registry = Registry(db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": False})
        print(
            f"setting up {args.partners} partners and {args.size} geolocated leads...",
            flush=True,
        )
        _partners, leads = setup_data(env, args.size, args.partners, args.seed)

        print(f"routing {len(leads)} leads (best of {args.repeat} runs):")

        def odoo_assign():
            leads.assign_partner()
            assigned = leads.filtered("partner_assigned_id")
            return f"{len(assigned)} assigned"

        def prm_route():
            offers = env["prm.routing.rule"]._prm_route_leads(leads)
            return f"{len(offers)} offers, {len(offers.partner_id)} partners"

        odoo_time, odoo_queries = measure(
            env, "Odoo assign_partner (geo, per lead)", odoo_assign, args.repeat
        )
        prm_time, prm_queries = measure(
            env, "PRM _prm_route_leads (batched)", prm_route, args.repeat
        )
        ratio = odoo_time / prm_time if prm_time else float("inf")
        print(
            f"ratio: PRM is {ratio:.1f}x faster "
            f"({odoo_queries} vs {prm_queries} queries)"
        )
        benchlib.report(
            "routing: Odoo assign_partner", len(leads), odoo_time, odoo_queries
        )
        benchlib.report(
            "routing: PRM _prm_route_leads",
            len(leads),
            prm_time,
            prm_queries,
            ratio=ratio,
            ratio_of="Odoo seconds / PRM seconds",
        )
        cr.rollback()
    ok = True
    if ratio < args.min_ratio:
        print(f"FAIL: ratio {ratio:.1f} below {args.min_ratio}")
        ok = False
    if prm_queries > args.max_queries:
        print(f"FAIL: PRM routing ran {prm_queries} queries (max {args.max_queries})")
        ok = False
    return ok


def main():
    args = parse_args()
    db = args.database
    if args.create:
        db = f"prm_bench_{int(time.time())}"
        subprocess.run(["createdb", db], check=True)
    try:
        ensure_modules(db)
        ok = run(db, args)
    finally:
        if args.create and not args.keep:
            subprocess.run(["dropdb", "--if-exists", db], check=False)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
