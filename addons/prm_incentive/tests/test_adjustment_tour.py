from odoo.tests import HttpCase, tagged

from .common import PrmIncentiveCommon


@tagged("post_install", "-at_install")
class TestAdjustmentTour(PrmIncentiveCommon, HttpCase):
    def test_adjust_an_accrual(self):
        program = self._create_program(name="Tour program")
        self._sell(1000, date="2025-05-10")
        accrual = self._accruals(program)
        self.start_tour(
            f"/odoo/action-prm_incentive.action_prm_incentive_line/{accrual.id}",
            "prm_incentive_adjust_tour",
            login=self.user_accountant.login,
        )
        adjustment = self._accruals(program, kind="manual")
        self.assertRecordValues(
            adjustment,
            [
                {
                    "amount": -20.0,
                    "adjustment_reason": "Invoice disputed",
                    "adjusted_by_id": self.user_accountant.id,
                    "adjusted_line_id": accrual.id,
                    "partner_id": self.partner_a.id,
                }
            ],
        )
        self.assertEqual(accrual.amount, 50.0)
