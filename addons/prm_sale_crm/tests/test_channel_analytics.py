from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import FEB, JAN, TODAY, PrmAnalyticsCommon

# Hand-computed from the fixture (tests/analytics_common.py).
A_JAN = {
    "offer_count": 4,  # o1, o2, o3, o4 (o4 offered on Jan 31, expired in Feb)
    "offer_accepted_count": 2,
    "offer_declined_count": 1,
    "offer_expired_count": 1,
    "offer_won_count": 1,  # o1's lead won
    "accept_hours": 30,  # 6 + 24
    "accept_timed_count": 2,
    "registration_count": 2,  # r1 (approved, then won), r2 (rejected)
    "registration_approved_count": 1,
    "registration_won_count": 1,
    "won_count": 1,  # o1's lead on Jan 25
    "won_amount": 10000,
    "revenue_sourced": 1000,
    "revenue_resale": 500,
    "revenue": 1500,
    "traffic_count": 6,
    "accept_rate": 50,
    "offer_win_rate": 50,
    "registration_approval_rate": 50,
    "deal_win_rate": 200 / 3,  # (1 + 1) / (2 + 1)
    "avg_deal_size": 10000,
    "avg_accept_hours": 15,
}
A_FEB = {
    "offer_count": 2,  # o5 accepted, o6 still open
    "offer_accepted_count": 1,
    "offer_declined_count": 0,
    "offer_expired_count": 0,
    "offer_won_count": 1,
    "accept_hours": 3,
    "accept_timed_count": 1,
    "registration_count": 1,  # r3, approved then expired
    "registration_approved_count": 1,
    "registration_won_count": 0,
    "won_count": 2,  # o5's lead (4,000) and r1 (20,000)
    "won_amount": 24000,
    "revenue_sourced": 2100,  # 2,000 - 300 (credit note) + 400 (to B)
    "revenue_resale": 0,
    "revenue": 2100,
    "traffic_count": 3,
    "accept_rate": 50,
    "offer_win_rate": 100,
    "registration_approval_rate": 100,
    "deal_win_rate": 50,  # (1 + 0) / (1 + 1)
    "avg_deal_size": 12000,
    "avg_accept_hours": 3,
}
B_JAN = {
    "offer_count": 2,  # o7 expired, o8 declined
    "offer_accepted_count": 0,
    "offer_declined_count": 1,
    "offer_expired_count": 1,
    "offer_won_count": 0,
    "accept_hours": 0,
    "registration_count": 0,
    "won_count": 1,  # a referral, neither routed nor registered
    "won_amount": 6000,
    "revenue_resale": 800,
    "revenue": 800,
    "traffic_count": 2,
    "accept_rate": 0,
    "offer_win_rate": 0,  # no accepted lead: no rate
    "avg_deal_size": 6000,
    "avg_accept_hours": 0,
}
B_FEB = {
    "offer_count": 1,  # o9 accepted after 12 hours
    "offer_accepted_count": 1,
    "offer_won_count": 0,
    "accept_hours": 12,
    "registration_count": 2,  # r4 submitted, r5 approved
    "registration_approved_count": 1,
    "won_count": 0,
    "revenue_resale": 200,  # 400 through A - 200 credit note
    "revenue": 200,
    "traffic_count": 3,
    "accept_rate": 100,
    "registration_approval_rate": 50,
    "deal_win_rate": 0,
    "avg_deal_size": 0,
    "avg_accept_hours": 12,
}
# Both months: ratios of the sums, not averages of the monthly ratios (those
# would give 75 % routed win rate, 9 hours, 11,000 and 58.3 % for A).
A_TOTAL = {
    "offer_count": 6,
    "offer_accepted_count": 3,
    "offer_expired_count": 1,
    "offer_won_count": 2,
    "registration_count": 3,
    "registration_approved_count": 2,
    "won_count": 3,
    "won_amount": 34000,
    "revenue": 3600,
    "accept_rate": 50,
    "offer_win_rate": 200 / 3,
    "registration_approval_rate": 200 / 3,
    "deal_win_rate": 60,  # (2 + 1) / (3 + 2)
    "avg_deal_size": 34000 / 3,
    "avg_accept_hours": 11,  # 33 / 3
}
B_TOTAL = {
    "offer_count": 3,
    "offer_accepted_count": 1,
    "registration_count": 2,
    "won_count": 1,
    "revenue": 1000,
    "accept_rate": 100 / 3,
    "registration_approval_rate": 50,
    "avg_deal_size": 6000,
    "avg_accept_hours": 12,
}
MEASURES = sorted(set(A_JAN) | set(A_FEB) | set(B_JAN) | set(B_FEB))


@tagged("post_install", "-at_install")
class TestChannelAnalytics(PrmAnalyticsCommon):
    def _aggregates(self, names=MEASURES):
        return [f"{name}:{self.Report._fields[name].aggregator}" for name in names]

    def _grouped(self, domain, groupby):
        """{group key: {measure: value}}; the key is () without groupby."""
        specs = self._aggregates()
        return {
            tuple(group[: len(groupby)]): dict(
                zip(MEASURES, group[len(groupby) :], strict=True)
            )
            for group in self.Report._read_group(domain, groupby, specs)
        }

    # --- Rows ---

    def test_rows_per_partner_and_month(self):
        for partner, month, expected in (
            (self.partner_a, JAN, A_JAN),
            (self.partner_a, FEB, A_FEB),
            (self.partner_b, JAN, B_JAN),
            (self.partner_b, FEB, B_FEB),
        ):
            row = self._row(partner, month)
            self._assert_values(row, expected, f"{partner.name} {month}")
            self.assertEqual(row.currency_id, self.company.currency_id)

    def test_dimensions_are_the_partners(self):
        row_a, row_b = self._row(self.partner_a, JAN), self._row(self.partner_b, JAN)
        self.assertEqual(row_a.tier_id, self.tier_registered)
        self.assertEqual(row_b.tier_id, self.tier_silver)
        self.assertEqual(row_a.partner_type_id, self.type_reseller)
        self.assertEqual(row_b.partner_type_id, self.type_referral)
        self.assertEqual(row_a.country_id, self.env.ref("base.es"))
        self.assertEqual(row_a.manager_id, self.user_channel_manager)
        self.assertEqual(row_b.manager_id, self.user_other_manager)
        self.assertEqual(row_a.partner_state, "active")

    def test_nothing_else_counts(self):
        """December invoices, drafts, wins without partner, lost deals."""
        self.assertEqual(
            self.Report.search(
                [("partner_id", "in", (self.partner_a | self.partner_b).ids)]
            ).mapped("date"),
            [FEB, FEB, JAN, JAN, JAN.replace(year=2024, month=12)],
        )
        december = self._row(self.partner_a, JAN.replace(year=2024, month=12))
        self._assert_values(december, {"revenue": 9000, "traffic_count": 0})

    def test_expired_registration_counts_for_its_partner(self):
        self.assertEqual(self.r3.prm_registration_state, "expired")
        self.assertFalse(self.r3.prm_partner_id, "the customer is released")
        self.assertEqual(self.r3.prm_registration_partner_id, self.partner_a)
        self.assertEqual(self.r1.prm_registration_state, "won")

    # --- Groups ---

    def test_totals_over_both_months_are_ratios_of_sums(self):
        months = [("date", ">=", JAN), ("date", "<=", FEB)]
        by_partner = self._grouped(months, ["partner_id"])
        self._assert_values(by_partner[self.partner_a,], A_TOTAL, "A")
        self._assert_values(by_partner[self.partner_b,], B_TOTAL, "B")

        both = [*months, ("partner_id", "in", (self.partner_a | self.partner_b).ids)]
        by_month = self._grouped(both, ["date:month"])
        self._assert_values(
            by_month[JAN,], {"offer_count": 6, "accept_rate": 100 / 3}, "January"
        )
        self._assert_values(
            by_month[FEB,], {"offer_count": 3, "accept_rate": 200 / 3}, "February"
        )
        total = self._grouped(both, [])[()]
        self._assert_values(
            total,
            {
                "offer_count": 9,
                "offer_accepted_count": 4,
                "accept_rate": 400 / 9,
                "avg_accept_hours": 45 / 4,
                "won_count": 4,
                "avg_deal_size": 10000,
                "revenue": 4600,
            },
            "A and B",
        )

    def test_pivot_measures(self):
        """What the pivot reads (formatted_read_group with the fields'
        aggregators): grouped by tier, type and country too."""
        domain = [("partner_id", "in", (self.partner_a | self.partner_b).ids)]
        aggregates = ["accept_rate:avg", "avg_deal_size:avg", "revenue:sum"]
        groups = self.Report.formatted_read_group(
            domain, ["tier_id", "date:month"], aggregates
        )
        silver_feb = next(
            group
            for group in groups
            if group["tier_id"][0] == self.tier_silver.id
            and group["date:month"][0] == "2025-02-01"
        )
        self._assert_values(
            silver_feb, {"accept_rate:avg": 100, "revenue:sum": 200}, "silver feb"
        )
        by_type = {
            group["partner_type_id"][0]: group
            for group in self.Report.formatted_read_group(
                domain, ["partner_type_id"], aggregates
            )
        }
        self._assert_values(
            by_type[self.type_reseller.id],
            {"avg_deal_size:avg": 34000 / 3, "revenue:sum": 12600},
            "resellers (A, December included)",
        )
        by_country = {
            group["country_id"][0]: group
            for group in self.Report.formatted_read_group(
                domain, ["country_id"], aggregates
            )
        }
        self._assert_values(
            by_country[self.env.ref("base.fr").id],
            {"accept_rate:avg": 100 / 3, "revenue:sum": 1000},
            "France (B)",
        )

    # --- Revenue share, top partners, traffic without sales ---

    def test_revenue_share_counts_each_invoice_once(self):
        channel, total, share = self.Report._prm_revenue_share(JAN, FEB)
        # 1,000 + 500 + 2,000 - 300 + 400 + 800 - 200 + 100; + 5,000 direct.
        self.assertAlmostEqual(channel, 4300)
        self.assertAlmostEqual(total, 9300)
        self.assertAlmostEqual(share, 4300 / 93)
        # Per partner, the invoice to B through A counts for both.
        [(revenue,)] = self.Report._read_group(
            [("date", ">=", JAN), ("date", "<=", FEB)], [], ["revenue:sum"]
        )
        self.assertAlmostEqual(revenue, 4700)

    def test_revenue_share_without_revenue(self):
        month = JAN.replace(year=2024)
        self.assertEqual(self.Report._prm_revenue_share(month, month), (0, 0, None))

    def test_top_partners(self):
        top = self.Report._prm_top_partners(JAN, FEB)
        self.assertEqual(
            [partner for partner, _values in top],
            [self.partner_a, self.partner_b, self.partner_d],
        )
        self._assert_values(top[0][1], {"revenue": 3600, "deal_win_rate": 60})
        self.assertEqual(len(self.Report._prm_top_partners(JAN, FEB, limit=1)), 1)

    def test_traffic_without_sales(self):
        def selected(threshold, date_from=JAN, date_to=FEB):
            return [
                partner
                for partner, _values in self.Report._prm_traffic_without_sales(
                    date_from, date_to, threshold
                )
            ]

        # A and B won deals, D invoiced 100, E has 2 leads only.
        self.assertEqual(selected(3), [self.partner_c])
        self.assertEqual(selected(2), [self.partner_c, self.partner_e])
        self.assertEqual(selected(4), [])
        # In January alone, B's 2 leads came with a won referral.
        self.assertEqual(selected(1, JAN, JAN), [])
        _partner, values = self.Report._prm_traffic_without_sales(JAN, FEB, 3)[0]
        self._assert_values(
            values,
            {"offer_count": 2, "registration_count": 1, "won_count": 0},
        )

    # --- Dashboard and actions ---

    @freeze_time(TODAY)
    def test_dashboard(self):
        data = self.Report.get_prm_channel_dashboard("month")
        self.assertEqual((data["date_from"], data["date_to"]), ("2025-02-01",) * 2)
        self.assertEqual(data["threshold"], 3)
        self.assertAlmostEqual(data["channel_revenue"], 2000)
        self.assertAlmostEqual(data["total_revenue"], 7000)
        self.assertAlmostEqual(data["revenue_share"], 200 / 7)
        # Offers of February: A 2, B 1, C 2, D 3, E 2; accepted o5 and o9.
        self._assert_values(
            data["totals"],
            {"offer_count": 10, "offer_accepted_count": 2, "accept_rate": 20},
        )
        self.assertEqual(
            [row["id"] for row in data["top_partners"]],
            (self.partner_a | self.partner_b | self.partner_d).ids,
        )
        self.assertEqual([row["id"] for row in data["no_sales"]], self.partner_c.ids)
        self.assertEqual(data["no_sales"][0]["manager"], "Charlie Channel")

        data = self.Report.get_prm_channel_dashboard("3months", threshold="2")
        self.assertEqual(
            [row["id"] for row in data["no_sales"]],
            (self.partner_c | self.partner_e).ids,
        )
        self.assertEqual(
            [(month["date"], month["revenue"]) for month in data["months"]],
            [("2024-12-01", 9000), ("2025-01-01", 2300), ("2025-02-01", 2000)],
        )

    @freeze_time("2030-06-15")
    def test_dashboard_without_activity(self):
        data = self.Report.get_prm_channel_dashboard("month")
        self.assertIsNone(data["revenue_share"])
        self.assertEqual(data["totals"]["offer_count"], 0)
        self.assertFalse(data["totals"]["accept_rate"], "no rate without leads")
        self.assertEqual((data["top_partners"], data["no_sales"]), ([], []))
        self.assertEqual(
            data["months"],
            [{"date": "2030-06-01", "revenue": 0.0, "offer_count": 0, "won_count": 0}],
        )

    @freeze_time(TODAY)
    def test_threshold_setting(self):
        self.company.prm_traffic_threshold = 2
        data = self.Report.get_prm_channel_dashboard("3months")
        self.assertEqual(data["threshold"], 2)
        self.assertEqual(len(data["no_sales"]), 2)

    @freeze_time(TODAY)
    def test_traffic_without_sales_action(self):
        action = self.Report.action_prm_open_traffic_without_sales("3months")
        self.assertEqual(action["res_model"], "prm.channel.report")
        self.assertEqual(action["context"], {"group_by": ["partner_id"]})
        self.assertIn("3+", action["name"])
        rows = self.Report.search(action["domain"])
        self.assertEqual(rows.partner_id, self.partner_c)
        self.assertEqual(
            self.env.ref("prm_sale_crm.action_prm_traffic_without_sales")
            .run()
            .get("domain"),
            action["domain"],
            "the menu opens the same list for the last 3 months",
        )

    @freeze_time(TODAY)
    def test_open_period_action(self):
        action = self.Report.action_prm_open_period(
            "month", partner_id=self.partner_a.id, view="graph"
        )
        self.assertEqual(action["views"][0], (False, "graph"))
        self.assertEqual(
            self.Report.search(action["domain"]), self._row(self.partner_a, FEB)
        )

    @freeze_time(TODAY)
    def test_partner_360(self):
        partners = self.partner_a | self.partner_b | self.partner_c
        partners.invalidate_recordset()
        # Last 12 months: March 2024 to February 2025, December included.
        self.assertAlmostEqual(self.partner_a.prm_channel_revenue_12m, 12600)
        self.assertAlmostEqual(self.partner_a.prm_channel_win_rate_12m, 60)
        self.assertAlmostEqual(self.partner_b.prm_channel_revenue_12m, 1000)
        self.assertAlmostEqual(self.partner_b.prm_channel_win_rate_12m, 0)
        self.assertEqual(self.partner_c.prm_channel_revenue_12m, 0)
        action = self.partner_a.action_prm_open_channel_report()
        self.assertEqual(
            self.Report.search(action["domain"]).mapped("date"),
            [FEB, JAN, JAN.replace(year=2024, month=12)],
        )

    # --- Bad input ---

    @freeze_time(TODAY)
    def test_bad_input(self):
        with self.assertRaisesRegex(UserError, "Unknown period “forever”"):
            self.Report.get_prm_channel_dashboard("forever")
        for threshold in (0, -2, "many"):
            with self.assertRaisesRegex(UserError, "at least 1"):
                self.Report.get_prm_channel_dashboard("month", threshold=threshold)
        with self.assertRaisesRegex(UserError, "Unknown view"):
            self.Report.action_prm_open_period("month", view="kanban")
        with self.assertRaises(UserError):
            self.Report.action_prm_open_traffic_without_sales("forever")
        # The setting refuses thresholds below 1 and keeps the stored one.
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.env.cr.savepoint(),
        ):
            self.company.prm_traffic_threshold = 0
            self.company.flush_recordset()
        self.company.invalidate_recordset()
        self.assertEqual(self.company.prm_traffic_threshold, 3)


@tagged("post_install", "-at_install")
class TestPartnerChannelFigures(PrmAnalyticsCommon):
    """The partner's channel figures are channel analytics' figures."""

    @freeze_time(TODAY)
    def test_partner_figures_equal_channel_analytics(self):
        partners = self.partner_a | self.partner_b | self.partner_c
        partners.invalidate_recordset()
        _label, date_from, date_to = self.Report._prm_period("12months")
        domain = [
            *self.Report._prm_period_domain(date_from, date_to),
            ("partner_id", "in", partners.ids),
        ]
        names = [
            "revenue",
            "revenue_sourced",
            "revenue_resale",
            "won_count",
            "offer_won_count",
            "registration_won_count",
            "offer_accepted_count",
            "registration_approved_count",
            "deal_win_rate",
        ]
        report = {
            partner: dict(zip(names, values, strict=True))
            for partner, *values in self.Report._read_group(
                domain, ["partner_id"], [f"{name}:sum" for name in names]
            )
        }
        for partner in partners:
            expected = report.get(partner, dict.fromkeys(names, 0))
            self.assertAlmostEqual(
                partner.prm_channel_revenue_12m, expected["revenue"] or 0
            )
            self.assertAlmostEqual(
                partner.prm_revenue_sourced_12m, expected["revenue_sourced"] or 0
            )
            self.assertAlmostEqual(
                partner.prm_revenue_resale_12m, expected["revenue_resale"] or 0
            )
            self.assertEqual(partner.prm_won_count_12m, expected["won_count"] or 0)
            self.assertEqual(
                partner.prm_deals_won_12m,
                (expected["offer_won_count"] or 0)
                + (expected["registration_won_count"] or 0),
            )
            self.assertEqual(
                partner.prm_deals_taken_12m,
                (expected["offer_accepted_count"] or 0)
                + (expected["registration_approved_count"] or 0),
            )
            self.assertAlmostEqual(
                partner.prm_channel_win_rate_12m, expected["deal_win_rate"] or 0
            )
            self.assertAlmostEqual(
                partner.prm_channel_revenue_12m,
                partner.prm_revenue_sourced_12m + partner.prm_revenue_resale_12m,
            )
        # B won a referral (neither routed nor registered) and took on no
        # deal: one opportunity won, no win rate, and the two say so apart.
        self.assertEqual(self.partner_b.prm_won_count_12m, 1)
        self.assertEqual(self.partner_b.prm_deals_won_12m, 0)
        # The dashboard's top partners show the same figures.
        data = self.Report.get_prm_channel_dashboard("12months")
        row = next(r for r in data["top_partners"] if r["id"] == self.partner_a.id)
        self.assertAlmostEqual(row["revenue"], self.partner_a.prm_channel_revenue_12m)
        self.assertAlmostEqual(
            row["deal_win_rate"], self.partner_a.prm_channel_win_rate_12m
        )

    def test_figures_are_labelled_apart(self):
        Partner = self.env["res.partner"]
        labels = {
            Partner._fields[name].string
            for name in (
                "prm_channel_revenue_12m",
                "prm_revenue_sourced_12m",
                "prm_revenue_resale_12m",
                "prm_sale_count",
                "prm_invoice_count",
                "prm_won_count_12m",
                "prm_deals_won_12m",
                "prm_channel_win_rate_12m",
            )
        }
        self.assertEqual(len(labels), 8)
        for name in ("prm_channel_revenue_12m", "prm_sale_count"):
            self.assertTrue(Partner._fields[name].help)


@tagged("post_install", "-at_install")
class TestChannelDashboardFigures(PrmAnalyticsCommon):
    """Every number of the dashboard opens the records it counts, and its
    ratios are taken on the bases shown beside them."""

    COUNTS = (
        "offer_count",
        "offer_accepted_count",
        "offer_declined_count",
        "offer_expired_count",
        "offer_won_count",
        "registration_count",
        "registration_approved_count",
        "registration_won_count",
        "won_count",
        "deals_won",
        "deals_taken",
    )

    def _open(self, figure, period="3months", **kwargs):
        action = self.Report.action_prm_open_figure(figure, period, **kwargs)
        return (
            self.env[action["res_model"]]
            .with_context(active_test=False)
            .search(action["domain"])
        )

    def _assert_bases(self, figures, msg):
        """The win rate is deals won / deals taken on, the figures shown."""
        self.assertEqual(
            figures["deals_won"],
            figures["offer_won_count"] + figures["registration_won_count"],
        )
        if figures["deals_taken"]:
            self.assertAlmostEqual(
                figures["deal_win_rate"],
                100 * figures["deals_won"] / figures["deals_taken"],
                msg=msg,
            )
        else:
            self.assertFalse(figures["deal_win_rate"], msg)
        if figures["won_count"]:
            self.assertAlmostEqual(
                figures["avg_deal_size"], figures["won_amount"] / figures["won_count"]
            )

    @freeze_time(TODAY)
    def test_numbers_open_what_they_count(self):
        data = self.Report.get_prm_channel_dashboard("3months", threshold=2)
        totals = data["totals"]
        self._assert_bases(totals, "totals")
        for figure in self.COUNTS:
            self.assertEqual(
                len(self._open(figure)), totals[figure], f"{figure} of the company"
            )
        self.assertTrue(data["top_partners"] and data["no_sales"])
        for row in data["top_partners"] + data["no_sales"]:
            self._assert_bases(row, row["name"])
            partner = self.env["res.partner"].browse(row["id"])
            for figure in self.COUNTS:
                self.assertEqual(
                    len(self._open(figure, partner_id=partner.id)),
                    row[figure],
                    f"{figure} of {partner.name}",
                )
            self.assertAlmostEqual(
                sum(
                    self._open("revenue", partner_id=partner.id).mapped(
                        "amount_untaxed_signed"
                    )
                ),
                row["revenue"],
            )
        for figure in ("channel_revenue", "total_revenue"):
            self.assertAlmostEqual(
                sum(self._open(figure).mapped("amount_untaxed_signed")), data[figure]
            )
        for month in data["months"]:
            invoices = self._open("channel_revenue", month=month["date"])
            self.assertAlmostEqual(
                sum(invoices.mapped("amount_untaxed_signed")), month["revenue"]
            )

    @freeze_time(TODAY)
    def test_partner_b_won_a_referral_but_no_deal(self):
        """B's opportunity won is a referral (neither routed nor registered):
        one opportunity won, and the win rate has a basis of its own."""
        data = self.Report.get_prm_channel_dashboard("3months")
        row = next(r for r in data["top_partners"] if r["id"] == self.partner_b.id)
        self.assertEqual(row["won_count"], 1)
        self.assertEqual((row["deals_won"], row["deals_taken"]), (0, 2))
        self.assertEqual(row["deal_win_rate"], 0)

    @freeze_time(TODAY)
    def test_amounts_without_invoicing_rights(self):
        """A channel manager without invoicing rights gets the analysis of the
        same revenue instead of the invoices."""
        manager = new_test_user(
            self.env,
            login="prm_no_invoicing",
            groups="prm_partner.group_prm_user",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        self.assertFalse(self.env["account.move"].with_user(manager).has_access("read"))
        action = self.Report.with_user(manager).action_prm_open_figure(
            "revenue", "3months", partner_id=self.partner_a.id
        )
        self.assertEqual(action["res_model"], "prm.channel.report")
        rows = self.Report.with_user(manager).search(action["domain"])
        data = self.Report.get_prm_channel_dashboard("3months")
        row = next(r for r in data["top_partners"] if r["id"] == self.partner_a.id)
        self.assertAlmostEqual(sum(rows.mapped("revenue")), row["revenue"])
        action = self.Report.with_user(manager).action_prm_open_figure("offer_count")
        self.assertEqual(action["res_model"], "prm.lead.offer")

    @freeze_time(TODAY)
    def test_bad_figure(self):
        with self.assertRaisesRegex(UserError, "Unknown dashboard figure"):
            self.Report.action_prm_open_figure("everything")
        with self.assertRaisesRegex(UserError, "is not a month"):
            self.Report.action_prm_open_figure("offer_count", month="soon")
        with self.assertRaisesRegex(UserError, "no longer exists"):
            self.Report.action_prm_open_figure("offer_count", partner_id=10**9)
