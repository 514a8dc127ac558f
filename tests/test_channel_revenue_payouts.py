from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.prm_incentive.tests.common import PrmIncentiveCommon


@tagged("post_install", "-at_install")
@freeze_time("2025-07-15")
class TestChannelRevenuePayouts(PrmIncentiveCommon):
    """Incentives and channel analytics together: payouts are no revenue."""

    def test_payout_credit_notes_are_no_revenue(self):
        program = self._create_program(
            payout_method="credit_note", journal_id=self.journal_sale.id
        )
        self._sell(2000, date="2025-04-10")
        credit_note = self._settle_and_post(program, "2025-06-30").move_ids
        self.assertEqual(
            (credit_note.move_type, credit_note.state), ("out_refund", "posted")
        )
        Report = self.env["prm.channel.report"]
        [(revenue,)] = Report._read_group(
            [("partner_id", "=", self.partner_a.id)], [], ["revenue:sum"]
        )
        self.assertEqual(revenue, 2000, "the payout credit note is no resale")
        channel, total, _share = Report._prm_revenue_share(
            date(2025, 4, 1), date(2025, 7, 1)
        )
        self.assertEqual((channel, total), (2000, 2000))
