from odoo.tests import HttpCase, tagged

from .common import PrmIncentiveCommon


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
