#!/usr/bin/env python3
"""Benchmark: a burst on the public "Become a partner" form.

Usage:
    python3 tests/benchmarks/bench_apply_burst.py --database DB [--size N]
        [--clients 20] [--port 8199]

``DB`` is an existing database with prm_portal installed. The script starts
Odoo on it with 2 HTTP workers (``--proxy-mode``, on 127.0.0.1 only), then
``--clients`` concurrent clients (threads, each with its own session and its
own client address in ``X-Forwarded-For``) post N applications in total
(default 500) to ``/partner-program/apply``: two posts in five send again one
of the first tenth of the companies (same name and email domain). The per-address and per-domain limits are
set for the run (``prm_portal.apply_limit_ip`` = 20, ``..._email`` = 3), so
some posts are refused.

It prints the throughput (posts per second) and the median and 95th percentile
latency, and fails when:
- a request answers anything but 303 (stored, to the thank-you page) or 429
  (rate-limited: the page says so), e.g. a 500;
- the applications stored for the run differ from the 303 answers (each
  accepted submission stored exactly once);
- a company accepted twice has a later application not flagged as a
  duplicate.

Unlike the other benchmarks, the server commits: the run's applications stay
in DB (``make bench`` drops its throwaway database); their emails end in
``.bench<run>.example.com`` and the limits are restored afterwards.
"""

import os
import re
import statistics
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import benchlib
import requests

LIMITS = {"prm_portal.apply_limit_ip": "20", "prm_portal.apply_limit_email": "3"}
REPEATED_SHARE = 0.4


def parse_args():
    parser = benchlib.arg_parser(__doc__, 500)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--port", type=int, default=8199)
    return parser.parse_args()


def odoo_env(args):
    """A cursor-owning environment factory on the database (commits)."""
    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    cli = [
        "--addons-path",
        args.addons_path,
        "-d",
        args.database,
        "--log-level",
        "warn",
    ]
    if args.config:
        cli = ["-c", args.config, *cli]
    odoo.tools.config.parse_config(cli, setup_logging=True)
    registry = Registry(args.database)

    def run(func):
        with registry.cursor() as cr:
            return func(api.Environment(cr, SUPERUSER_ID, {}))

    return run


def set_limits(env, values):
    previous = {}
    Param = env["ir.config_parameter"]
    for key, value in values.items():
        previous[key] = Param.get_param(key) or False
        Param.set_param(key, value)
    return previous


def start_server(args):
    command = [
        sys.executable,
        "-m",
        "odoo",
        "--addons-path",
        args.addons_path,
        "-d",
        args.database,
        "--db-filter",
        f"^{re.escape(args.database)}$",
        "--workers",
        "2",
        "--max-cron-threads",
        "0",
        "--http-interface",
        "127.0.0.1",
        "--http-port",
        str(args.port),
        "--proxy-mode",
        "--limit-time-real",
        "300",
        "--log-level",
        "warn",
    ]
    if args.config:
        command[3:3] = ["-c", args.config]
    if os.environ.get("ODOO_DATA_DIR"):
        command += ["--data-dir", os.environ["ODOO_DATA_DIR"]]
    log = open(f"/tmp/bench_apply_burst_{args.port}.log", "w")  # noqa: SIM115
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{args.port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{url}/web/login", timeout=5).status_code == 200:
                return server, url
        except requests.RequestException:
            pass
        time.sleep(1)
    server.terminate()
    raise SystemExit("the Odoo server did not answer within 120 s")


def submissions(size, run):
    """(company index, form values): two in five posts repeat one of the first
    tenth of the companies, so that some email domains go over their limit."""
    distinct = max(1, round(size * (1 - REPEATED_SHARE)))
    repeated = max(1, distinct // 10)
    rows = []
    for i in range(size):
        k = i if i < distinct else (i - distinct) % repeated
        rows.append(
            (
                k,
                {
                    "name": f"Burst Company {run}-{k}",
                    "contact_name": f"Contact {i}",
                    "email": f"c{i}@company{k}.bench{run}.example.com",
                    "declared_revenue": str(1000 * (i % 50)),
                    "headcount": str(i % 40),
                },
            )
        )
    return rows


def client(url, address, rows):
    """One visitor's session: the form once, then its posts."""
    session = requests.Session()
    headers = {"X-Forwarded-For": address, "X-Forwarded-Host": url.split("//", 1)[1]}
    page = session.get(f"{url}/partner-program/apply", headers=headers, timeout=60)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    results = []
    for k, values in rows:
        start = time.perf_counter()
        response = session.post(
            f"{url}/partner-program/apply",
            data={"csrf_token": token, **values},
            headers=headers,
            allow_redirects=False,
            timeout=120,
        )
        elapsed = time.perf_counter() - start
        limited_text = (
            response.status_code != 429 or "Too many applications" in response.text
        )
        results.append((k, response.status_code, elapsed, limited_text))
    return results


def main():
    args = parse_args()
    run = uuid.uuid4().hex[:8]
    run_in_db = odoo_env(args)
    if not run_in_db(
        lambda env: env["ir.module.module"].search_count(
            [("name", "=", "prm_portal"), ("state", "=", "installed")]
        )
    ):
        sys.stderr.write(f"prm_portal is not installed in {args.database}\n")
        return 2
    previous = run_in_db(lambda env: set_limits(env, LIMITS))
    benchlib.print_load("start")
    server, url = start_server(args)
    rows = submissions(args.size, run)
    per_client = [rows[c :: args.clients] for c in range(args.clients)]
    try:
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.clients) as pool:
            futures = [
                pool.submit(client, url, f"127.{int(run[:2], 16)}.{c}.1", chunk)
                for c, chunk in enumerate(per_client)
            ]
            results = [result for future in futures for result in future.result()]
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(60)
        run_in_db(lambda env: set_limits(env, previous))
    benchlib.print_load("end")

    statuses = {}
    for _k, status, _elapsed, _text in results:
        statuses[status] = statuses.get(status, 0) + 1
    latencies = sorted(elapsed for _k, _s, elapsed, _t in results)
    p95 = latencies[max(0, round(0.95 * len(latencies)) - 1)]
    print(
        f"{len(results)} posts from {args.clients} clients in {wall:.1f} s: "
        f"{len(results) / wall:.1f} posts/s; latency median "
        f"{statistics.median(latencies) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms"
    )
    print("answers: " + ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items())))
    benchlib.report(
        f"apply form burst, {args.clients} clients",
        len(results),
        wall,
        posts_per_second=round(len(results) / wall, 1),
        p95_ms=round(p95 * 1000),
    )

    failures = []
    unexpected = {s: n for s, n in statuses.items() if s not in (303, 429)}
    if unexpected:
        failures.append(f"answers other than 303/429: {unexpected}")
    if not all(text for *_rest, text in results):
        failures.append("a 429 answer does not say why")
    accepted = [k for k, status, *_rest in results if status == 303]

    def check_storage(env):
        apps = (
            env["prm.application"]
            .with_context(active_test=False)
            .search([("email", "=like", f"%.bench{run}.example.com")], order="id")
        )
        print(
            f"stored: {len(apps)} applications for {len(accepted)} accepted posts; "
            f"{statuses.get(429, 0)} rate-limited"
        )
        if len(apps) != len(accepted):
            failures.append(
                f"{len(apps)} applications stored for {len(accepted)} accepted posts"
            )
        emails = apps.mapped("email")
        if len(emails) != len(set(emails)):
            failures.append("a submission was stored twice")
        seen = set()
        unflagged = 0
        for app in apps:
            if (
                app.name in seen
                and app.duplicate_status == "none"
                and app.state != "merged"
            ):
                unflagged += 1
            seen.add(app.name)
        if unflagged:
            failures.append(f"{unflagged} repeated companies not flagged as duplicates")

    run_in_db(check_storage)
    for failure in failures:
        sys.stderr.write(f"FAIL {failure}\n")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
