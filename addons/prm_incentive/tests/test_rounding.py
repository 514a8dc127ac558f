from freezegun import freeze_time

from odoo.tests import tagged

from .common import PrmIncentiveCommon


@tagged("post_install", "-at_install")
@freeze_time("2025-07-15")
class TestIncentiveRounding(PrmIncentiveCommon):
    """Accruals keep full precision; a settlement rounds once per document line
    and its document lines add up to its total, so what is paid is the rounded
    sum of what was earned, not a sum of roundings."""

    def _earn(self, price, lines=10, rules=10, rate=0.5, **program_vals):
        """``lines`` invoice lines of ``price`` each, ``rules`` rules of
        ``rate`` % each: ``lines * rules`` accruals of ``price * rate %``."""
        program = self._create_program(
            [{"rate": rate} for _index in range(rules)], **program_vals
        )
        self._invoice(
            self.partner_a, [(self.product_prm, 1, price)] * lines, date="2025-05-10"
        )
        return program

    def _pay(self, program):
        settlement = self._settle_and_post(program, "2025-06-30")
        self.assertEqual(len(settlement), 1)
        return settlement, settlement.move_ids

    def test_thousand_half_cents_pay_five_dollars(self):
        # 100 lines of 1.00 x 10 rules of 0.5 %: 1,000 accruals of 0.005 USD.
        program = self._earn(1.0, lines=100)
        accruals = self._accruals(program)
        self.assertEqual(len(accruals), 1000)
        self.assertEqual(set(accruals.mapped("amount")), {0.005})
        settlement, bill = self._pay(program)
        self.assertEqual(settlement.amount_total, 5.0)
        self.assertEqual(bill.amount_total, 5.0)
        self.assertEqual(sum(bill.invoice_line_ids.mapped("price_subtotal")), 5.0)

    def test_yen_fractions_add_up(self):
        jpy = self.setup_other_currency(
            "JPY", rates=[("2025-01-01", 100.0)], rounding=1.0
        )
        # 10 lines of 0.40 USD = 40 JPY, 1 % each: 10 accruals of 0.4 JPY.
        program = self._earn(0.4, rules=1, rate=1.0, currency_id=jpy.id)
        self.assertEqual(set(self._accruals(program).mapped("amount")), {0.4})
        settlement, bill = self._pay(program)
        self.assertEqual(settlement.amount_total, 4.0)
        self.assertEqual(bill.currency_id, jpy)
        self.assertEqual(bill.amount_total, 4.0)

    def test_kuwaiti_dinar_fractions_add_up(self):
        kwd = self.setup_other_currency(
            "KWD", rates=[("2025-01-01", 0.5)], rounding=0.001
        )
        # 100 lines of 0.08 USD = 0.040 KWD x 10 rules of 1 %: 1,000 x 0.0004.
        program = self._earn(0.08, lines=100, rate=1.0, currency_id=kwd.id)
        accruals = self._accruals(program)
        self.assertEqual(len(accruals), 1000)
        self.assertEqual(set(accruals.mapped("amount")), {0.0004})
        settlement, bill = self._pay(program)
        self.assertEqual(settlement.amount_total, 0.4)
        self.assertEqual(bill.amount_total, 0.4)

    def test_document_lines_sum_to_the_total(self):
        """One document line per invoice, each 0.005: rounded one by one they
        would pay 0.03 for a total of 0.015 -> 0.02."""
        program = self._create_program([{"rate": 0.5}], payout_grouping="invoice")
        for day in ("2025-04-10", "2025-05-10", "2025-06-10"):
            self._sell(1.0, date=day)
        settlement, bill = self._pay(program)
        self.assertEqual(settlement.amount_total, 0.02)
        self.assertEqual(bill.amount_total, 0.02)
        self.assertEqual(
            sorted(bill.invoice_line_ids.mapped("price_unit")), [0.01, 0.01]
        )
