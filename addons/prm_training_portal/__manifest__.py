{
    "name": "Partner Program: Training on the Website",
    "summary": "Filter the public partner directory by certification and show "
    "each partner's certifications on its page",
    "version": "19.0.1.0.0",
    "category": "Sales/Partner Program",
    "website": "https://github.com/odoo-prm/odoo-prm",
    "author": "Odoo PRM",
    "maintainers": ["odoo-prm"],
    "license": "LGPL-3",
    "application": False,
    "installable": True,
    "auto_install": True,
    "depends": ["prm_training", "prm_portal"],
    "data": ["views/prm_directory_templates.xml"],
    "demo": ["demo/prm_demo_requalify.xml"],
}
