from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    # --- Partner 360: channel performance (last 12 months, current company) ---
    prm_channel_revenue_12m = fields.Monetary(
        string="Channel revenue (12 months)",
        compute="_compute_prm_channel_performance",
        groups="prm_partner.group_prm_user",
        help="Sell-through and resale revenue of this month and the 11 before "
        "(untaxed, credit notes deducted).",
    )
    prm_channel_win_rate_12m = fields.Float(
        string="Win rate (12 months, %)",
        compute="_compute_prm_channel_performance",
        groups="prm_partner.group_prm_user",
        help="Routed leads and registrations won / accepted or approved, over "
        "this month and the 11 before.",
    )

    # --- Compute ---

    def _compute_prm_channel_performance(self):
        Report = self.env["prm.channel.report"]
        _label, date_from, date_to = Report._prm_period("12months")
        figures = {
            partner: (revenue, win_rate)
            for partner, revenue, win_rate in Report._read_group(
                [
                    *Report._prm_period_domain(date_from, date_to),
                    ("partner_id", "in", self._origin.ids),
                ],
                ["partner_id"],
                ["revenue:sum", "deal_win_rate:avg"],
            )
        }
        for partner in self:
            revenue, win_rate = figures.get(partner._origin, (0.0, 0.0))
            partner.prm_channel_revenue_12m = revenue or 0.0
            partner.prm_channel_win_rate_12m = win_rate or 0.0

    # --- Actions ---

    def action_prm_open_channel_report(self):
        self.ensure_one()
        return self.env["prm.channel.report"].action_prm_open_period(
            "12months", partner_id=self.id, view="graph"
        )
