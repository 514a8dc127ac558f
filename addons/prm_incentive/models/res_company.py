from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    prm_settlement_segregation = fields.Boolean(
        string="Segregation of duties on settlements",
        default=True,
        help="The accountant who approves an incentive settlement cannot post it: "
        "a second accountant does.",
    )
