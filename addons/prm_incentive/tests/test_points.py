from datetime import date

import psycopg2
from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import PrmIncentiveCommon


@tagged("post_install", "-at_install")
class TestLoyaltyPoints(PrmIncentiveCommon):
    """Points programs accrue like the others; their posted settlements credit
    the points ledger, from which other modules spend; points expire."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Move = cls.env["prm.points.move"]
        # One point per currency unit of revenue, valid 12 months.
        cls.program = cls._create_program(
            kind="points", period="monthly", points_validity_months=12
        )

    def _earn(self, points, day, partner=None, validity=None):
        """Points credited as a posted settlement would (superuser)."""
        vals = {
            "kind": "earned",
            "partner_id": (partner or self.partner_a).id,
            "program_id": self.program.id,
            "points": points,
            "date": day,
            "name": f"Earned on {day}",
        }
        if validity is not None:
            vals["expiry_date"] = validity
        return self.Move.sudo().create(vals)

    def _balance(self, partner=None):
        partner = partner or self.partner_a
        partner.invalidate_recordset(["prm_points_balance"])
        return partner.prm_points_balance

    def test_points_accrue_and_are_credited_by_the_settlement(self):
        self._sell(1234.5, date="2025-02-10")
        line = self._accruals(self.program)
        self.assertEqual(
            (line.base, line.amount, line.rate_display),
            (1234.5, 1234.5, line.rate_display),
        )
        self.assertIn("points per", line.rate_display)
        with freeze_time("2025-03-05"):
            settlement = self._settle_and_post(self.program, "2025-02-28")
        self.assertEqual(settlement.state, "posted")
        self.assertFalse(
            settlement.move_ids, "Points are not paid by accounting documents."
        )
        earned = self.Move.search([("settlement_id", "=", settlement.id)])
        self.assertRecordValues(
            earned,
            [
                {
                    "kind": "earned",
                    "partner_id": self.partner_a.id,
                    "program_id": self.program.id,
                    "points": 1234.5,
                    "points_remaining": 1234.5,
                    "date": date(2025, 2, 28),
                    "expiry_date": date(2026, 2, 28),
                    "origin": settlement.name,
                }
            ],
        )
        self.assertEqual(self._balance(), 1234.5)
        self.assertEqual(
            self._balance(self.contact_a), 1234.5, "Contacts show their company's."
        )

    def test_spend_points(self):
        self._earn(500, "2025-01-10")
        with freeze_time("2025-03-01"):
            move = self.partner_a._prm_spend_points(
                120.25, origin=self.program, description="Marketing fund: booth"
            )
        self.assertRecordValues(
            move,
            [
                {
                    "kind": "spent",
                    "points": -120.25,
                    "partner_id": self.partner_a.id,
                    "name": "Marketing fund: booth",
                    "res_model": "prm.incentive.program",
                    "res_id": self.program.id,
                    "origin": self.program.display_name,
                    "date": date(2025, 3, 1),
                }
            ],
        )
        self.assertEqual(self._balance(), 379.75)
        # Spent from a contact: the company's points.
        with freeze_time("2025-03-02"):
            self.contact_a._prm_spend_points(79.75)
        self.assertEqual(self._balance(), 300.0)

    def test_insufficient_balance(self):
        earned = self._earn(100, "2025-01-10")
        with freeze_time("2025-03-01"):
            with self.assertRaisesMsg(
                UserError, r"has 100 points available; 150 points"
            ):
                self.partner_a._prm_spend_points(150)
            with self.assertRaisesMsg(UserError, "must be positive"):
                self.partner_a._prm_spend_points(-5)
            with self.assertRaisesMsg(UserError, "has 0 points"):
                self.partner_b._prm_spend_points(1)
        self.assertEqual(self.Move.search_count([("kind", "=", "spent")]), 0)
        self.assertEqual(earned.points_remaining, 100.0, "Nothing half-written.")

    def test_fifo_and_expiry(self):
        first = self._earn(300, "2024-06-01")  # expires 2025-06-01
        second = self._earn(200, "2024-09-01")  # expires 2025-09-01
        self.assertEqual(first.expiry_date, date(2025, 6, 1))
        with freeze_time("2025-01-15"):
            self.partner_a._prm_spend_points(250)
        self.assertEqual(
            (first.points_remaining, second.points_remaining), (50.0, 200.0)
        )
        with freeze_time("2025-05-31"):
            self.assertFalse(self.Move._cron_expire_points(), "Nothing due yet.")
        with freeze_time("2025-06-01"):
            expired = self.Move._cron_expire_points()
            self.assertFalse(self.Move._cron_expire_points(), "Expires once.")
        self.assertRecordValues(
            expired,
            [
                {
                    "kind": "expired",
                    "points": -50.0,
                    "source_move_id": first.id,
                    "date": date(2025, 6, 1),
                    "partner_id": self.partner_a.id,
                }
            ],
        )
        self.assertEqual(
            (first.points_remaining, second.points_remaining), (0.0, 200.0)
        )
        self.assertEqual(self._balance(), 200.0)
        with freeze_time("2025-09-02"):
            self.Move._cron_expire_points()
        self.assertEqual(self._balance(), 0.0)
        kinds = self.Move.search([("partner_id", "=", self.partner_a.id)]).mapped(
            "kind"
        )
        self.assertEqual(
            sorted(kinds), ["earned", "earned", "expired", "expired", "spent"]
        )

    def test_expired_points_cannot_be_spent_before_the_job(self):
        self._earn(100, "2024-01-10")  # expires 2025-01-10
        with (
            freeze_time("2025-02-01"),
            self.assertRaisesMsg(UserError, "has 0 points"),
        ):
            self.partner_a._prm_spend_points(10)

    def test_cancelling_a_settlement_withdraws_its_points(self):
        self._sell(1000, date="2025-02-10")
        with freeze_time("2025-03-05"):
            settlement = self._settle_and_post(self.program, "2025-02-28")
            self.assertEqual(self._balance(), 1000.0)
            settlement.action_cancel()
        self.assertEqual(self._balance(), 0.0)
        reversal = self.Move.search(
            [("settlement_id", "=", settlement.id), ("kind", "=", "adjusted")]
        )
        self.assertEqual(reversal.points, -1000.0)
        # Closed again, the accruals credit the points again.
        with freeze_time("2025-03-06"):
            again = self._settle_and_post(self.program, "2025-02-28")
        self.assertEqual(again.amount_total, 1000.0)
        self.assertEqual(self._balance(), 1000.0)
        # Points already spent cannot be withdrawn.
        with freeze_time("2025-03-07"):
            self.partner_a._prm_spend_points(900)
            with self.assertRaisesMsg(UserError, "points available"):
                again.action_cancel()
        self.assertEqual(again.state, "posted")
        self.assertEqual(self._balance(), 100.0)

    def test_ledger_is_append_only(self):
        earned = self._earn(100, "2025-01-10", validity=False)
        with self.assertRaisesMsg(UserError, "cannot be rewritten"):
            earned.points = 1000
        with self.assertRaisesMsg(UserError, "cannot be deleted"):
            earned.unlink()
        earned.name = "Renamed"
        accountant_moves = self.Move.with_user(self.user_accountant)
        # The kind is the system's: the guard answers before the ledger's own check.
        with self.assertRaisesMsg(UserError, "set by its action .Record an adjustment"):
            accountant_moves.create(
                {
                    "kind": "earned",
                    "partner_id": self.partner_a.id,
                    "points": 10,
                    "name": "x",
                }
            )
        adjustment = accountant_moves.create(
            {
                "kind": "adjusted",
                "partner_id": self.contact_a.id,
                "points": -40,
                "name": "Fix",
            }
        )
        self.assertEqual(adjustment.partner_id, self.partner_a, "Commercial partner.")
        self.assertEqual(earned.points_remaining, 60.0)

    def test_database_constraints(self):
        earned = self._earn(100, "2025-01-10")
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.errors.CheckViolation),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(
                "UPDATE prm_points_move SET points_remaining = -1 WHERE id = %s",
                [earned.id],
            )
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.errors.CheckViolation),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(
                "UPDATE prm_points_move SET points_remaining = 101 WHERE id = %s",
                [earned.id],
            )
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.errors.CheckViolation),
        ):
            self._earn(-5, "2025-01-10")
            self.env.flush_all()

    def test_points_rules_and_programs(self):
        with self.assertRaisesMsg(ValidationError, "only they do"):
            self._create_program(kind="points", rules=[{"rate_type": "percent"}])
        with self.assertRaisesMsg(ValidationError, "only they do"):
            self._create_program(rules=[{"rate_type": "points", "points_rate": 1.0}])
        with self.assertRaisesMsg(ValidationError, "cannot be negative"):
            self._create_program(kind="points", rules=[{"points_rate": -1.0}])
        with self.assertRaisesMsg(ValidationError, "validity cannot be negative"):
            self.program.points_validity_months = -1
        with self.assertRaisesMsg(ValidationError, "only they do"):
            self.program.kind = "commission"

    def test_partner_actions(self):
        self._earn(10, "2025-01-10")
        action = self.partner_a.action_prm_open_points()
        self.assertEqual(self.Move.search(action["domain"]).mapped("points"), [10.0])
