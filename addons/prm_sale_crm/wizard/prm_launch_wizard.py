from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import fields, models


class PrmLaunchWizard(models.TransientModel):
    _inherit = "prm.launch.wizard"

    def _prm_launch_win_rates(self, partners, date_from, date_to):
        """Opportunities with the partner as channel partner, closed in the
        period."""
        if not partners:
            return {}
        lead_sudo = self.env["crm.lead"].sudo().with_context(active_test=False)
        groups = lead_sudo._read_group(
            [
                ("prm_partner_id", "in", partners.ids),
                ("type", "=", "opportunity"),
                ("won_status", "in", ("won", "lost")),
                ("date_closed", ">=", fields.Datetime.to_datetime(date_from)),
                (
                    "date_closed",
                    "<",
                    fields.Datetime.to_datetime(date_to + relativedelta(days=1)),
                ),
                ("company_id", "in", [self.company_id.id, False]),
            ],
            ["prm_partner_id", "won_status"],
            ["__count"],
        )
        result = defaultdict(lambda: [0, 0])
        for partner, status, count in groups:
            result[partner.id][0 if status == "won" else 1] += count
        return {partner_id: tuple(counts) for partner_id, counts in result.items()}
