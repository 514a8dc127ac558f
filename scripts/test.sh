#!/usr/bin/env bash
# `make test`: the whole suite on a real Odoo 19 and PostgreSQL, as CI runs it.
#   1. Python test dependencies   2. PostgreSQL   3. Chromium   4. Odoo 19 importable
#   5. linters                    6. throwaway database with every prm_* module and demo
#      data, pytest-odoo over addons/*/tests and tests/, database dropped.
# Extra arguments go to pytest (e.g. `make test ARGS="-k requalify"`).
# PRM_TEST_SKIP_LINT=1 skips step 5, PRM_TEST_SKIP_UNINSTALL=1 the uninstall check, PRM_TEST_KEEP_DB=1 keeps the database;
# PRM_TEST_DB=name PRM_TEST_REUSE_DB=1 updates an existing database instead of
# creating one (the quick loop while developing).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
map_docker_db_env

ensure_python_deps
ensure_postgres
ensure_chromium
check_odoo
if [ "${PRM_TEST_SKIP_LINT:-0}" != "1" ]; then
    "$ROOT/scripts/lint.sh"
fi

MODULES="$(prm_modules)"
[ -n "$MODULES" ] || die "no addons/prm_* module found"
DB="${PRM_TEST_DB:-prm_test_$(date +%s)_$$}"
WORK="$(mktemp -d)"
CONF="$WORK/odoo.conf"
if [ "${PRM_TEST_REUSE_DB:-0}" = "1" ]; then
    export PRM_TEST_KEEP_DB=1 ODOO_DATA_DIR="$ROOT/.odoo-data"
else
    export ODOO_DATA_DIR="$WORK/data"
fi
write_odoo_conf "$DB" "$CONF"

cleanup() {
    if [ "${PRM_TEST_KEEP_DB:-0}" != "1" ]; then
        dropdb --if-exists "$DB" >/dev/null 2>&1 || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

LOG="$WORK/install.log"
INSTALL_ARGS=(-i "$MODULES" --with-demo)
if [ "${PRM_TEST_REUSE_DB:-0}" = "1" ] && psql -d postgres -tAc \
        "select 1 from pg_database where datname='$DB'" | grep -q 1; then
    step "updating $MODULES in existing database $DB"
    INSTALL_ARGS=(-i "$MODULES" -u "$MODULES")
else
    step "installing $MODULES with demo data into throwaway database $DB"
    createdb "$DB" || die "createdb $DB failed"
fi
if ! odoo_bin -c "$CONF" -d "$DB" "${INSTALL_ARGS[@]}" --stop-after-init \
        --log-level=warn >"$LOG" 2>&1; then
    tail -n 60 "$LOG"
    die "installing $MODULES failed"
fi
# Odoo logs some loading errors (bad view, failed data file) without a non-zero
# exit, and installs a module without its demo data when that data fails (a warning).
if grep -E "^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) |demo data failed to install" "$LOG" >/dev/null; then
    grep -E -A20 "^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) |demo data failed to install" "$LOG" | head -n 80
    die "errors while installing $MODULES"
fi

if [ "${PRM_TEST_SKIP_UNINSTALL:-0}" != "1" ]; then
    step "uninstall check on a copy of $DB"
    createdb -T "$DB" "${DB}_uninstall" || die "could not copy $DB"
    ULOG="$WORK/uninstall.log"
    if ! "$PYTHON" "$ROOT/scripts/check_uninstall.py" -c "$CONF" -d "${DB}_uninstall" >"$ULOG" 2>&1; then
        grep -v " WARNING \| INFO " "$ULOG" | tail -n 40
        dropdb --if-exists "${DB}_uninstall" >/dev/null 2>&1 || true
        die "the prm_* modules do not uninstall cleanly"
    fi
    tail -n 1 "$ULOG"
    dropdb --if-exists "${DB}_uninstall" >/dev/null 2>&1 || true
fi

TEST_PATHS=()
for d in "$ADDONS_DIR"/*/tests; do [ -d "$d" ] && TEST_PATHS+=("$d"); done
[ -d "$ROOT/tests" ] && TEST_PATHS+=("$ROOT/tests")

step "pytest-odoo over ${#TEST_PATHS[@]} test folders"
set +e
"$PYTHON" -m pytest --odoo-config="$CONF" --odoo-database="$DB" --odoo-http \
    --odoo-log-level=warn -p no:cacheprovider "${TEST_PATHS[@]}" "$@"
rc=$?
set -e
cleanup >/dev/null 2>&1
trap - EXIT
# pytest exits 5 when it collected nothing: a run without tests is a failure here.
exit "$rc"
