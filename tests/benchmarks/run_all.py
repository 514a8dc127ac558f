#!/usr/bin/env python3
"""Runs every benchmark of this folder on one database and ends with one table.

Usage::

    python3 tests/benchmarks/run_all.py --database DB [--profile small|full]
        [--size N] [--only routing,sellout] [--json results.json]

``make bench`` calls it on a throwaway database holding every prm_* module
(``scripts/bench.sh``). Each ``bench_*.py`` runs in its own process with the
arguments of the chosen profile (``PROFILES``: *full* is each script's own
default size, the figures the README quotes; *small* proves the scripts and the
runner in minutes); ``--size`` gives every script that size instead. The
scripts print ``BENCH {json}`` result lines (``benchlib.report``): the runner
shows each script's output as it comes and collects those lines into the
table (scenario, size, seconds, SQL queries, queries per item, ratio against
the benchmark's baseline). A script that fails its own assertions (query
counts, ratios) is marked FAIL and makes the exit status 1; the others still
run.
"""

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import benchlib  # noqa: E402

# Script -> arguments per profile. The size option is the script's own
# (``bench_requalify`` counts partners, the others rows or items).
PROFILES = {
    "full": {},
    "small": {
        "bench_activation": ["--size", "2000", "--batch", "100"],
        "bench_application_intake": ["--size", "1000"],
        "bench_apply_burst": ["--size", "60", "--clients", "4"],
        "bench_channel_report": ["--size", "2000", "--repeat", "1"],
        "bench_import": ["--size", "1000", "--sample", "50"],
        "bench_incentives": ["--size", "2000", "--partners", "20"],
        "bench_posting_overhead": ["--size", "20"],
        "bench_requalify": ["--partners", "300"],
        "bench_routing": ["--size", "200", "--partners", "40", "--repeat", "1"],
        "bench_sellout": ["--size", "2000"],
        "bench_vs_oca": ["--size", "2000", "--partners", "20"],
    },
}
COLUMNS = (
    ("scenario", "<", 56),
    ("size", ">", 8),
    ("seconds", ">", 9),
    ("queries", ">", 8),
    ("q/item", ">", 8),
    ("ratio", ">", 7),
    ("notes", "<", 0),
)
# Keys of a result row that have their own column (the others go to notes).
STANDARD_KEYS = {
    "scenario",
    "size",
    "seconds",
    "queries",
    "per_item",
    "ratio",
    "ratio_of",
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--profile", choices=sorted(PROFILES), default="full")
    parser.add_argument(
        "-n", "--size", type=int, help="one size for every script (overrides)"
    )
    parser.add_argument(
        "--only", help="comma-separated parts of script names to run (e.g. sellout)"
    )
    parser.add_argument("--json", help="also write the results to this file")
    return parser.parse_args()


def scripts(only=None):
    found = sorted(HERE.glob("bench_*.py"))
    if only:
        keys = [key.strip() for key in only.split(",") if key.strip()]
        found = [path for path in found if any(key in path.stem for key in keys)]
    return found


def script_args(path, profile, size):
    if size:
        return ["--size", str(size)]
    return list(PROFILES[profile].get(path.stem, []))


def run(path, args):
    """Runs one script, echoing its output; returns (exit status, results,
    seconds)."""
    command = [sys.executable, str(path), "--database", args.database]
    command += script_args(path, args.profile, args.size)
    print(f"\n==> {' '.join([path.name, *command[2:]])}", flush=True)
    results = []
    started = time.perf_counter()
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
        cwd=HERE.parents[1],
    ) as process:
        for line in process.stdout:
            if line.startswith(benchlib.RESULT_PREFIX):
                results.append(json.loads(line[len(benchlib.RESULT_PREFIX) :]))
            else:
                sys.stdout.write(line)
                sys.stdout.flush()
        status = process.wait()
    return status, results, time.perf_counter() - started


def cell(value, digits=3):
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else str(value)
    return str(value)


def table(runs):
    """The one table: a row per result, then a line per script with its
    verdict."""
    header = " ".join(f"{name:{align}{width}}" for name, align, width in COLUMNS)
    lines = [header.rstrip(), "-" * len(header)]
    for path, status, results, seconds in runs:
        for row in results:
            ratio = row.get("ratio")
            notes = ", ".join(
                f"{key}={value}"
                for key, value in row.items()
                if key not in STANDARD_KEYS
            )
            values = (
                row["scenario"][:56],
                cell(row["size"]),
                f"{row['seconds']:.2f}",
                cell(row.get("queries")),
                cell(row.get("per_item")),
                f"{ratio:.2f}x" if ratio is not None else "-",
                notes,
            )
            lines.append(
                " ".join(
                    f"{value:{align}{width}}"
                    for value, (_n, align, width) in zip(values, COLUMNS, strict=True)
                ).rstrip()
            )
        verdict = "ok" if status == 0 else f"FAIL (exit {status})"
        if not results:
            verdict += ", no result reported"
        lines.append(f"  {path.stem}: {verdict} in {seconds:.0f} s")
    return "\n".join(lines)


def main():
    args = parse_args()
    paths = scripts(args.only)
    if not paths:
        sys.stderr.write("no benchmark script matches\n")
        return 2
    runs = []
    for path in paths:
        status, results, seconds = run(path, args)
        runs.append((path, status, results, seconds))
    print(
        f"\nmake bench: profile {args.profile}"
        + (f", size {args.size}" if args.size else "")
    )
    print(table(runs))
    ratios = [
        f"{row['scenario']}: {row['ratio_of']}"
        for _p, _s, results, _t in runs
        for row in results
        if row.get("ratio") is not None and row.get("ratio_of")
    ]
    if ratios:
        print("ratios: " + "; ".join(ratios))
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                [
                    {"script": path.stem, "status": status, "results": results}
                    for path, status, results, _t in runs
                ],
                indent=2,
            )
        )
    failed = [path.stem for path, status, _r, _t in runs if status]
    if failed:
        sys.stderr.write(f"FAILED: {', '.join(failed)}\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
