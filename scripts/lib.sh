# shellcheck shell=bash
# Shared helpers for scripts/test.sh, scripts/run.sh and scripts/lint.sh.
# Each step prints one line "==> step" so a CI log reads top to bottom.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ADDONS_DIR="$ROOT/addons"
PYTHON="${PYTHON:-python3}"

step() { printf '==> %s\n' "$*"; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }
is_root() { [ "$(id -u)" = "0" ]; }

# The official odoo image configures the database with HOST/PORT/USER/PASSWORD;
# libpq (and therefore Odoo and psql) reads PG* variables. Map one onto the other.
map_docker_db_env() {
    [ -n "${HOST:-}" ] && [ -z "${PGHOST:-}" ] && export PGHOST="$HOST"
    [ -n "${PORT:-}" ] && [ -z "${PGPORT:-}" ] && export PGPORT="$PORT"
    [ -n "${USER:-}" ] && [ -n "${PASSWORD:-}" ] && [ -z "${PGUSER:-}" ] && export PGUSER="$USER"
    [ -n "${PASSWORD:-}" ] && [ -z "${PGPASSWORD:-}" ] && export PGPASSWORD="$PASSWORD"
    return 0
}

# Every prm_* module found in addons/, comma separated, in a stable order.
prm_modules() {
    local m list=""
    for m in "$ADDONS_DIR"/prm_*/__manifest__.py; do
        [ -f "$m" ] || continue
        m="$(basename "$(dirname "$m")")"
        list="${list:+$list,}$m"
    done
    printf '%s' "$list"
}

ensure_python_deps() {
    step "Python test dependencies (requirements-test.txt)"
    local log
    log="$(mktemp)"
    if ! "$PYTHON" -m pip install --disable-pip-version-check -q -r "$ROOT/requirements-test.txt" >"$log" 2>&1; then
        # Debian/Ubuntu Pythons (the odoo:19 image) refuse pip without this flag.
        if grep -q "externally-managed-environment" "$log"; then
            "$PYTHON" -m pip install --disable-pip-version-check -q --break-system-packages \
                -r "$ROOT/requirements-test.txt" >"$log" 2>&1 || { cat "$log"; die "pip install failed"; }
        else
            cat "$log"
            die "pip install -r requirements-test.txt failed"
        fi
    fi
    rm -f "$log"
}

pg_answers() { pg_isready -q -t 3 >/dev/null 2>&1; }

# Make sure a PostgreSQL server answers. With PG* variables set we only wait for
# that server; as root with no server we install/start Debian's and create a
# superuser role named after the current user (Odoo refuses to run as 'postgres').
ensure_postgres() {
    step "PostgreSQL server"
    command -v pg_isready >/dev/null 2>&1 || {
        is_root || die "pg_isready not found: install the PostgreSQL client (Debian: postgresql-client)"
        apt-get install -y -q postgresql-client >/dev/null 2>&1 || die "could not install postgresql-client"
    }
    local i
    if [ -n "${PGHOST:-}" ]; then
        for i in $(seq 1 30); do pg_answers && break; sleep 1; done
        pg_answers || die "no PostgreSQL server answers at PGHOST=$PGHOST PGPORT=${PGPORT:-5432}"
    fi
    if ! pg_answers; then
        is_root || die "no PostgreSQL server answers; start one or set PGHOST/PGPORT/PGUSER/PGPASSWORD"
        if ! command -v pg_lsclusters >/dev/null 2>&1 || [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
            if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
                step "installing Debian's postgresql"
                apt-get update -q >/dev/null 2>&1 || true
                DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null 2>&1 \
                    || die "apt-get install postgresql failed"
            fi
            if [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
                local ver
                ver="$(ls /usr/lib/postgresql | sort -n | tail -1)"
                pg_createcluster "$ver" main >/dev/null || die "pg_createcluster failed"
            fi
        fi
        local ver name
        read -r ver name _ < <(pg_lsclusters -h | head -1)
        pg_ctlcluster "$ver" "$name" start >/dev/null 2>&1 || true
        for i in $(seq 1 30); do pg_answers && break; sleep 1; done
        pg_answers || die "PostgreSQL cluster $ver/$name did not start (see /var/log/postgresql)"
    fi
    # A role for the current user when we are the local superuser's neighbour.
    if ! psql -d postgres -tAc "select 1" >/dev/null 2>&1; then
        is_root || die "PostgreSQL answers but refuses role '$(id -un)'; set PGUSER/PGPASSWORD"
        su postgres -c "createuser --superuser $(id -un)" >/dev/null 2>&1 || true
        psql -d postgres -tAc "select 1" >/dev/null 2>&1 \
            || die "could not create a PostgreSQL role for $(id -un)"
    fi
}

ensure_chromium() {
    step "headless Chromium (for tours)"
    local b
    for b in chromium chromium-browser google-chrome google-chrome-stable; do
        command -v "$b" >/dev/null 2>&1 && return 0
    done
    if is_root && command -v apt-get >/dev/null 2>&1; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1 || {
            apt-get update -q >/dev/null 2>&1 || true
            DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1 \
                || die "apt-get install chromium failed"
        }
    else
        die "Chromium is missing: install chromium (tours run in headless Chromium)"
    fi
}

# wkhtmltopdf renders the statement PDFs (the official odoo image ships it) and
# pdftotext (poppler-utils) lets the tests read them back: both from Debian where
# missing, as root; otherwise say what to install.
ensure_pdf_tools() {
    step "wkhtmltopdf and pdftotext (statement PDFs)"
    local missing=()
    command -v wkhtmltopdf >/dev/null 2>&1 || missing+=(wkhtmltopdf)
    command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
    [ "${#missing[@]}" -eq 0 ] && return 0
    if is_root && command -v apt-get >/dev/null 2>&1; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
                "${missing[@]}" >/dev/null 2>&1 || {
            apt-get update -q >/dev/null 2>&1 || true
            DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
                "${missing[@]}" >/dev/null 2>&1 \
                || die "apt-get install ${missing[*]} failed"
        }
    else
        die "the statement PDF tests render with wkhtmltopdf and read the PDF back with pdftotext: install ${missing[*]} (sudo apt-get install ${missing[*]})"
    fi
}

check_odoo() {
    step "Odoo 19.0 importable"
    local version
    if ! version="$("$PYTHON" -c 'import odoo.release as r; print(r.series)' 2>/dev/null)"; then
        cat >&2 <<'MSG'
ERROR: `python3 -c "import odoo"` fails: Odoo 19.0 is not installed for this Python.

These add-ons are tested against a real Odoo 19.0 Community. Provide it in one of two ways:
  * Docker (no local Odoo needed):   docker compose run --rm tests
  * A source install of Odoo 19.0:   git clone -b 19.0 --depth 1 https://github.com/odoo/odoo
                                     pip install -r odoo/requirements.txt && pip install -e ./odoo
    (or put the Odoo source folder on PYTHONPATH), then run `make test` again.
MSG
        exit 1
    fi
    [ "$version" = "19.0" ] || die "found Odoo $version, these add-ons need Odoo 19.0"
}

odoo_bin() {
    if command -v odoo >/dev/null 2>&1; then
        odoo "$@"
    else
        "$PYTHON" -m odoo "$@"
    fi
}

# Writes an Odoo configuration for database $1 to stdout's named file $2.
write_odoo_conf() {
    local db="$1" conf="$2"
    {
        echo "[options]"
        echo "addons_path = $ADDONS_DIR"
        echo "db_name = $db"
        echo "dbfilter = ^$db\$"
        echo "list_db = False"
        echo "http_interface = 127.0.0.1"
        echo "data_dir = ${ODOO_DATA_DIR:-$ROOT/.odoo-data}"
        [ -n "${PGHOST:-}" ] && echo "db_host = $PGHOST"
        [ -n "${PGPORT:-}" ] && echo "db_port = $PGPORT"
        [ -n "${PGUSER:-}" ] && echo "db_user = $PGUSER"
        [ -n "${PGPASSWORD:-}" ] && echo "db_password = $PGPASSWORD"
        echo "max_cron_threads = ${ODOO_CRON_THREADS:-0}"
        # Several checkouts testing side by side each need their own port for tours.
        if [ -n "${ODOO_HTTP_PORT:-}" ]; then echo "http_port = $ODOO_HTTP_PORT"; fi
    } >"$conf"
}
