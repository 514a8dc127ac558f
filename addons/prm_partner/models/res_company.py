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

    prm_application_manager_id = fields.Many2one(
        "res.users",
        string="Default application manager",
        domain=[("share", "=", False)],
        help="Reviews the partner applications no territory assignment takes; "
        "when empty they go to the program administrators.",
    )
    prm_application_pass_score = fields.Integer(
        string="Application pass score",
        default=70,
        help="Applications scoring at least this much are proposed for acceptance.",
    )
    prm_application_reject_score = fields.Integer(
        string="Application reject score",
        default=40,
        help="Applications scoring below this are proposed for rejection.",
    )

    prm_review_months = fields.Integer(
        string="Partner review interval (months)",
        default=12,
        help="An activated partner's next review is set this many months after "
        "its activation, when none is planned.",
    )
    prm_checklist_self_approval = fields.Boolean(
        string="Submitters may approve their own checklist items",
        help="Off (four eyes): the user who submitted a checklist item cannot "
        "approve it; another program administrator must.",
    )

    _prm_review_months_positive = models.Constraint(
        "CHECK(prm_review_months > 0)",
        "The partner review interval must be at least one month.",
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
    _prm_application_scores = models.Constraint(
        "CHECK(prm_application_reject_score >= 0 "
        "AND prm_application_reject_score <= prm_application_pass_score "
        "AND prm_application_pass_score <= 100)",
        "Application scores: 0 <= reject score <= pass score <= 100.",
    )
