{
    "name": "Partner Program: CRM and Sales",
    "summary": "Channel revenue in channel analytics and the channel dashboard, "
    "quotations from partners' deals, customers owned through their orders",
    "version": "19.0.1.0.0",
    "category": "Sales/Partner Program",
    "website": "https://github.com/odoo-prm/odoo-prm",
    "author": "Odoo PRM",
    "maintainers": ["odoo-prm"],
    "license": "LGPL-3",
    "application": False,
    "installable": True,
    "auto_install": True,
    "depends": ["prm_crm", "prm_sale", "sale_crm"],
    "data": ["views/prm_channel_report_views.xml", "views/prm_sale_crm_menus.xml"],
    "demo": ["demo/sale_order_demo.xml"],
    "assets": {
        "web.assets_backend": ["prm_sale_crm/static/src/channel_dashboard/*"],
        "web.assets_tests": ["prm_sale_crm/static/tests/tours/*.js"],
    },
}
