"""Two settlements racing for the same accruals, in two real transactions.

A ``TransactionCase`` runs everything in one transaction, so this class commits
its fixtures through its own cursors and deletes them afterwards. The fixtures
are minimal (a program, a partner, manual accruals on the main company): the
race is about settling, not about invoices.
"""

import psycopg2.errors

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.prm_partner.tests.committed import PrmCommittedCase

LOSING_ERRORS = (
    psycopg2.errors.UniqueViolation,
    psycopg2.errors.SerializationFailure,
    psycopg2.errors.LockNotAvailable,
    UserError,
)


@tagged("post_install", "-at_install")
class TestSettlementConcurrency(PrmCommittedCase):
    @classmethod
    def _prm_commit_fixtures(cls, env):
        company = env.ref("base.main_company")
        partner = env["res.partner"].create(
            {
                "name": "Concurrency Reseller",
                "is_company": True,
                "prm_is_partner": True,
                "prm_state": "active",
            }
        )
        program = env["prm.incentive.program"].create(
            {
                "name": "Concurrency program",
                "kind": "commission",
                "period": "monthly",
                "date_start": "2025-01-01",
                "company_id": company.id,
            }
        )
        lines = env["prm.incentive.line"].create(
            [
                {
                    "program_id": program.id,
                    "partner_id": partner.id,
                    "date": f"2025-01-{day:02d}",
                    "amount": 10.0,
                    "name": f"Manual accrual {day}",
                }
                for day in range(1, 21)
            ]
        )
        # Settlement numbers of 2025 come from a date range created once.
        env["ir.sequence"].next_by_code("prm.settlement", sequence_date="2025-01-31")
        cls.partner_id, cls.program_id = partner.id, program.id
        cls.line_ids = lines.ids

    @classmethod
    def _prm_remove_fixtures(cls, env):
        settlements = env["prm.settlement"].search(
            [("program_id", "=", cls.program_id)]
        )
        env["mail.message"].search(
            [("model", "=", "prm.settlement"), ("res_id", "in", settlements.ids)]
        ).unlink()
        lines = env["prm.incentive.line"].search([("program_id", "=", cls.program_id)])
        lines._detach_settlement()
        settlements.write({"state": "cancel"})
        settlements.unlink()
        lines.unlink()
        program = env["prm.incentive.program"].browse(cls.program_id)
        env["mail.message"].search(
            [("model", "=", "prm.incentive.program"), ("res_id", "=", program.id)]
        ).unlink()
        program.unlink()
        env["res.partner"].browse(cls.partner_id).unlink()

    def _race(self, days):
        """Close the periods holding ``days`` at the same time, one per thread;
        returns what each thread got: ``"won"`` or the error it lost with."""

        def close(env, day, start):
            program = env["prm.incentive.program"].browse(self.program_id)
            # Both transactions take their snapshot before either writes.
            env["prm.incentive.line"].search_count([("program_id", "=", program.id)])
            start()
            settlements = env["prm.settlement"]._close_period(
                program, fields.Date.to_date(day)
            )
            env.flush_all()
            return "won" if settlements else "nothing"

        return self._prm_race(close, days, LOSING_ERRORS)

    def setUp(self):
        super().setUp()
        self.addCleanup(self._reset)

    def _state(self):
        """(ids and totals of the live settlements, {accrual: settlement id})."""
        with self.committed_env() as env:
            settlements = env["prm.settlement"].search(
                [("program_id", "=", self.program_id), ("state", "!=", "cancel")]
            )
            lines = env["prm.incentive.line"].browse(self.line_ids)
            return (
                [(s.id, s.amount_total) for s in settlements],
                {line.id: line.settlement_id.id for line in lines},
            )

    def _reset(self):
        with self.committed_env() as env:
            settlements = env["prm.settlement"].search(
                [("program_id", "=", self.program_id), ("state", "!=", "cancel")]
            )
            settlements.action_cancel()

    def test_same_partner_same_period(self):
        results = self._race(["2025-01-31", "2025-01-15"])
        self.assertEqual(results.count("won"), 1, results)
        settlements, by_line = self._state()
        self.assertEqual(len(settlements), 1, "One settlement for the period.")
        settlement_id, total = settlements[0]
        self.assertEqual(set(by_line.values()), {settlement_id})
        self.assertEqual(total, 200.0, "Each accrual counted once.")

    def test_overlapping_periods(self):
        """January and February closes both want the January accruals (the
        February close takes every open accrual dated up to its end): the
        partial unique index does not apply (different periods), the row lock
        does."""
        results = self._race(["2025-01-31", "2025-02-28"])
        self.assertEqual(results.count("won"), 1, results)
        settlements, by_line = self._state()
        self.assertEqual(len(settlements), 1, "The loser settled nothing.")
        settlement_id, total = settlements[0]
        self.assertEqual(set(by_line.values()), {settlement_id})
        self.assertEqual(total, 200.0)
