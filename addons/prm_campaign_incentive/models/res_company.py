from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    prm_mdf_points_rate = fields.Float(
        string="MDF per point",
        digits=(16, 4),
        default=0.0,
        help="Funds (in company currency) a partner gets for one loyalty point "
        "converted into its MDF budget; 0 disables the conversion.",
    )

    _prm_mdf_points_rate_positive = models.Constraint(
        "CHECK(prm_mdf_points_rate >= 0)", "The MDF rate of a point is not negative."
    )
