from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import PrmIncentiveCommon, PrmSelloutCommon


@tagged("post_install", "-at_install")
class TestIncentiveTour(PrmIncentiveCommon, HttpCase):
    def test_close_approve_post_from_the_program(self):
        program = self._create_program(name="Tour program")
        self._sell(1000, date="2025-05-10")
        self.start_tour(
            f"/odoo/action-prm_incentive.action_prm_incentive_program/{program.id}",
            "prm_incentive_close_period_tour",
            login=self.user_accountant.login,
        )
        settlement = self.env["prm.settlement"].search(
            [("program_id", "=", program.id)]
        )
        self.assertEqual(settlement.state, "posted")
        self.assertEqual(settlement.move_ids.amount_total, 50.0)

    def test_close_from_the_menu_with_defaults(self):
        """The wizard opened from the menu closes with its own defaults, even
        with a quarterly program whose quarter has not ended."""
        today = fields.Date.context_today(self.env.user)
        last_month = today.replace(day=1) - relativedelta(days=1)
        monthly = self._create_program(
            name="Monthly tour program",
            period="monthly",
            date_start=last_month.replace(month=1, day=1),
        )
        quarterly = self._create_program(
            name="Quarterly tour program",
            date_start=last_month.replace(month=1, day=1),
        )
        self._sell(1000, date=last_month.replace(day=10))
        self.start_tour(
            "/odoo",
            "prm_incentive_close_from_menu_tour",
            login=self.user_accountant.login,
        )
        settlement = self.env["prm.settlement"].search(
            [("program_id", "=", monthly.id)]
        )
        self.assertEqual(settlement.partner_id, self.partner_a)
        self.assertEqual(settlement.amount_total, 50.0)
        quarter_ended = quarterly._get_period(last_month)[1] < today
        self.assertEqual(
            bool(
                self.env["prm.settlement"].search([("program_id", "=", quarterly.id)])
            ),
            quarter_ended,
            "the quarterly program is closed only once its quarter has ended",
        )


@tagged("post_install", "-at_install")
class TestSelloutTour(PrmSelloutCommon, HttpCase):
    def test_fix_a_row_and_validate(self):
        batch = self._upload(
            self._csv(
                [
                    ["2025-02-03", "SRV-100", "2", "2000", "", "DE", "Acme GmbH"],
                    ["2025-02-05", "NOPE-1", "1", "10", "", "DE", "Bistro"],
                ]
            )
        )
        self.assertEqual(batch.error_count, 1)
        self.start_tour(
            f"/odoo/action-prm_incentive.action_prm_sellout_batch/{batch.id}",
            "prm_sellout_fix_and_validate_tour",
            login=self.user_accountant.login,
        )
        self.assertEqual(batch.state, "validated")
        line = batch.line_ids.filtered(lambda line: line.raw_product == "NOPE-1")
        self.assertEqual(line.product_id, self.product_service)
        self.assertEqual(line.raw_product, "NOPE-1")
