from odoo.tests import tagged

from .common import PrmIncentiveCommon


@tagged("post_install", "-at_install")
class TestPartner360Earnings(PrmIncentiveCommon):
    """prm_incentive adds the earnings to Partner 360: accrued and not settled
    yet, the last settlement, each opening its records."""

    def test_earned_and_last_settlement(self):
        program = self._create_program()
        self._sell(4000, date="2025-05-10")
        settlement = self._close(program, "2025-06-30")
        self._sell(2000, date="2025-07-10")
        data = self.partner_a.with_user(self.user_channel_manager).prm_360_data
        section = next(s for s in data["sections"] if s["key"] == "earnings")
        figures = {f["key"]: f for f in section["figures"]}
        self.assertIn("100.00", figures["earned"]["display"])
        self.assertIn("200.00", figures["last_settlement"]["display"])
        self.assertIn("Draft", figures["last_settlement"]["display"])
        action = self.partner_a.action_prm_open_unsettled_lines()
        unsettled = self.env["prm.incentive.line"].search(action["domain"])
        self.assertEqual(sum(unsettled.mapped("amount")), 100.0)
        self.assertFalse(unsettled & settlement.line_ids)
