{
    "name": "Campaigns and Incentives (PRM)",
    "summary": "Convert loyalty points into market development funds",
    "version": "19.0.1.0.0",
    "category": "Sales/Partner Program",
    "website": "https://github.com/odoo-prm/odoo-prm",
    "author": "Odoo PRM",
    "maintainers": ["odoo-prm"],
    "license": "LGPL-3",
    "application": False,
    "installable": True,
    "auto_install": True,
    "depends": ["prm_campaign", "prm_incentive"],
    "data": [
        "security/ir.model.access.csv",
        "views/prm_mdf_points_wizard_views.xml",
        "views/prm_mdf_budget_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "demo": [
        "demo/prm_mdf_points_demo.xml",
        "demo/prm_demo_requalify.xml",
    ],
}
