from odoo import api, fields, models


class PrmLaunchWizardLine(models.TransientModel):
    """One ranked partner; figures are stored as computed by the ranking."""

    _name = "prm.launch.wizard.line"
    _description = "Partner Ranking Line for a Product Launch"
    _order = "rank, id"

    wizard_id = fields.Many2one(
        "prm.launch.wizard", required=True, ondelete="cascade", index=True
    )
    currency_id = fields.Many2one(related="wizard_id.currency_id")
    rank = fields.Integer(readonly=True)
    selected = fields.Boolean()
    partner_id = fields.Many2one("res.partner", required=True, readonly=True)
    tier_id = fields.Many2one("prm.tier", readonly=True)
    partner_type_id = fields.Many2one(
        "prm.partner.type", string="Partner type", readonly=True
    )
    quantity = fields.Float(digits="Product Unit", readonly=True)
    revenue = fields.Monetary(readonly=True, help="Untaxed, credit notes deducted.")
    previous_revenue = fields.Monetary(
        string="Previous revenue",
        readonly=True,
        help="Revenue of the period of the same length just before.",
    )
    growth = fields.Float(string="Growth (%)", readonly=True)
    is_new = fields.Boolean(
        string="New seller",
        readonly=True,
        help="No sales in the previous period: growth cannot be measured.",
    )
    growth_display = fields.Char(string="Growth", compute="_compute_growth_display")
    won_count = fields.Integer(string="Won", readonly=True)
    lost_count = fields.Integer(string="Lost", readonly=True)
    win_rate = fields.Float(string="Win rate (%)", readonly=True)
    score = fields.Float(readonly=True, digits=(16, 1))

    @api.depends("growth", "is_new", "previous_revenue")
    def _compute_growth_display(self):
        for line in self:
            if line.is_new:
                line.growth_display = self.env._("New")
            elif line.currency_id.is_zero(line.previous_revenue):
                line.growth_display = False
            else:
                line.growth_display = f"{line.growth:+.1f}%"
