{
    "name": "Partner Webhooks (PRM)",
    "summary": "Signed HTTPS webhooks to channel partners' systems: lead offered, "
    "registration decided, settlement posted",
    "version": "19.0.1.0.0",
    "category": "Sales/Partner Program",
    "website": "https://github.com/odoo-prm/odoo-prm",
    "author": "Odoo PRM",
    "maintainers": ["odoo-prm"],
    "license": "LGPL-3",
    "application": False,
    "installable": True,
    "auto_install": False,
    "depends": ["prm_partner", "base_automation"],
    "data": [
        "security/ir.model.access.csv",
        "views/prm_webhook_subscription_views.xml",
        "views/prm_webhook_menus.xml",
    ],
}
