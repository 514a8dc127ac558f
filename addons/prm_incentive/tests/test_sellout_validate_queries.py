from odoo.tests import tagged

from .common import PrmSelloutCommon


@tagged("post_install", "-at_install")
class TestSelloutValidateQueries(PrmSelloutCommon):
    """What ``tests/benchmarks/bench_sellout.py`` proves at 100,000 rows, kept
    by CI at a small scale: validating a report computes its sell-out accruals
    with grouped queries, the same number for 20 rows as for 400."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A percentage of the sell-out amount and a fixed amount per unit.
        cls._create_program(
            [
                {"base": "sellout_amount"},
                {"base": "sellout_quantity", "rate_type": "fixed", "fixed_amount": 1.0},
            ]
        )

    def _validate_statements(self, size, tag):
        rows = [
            [
                f"2025-02-{1 + index % 28:02d}",
                ("SRV-100", "SVC-INST", "PRM-W")[index % 3],
                str(index % 5 + 1),
                f"{100 + index}.50",
                ("", "EUR")[index % 2],
                ("DE", "FR")[index % 2],
                f"{tag} customer {index}",
            ]
            for index in range(size)
        ]
        batch = self._upload(self._csv(rows), file_name=f"{tag}.csv")
        self.assertEqual((batch.line_count, batch.error_count), (size, 0))
        self.env.flush_all()
        self.env.invalidate_all()
        with self._statements() as counts:
            batch.action_validate()
            self.env.flush_all()
        self.assertEqual(batch.state, "validated")
        self.assertTrue(batch.incentive_line_ids, "the report earned accruals")
        return sum(counts.values())

    def test_validation_queries_do_not_grow_with_rows(self):
        self._validate_statements(5, "warm-up")
        small = self._validate_statements(20, "small")
        large = self._validate_statements(400, "large")
        self.assertEqual(small, large, "validating 400 rows costs what 20 cost")
