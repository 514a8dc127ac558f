from datetime import date, datetime

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import PrmActivationCommon


@tagged("post_install", "-at_install")
class TestActivationIncentive(PrmActivationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program = cls._create_program(
            name="Activation commission",
            period="monthly",
            payout_grouping="invoice",
            rules=[
                {
                    "name": "5 per activation in 30 days",
                    "base": "activation_count",
                    "rate_type": "fixed",
                    "fixed_amount": 5.0,
                    "activation_window_days": 30,
                }
            ],
        )
        cls.rule = cls.program.rule_ids
        cls.batch, cls.codes = cls._batch(quantity=40, value=20.0)
        cls.batch._prm_assign_serials(cls.partner_a, 1, 20, date=date(2025, 3, 1))
        cls.batch._prm_assign_serials(cls.partner_b, 21, 40, date=date(2025, 3, 1))

    def _at(self, day):
        return datetime.combine(day, datetime.min.time().replace(hour=10))

    def test_accrues_per_activation_in_the_window(self):
        self._activate(
            self.codes[:3], email="a@example.com", now=self._at(date(2025, 3, 10))
        )
        self._activate(
            self.codes[3:4], email="b@example.com", now=self._at(date(2025, 3, 31))
        )
        # After the 30-day window: activated, not paid.
        self._activate(
            self.codes[4:5], email="c@example.com", now=self._at(date(2025, 4, 2))
        )
        self._activate(
            self.codes[20:22], email="d@example.com", now=self._at(date(2025, 3, 12))
        )
        self.assertEqual(self._amount(self.program, self.partner_a), 20.0)
        self.assertEqual(self._amount(self.program, self.partner_b), 10.0)
        line = self._accruals(self.program, partner_id=self.partner_a.id)
        self.assertRecordValues(
            line,
            [
                {
                    "kind": "activation",
                    "base": 4.0,
                    "amount": 20.0,
                    "activation_batch_id": self.batch.id,
                    "attribution": "resale",
                    "date": date(2025, 3, 31),
                }
            ],
        )
        self.assertIn("per activation", line.rate_display)

    def test_value_base_and_rule_checks(self):
        program = self._create_program(
            name="Value commission",
            period="monthly",
            rules=[{"base": "activation_value", "rate_type": "percent", "rate": 10.0}],
        )
        self._activate(self.codes[:2], now=self._at(date(2025, 3, 5)))
        self.assertEqual(self._amount(program, self.partner_a), 4.0)
        with self.assertRaisesRegex(ValidationError, "fixed amount per activation"):
            self._create_program(
                rules=[
                    {"base": "activation_count", "rate_type": "percent", "rate": 5.0}
                ]
            )
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.rule.activation_window_days = -1
            self.rule.flush_recordset()

    def test_settles_posts_once_and_void_claws_back(self):
        self._activate(self.codes[:4], now=self._at(date(2025, 3, 10)))
        with freeze_time("2025-04-05"):
            settlement = self._settle_and_post(self.program, "2025-03-31")
            again = self._close(self.program, "2025-03-31")
        settlement = settlement.filtered(lambda s: s.partner_id == self.partner_a)
        self.assertEqual(settlement.state, "posted")
        self.assertEqual(settlement.amount_total, 20.0)
        self.assertEqual(settlement.move_ids.amount_total, 20.0)
        self.assertIn(self.batch.name, settlement.move_ids.invoice_line_ids.name)
        self.assertFalse(
            again.filtered(lambda s: s.partner_id == self.partner_a),
            "A second close pays nothing twice.",
        )
        # Two of the activated cards were stolen: voided, clawed back.
        self.batch._prm_void_serials(1, 2, include_activated=True)
        clawback = self._accruals(
            self.program, partner_id=self.partner_a.id, settlement_id=False
        )
        self.assertRecordValues(
            clawback,
            [
                {
                    "kind": "activation",
                    "amount": -10.0,
                    "base": -2.0,
                    "is_clawback": True,
                }
            ],
        )
        self.assertEqual(self.batch.activated_count, 2)
        self.assertEqual(
            self.env["prm.activation"].search_count(
                [("batch_id", "=", self.batch.id), ("state", "=", "voided")]
            ),
            2,
        )

    def test_activations_tier_metric(self):
        self._activate(self.codes[:3], now=self._at(date(2025, 3, 10)))
        self._activate(self.codes[20:21], now=self._at(date(2025, 3, 11)))
        values = (self.partner_a | self.partner_b)._prm_metric_activations(
            date(2025, 1, 1), date(2025, 3, 31)
        )
        self.assertEqual(values, {self.partner_a.id: 3, self.partner_b.id: 1})
        self.assertFalse(
            self.partner_a._prm_metric_activations(date(2025, 4, 1), date(2025, 4, 30))
        )
        self.assertIn(
            "activations",
            dict(self.env["prm.tier.rule"]._fields["metric"].selection),
        )
