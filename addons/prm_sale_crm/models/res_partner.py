from odoo import fields, models

# Partner 360 channel figures: {partner field: channel analytics measure}. Each
# figure is the measure of prm.channel.report over the last 12 months (this month
# and the 11 before) for the current company: one definition, shared with the
# channel analytics and the channel dashboard (see the measures' help).
PARTNER_FIGURES = {
    "prm_channel_revenue_12m": "revenue",
    "prm_revenue_sourced_12m": "revenue_sourced",
    "prm_revenue_resale_12m": "revenue_resale",
    "prm_won_count_12m": "won_count",
    "prm_deals_won_12m": ("offer_won_count", "registration_won_count"),
    "prm_deals_taken_12m": ("offer_accepted_count", "registration_approved_count"),
    "prm_channel_win_rate_12m": "deal_win_rate",
}


class ResPartner(models.Model):
    _inherit = "res.partner"

    # --- Partner 360: channel performance (last 12 months, current company) ---
    prm_channel_revenue_12m = fields.Monetary(
        string="Channel revenue, 12 months",
        compute="_compute_prm_channel_performance",
        groups="prm_partner.group_prm_user",
        help="Channel analytics' channel revenue over this month and the 11 "
        "before: sell-through plus resale revenue (posted customer invoices, "
        "untaxed, company currency, credit notes deducted).",
    )
    prm_revenue_sourced_12m = fields.Monetary(
        string="Sell-through, 12 months",
        compute="_compute_prm_channel_performance",
        groups="prm_partner.group_prm_user",
        help="Posted invoices to end customers with this partner as channel "
        "partner, this month and the 11 before (untaxed, credit notes deducted).",
    )
    prm_revenue_resale_12m = fields.Monetary(
        string="Resale, 12 months",
        compute="_compute_prm_channel_performance",
        groups="prm_partner.group_prm_user",
        help="Posted invoices billed to this partner itself (it resells), this "
        "month and the 11 before (untaxed, credit notes deducted). Odoo's "
        "Invoiced button counts the same invoices since the beginning.",
    )
    prm_won_count_12m = fields.Integer(
        string="Opportunities won, 12 months",
        compute="_compute_prm_channel_performance",
        groups="prm_partner.group_prm_user",
        help="Opportunities won with this partner as channel partner, in the "
        "month they were won (routed, registered or neither).",
    )
    prm_deals_won_12m = fields.Integer(
        string="Deals won, 12 months",
        compute="_compute_prm_channel_performance",
        groups="prm_partner.group_prm_user",
        help="Routed leads won plus deal registrations won, counted in the month "
        "the lead was offered or the deal registered: the numerator of the win "
        "rate.",
    )
    prm_deals_taken_12m = fields.Integer(
        string="Deals taken on, 12 months",
        compute="_compute_prm_channel_performance",
        groups="prm_partner.group_prm_user",
        help="Routed leads accepted plus deal registrations approved, this month "
        "and the 11 before: the denominator of the win rate.",
    )
    prm_channel_win_rate_12m = fields.Float(
        string="Win rate, 12 months (%)",
        compute="_compute_prm_channel_performance",
        groups="prm_partner.group_prm_user",
        help="Deals won / deals taken on (routed leads accepted plus deal "
        "registrations approved), this month and the 11 before; 0 when the "
        "partner took on no deal. Opportunities won otherwise (neither routed "
        "nor registered) do not count.",
    )

    # --- Compute ---

    def _compute_prm_channel_performance(self):
        """The partners' row of channel analytics over the last 12 months: one
        grouped read for every partner of the batch."""
        Report = self.env["prm.channel.report"]
        _label, date_from, date_to = Report._prm_period("12months")
        figures = dict(
            Report._prm_partner_figures(
                date_from, date_to, partner_ids=self._origin.ids
            )
        )
        for partner in self:
            values = figures.get(partner._origin, {})
            for fname, measure in PARTNER_FIGURES.items():
                if isinstance(measure, tuple):
                    value = sum(values.get(name) or 0 for name in measure)
                else:
                    value = values.get(measure) or 0
                partner[fname] = value

    # --- Actions ---

    def action_prm_open_channel_report(self):
        self.ensure_one()
        return self.env["prm.channel.report"].action_prm_open_period(
            "12months", partner_id=self.id, view="graph"
        )
