from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    prm_downgrade_grace_days = fields.Integer(
        string="Tier downgrade grace period (days)",
        default=90,
        help="A partner that no longer meets its tier keeps it this many days "
        "before it is downgraded; its channel manager is warned when the grace "
        "period starts.",
    )

    _prm_grace_positive = models.Constraint(
        "CHECK(prm_downgrade_grace_days >= 0)",
        "The tier downgrade grace period cannot be negative.",
    )
