from odoo import api, fields, models


class PrmOnboardingStageLog(models.Model):
    """One stay of a partner in an onboarding stage.

    A row is opened when the partner enters a stage and closed when it leaves
    it (next stage, activation, or leaving onboarding). Closed rows carry the
    time spent, which the *Days in stage* report averages.
    """

    _name = "prm.onboarding.stage.log"
    _description = "Onboarding Stage History"
    _order = "date_in desc, id desc"
    _inherit = ["prm.program.company.mixin"]
    _rec_name = "stage_id"

    partner_id = fields.Many2one(
        "res.partner", required=True, ondelete="cascade", index=True, readonly=True
    )
    partner_type_id = fields.Many2one(
        related="partner_id.prm_partner_type_id", store=True, string="Partner type"
    )
    manager_id = fields.Many2one(
        related="partner_id.prm_manager_id", store=True, string="Channel manager"
    )
    stage_id = fields.Many2one(
        "prm.onboarding.stage",
        required=True,
        ondelete="restrict",
        index=True,
        readonly=True,
    )
    date_in = fields.Datetime(
        string="Entered", required=True, default=fields.Datetime.now, readonly=True
    )
    date_out = fields.Datetime(string="Left", readonly=True, index=True)
    days = fields.Float(
        string="Days in stage",
        compute="_compute_days",
        store=True,
        aggregator="avg",
        digits=(16, 1),
        help="Time spent in the stage, for stays that are over.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Moved by",
        default=lambda self: self.env.user,
        readonly=True,
    )

    _date_order = models.Constraint(
        "CHECK(date_out IS NULL OR date_out >= date_in)",
        "A stage cannot be left before it was entered.",
    )
    # At most one stay in progress per partner: the pipeline position is unique.
    _one_open_stay = models.UniqueIndex(
        "(partner_id) WHERE date_out IS NULL",
        "A partner can only be in one onboarding stage at a time.",
    )

    @api.depends("date_in", "date_out")
    def _compute_days(self):
        for log in self:
            if log.date_in and log.date_out:
                seconds = (log.date_out - log.date_in).total_seconds()
                log.days = round(seconds / 86400.0, 1)
            else:
                log.days = 0.0
