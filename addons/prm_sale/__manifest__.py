{
    "name": "Partner Program: Sales",
    "summary": "Channel partner on orders and invoices, revenue tier metrics, tier and "
    "agreement terms on orders, product launches restricted to chosen "
    "partners",
    "version": "19.0.1.0.0",
    "category": "Sales/Partner Program",
    "website": "https://github.com/odoo-prm/odoo-prm",
    "author": "Odoo PRM",
    "maintainers": ["odoo-prm"],
    "license": "LGPL-3",
    "application": False,
    "installable": True,
    "auto_install": True,
    "depends": ["prm_partner", "sale_management", "account"],
    "data": [
        "security/ir.model.access.csv",
        "security/prm_launch_security.xml",
        "views/res_partner_views.xml",
        "views/prm_agreement_views.xml",
        "views/account_move_views.xml",
        "views/sale_order_views.xml",
        "views/prm_launch_views.xml",
        "wizard/prm_launch_wizard_views.xml",
        "views/prm_sale_menus.xml",
    ],
    "assets": {"web.assets_tests": ["prm_sale/static/tests/tours/*.js"]},
    "demo": [
        "demo/prm_tier_demo.xml",
        "demo/prm_agreement_demo.xml",
        "demo/account_move_demo.xml",
        "demo/prm_launch_demo.xml",
    ],
}
