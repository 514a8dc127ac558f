from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common_mdf import PrmMdfCommon


@tagged("post_install", "-at_install")
class TestMdfReport(PrmMdfCommon):
    @freeze_time("2032-01-15")
    def test_roi_counts_six_months_of_revenue_after_the_activity(self):
        budget = self._open_budget(
            self.partner_a,
            5000.0,
            date_from=self.today.replace(year=2032, month=1, day=1),
        )
        request = self._request(
            1000.0,
            budget=budget,
            approve=True,
            date_start="2032-01-10",
            date_end="2032-01-20",
        )
        claim = self._claim(request, 500.0)
        claim.action_approve()
        claim.action_reimburse()
        self._post_invoice(
            self.customer_x, 4000.0, date="2032-03-01", channel_partner=self.partner_a
        )
        self._post_invoice(
            self.customer_y, 1000.0, date="2032-07-19", channel_partner=self.partner_a
        )
        # Before the activity and after the 6 months: not counted.
        self._post_invoice(
            self.customer_x, 9000.0, date="2031-12-01", channel_partner=self.partner_a
        )
        self._post_invoice(
            self.customer_x, 9000.0, date="2032-08-01", channel_partner=self.partner_a
        )
        other = self._request(
            100.0,
            budget=budget,
            approve=True,
            date_start="2032-01-10",
            date_end="2032-01-20",
        )
        with self._statements() as counts:
            self.Request._cron_prm_compute_roi()
        self.assertEqual((request.roi_revenue, request.roi), (5000.0, 10.0))
        self.assertEqual(
            (other.roi_revenue, other.roi),
            (5000.0, 0.0),
            "Nothing reimbursed: no ratio.",
        )
        self.assertLessEqual(
            counts["SELECT"], 12, "One revenue read per window, not per request."
        )

    def test_allocate_wizard_by_tier(self):
        self.tier_gold.mdf_percent = 5.0
        gold = self._create_program_partner("Gold Integrators", tier=self.tier_gold)
        last_quarter = self.date_from - relativedelta(months=3)
        self._post_invoice(
            self.customer_x, 10000.0, date=last_quarter, channel_partner=gold
        )
        wizard = self.env["prm.mdf.allocate.wizard"].create(
            {"day": self.today, "tier_ids": [Command.set(self.tier_gold.ids)]}
        )
        action = wizard.action_allocate()
        budget = self.Budget.browse(action["domain"][0][2])
        self.assertEqual(
            (budget.partner_id, budget.amount_allocated, budget.state),
            (gold, 500.0, "open"),
        )
