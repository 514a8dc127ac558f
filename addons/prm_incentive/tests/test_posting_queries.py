from odoo.tests import tagged

from .common import PrmIncentiveCommon


@tagged("post_install", "-at_install")
class TestPostingQueries(PrmIncentiveCommon):
    """What posting one ordinary customer invoice costs in queries because of
    prm_incentive (the posting hook): an invoice nobody earns on costs a cheap
    check, one with a channel partner a fixed number of queries whatever its
    lines (tests/benchmarks/bench_posting_overhead.py measures the time)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program = cls._create_program(
            [{}, {"rate": 1.0, "categ_ids": [(6, 0, cls.categ_hardware.ids)]}]
        )

    def _hook_queries(self, move):
        """Statements of the posting hook on ``move``, just posted (its record
        in the cache as posting leaves it)."""
        self.env.flush_all()
        with self._statements() as counts:
            move._prm_compute_incentives()
            self.env.flush_all()
        return sum(counts.values())

    def _lines(self, count):
        return [
            (self.product_server if index % 2 else self.product_service, 1, 100.0)
            for index in range(count)
        ]

    def test_invoice_nobody_earns_on_costs_two_queries(self):
        move = self._invoice(self.customer_x, self._lines(10))
        self.assertFalse(move.prm_incentive_line_ids)
        self.assertLessEqual(self._hook_queries(move), 2)

    def test_channel_partner_invoice_costs_fixed_queries(self):
        counts = {}
        for size in (2, 20):
            move = self._invoice(
                self.customer_x, self._lines(size), channel_partner=self.partner_a
            )
            accruals = move.prm_incentive_line_ids
            # Every line earns the 5 %, servers 1 % more.
            self.assertEqual(len(accruals), size + size // 2)
            accruals.sudo().unlink()
            counts[size] = self._hook_queries(move)
            self.assertEqual(len(move.prm_incentive_line_ids), size + size // 2)
        self.assertEqual(counts[2], counts[20], "Same queries for 2 and 20 lines.")
        # Rules, programs, lines, accruals, partners, products, rates, insert.
        self.assertLessEqual(counts[20], 24)

    def test_channel_partner_customer_still_earns(self):
        """The cheap check lets through an invoice whose customer is itself a
        channel partner (resale), without an invoice channel partner."""
        move = self._invoice(self.partner_a, self._lines(2))
        self.assertEqual(move.prm_incentive_line_ids.partner_id, self.partner_a)
        self.assertEqual(
            move.prm_incentive_line_ids.mapped("attribution"), ["resale"] * 3
        )
