from contextlib import contextmanager
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import SQL

from .common import FEB, JAN, TODAY, PrmAnalyticsCommon

PIVOT_AGGREGATES = [
    "revenue:sum",
    "offer_count:sum",
    "won_count:sum",
    "accept_rate:avg",
    "avg_deal_size:avg",
    "avg_accept_hours:avg",
]


@tagged("post_install", "-at_install")
class TestChannelAnalyticsQueries(PrmAnalyticsCommon):
    """The pivot reads the report in one query, whatever the number of partners,
    and PostgreSQL filters each source before aggregating it."""

    def _more_partners(self, count):
        partners = (
            self.env["res.partner"]
            .sudo()
            .create(
                [
                    {
                        "name": f"Bulk partner {i:03d}",
                        "is_company": True,
                        "prm_is_partner": True,
                        "prm_state": "active",
                        "company_id": self.company.id,
                    }
                    for i in range(count)
                ]
            )
        )
        for partner in partners:
            self._post_invoice(partner, 100, "2025-02-10")
        self.env.flush_all()
        return partners

    @contextmanager
    def _queries(self):
        """The SQL run inside the block (their text, without parameters)."""
        queries = []
        cr = self.env.cr
        execute = cr.execute

        def spy(query, params=None, log_exceptions=True):
            queries.append(str(getattr(query, "code", query)))
            return execute(query, params, log_exceptions)

        with patch.object(cr, "execute", spy):
            yield queries

    def _read_pivot(self, report):
        self.env.invalidate_all()
        return report.formatted_read_group(
            [("date", ">=", JAN), ("date", "<=", FEB)],
            ["partner_id", "date:month"],
            PIVOT_AGGREGATES,
        )

    def test_pivot_reads_in_constant_queries(self):
        report = self.Report.with_user(self.user_channel_manager)
        self._read_pivot(report)  # warm the rules and metadata caches
        with self._queries() as queries:
            few = self._read_pivot(report)
        # One SELECT reads every figure of the pivot; the others fill the
        # emptied cache: partner names for the row headers, the user, its
        # company and partner.
        self.assertEqual(
            len([query for query in queries if "prm_lead_offer" in query]), 1
        )
        self._more_partners(30)
        with self._queries() as more_queries:
            many = self._read_pivot(report)
        self.assertEqual(len(many), len(few) + 30)
        self.assertEqual(len(more_queries), len(queries))
        # Without the display names: one query.
        with self.assertQueryCount(1):
            report._read_group(
                [("date", ">=", JAN)], ["partner_id", "date:month"], PIVOT_AGGREGATES
            )

    @freeze_time(TODAY)
    def test_dashboard_and_partner_360_queries(self):
        report = self.Report.with_user(self.user_channel_manager)
        report.get_prm_channel_dashboard("3months")
        self.env.invalidate_all()
        with self._queries() as queries:
            report.get_prm_channel_dashboard("3months")
        # Two invoice sums by month, then totals, months and partners in one
        # query on the report (grouping sets).
        self.assertEqual(
            len([query for query in queries if "prm_lead_offer" in query]), 1
        )
        self.assertEqual(
            len([query for query in queries if 'SUM("account_move"' in query]), 2
        )
        self._more_partners(30)
        self.env.invalidate_all()
        with self._queries() as more_queries:
            report.get_prm_channel_dashboard("3months")
        self.assertLessEqual(len(more_queries), len(queries))

        # Partner 360: one grouped read for all the partners shown.
        partners = self.env["res.partner"].search(
            [("prm_is_partner", "=", True), ("company_id", "=", self.company.id)]
        )
        self.assertGreater(len(partners), 30)
        partners = partners.with_user(self.user_channel_manager)
        partners.mapped("prm_channel_revenue_12m")
        partners.invalidate_recordset(["prm_channel_revenue_12m"])
        with self.assertQueryCount(1):
            partners.mapped("prm_channel_revenue_12m")

    def test_filters_reach_each_source(self):
        """A filter on the month, company or partner is applied inside each
        source's scan (where the month indexes serve it), not after the
        aggregation of every row of every source."""
        query = self.Report._search(
            [
                ("date", ">=", FEB),
                ("company_id", "=", self.company.id),
                ("partner_id", "=", self.partner_a.id),
            ]
        )
        self.env.cr.execute(
            SQL("EXPLAIN (COSTS OFF) %s", query.select(SQL("SUM(revenue)")))
        )
        plan = "\n".join(row[0] for row in self.env.cr.fetchall())
        for column in (
            "offered_at",
            "prm_registration_date",
            "date_closed",
            "invoice_date",
        ):
            self.assertRegex(
                plan,
                rf"date_trunc\('month'::text, \(?{column}",
                f"the month filter reaches the {column} source",
            )
        self.assertIn("partner_id = ", plan)
        for index in (
            "prm_lead_offer_prm_offered_month_idx",
            "crm_lead_prm_registration_month_idx",
            "crm_lead_prm_won_month_idx",
            "account_move_prm_invoice_month_idx",
        ):
            self.env.cr.execute(
                "SELECT 1 FROM pg_indexes WHERE indexname = %s", (index,)
            )
            self.assertTrue(self.env.cr.fetchone(), f"index {index} exists")
