#!/usr/bin/env bash
# `make bench [N=size]`: every tests/benchmarks/bench_*.py against a throwaway
# database holding every prm_* module (no demo data), then the database is dropped.
# Each benchmark is run as `bench_x.py --database DB [--size N]`; it prints its
# figures and exits non-zero when an asserted query count or ratio fails.
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

step "installing $MODULES into throwaway database $DB"
createdb "$DB" || die "createdb $DB failed"
LOG="$WORK/install.log"
if ! odoo_bin -c "$CONF" -d "$DB" -i "$MODULES" --stop-after-init --log-level=warn >"$LOG" 2>&1; then
    tail -n 60 "$LOG"
    die "installing $MODULES failed"
fi

rc=0
for bench in "${BENCHES[@]}"; do
    step "$(basename "$bench")${SIZE:+ --size $SIZE}"
    args=(--database "$DB")
    [ -n "$SIZE" ] && args+=(--size "$SIZE")
    "$PYTHON" "$bench" "${args[@]}" || { rc=1; printf 'FAILED: %s\n' "$(basename "$bench")" >&2; }
done
exit "$rc"
