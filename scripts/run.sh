#!/usr/bin/env bash
# `make run`: Odoo on http://localhost:8069 with database prm_demo holding every
# prm_* module and demo data (created on first run, updated and reused after).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
map_docker_db_env

ensure_postgres
check_odoo

DB="${PRM_DEMO_DB:-prm_demo}"
PORT="${PRM_HTTP_PORT:-8069}"
MODULES="$(prm_modules)"
CONF="$ROOT/.odoo-data/odoo-run.conf"
mkdir -p "$ROOT/.odoo-data"
export ODOO_CRON_THREADS=1
write_odoo_conf "$DB" "$CONF"
sed -i 's/^http_interface = .*/http_interface = 0.0.0.0/' "$CONF"

if ! psql -d postgres -tAc "select 1 from pg_database where datname='$DB'" | grep -q 1; then
    step "creating $DB with $MODULES and demo data (first run)"
    createdb "$DB"
    odoo_bin -c "$CONF" -d "$DB" -i "$MODULES" --with-demo --stop-after-init --log-level=warn
else
    step "updating $MODULES in $DB"
    odoo_bin -c "$CONF" -d "$DB" -i "$MODULES" -u "$MODULES" --stop-after-init --log-level=warn
fi

cat <<MSG

  Odoo PRM demo: http://localhost:$PORT/odoo   (database $DB)
  Logins (login / password):
    admin    / admin     administrator, Partner Program administrator
    demo     / demo      channel manager (Partner Program user)
    portal   / portal    portal user of a demo partner
  Stop with Ctrl+C.

MSG
if command -v odoo >/dev/null 2>&1; then
    exec odoo -c "$CONF" -d "$DB" --http-port "$PORT"
fi
exec "$PYTHON" -m odoo -c "$CONF" -d "$DB" --http-port "$PORT"
