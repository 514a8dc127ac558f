#!/bin/bash
# Entry point of the `odoo` service: every prm_* module with demo data in prm_demo.
# The image's /entrypoint.sh adds the database connection from HOST/USER/PASSWORD.
set -e
modules=$(cd /mnt/extra-addons && ls -d prm_*/ | tr -d / | paste -sd, -)
echo "Odoo PRM demo: http://localhost:8069/odoo  (admin/admin, demo/demo, portal/portal)"
exec /entrypoint.sh odoo -c /etc/odoo/odoo.conf -d prm_demo -i "$modules" --with-demo
