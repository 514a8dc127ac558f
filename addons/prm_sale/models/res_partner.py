from collections import defaultdict

from odoo import fields, models
from odoo.fields import Domain


class ResPartner(models.Model):
    """The sales side of a channel partner: its channel orders and invoices,
    and the revenue and active-customer metrics."""

    _inherit = "res.partner"

    prm_sale_count = fields.Integer(
        string="Sell-through orders",
        compute="_compute_prm_sale_counts",
        help="Sales orders (any status, all time) with this partner as channel "
        "partner: what it sold to end customers through you. Orders billed to "
        "the partner itself (resale) are not counted here.",
    )
    prm_invoice_count = fields.Integer(
        string="Sell-through invoices",
        compute="_compute_prm_sale_counts",
        help="Customer invoices and credit notes (any status, all time) with "
        "this partner as channel partner.",
    )

    # --- Compute ---

    def _compute_prm_sale_counts(self):
        sales = dict(
            self.env["sale.order"]._read_group(
                [("prm_partner_id", "in", self.ids)], ["prm_partner_id"], ["__count"]
            )
        )
        invoices = dict(
            self.env["account.move"]._read_group(
                [
                    ("prm_partner_id", "in", self.ids),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                ],
                ["prm_partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.prm_sale_count = sales.get(partner, 0)
            partner.prm_invoice_count = invoices.get(partner, 0)

    # --- Metrics (see prm.tier.rule) ---

    def _prm_invoice_domain(self, date_from, date_to):
        # One definition of the documents that count as revenue, shared with
        # channel analytics (see account.move._prm_revenue_domain).
        return self.env["account.move"]._prm_revenue_domain() & Domain(
            [
                ("company_id", "=", self.env.company.id),
                ("invoice_date", ">=", date_from),
                ("invoice_date", "<=", date_to),
            ]
        )

    def _prm_metric_invoiced_revenue(self, date_from, date_to):
        """Untaxed revenue in company currency (credit notes deducted) of the
        posted customer invoices billed to the partner (resale) or to end
        customers through it (``account.move.prm_partner_id``)."""
        Move = self.env["account.move"]
        base = self._prm_invoice_domain(date_from, date_to)
        values = defaultdict(float)
        for partner, amount in Move._read_group(
            base & Domain("commercial_partner_id", "in", self.ids),
            ["commercial_partner_id"],
            ["amount_untaxed_signed:sum"],
        ):
            values[partner.id] += amount
        # An invoice never carries its own customer as channel partner
        # (account.move constraint), so the two sums do not overlap.
        for partner, amount in Move._read_group(
            base & Domain("prm_partner_id", "in", self.ids),
            ["prm_partner_id"],
            ["amount_untaxed_signed:sum"],
        ):
            values[partner.id] += amount
        return dict(values)

    def _prm_metric_active_customers(self, date_from, date_to):
        """Distinct end customers invoiced through the partner in the period."""
        groups = self.env["account.move"]._read_group(
            self._prm_invoice_domain(date_from, date_to)
            & Domain("move_type", "=", "out_invoice")
            & Domain("prm_partner_id", "in", self.ids),
            ["prm_partner_id"],
            ["commercial_partner_id:count_distinct"],
        )
        return {partner.id: count for partner, count in groups}

    # --- Actions ---

    def action_prm_open_sales(self):
        self.ensure_one()
        return self._prm_action(
            "sale.action_orders", [("prm_partner_id", "=", self.id)]
        )

    def action_prm_open_invoices(self):
        self.ensure_one()
        return self._prm_action(
            "account.action_move_out_invoice_type",
            [
                ("prm_partner_id", "=", self.id),
                ("move_type", "in", ("out_invoice", "out_refund")),
            ],
        )

    # --- Partner 360 ---

    def _prm_360_metric_actions(self):
        return {
            **super()._prm_360_metric_actions(),
            "invoiced_revenue": "action_prm_open_invoices",
            "active_customers": "action_prm_open_sales",
        }
