{
    "name": "Partner Program: Training and Sales",
    "summary": "Sale orders and launches restricted to certified partners",
    "version": "19.0.1.0.0",
    "category": "Sales/Partner Program",
    "website": "https://github.com/odoo-prm/odoo-prm",
    "author": "Odoo PRM",
    "maintainers": ["odoo-prm"],
    "license": "LGPL-3",
    "application": False,
    "installable": True,
    "auto_install": True,
    "depends": ["prm_training", "prm_sale"],
}
