from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import FEB, JAN, TODAY, PrmAnalyticsCommon


@tagged("post_install", "-at_install")
class TestChannelAnalyticsSecurity(PrmAnalyticsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_salesman = new_test_user(
            cls.env,
            login="prm_analytics_salesman",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.user_public = new_test_user(
            cls.env, login="prm_analytics_public", groups="base.group_public"
        )

    def _revenue_by_partner(self, report):
        return dict(
            report._read_group(
                [("date", ">=", JAN), ("date", "<=", FEB)],
                ["partner_id"],
                ["revenue:sum"],
            )
        )

    # --- Roles ---

    @freeze_time(TODAY)
    def test_channel_managers_and_administrators_read_every_partner(self):
        for user in (
            self.user_channel_manager,
            self.user_other_manager,
            self.user_prm_admin,
        ):
            report = self.Report.with_user(user)
            revenue = self._revenue_by_partner(report)
            # Olga manages B only and still reads A: program data is shared.
            self.assertAlmostEqual(revenue[self.partner_a], 3600, msg=user.login)
            self.assertAlmostEqual(revenue[self.partner_b], 1000, msg=user.login)
            rows = report.search([("partner_id", "=", self.partner_a.id)])
            self.assertEqual(len(rows), 3, user.login)
            rows.read(["revenue", "accept_rate"])
            # Olga has no invoicing rights: the revenue share still shows.
            data = report.get_prm_channel_dashboard("month")
            self.assertAlmostEqual(data["revenue_share"], 200 / 7, msg=user.login)
            self.assertAlmostEqual(
                self.partner_a.with_user(user).prm_channel_revenue_12m, 12600
            )
            for method in (
                "action_prm_open_traffic_without_sales",
                "action_prm_open_period",
            ):
                self.assertEqual(
                    getattr(report, method)("month")["type"], "ir.actions.act_window"
                )

    def test_channel_managers_cannot_write(self):
        row = self._row(self.partner_a, JAN).with_user(self.user_prm_admin)
        with mute_logger("odoo.models"):
            for method, args in (("write", ({"revenue": 1},)), ("unlink", ())):
                with self.assertRaises(AccessError, msg=method):
                    getattr(row, method)(*args)
            with self.assertRaises(AccessError):
                row.create({"revenue": 1})

    @freeze_time(TODAY)
    def test_portal_public_and_other_internal_users_are_denied(self):
        for user in (self.user_portal_a, self.user_public, self.user_salesman):
            report = self.Report.with_user(user)
            with self.assertRaises(AccessError, msg=user.login):
                report.search([])
            with self.assertRaises(AccessError, msg=user.login):
                report._read_group([], ["partner_id"], ["revenue:sum"])
            with self.assertRaises(AccessError, msg=user.login):
                report.get_prm_channel_dashboard("month")
            with self.assertRaises(AccessError, msg=user.login):
                report.action_prm_open_traffic_without_sales("month")
        # Partner 360 figures are for channel managers only.
        with self.assertRaises(AccessError):
            self.partner_a.with_user(self.user_salesman).prm_channel_revenue_12m  # noqa: B018
        self.assertNotIn(
            "prm_channel_revenue_12m",
            self.env["res.partner"].with_user(self.user_salesman).fields_get(),
        )

    # --- Companies ---

    @freeze_time(TODAY)
    def test_companies_are_isolated(self):
        company_2 = self.setup_other_company(name="PRM Analytics Co 2")["company"]
        shared = self._create_program_partner("Shared Channel", company_id=False)
        self._post_invoice(shared, 700, "2025-02-03")
        self.env["account.move"].with_company(company_2).create(
            {
                "move_type": "out_invoice",
                "partner_id": shared.id,
                "invoice_date": "2025-02-04",
                "invoice_line_ids": [
                    Command.create(
                        {"name": "C2", "price_unit": 900, "tax_ids": [Command.clear()]}
                    )
                ],
            }
        ).action_post()
        lead_2 = self.Lead.with_company(company_2).create(
            {"name": "Company 2 lead", "company_id": company_2.id, "user_id": False}
        )
        with freeze_time("2025-02-05 10:00"):
            self.Offer.create({"lead_id": lead_2.id, "partner_id": shared.id})
        both = [Command.set((self.company | company_2).ids)]
        user_both = new_test_user(
            self.env,
            login="prm_analytics_both",
            groups="prm_partner.group_prm_user",
            company_id=self.company.id,
            company_ids=both,
        )
        user_2 = new_test_user(
            self.env,
            login="prm_analytics_c2",
            groups="prm_partner.group_prm_user",
            company_id=company_2.id,
            company_ids=[Command.set(company_2.ids)],
        )

        def shared_rows(report):
            rows = report.search([("partner_id", "=", shared.id)])
            return {row.company_id: (row.revenue, row.offer_count) for row in rows}

        # Company 1 only: the user sees company 1's figures of the shared
        # partner, nothing of company 2.
        report_1 = self.Report.with_user(self.user_channel_manager)
        self.assertEqual(shared_rows(report_1), {self.company: (700, 0)})
        # Company 2 only: nothing of company 1's partners.
        report_2 = self.Report.with_user(user_2)
        self.assertEqual(shared_rows(report_2), {company_2: (900, 1)})
        self.assertFalse(report_2.search([("partner_id", "=", self.partner_a.id)]))
        # Both companies allowed: both rows, one per company; the active
        # companies limit them.
        report_both = self.Report.with_user(user_both)
        self.assertEqual(
            shared_rows(report_both),
            {self.company: (700, 0), company_2: (900, 1)},
        )
        self.assertEqual(
            shared_rows(report_both.with_context(allowed_company_ids=company_2.ids)),
            {company_2: (900, 1)},
        )
        # Dashboards and Partner 360 are per current company, in its currency.
        data_2 = report_both.with_company(company_2).get_prm_channel_dashboard("month")
        self.assertEqual(
            (data_2["channel_revenue"], data_2["total_revenue"]), (900, 900)
        )
        self.assertEqual(data_2["currency_id"], company_2.currency_id.id)
        self.assertEqual([row["id"] for row in data_2["top_partners"]], shared.ids)
        data_1 = report_both.get_prm_channel_dashboard("month")
        self.assertAlmostEqual(data_1["channel_revenue"], 2700)  # 2,000 + 700
        self.assertEqual(
            shared.with_user(user_both).with_company(company_2).prm_channel_revenue_12m,
            900,
        )
