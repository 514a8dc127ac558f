import psycopg2
from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common_mdf import PrmMdfCommon


@tagged("post_install", "-at_install")
class TestMdfBudget(PrmMdfCommon):
    def test_allocation_by_tier_is_a_share_of_last_period_revenue(self):
        self.tier_silver.mdf_percent = 2.0
        partner = self._create_program_partner("Gamma Systems", tier=self.tier_silver)
        last_quarter = self.date_from - relativedelta(months=3)
        self._post_invoice(
            self.customer_x, 30000.0, date=last_quarter, channel_partner=partner
        )
        self._post_invoice(
            self.customer_y,
            5000.0,
            date=last_quarter + relativedelta(days=5),
            channel_partner=partner,
        )
        # Revenue of this quarter does not count.
        self._post_invoice(
            self.customer_x, 99000.0, date=self.date_from, channel_partner=partner
        )
        budgets = self.Budget._prm_allocate(partner, self.today, open_budgets=True)
        self.assertEqual(len(budgets), 1)
        self.assertEqual(budgets.date_from, self.date_from)
        self.assertEqual(budgets.revenue_base, 35000.0)
        self.assertEqual(budgets.tier_id, self.tier_silver)
        self.assertEqual(budgets.amount_allocated, 700.0)
        self.assertEqual(budgets.state, "open")
        # Allocating again leaves the partner's budget alone.
        self.assertFalse(self.Budget._prm_allocate(partner, self.today))

    def test_balance_arithmetic(self):
        budget = self.budget_a
        submitted = self._request(200.0)
        self.assertEqual(
            (
                budget.amount_pending,
                budget.amount_committed,
                budget.amount_balance,
                budget.amount_available,
            ),
            (200.0, 0.0, 1000.0, 800.0),
        )
        approved = self._request(300.0, approve=True)
        self.assertEqual(
            (budget.amount_committed, budget.amount_balance, budget.amount_available),
            (300.0, 700.0, 500.0),
        )
        submitted.with_user(self.user_accountant_manager).action_reject()
        self.assertEqual((budget.amount_pending, budget.amount_available), (0.0, 700.0))
        approved.action_cancel()
        self.assertEqual(
            (budget.amount_committed, budget.amount_balance),
            (0.0, 1000.0),
            "Cancelled funds go back.",
        )

    def test_request_above_available_is_refused(self):
        self._request(700.0)
        with self.assertRaisesRegex(UserError, "exceeds"):
            self._request(301.0)
        self.assertEqual(self._request(300.0).state, "submitted")

    def test_bad_input(self):
        with self.assertRaises(ValidationError):
            self._request(-50.0, submit=False)
        with self.assertRaises(ValidationError):
            self._request(0.0, submit=False)
        with self.assertRaises(ValidationError):
            self._request(
                10.0, submit=False, date_start=self.date_from + relativedelta(days=5)
            )
        with self.assertRaises(ValidationError), mute_logger("odoo.sql_db"):
            self.Budget.create(
                {
                    "partner_id": self.partner_a.id,
                    "date_from": "2031-03-31",
                    "date_to": "2031-01-01",
                }
            )
        with self.assertRaises(ValidationError):
            self.Budget.create(
                {
                    "partner_id": self.partner_a.id,
                    "date_from": "2031-01-01",
                    "date_to": "2031-03-31",
                    "amount_manual": -1.0,
                }
            )
        with self.assertRaises(ValidationError):
            self._request(float("nan"), submit=False)

    @freeze_time("2031-02-10")
    def test_expiry_and_carry_over(self):
        self.env.company.prm_mdf_carry_over_percent = 40.0
        budget = self._open_budget(
            self.partner_a,
            1000.0,
            date_from=self.today.replace(year=2031, month=1, day=1),
        )
        self._request(300.0, budget=budget, approve=True)
        self._request(100.0, budget=budget)  # held: not unspent
        with freeze_time("2031-03-31"):
            self.Budget._cron_prm_expire()
            self.assertEqual(budget.state, "open", "Not before the period ends.")
        with freeze_time("2031-04-01"):
            self.Budget._cron_prm_expire()
        self.assertEqual(budget.state, "closed")
        self.assertEqual(budget.amount_carried_out, 240.0)
        self.assertEqual(budget.amount_expired, 360.0)
        following = self.Budget.search(
            [("partner_id", "=", self.partner_a.id), ("date_from", "=", "2031-04-01")]
        )
        self.assertEqual(following.date_to.isoformat(), "2031-06-30")
        self.assertEqual(
            (following.state, following.amount_carried_in, following.amount_balance),
            ("open", 240.0, 240.0),
        )
        with self.assertRaises(UserError):
            self._request(10.0, budget=budget)

    def test_guarded_fields_and_actions(self):
        budget = self.budget_a.with_user(self.user_channel_manager)
        for vals in (
            {"state": "draft"},
            {"amount_allocated": 99999.0},
            {"amount_balance": 5.0},
            {"amount_carried_in": 1.0},
        ):
            with self.assertRaises(AccessError):
                budget.write(vals)
            with self.assertRaises(AccessError):
                budget.with_context(prm_force=True, tracking_disable=True).write(vals)
        with self.assertRaises(AccessError):
            self.Budget.with_user(self.user_channel_manager).create(
                {
                    "partner_id": self.partner_a.id,
                    "date_from": "2031-01-01",
                    "date_to": "2031-03-31",
                    "amount_allocated": 10.0,
                }
            )
        with self.assertRaises(UserError):
            budget.write({"amount_manual": 5000.0})  # open: no more by hand
        with self.assertRaises(AccessError):
            self.budget_a.with_user(self.user_portal_a).read(["amount_balance"])

    def test_unique_per_period(self):
        with (
            self.assertRaises(psycopg2.errors.UniqueViolation),
            mute_logger("odoo.sql_db"),
        ):
            self._open_budget(self.partner_a, 10.0)
