from freezegun import freeze_time

from odoo.fields import Domain
from odoo.tests import tagged

from .common import PrmIncentiveCommon


@tagged("post_install", "-at_install")
@freeze_time("2025-07-15")
class TestIncentiveRevenueDefinition(PrmIncentiveCommon):
    def test_payout_credit_notes_are_no_revenue(self):
        """A commission paid as a customer credit note is no refund of a sale:
        the partner's revenue metric (and so its tier) ignores it."""
        program = self._create_program(
            payout_method="credit_note", journal_id=self.journal_sale.id
        )
        self._sell(2000, date="2025-04-10")
        credit_note = self._settle_and_post(program, "2025-06-30").move_ids
        self.assertEqual(
            (credit_note.move_type, credit_note.state), ("out_refund", "posted")
        )
        metrics = self.partner_a._prm_compute_metrics([("invoiced_revenue", 12)])
        self.assertEqual(metrics[("invoiced_revenue", 12)][self.partner_a.id], 2000)
        self.assertFalse(
            self.env["account.move"].search_count(
                self.env["account.move"]._prm_revenue_domain()
                & Domain("id", "=", credit_note.id)
            ),
            "the payout is not a revenue document",
        )
