"""Generate and commit the asset bundles the browser tours load.

A tour test runs in a transaction rolled back at its end: the bundles the
browser asks for are generated in that transaction and thrown away with it, so
without this every tour test spent about 12 s rebuilding the web client's
JavaScript and CSS. Committed once here, they are served from the database.

Usage: python3 scripts/warm_assets.py -c odoo.conf -d DB
"""

import argparse

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry

# What /odoo (the web client) and the portal pages of a website load in a tour.
BACKEND = (
    "web.assets_web",
    "web.assets_web_print",
    "web.assets_tests",
    "bus.websocket_worker_assets",
)
FRONTEND = (
    "web.assets_frontend",
    "web.assets_frontend_minimal",
    "web.assets_frontend_lazy",
    "web.__assets_tests_call__",
)


def generate(env, name, assets_params):
    bundle = env["ir.qweb"]._get_asset_bundle(
        name, css=True, js=True, assets_params=assets_params
    )
    if bundle.javascripts:
        bundle.js()
    if bundle.stylesheets:
        bundle.css()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])

    with Registry(args.database).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        for name in BACKEND:
            generate(env, name, {})
        # Portal pages are website pages when the Website app is installed:
        # their bundles are per website.
        websites = env["website"].search([]).ids if "website" in env else []
        for website_id in websites or [None]:
            params = {"website_id": website_id} if website_id else {}
            for name in FRONTEND:
                generate(env, name, params)


if __name__ == "__main__":
    main()
