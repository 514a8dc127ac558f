{
    "name": "Campaigns and Market Development Funds (PRM)",
    "summary": "Campaign kits with co-branded assets, printed-material orders, "
    "market development funds and partner surveys",
    "version": "19.0.1.0.0",
    "category": "Sales/Partner Program",
    "website": "https://github.com/odoo-prm/odoo-prm",
    "author": "Odoo PRM",
    "maintainers": ["odoo-prm"],
    "license": "LGPL-3",
    "application": False,
    "installable": True,
    "depends": ["prm_crm", "prm_sale", "mass_mailing", "survey", "portal"],
    "data": [
        "security/ir.model.access.csv",
        "views/prm_campaign_menus.xml",
    ],
    "demo": [],
    "assets": {"web.assets_tests": ["prm_campaign/static/tests/tours/*.js"]},
}
