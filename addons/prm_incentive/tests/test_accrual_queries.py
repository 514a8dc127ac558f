from odoo import Command
from odoo.tests import tagged

from .common import PrmIncentiveCommon

LINES_PER_INVOICE = 50


@tagged("post_install", "-at_install")
class TestAccrualQueries(PrmIncentiveCommon):
    """The accrual computation reads a batch of invoices with a fixed number of
    queries: 200 or 2,000 invoice lines, the same count (the benchmark
    tests/benchmarks/bench_incentives.py does it on 100,000)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program = cls._create_program(
            [{}, {"rate": 1.0, "categ_ids": [(6, 0, cls.categ_hardware.ids)]}]
        )
        cls.partners = cls.partner_a | cls.partner_b

    def _posted_invoices(self, count):
        """``count`` posted invoices of ``LINES_PER_INVOICE`` lines each, made
        with the ORM in one batch, with their accruals taken away again: the
        measure recomputes them."""
        moves = self.env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer_x.id,
                    "invoice_date": "2025-02-10",
                    "prm_partner_id": self.partners[index % 2].id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": (
                                    self.product_server
                                    if line % 2
                                    else self.product_service
                                ).id,
                                "quantity": 1,
                                "price_unit": 10.0 + line,
                                "tax_ids": [Command.clear()],
                            }
                        )
                        for line in range(LINES_PER_INVOICE)
                    ],
                }
                for index in range(count)
            ]
        )
        moves.action_post()
        self.env["prm.incentive.line"].search([("move_id", "in", moves.ids)]).unlink()
        return moves.ids

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
        for copies in (4, 40):
            invoices = self._posted_invoices(copies)
            results[copies] = self._measure(invoices)
        small, large = results[4], results[40]
        # Two rules on the lines (every line earns the 5%, servers 1% more).
        self.assertEqual(small[0], 200 + 100)
        self.assertEqual(large[0], 2000 + 1000)
        self.assertEqual(small[1], large[1], "Same queries for 200 and 2,000 lines.")
        self.assertLessEqual(large[1], 50)
        # Inserts are batched by 100 rows.
        self.assertLessEqual(large[2], 3000 / 100 + 15)
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
        self.assertAlmostEqual(amounts, per_invoice * 40, places=2)
