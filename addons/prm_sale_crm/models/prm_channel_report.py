from datetime import datetime, time

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL

from odoo.addons.prm_crm.models.prm_channel_report import (
    APPROVED_REGISTRATION_STATES,
)

TOP_PARTNERS = 10
# Figures of the dashboard that are sums of report measures: deals are routed
# leads and deal registrations together, the basis of the win rate.
DEAL_FIGURES = {
    "deals_won": ("offer_won_count", "registration_won_count"),
    "deals_taken": ("offer_accepted_count", "registration_approved_count"),
}


class PrmChannelReport(models.Model):
    """Channel revenue in channel analytics, and the channel dashboard that
    sets it against the leads and deals of the same partners."""

    _inherit = "prm.channel.report"

    # --- Invoiced revenue (untaxed, company currency, credit notes deducted) ---
    revenue_sourced = fields.Monetary(
        string="Sell-through revenue",
        readonly=True,
        help="Posted invoices to end customers with the partner as channel partner.",
    )
    revenue_resale = fields.Monetary(
        string="Resale revenue",
        readonly=True,
        help="Posted invoices to the partner itself (it resells).",
    )
    revenue = fields.Monetary(
        string="Channel revenue",
        readonly=True,
        help="Sell-through and resale revenue.",
    )

    # --- Query ---

    @api.model
    def _prm_measures(self):
        return {
            **super()._prm_measures(),
            "revenue_sourced": "numeric",
            "revenue_resale": "numeric",
        }

    @api.model
    def _prm_derived_columns(self, column):
        return {
            **super()._prm_derived_columns(column),
            "revenue": SQL(
                "%s + %s", column("revenue_sourced"), column("revenue_resale")
            ),
        }

    @api.model
    def _prm_fact_sources(self):
        invoice = self.env["account.move"]._prm_revenue_sql("m")
        invoice_month = self._prm_month(SQL("m.invoice_date::timestamp"))
        return [
            *super()._prm_fact_sources(),
            # Sell-through: end customers invoiced with the partner as source.
            self._prm_fact(
                SQL("m.company_id"),
                SQL("m.prm_partner_id"),
                invoice_month,
                SQL("m.id::int8 * 8 + 3"),
                {"revenue_sourced": SQL("m.amount_untaxed_signed")},
                SQL(
                    "FROM account_move m WHERE %s AND m.prm_partner_id IS NOT NULL",
                    invoice,
                ),
            ),
            # Resale: the partner itself is the customer.
            self._prm_fact(
                SQL("m.company_id"),
                SQL("m.commercial_partner_id"),
                invoice_month,
                SQL("m.id::int8 * 8 + 4"),
                {"revenue_resale": SQL("m.amount_untaxed_signed")},
                SQL(
                    "FROM account_move m JOIN res_partner cp "
                    "ON cp.id = m.commercial_partner_id AND cp.prm_is_partner "
                    "WHERE %s",
                    invoice,
                ),
            ),
        ]

    # --- Periods ---

    @api.model
    def _prm_periods(self):
        """Dashboard periods: {key: (label, first month, last month)}, whole
        months since the report counts by month."""
        month = fields.Date.context_today(self).replace(day=1)
        year = month.replace(month=1)
        return {
            "month": (self.env._("This month"), month, month),
            "3months": (
                self.env._("Last 3 months"),
                month - relativedelta(months=2),
                month,
            ),
            "12months": (
                self.env._("Last 12 months"),
                month - relativedelta(months=11),
                month,
            ),
            "year": (self.env._("This year"), year, month),
            "last_year": (
                self.env._("Last year"),
                year - relativedelta(years=1),
                year - relativedelta(months=1),
            ),
        }

    @api.model
    def _prm_period(self, period):
        periods = self._prm_periods()
        if period not in periods:
            raise UserError(
                self.env._(
                    "Unknown period “%(period)s”: choose one of %(periods)s.",
                    period=period,
                    periods=", ".join(periods),
                )
            )
        return periods[period]

    @api.model
    def _prm_period_domain(self, date_from, date_to, company=None):
        """Rows of the company (and rows without company) in the months from
        ``date_from`` to ``date_to`` included."""
        company = company or self.env.company
        return [
            ("date", ">=", fields.Date.to_string(date_from.replace(day=1))),
            ("date", "<=", fields.Date.to_string(date_to.replace(day=1))),
            ("company_id", "in", [company.id, False]),
        ]

    @api.model
    def _prm_traffic_threshold(self, threshold=None, company=None):
        if threshold is None or threshold is False or threshold == "":
            return (company or self.env.company).prm_traffic_threshold
        try:
            threshold = int(threshold)
        except (TypeError, ValueError):
            threshold = 0
        if threshold < 1:
            raise UserError(
                self.env._(
                    "The traffic threshold is a number of routed leads and "
                    "registrations: at least 1."
                )
            )
        return threshold

    # --- Business ---

    @api.model
    def _prm_invoiced_by_month(self, date_from, date_to, company=None):
        """Channel revenue and all customer revenue of each month.

        Channel revenue: posted customer invoices (untaxed, company currency,
        credit notes deducted) with a channel partner or billed to a program
        partner, each invoice once, even when it is both the resale of one
        partner and the sell-through of another (the report counts it for both
        partners).

        :return: {first day of the month: (channel revenue, total revenue)}
        """
        company = company or self.env.company
        # As superuser: channel managers read channel analytics without
        # invoicing rights; only company-wide sums by month leave this method,
        # for the company and period given.
        Move = self.env["account.move"].sudo()
        base = self.env["account.move"]._prm_revenue_domain() & Domain(
            [
                ("company_id", "=", company.id),
                ("invoice_date", ">=", date_from.replace(day=1)),
                (
                    "invoice_date",
                    "<",
                    date_to.replace(day=1) + relativedelta(months=1),
                ),
            ]
        )
        channel_domain = base & (
            Domain("prm_partner_id", "!=", False)
            | Domain("commercial_partner_id.prm_is_partner", "=", True)
        )
        totals = dict(
            Move._read_group(
                base, ["invoice_date:month"], ["amount_untaxed_signed:sum"]
            )
        )
        channel = dict(
            Move._read_group(
                channel_domain, ["invoice_date:month"], ["amount_untaxed_signed:sum"]
            )
        )
        return {
            month: (channel.get(month) or 0.0, total or 0.0)
            for month, total in totals.items()
        }

    @api.model
    def _prm_revenue_share(self, date_from, date_to, company=None, by_month=None):
        """Channel revenue, all customer revenue, and the share of the first in
        % (None without revenue), over the period (see _prm_invoiced_by_month).
        """
        company = company or self.env.company
        if by_month is None:
            by_month = self._prm_invoiced_by_month(date_from, date_to, company)
        currency = company.currency_id
        channel = currency.round(sum(values[0] for values in by_month.values()))
        total = currency.round(sum(values[1] for values in by_month.values()))
        share = (
            100.0 * channel / total
            if currency.compare_amounts(total, 0.0) > 0
            else None
        )
        return channel, total, share

    @api.model
    def _prm_measure_names(self):
        """Every measure of the report (counts, amounts, ratios)."""
        return [
            name
            for name, field in self._fields.items()
            if field.type in ("integer", "float", "monetary") and name != "id"
        ]

    @api.model
    def _prm_figures(self, rows):
        """{measure: value} of _read_group rows of every measure: ratios
        without denominator stay None (nothing to compare), other measures are
        0 when nothing happened."""
        names = self._prm_measure_names()
        ratios = self._prm_ratios()
        figures = [
            {
                name: value if name in ratios else value or 0
                for name, value in zip(names, row, strict=True)
            }
            for row in rows
        ]
        for values in figures:
            for name, parts in DEAL_FIGURES.items():
                values[name] = sum(values[part] for part in parts)
        return figures

    @api.model
    def _prm_read_figures(self, domain, grouping_sets):
        """Every measure for each grouping set, in one query.

        :return: one list per grouping set of (group values tuple, figures)
        """
        names = self._prm_measure_names()
        aggregates = [f"{name}:{self._fields[name].aggregator}" for name in names]
        results = self._read_grouping_sets(domain, grouping_sets, aggregates)
        return [
            [
                (row[: len(groupby)], figures)
                for row, figures in zip(
                    rows,
                    self._prm_figures(row[len(groupby) :] for row in rows),
                    strict=True,
                )
            ]
            for groupby, rows in zip(grouping_sets, results, strict=True)
        ]

    @api.model
    def _prm_partner_figures(self, date_from, date_to, company=None, partner_ids=None):
        """[(partner, figures)] of the partners active in the period (of
        ``partner_ids`` only, when given)."""
        domain = self._prm_period_domain(date_from, date_to, company)
        if partner_ids is not None:
            domain.append(("partner_id", "in", list(partner_ids)))
        [rows] = self._prm_read_figures(domain, [["partner_id"]])
        return [(key[0], figures) for key, figures in rows]

    @api.model
    def _prm_select_top_partners(
        self, partner_figures, limit=TOP_PARTNERS, company=None
    ):
        """The partners with the most channel revenue (positive), best first."""
        currency = (company or self.env.company).currency_id
        selected = [
            (partner, figures)
            for partner, figures in partner_figures
            if currency.compare_amounts(figures["revenue"], 0.0) > 0
        ]
        selected.sort(key=lambda item: (-item[1]["revenue"], item[0].id))
        return selected[:limit]

    @api.model
    def _prm_select_traffic_without_sales(
        self, partner_figures, threshold, company=None
    ):
        """The partners with at least ``threshold`` leads routed and
        registrations submitted, but no opportunity won and no invoiced revenue
        (credit notes deducted), most traffic first."""
        currency = (company or self.env.company).currency_id
        selected = [
            (partner, figures)
            for partner, figures in partner_figures
            if figures["traffic_count"] >= threshold
            and not figures["won_count"]
            and currency.compare_amounts(figures["revenue"], 0.0) <= 0
        ]
        selected.sort(key=lambda item: (-item[1]["traffic_count"], item[0].id))
        return selected

    @api.model
    def _prm_top_partners(self, date_from, date_to, limit=TOP_PARTNERS, company=None):
        """Partners with the most channel revenue in the period.

        :return: list of (partner, figures)
        """
        return self._prm_select_top_partners(
            self._prm_partner_figures(date_from, date_to, company), limit, company
        )

    @api.model
    def _prm_traffic_without_sales(self, date_from, date_to, threshold, company=None):
        """Partners with traffic but no sales in the period (see
        _prm_select_traffic_without_sales).

        :return: list of (partner, figures), most traffic first
        """
        return self._prm_select_traffic_without_sales(
            self._prm_partner_figures(date_from, date_to, company), threshold, company
        )

    @api.model
    def _prm_months(self, date_from, date_to, month_figures, by_month):
        """Channel revenue (each invoice once, see _prm_invoiced_by_month),
        leads routed and opportunities won of each month of the period, empty
        months included.

        :param month_figures: {first day of the month: figures}
        """
        months = []
        month = date_from.replace(day=1)
        while month <= date_to:
            figures = month_figures.get(month, {})
            months.append(
                {
                    "date": fields.Date.to_string(month),
                    "revenue": by_month.get(month, (0.0, 0.0))[0],
                    "offer_count": figures.get("offer_count", 0),
                    "won_count": figures.get("won_count", 0),
                }
            )
            month += relativedelta(months=1)
        return months

    # --- Dashboard ---

    @api.model
    def get_prm_channel_dashboard(self, period="3months", threshold=None):
        """Everything the channel dashboard shows, for the current company.

        :param period: a key of ``_prm_periods``
        :param threshold: traffic without sales threshold; the company's when
            not given
        """
        self.check_access("read")
        company = self.env.company
        label, date_from, date_to = self._prm_period(period)
        threshold = self._prm_traffic_threshold(threshold, company)
        by_month = self._prm_invoiced_by_month(date_from, date_to, company)
        channel, total, share = self._prm_revenue_share(
            date_from, date_to, company, by_month
        )
        # Totals, months and partners in one query on the report.
        totals, months, partners = self._prm_read_figures(
            self._prm_period_domain(date_from, date_to, company),
            [[], ["date:month"], ["partner_id"]],
        )
        partners = [(key[0], figures) for key, figures in partners]

        def partner_rows(selection):
            # Names as superuser: a partner shared between companies may have a
            # tier or manager of another company; only the names are shown.
            return [
                {
                    "id": partner.id,
                    "name": partner_sudo.display_name,
                    "tier": partner_sudo.prm_tier_id.display_name or "",
                    "manager": partner_sudo.prm_manager_id.display_name or "",
                    **figures,
                }
                for partner, figures in selection
                for partner_sudo in [partner.sudo()]
            ]

        return {
            "period": period,
            "periods": [[key, value[0]] for key, value in self._prm_periods().items()],
            "period_label": label,
            "date_from": fields.Date.to_string(date_from),
            "date_to": fields.Date.to_string(date_to),
            "company": company.display_name,
            "currency_id": company.currency_id.id,
            "threshold": threshold,
            "channel_revenue": channel,
            "total_revenue": total,
            "revenue_share": share,
            "totals": totals[0][1]
            if totals
            else self._prm_figures([[None] * len(self._prm_measure_names())])[0],
            "months": self._prm_months(
                date_from,
                date_to,
                {key[0]: figures for key, figures in months},
                by_month,
            ),
            "top_partners": partner_rows(
                self._prm_select_top_partners(partners, company=company)
            ),
            "no_sales": partner_rows(
                self._prm_select_traffic_without_sales(partners, threshold, company)
            ),
        }

    # --- Figures to documents ---

    @api.model
    def _prm_figure_labels(self):
        return {
            "offer_count": self.env._("Leads routed"),
            "offer_accepted_count": self.env._("Leads accepted"),
            "offer_declined_count": self.env._("Leads declined"),
            "offer_expired_count": self.env._("SLA misses"),
            "offer_won_count": self.env._("Routed leads won"),
            "registration_count": self.env._("Deal registrations submitted"),
            "registration_approved_count": self.env._("Deal registrations approved"),
            "registration_won_count": self.env._("Deal registrations won"),
            "won_count": self.env._("Opportunities won"),
            "deals_won": self.env._("Deals won (routed and registered)"),
            "deals_taken": self.env._("Deals taken on (accepted and approved)"),
            "channel_revenue": self.env._("Channel revenue invoices"),
            "total_revenue": self.env._("Customer invoices"),
            "revenue": self.env._("Channel revenue invoices"),
        }

    @api.model
    def _prm_figure_domain(self, figure, date_from, date_to, company, partner=None):
        """``(model, domain)`` of the documents a dashboard figure counts, with
        the report's own rules (see ``_prm_fact_sources``): the same documents,
        the same months, the same company, so that the list opened from a
        number holds that number of records (or that amount).

        :param partner: the partner of a row, or None for the company's totals
        """
        start = datetime.combine(date_from.replace(day=1), time.min)
        end = datetime.combine(
            date_to.replace(day=1) + relativedelta(months=1), time.min
        )
        companies = Domain("company_id", "in", [company.id, False])

        def period(fname):
            return Domain(fname, ">=", start) & Domain(fname, "<", end)

        def of_partner(fname):
            return (
                Domain(fname, "=", partner.id)
                if partner
                else Domain(fname, "!=", False)
            )

        offers = period("offered_at") & companies & of_partner("partner_id")
        registrations = (
            Domain("prm_registration_state", "!=", False)
            & period("prm_registration_date")
            & companies
            & of_partner("prm_registration_partner_id")
        )
        accepted = offers & Domain("state", "=", "accepted")
        if figure in (
            "offer_won_count",
            "deals_won",
            "offer_accepted_count",
            "deals_taken",
        ):
            Offer = self.env["prm.lead.offer"].sudo()
            accepted_offers = Offer.search_fetch(accepted, ["lead_id", "partner_id"])
            won_offers = accepted_offers.filtered(
                lambda o: (
                    o.lead_id.won_status == "won"
                    and o.lead_id.prm_partner_id == o.partner_id
                )
            )
        if figure in (
            "offer_count",
            "offer_accepted_count",
            "offer_declined_count",
            "offer_expired_count",
        ):
            states = {
                "offer_accepted_count": "accepted",
                "offer_declined_count": "declined",
                "offer_expired_count": "expired",
            }
            if figure in states:
                offers &= Domain("state", "=", states[figure])
            return "prm.lead.offer", offers
        if figure == "offer_won_count":
            return "prm.lead.offer", Domain("id", "in", won_offers.ids)
        if figure == "registration_count":
            return "crm.lead", registrations
        if figure == "registration_approved_count":
            return "crm.lead", registrations & Domain(
                "prm_registration_state", "in", APPROVED_REGISTRATION_STATES
            )
        if figure == "registration_won_count":
            return "crm.lead", registrations & Domain(
                "prm_registration_state", "=", "won"
            )
        if figure == "won_count":
            return "crm.lead", (
                Domain("won_status", "=", "won")
                & period("date_closed")
                & companies
                & of_partner("prm_partner_id")
            )
        if figure == "deals_won":
            return "crm.lead", Domain("id", "in", won_offers.lead_id.ids) | (
                registrations & Domain("prm_registration_state", "=", "won")
            )
        if figure == "deals_taken":
            return "crm.lead", Domain("id", "in", accepted_offers.lead_id.ids) | (
                registrations
                & Domain("prm_registration_state", "in", APPROVED_REGISTRATION_STATES)
            )
        if figure in ("channel_revenue", "total_revenue", "revenue"):
            invoices = self.env["account.move"]._prm_revenue_domain() & Domain(
                [
                    ("company_id", "=", company.id),
                    ("invoice_date", ">=", start.date()),
                    ("invoice_date", "<", end.date()),
                ]
            )
            if partner:
                invoices &= Domain("prm_partner_id", "=", partner.id) | Domain(
                    "commercial_partner_id", "=", partner.id
                )
            elif figure != "total_revenue":
                invoices &= Domain("prm_partner_id", "!=", False) | Domain(
                    "commercial_partner_id.prm_is_partner", "=", True
                )
            return "account.move", invoices
        raise UserError(
            self.env._("Unknown dashboard figure “%(figure)s”.", figure=figure)
        )

    @api.model
    def action_prm_open_figure(
        self, figure, period="3months", partner_id=None, month=None
    ):
        """The list of the documents behind a number of the channel dashboard:
        offers, leads and opportunities, or invoices (see
        ``_prm_figure_domain``). ``month`` (first day, ``YYYY-MM-DD``) narrows
        the period to that month (the revenue chart's bars)."""
        self.check_access("read")
        company = self.env.company
        label, date_from, date_to = self._prm_period(period)
        if month:
            try:
                date_from = date_to = fields.Date.to_date(month).replace(day=1)
            except (TypeError, ValueError):
                raise UserError(
                    self.env._("“%(month)s” is not a month.", month=month)
                ) from None
            label = fields.Date.to_string(date_from)[:7]
        partner = None
        if partner_id:
            partner = self.env["res.partner"].browse(int(partner_id)).exists()
            if not partner:
                raise UserError(self.env._("This partner no longer exists."))
        model, domain = self._prm_figure_domain(
            figure, date_from, date_to, company, partner
        )
        name = self.env._(
            "%(figure)s: %(period)s",
            figure=self._prm_figure_labels()[figure],
            period=label,
        )
        if partner:
            name = f"{partner.sudo().display_name} · {name}"
        if model == "account.move" and not self.env[model].has_access("read"):
            # No invoicing rights: the analysis of the same revenue instead.
            return self._prm_report_action(
                name,
                [
                    *self._prm_period_domain(date_from, date_to, company),
                    *([("partner_id", "=", partner.id)] if partner else []),
                    ("revenue", "!=", 0),
                ],
            )
        return self._prm_figure_action(model, name, list(domain))

    @api.model
    def _prm_figure_action(self, model, name, domain):
        views = {
            "crm.lead": "crm.crm_case_tree_view_oppor",
            "account.move": "account.view_out_invoice_tree",
        }
        view = (
            self.env.ref(views[model], raise_if_not_found=False)
            if model in views
            else None
        )
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "domain": domain,
            "views": [(view.id if view else False, "list"), (False, "form")],
            "view_mode": "list,form",
            "context": {
                "active_test": False,
                "create": False,
                # The invoice list shows its customer column for customer documents.
                **(
                    {"default_move_type": "out_invoice"}
                    if model == "account.move"
                    else {}
                ),
            },
            "target": "current",
        }

    # --- Actions ---

    @api.model
    def _prm_report_action(self, name, domain, context=None, views=("list",)):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "prm_crm.action_prm_channel_report"
        )
        action.update(
            {
                "name": name,
                "domain": domain,
                "context": context or {},
                "views": [(False, view) for view in views],
                "view_mode": ",".join(views),
            }
        )
        return action

    @api.model
    def action_prm_open_traffic_without_sales(self, period="3months", threshold=None):
        """List of the partners with traffic but no sales in the period, one
        group per partner (their rows by month inside)."""
        self.check_access("read")
        company = self.env.company
        label, date_from, date_to = self._prm_period(period)
        threshold = self._prm_traffic_threshold(threshold, company)
        partners = [
            partner.id
            for partner, _values in self._prm_traffic_without_sales(
                date_from, date_to, threshold, company
            )
        ]
        return self._prm_report_action(
            self.env._(
                "Partners with traffic but no sales (%(period)s, %(threshold)s+)",
                period=label,
                threshold=threshold,
            ),
            [
                *self._prm_period_domain(date_from, date_to, company),
                ("partner_id", "in", partners),
            ],
            {"group_by": ["partner_id"]},
        )

    @api.model
    def action_prm_open_period(self, period="12months", partner_id=None, view="pivot"):
        """The analysis of a dashboard period (and partner), as pivot or list."""
        self.check_access("read")
        label, date_from, date_to = self._prm_period(period)
        domain = self._prm_period_domain(date_from, date_to)
        name = self.env._("Channel analytics: %(period)s", period=label)
        if partner_id:
            partner = self.env["res.partner"].browse(int(partner_id))
            domain.append(("partner_id", "=", partner.id))
            name = self.env._(
                "%(partner)s: %(period)s", partner=partner.display_name, period=label
            )
        views = ("pivot", "graph", "list")
        if view not in views:
            raise UserError(self.env._("Unknown view “%(view)s”.", view=view))
        views = (view, *(other for other in views if other != view))
        return self._prm_report_action(name, domain, views=views)
