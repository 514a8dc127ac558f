{
    "name": "Partner Program Portal",
    "summary": "The partner's program home, team and documents on the portal; public "
    "'Become a partner' form and partner directory",
    "version": "19.0.1.0.0",
    "category": "Sales/Partner Program",
    "website": "https://github.com/odoo-prm/odoo-prm",
    "author": "Odoo PRM",
    "maintainers": ["odoo-prm"],
    "license": "LGPL-3",
    "installable": True,
    "auto_install": False,
    "depends": ["prm_partner", "website", "portal"],
    "data": [
        "security/ir.model.access.csv",
        "security/prm_portal_rules.xml",
        "views/prm_portal_document_views.xml",
        "views/prm_portal_document_download_views.xml",
        "views/res_partner_views.xml",
        "views/prm_portal_menus.xml",
        "views/prm_portal_templates.xml",
        "views/prm_portal_website_templates.xml",
    ],
    "demo": [
        "demo/res_partner_demo.xml",
        "demo/prm_portal_document_demo.xml",
    ],
    "assets": {
        "web.assets_tests": ["prm_portal/static/tests/tours/*.js"],
    },
}
