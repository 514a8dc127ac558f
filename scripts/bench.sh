#!/usr/bin/env bash
# `make bench [BENCH_SIZE=small|full] [N=size] [ONLY=routing,sellout]`: every
# tests/benchmarks/bench_*.py against a throwaway database holding every prm_*
# module (no demo data), then the database is dropped. tests/benchmarks/run_all.py
# runs each script with the profile's arguments (full: the scripts' own sizes;
# small: minutes in all; N: one size for all), shows their output and ends with
# one table; it exits non-zero when a script's asserted query count or ratio fails.
# PRM_BENCH_TEMPLATE=db copies that database (every prm_* module installed)
# instead of installing into an empty one.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
map_docker_db_env

SIZE="${1:-}"
ensure_postgres
check_odoo

MODULES="$(prm_modules)"
[ -n "$MODULES" ] || die "no addons/prm_* module found"
shopt -s nullglob
BENCHES=("$ROOT"/tests/benchmarks/bench_*.py)
[ "${#BENCHES[@]}" -gt 0 ] || die "no tests/benchmarks/bench_*.py found"

DB="${PRM_BENCH_DB:-prm_bench_$(date +%s)_$$}"
WORK="$(mktemp -d)"
CONF="$WORK/odoo.conf"
export ODOO_DATA_DIR="$WORK/data"
write_odoo_conf "$DB" "$CONF"
cleanup() {
    dropdb --if-exists "$DB" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

LOG="$WORK/install.log"
if [ -n "${PRM_BENCH_TEMPLATE:-}" ]; then
    # A copy of a database that already has every module (quicker than an
    # install; the benchmarks make their own data and roll it back).
    step "copying $PRM_BENCH_TEMPLATE into throwaway database $DB"
    createdb -T "$PRM_BENCH_TEMPLATE" "$DB" || die "createdb -T $PRM_BENCH_TEMPLATE failed"
    MODULES_MISSING="$(psql -d "$DB" -tAc "select string_agg(name, ',') from ir_module_module
        where name = any(string_to_array('$MODULES', ',')) and state != 'installed'")"
    [ -z "$MODULES_MISSING" ] || die "$PRM_BENCH_TEMPLATE lacks $MODULES_MISSING"
else
    step "installing $MODULES into throwaway database $DB"
    createdb "$DB" || die "createdb $DB failed"
    if ! odoo_bin -c "$CONF" -d "$DB" -i "$MODULES" --stop-after-init --log-level=warn >"$LOG" 2>&1; then
        tail -n 60 "$LOG"
        die "installing $MODULES failed"
    fi
fi

args=(--database "$DB" --profile "${BENCH_SIZE:-full}")
[ -n "$SIZE" ] && args+=(--size "$SIZE")
[ -n "${ONLY:-}" ] && args+=(--only "$ONLY")
step "tests/benchmarks/run_all.py ${args[*]}"
"$PYTHON" "$ROOT/tests/benchmarks/run_all.py" "${args[@]}"
