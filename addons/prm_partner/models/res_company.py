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

    prm_agreement_reminder_days = fields.Integer(
        string="Agreement reminder (days)",
        default=30,
        help="The channel manager gets an activity this many days before an "
        "agreement ends.",
    )

    _prm_agreement_reminder_positive = models.Constraint(
        "CHECK(prm_agreement_reminder_days >= 0)",
        "The agreement reminder delay cannot be negative.",
    )
