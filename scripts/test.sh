#!/usr/bin/env bash
# `make test`: the whole suite on a real Odoo 19 and PostgreSQL, as CI runs it.
#   1. Python test dependencies   2. PostgreSQL   3. Chromium, wkhtmltopdf and pdftotext
#   4. Odoo 19 importable
#   5. linters
#   6. partial installs with demo data, as a company without CRM or Sales has them:
#      prm_partner alone, + CRM (brings prm_crm), + Sales (brings prm_sale), + Sales and
#      Inventory (brings prm_stock); each runs
#      the tests of the module it adds and uninstalls cleanly
#   7. a throwaway database with every prm_* module and demo data: uninstall check on
#      a copy, pytest-odoo over addons/*/tests and tests/; databases dropped.
# Extra arguments go to pytest (e.g. `make test ARGS="-k requalify"`).
# PRM_TEST_SKIP_LINT=1 skips step 5, PRM_TEST_SKIP_UNINSTALL=1 the uninstall checks,
# PRM_TEST_SKIP_COMBOS=1 the partial installs (alone, + CRM, + Sales), PRM_TEST_KEEP_DB=1 keeps the databases;
# PRM_TEST_DB=name PRM_TEST_REUSE_DB=1 updates an existing database instead of
# creating one (the quick loop while developing); ODOO_HTTP_PORT=n serves the tours on
# another port than 8069 (two checkouts testing side by side).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
map_docker_db_env

ensure_python_deps
ensure_postgres
ensure_chromium
ensure_pdf_tools
check_odoo
if [ "${PRM_TEST_SKIP_LINT:-0}" != "1" ]; then
    "$ROOT/scripts/lint.sh"
fi

MODULES="$(prm_modules)"
[ -n "$MODULES" ] || die "no addons/prm_* module found"
DB="${PRM_TEST_DB:-prm_test_$(date +%s)_$$}"
WORK="$(mktemp -d)"
if [ "${PRM_TEST_REUSE_DB:-0}" = "1" ]; then
    export PRM_TEST_KEEP_DB=1 ODOO_DATA_DIR="$ROOT/.odoo-data"
else
    export ODOO_DATA_DIR="$WORK/data"
fi
DATABASES=()

cleanup() {
    if [ "${PRM_TEST_KEEP_DB:-0}" != "1" ]; then
        local db
        for db in "${DATABASES[@]}"; do
            dropdb --if-exists "$db" >/dev/null 2>&1 || true
        done
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# install DB MODULES [update]: a database with MODULES and demo data; fails on any
# loading error Odoo only logs.
install() {
    local db="$1" modules="$2" log="$WORK/install_$1.log"
    local args=(-i "$modules" --with-demo)
    DATABASES+=("$db")
    write_odoo_conf "$db" "$WORK/$db.conf"
    if [ "${PRM_TEST_REUSE_DB:-0}" = "1" ] && psql -d postgres -tAc \
            "select 1 from pg_database where datname='$db'" | grep -q 1; then
        step "updating $modules in existing database $db"
        args=(-i "$modules" -u "$modules")
    else
        step "installing $modules with demo data into throwaway database $db"
        dropdb --if-exists "$db" >/dev/null 2>&1 || true
        createdb "$db" || die "createdb $db failed"
    fi
    if ! odoo_bin -c "$WORK/$db.conf" -d "$db" "${args[@]}" --stop-after-init \
            --log-level=warn >"$log" 2>&1; then
        tail -n 60 "$log"
        die "installing $modules failed"
    fi
    # Odoo logs some loading errors (bad view, failed data file) without a non-zero
    # exit, and installs a module without its demo data when that data fails (a warning).
    if grep -E "^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) |demo data failed to install" "$log" >/dev/null; then
        grep -E -A20 "^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) |demo data failed to install" "$log" | head -n 80
        die "errors while installing $modules"
    fi
    # Tours roll back the bundles they generate: build them once, committed.
    if ! "$PYTHON" "$ROOT/scripts/warm_assets.py" -c "$WORK/$db.conf" -d "$db" \
            >"$WORK/assets_$db.log" 2>&1; then
        tail -n 40 "$WORK/assets_$db.log"
        die "generating the asset bundles of $db failed"
    fi
}

# expect_installed DB MODULES: exactly these prm_* modules are installed (auto-install
# brings the bridges a combination needs, and no other).
expect_installed() {
    local db="$1" expected="$2" got
    got="$(psql -d "$db" -tAc "select string_agg(name, ',' order by name) from ir_module_module
            where name like 'prm\_%' and state = 'installed'")"
    [ "$got" = "$expected" ] || die "$db: expected the modules $expected installed, got $got"
}

# uninstall_check DB: uninstalls every prm_* module and checks nothing is left.
uninstall_check() {
    local db="$1" log="$WORK/uninstall_$1.log"
    [ "${PRM_TEST_SKIP_UNINSTALL:-0}" = "1" ] && return 0
    step "uninstall check on $db"
    if ! "$PYTHON" "$ROOT/scripts/check_uninstall.py" -c "$WORK/$db.conf" -d "$db" >"$log" 2>&1; then
        grep -v " WARNING \| INFO " "$log" | tail -n 40
        die "the prm_* modules of $db do not uninstall cleanly"
    fi
    tail -n 1 "$log"
}

# run_pytest DB PATH...: pytest-odoo over the test folders against DB.
run_pytest() {
    local db="$1"
    shift
    step "pytest-odoo on $db over: $*"
    set +e
    "$PYTHON" -m pytest --odoo-config="$WORK/$db.conf" --odoo-database="$db" --odoo-http \
        --odoo-log-level=warn -p no:cacheprovider "$@" "${PYTEST_ARGS[@]}"
    local rc=$?
    set -e
    # pytest exits 5 when it collected nothing: a run without tests is a failure here.
    return $rc
}
PYTEST_ARGS=("$@")

# 1. The combinations a company installs without one of the apps: each module's
#    own tests pass in the smallest install that holds it (prm_partner alone,
#    with CRM, with Sales), and each combination uninstalls cleanly. Skipped when
#    pytest arguments narrow the run (the quick loop) or with PRM_TEST_SKIP_COMBOS=1.
FAILED=()
if [ "${PRM_TEST_SKIP_COMBOS:-0}" != "1" ] && [ "$#" -eq 0 ]; then
    COMBOS=(
        "alone|prm_partner|prm_partner|$ADDONS_DIR/prm_partner/tests"
        "crm|prm_partner,crm|prm_crm,prm_partner|$ADDONS_DIR/prm_crm/tests"
        "sale|prm_partner,sale_management|prm_partner,prm_sale|$ADDONS_DIR/prm_sale/tests"
        "stock|prm_partner,sale_management,stock|prm_partner,prm_sale,prm_stock|$ADDONS_DIR/prm_stock/tests"
    )
    for combo in "${COMBOS[@]}"; do
        IFS='|' read -r name modules expected tests <<<"$combo"
        cdb="${DB}_$name"
        install "$cdb" "$modules"
        expect_installed "$cdb" "$expected"
        run_pytest "$cdb" "$tests" || FAILED+=("$name")
        uninstall_check "$cdb"
        [ "${PRM_TEST_KEEP_DB:-0}" = "1" ] || dropdb --if-exists "$cdb" >/dev/null 2>&1 || true
    done
fi

# 2. Everything: every prm_* module with demo data, the tests of every module and
#    the suite-wide ones (scenario, security, i18n), then the uninstall check on a
#    copy.
install "$DB" "$MODULES"
if [ "${PRM_TEST_SKIP_UNINSTALL:-0}" != "1" ]; then
    createdb -T "$DB" "${DB}_uninstall" || die "could not copy $DB"
    DATABASES+=("${DB}_uninstall")
    cp "$WORK/$DB.conf" "$WORK/${DB}_uninstall.conf"
    uninstall_check "${DB}_uninstall"
    dropdb --if-exists "${DB}_uninstall" >/dev/null 2>&1 || true
fi

TEST_PATHS=()
for d in "$ADDONS_DIR"/*/tests; do [ -d "$d" ] && TEST_PATHS+=("$d"); done
[ -d "$ROOT/tests" ] && TEST_PATHS+=("$ROOT/tests")
run_pytest "$DB" "${TEST_PATHS[@]}" || FAILED+=("all")

cleanup >/dev/null 2>&1
trap - EXIT
if [ "${#FAILED[@]}" -gt 0 ]; then
    die "tests failed in: ${FAILED[*]}"
fi
