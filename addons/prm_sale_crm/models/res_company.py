from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    prm_traffic_threshold = fields.Integer(
        string="Traffic without sales threshold",
        default=3,
        help="Channel analytics flag the partners with at least this many routed "
        "leads and deal registrations in a period, but no sale in it.",
    )

    _prm_traffic_threshold_positive = models.Constraint(
        "CHECK(prm_traffic_threshold >= 1)",
        "The traffic without sales threshold is at least 1.",
    )
