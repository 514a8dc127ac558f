from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools import SQL


class AccountMove(models.Model):
    _inherit = "account.move"

    prm_partner_id = fields.Many2one(
        "res.partner",
        string="Channel partner",
        tracking=True,
        index=True,
        copy=True,
        domain=[("prm_is_partner", "=", True)],
        help="Channel partner through which this end customer bought.",
    )

    # Channel analytics (prm.channel.report) filter customer invoices on this month.
    _prm_invoice_month_idx = models.Index(
        "(((date_trunc('month', invoice_date::timestamp))::date)) "
        "WHERE state = 'posted' AND move_type IN ('out_invoice', 'out_refund')"
    )

    @api.constrains("prm_partner_id", "commercial_partner_id")
    def _check_prm_partner_not_customer(self):
        """Revenue metrics add resale (customer = partner) and sell-through
        (channel partner = partner); an invoice having both would count twice."""
        for move in self:
            if (
                move.prm_partner_id
                and move.prm_partner_id == move.commercial_partner_id
            ):
                raise ValidationError(
                    self.env._(
                        "%(partner)s is the customer of %(move)s and cannot also be its "
                        "channel partner.",
                        partner=move.prm_partner_id.display_name,
                        move=move.display_name,
                    )
                )

    # --- Revenue ---

    @api.model
    def _prm_revenue_domain(self):
        """The documents that count as revenue for the program (tier metrics,
        launches, channel analytics): posted customer invoices and credit
        notes. Keep in line with ``_prm_revenue_sql``; modules whose customer
        documents are no sale (incentive payouts...) exclude them in both."""
        return Domain(
            [
                ("state", "=", "posted"),
                ("move_type", "in", ("out_invoice", "out_refund")),
            ]
        )

    @api.model
    def _prm_revenue_sql(self, alias):
        """``_prm_revenue_domain`` as an SQL condition on ``account_move``
        aliased ``alias``, for report queries."""
        return SQL(
            "%(m)s.state = 'posted' AND %(m)s.move_type IN ('out_invoice', 'out_refund')",
            m=SQL.identifier(alias),
        )
