#!/usr/bin/env bash
# Linters of `make test` (and of the pre-commit hooks): ruff, ruff format,
# pylint-odoo with its Odoo 19.0 checks, XML well-formedness and 19.0 view markup.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

step "ruff check"
"$PYTHON" -m ruff check --no-cache addons tests scripts tools
step "ruff format --check"
"$PYTHON" -m ruff format --no-cache --check addons tests scripts tools >/dev/null \
    || { "$PYTHON" -m ruff format --no-cache --check addons tests scripts tools; die "run: ruff format addons tests scripts tools"; }
step "pylint-odoo (19.0 checks)"
mapfile -t MODS < <(find addons -mindepth 2 -maxdepth 2 -name __manifest__.py -printf '%h\n' | sort)
"$PYTHON" -m pylint --rcfile="$ROOT/.pylintrc" "${MODS[@]}"
step "XML well-formedness and 19.0 markup"
"$PYTHON" "$ROOT/scripts/check_xml.py" addons
step "translation files (placeholders, markup)"
"$PYTHON" "$ROOT/scripts/check_po.py" addons
