{
    "name": "Partner Program: Deliveries and Installations",
    "summary": "Deliveries, serial numbers and shipment notices of partners' orders "
    "on the portal, serialized equipment kits, installation requests rated by "
    "the partners",
    "version": "19.0.1.0.0",
    "category": "Sales/Partner Program",
    "website": "https://github.com/odoo-prm/odoo-prm",
    "author": "Odoo PRM",
    "maintainers": ["odoo-prm"],
    "license": "LGPL-3",
    "application": False,
    "installable": True,
    # Sales + Inventory bring it; ratings come along (not a trigger).
    "auto_install": ["prm_sale", "sale_stock"],
    "depends": ["prm_sale", "sale_stock", "rating"],
    "data": [
        "security/ir.model.access.csv",
        "security/prm_installation_security.xml",
        "data/ir_sequence_data.xml",
        "data/mail_templates.xml",
        "views/product_template_views.xml",
        "views/stock_lot_views.xml",
        "views/stock_picking_views.xml",
        "views/prm_installation_views.xml",
        "views/portal_templates.xml",
        "views/prm_stock_menus.xml",
    ],
    "assets": {"web.assets_tests": ["prm_stock/static/tests/tours/*.js"]},
    "demo": ["demo/prm_stock_demo.xml"],
    "uninstall_hook": "uninstall_hook",
}
