from odoo import api, models
from odoo.fields import Domain
from odoo.tools import SQL


class PrmChannelReport(models.Model):
    _inherit = "prm.channel.report"

    # Incentive payouts paid as customer credit notes are no sale: channel
    # analytics leave them out of revenue, as the accrual engine does.

    @api.model
    def _prm_revenue_move_condition(self, alias):
        return SQL(
            "%s AND %s.prm_settlement_id IS NULL",
            super()._prm_revenue_move_condition(alias),
            SQL.identifier(alias),
        )

    @api.model
    def _prm_revenue_move_domain(self):
        return super()._prm_revenue_move_domain() & Domain(
            "prm_settlement_id", "=", False
        )
