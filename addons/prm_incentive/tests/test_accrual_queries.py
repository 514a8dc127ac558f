from odoo.tests import tagged

from .common import PrmIncentiveCommon, clone_posted_moves

LINES_PER_INVOICE = 50


@tagged("post_install", "-at_install")
class TestAccrualQueries(PrmIncentiveCommon):
    """The accrual computation reads a batch of invoices with a fixed number of
    queries: 500 or 5,000 invoice lines, the same count (the benchmark
    tests/benchmarks/bench_incentives.py does it on 100,000)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program = cls._create_program(
            [{}, {"rate": 1.0, "categ_ids": [(6, 0, cls.categ_hardware.ids)]}]
        )
        # Accruals of the template itself are not part of the measure.
        cls.template = cls._invoice(
            cls.customer_x,
            [
                (
                    cls.product_server if index % 2 else cls.product_service,
                    1,
                    10.0 + index,
                )
                for index in range(LINES_PER_INVOICE)
            ],
            channel_partner=cls.partner_a,
        )
        cls.partners = cls.partner_a | cls.partner_b

    def _measure(self, invoices):
        """Queries of the plan (computation) and of writing it."""
        engine = self.env["prm.incentive.engine"].sudo()
        moves = self.env["account.move"].browse(invoices)
        self.env.invalidate_all()
        cr = self.env.cr
        start = cr.sql_log_count
        plan = engine._build_plan(moves)
        computing = cr.sql_log_count - start
        start = cr.sql_log_count
        engine._apply_plan(plan)
        self.env.flush_all()
        writing = cr.sql_log_count - start
        return len(plan.creates), computing, writing

    def test_computation_queries_do_not_grow_with_lines(self):
        results = {}
        for copies in (10, 100):
            partner_ids = [self.partners[i % 2].id for i in range(copies)]
            invoices = clone_posted_moves(
                self.env, self.template, partner_ids, f"Q{copies}"
            )
            results[copies] = self._measure(invoices)
        small, large = results[10], results[100]
        # Two rules on 500 lines (every line earns the 5%, servers 1% more).
        self.assertEqual(small[0], 500 + 250)
        self.assertEqual(large[0], 5000 + 2500)
        self.assertEqual(small[1], large[1], "Same queries for 500 and 5,000 lines.")
        self.assertLessEqual(large[1], 50)
        # Inserts are batched by 100 rows.
        self.assertLessEqual(large[2], 7500 / 100 + 15)
        amounts = self.env["prm.incentive.line"]._read_group(
            [("program_id", "=", self.program.id), ("move_id", "in", invoices)],
            [],
            ["amount:sum"],
        )[0][0]
        # Each accrual is rounded on its own (see readme: Rounding).
        currency = self.env.company.currency_id
        per_invoice = sum(
            currency.round(0.05 * (10.0 + i))
            + (currency.round(0.01 * (10.0 + i)) if i % 2 else 0.0)
            for i in range(LINES_PER_INVOICE)
        )
        self.assertAlmostEqual(amounts, per_invoice * 100, places=2)
