{
    "name": "Partner Incentives (PRM)",
    "summary": "Commissions, referral fees, rebates, SPIFFs and target bonuses for "
    "channel partners: rules, accruals, settlements posted to the ledger",
    "version": "19.0.1.0.0",
    "category": "Sales/Partner Program",
    "website": "https://github.com/odoo-prm/odoo-prm",
    "author": "Odoo PRM",
    "maintainers": ["odoo-prm"],
    "license": "LGPL-3",
    "application": False,
    "installable": True,
    "depends": [
        "prm_partner",
        "account",
        "sale",
    ],
    "data": [
        "security/ir.model.access.csv",
        "security/prm_incentive_rules.xml",
        "data/ir_sequence_data.xml",
        "data/ir_cron_data.xml",
        "report/prm_settlement_report.xml",
        "report/prm_settlement_templates.xml",
        "views/prm_incentive_menus.xml",
        "views/prm_incentive_program_views.xml",
        "views/prm_incentive_rule_views.xml",
        "views/prm_incentive_line_views.xml",
        "views/prm_settlement_views.xml",
        "views/res_partner_views.xml",
        "views/account_move_views.xml",
        "wizard/prm_settlement_wizard_views.xml",
        "views/prm_incentive_menuitems.xml",
    ],
    "demo": [
        "demo/prm_incentive_program_demo.xml",
        "demo/prm_settlement_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "prm_incentive/static/tests/tours/*.js",
        ],
    },
}
