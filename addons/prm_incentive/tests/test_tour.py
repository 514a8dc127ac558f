from odoo.tests import tagged

from odoo.addons.prm_partner.tests.common import PrmTourCase

from .common import PrmIncentiveCommon, PrmSelloutCommon


@tagged("post_install", "-at_install")
class TestIncentiveTour(PrmIncentiveCommon, PrmTourCase):
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


@tagged("post_install", "-at_install")
class TestSelloutTour(PrmSelloutCommon, PrmTourCase):
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
