"""Two transactions spending the same points at the same time.

As ``test_concurrency``, this class commits its fixtures through its own cursors
and removes them afterwards: a partner with 100 points, two spends of 80.
"""

import psycopg2.errors

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.prm_partner.tests.committed import PrmCommittedCase

LOSING_ERRORS = (
    psycopg2.errors.SerializationFailure,
    psycopg2.errors.CheckViolation,
    UserError,
)


@tagged("post_install", "-at_install")
class TestPointsConcurrency(PrmCommittedCase):
    @classmethod
    def _prm_commit_fixtures(cls, env):
        partner = env["res.partner"].create(
            {
                "name": "Points Race Reseller",
                "is_company": True,
                "prm_is_partner": True,
                "prm_state": "active",
            }
        )
        env["prm.points.move"].create(
            {
                "kind": "earned",
                "partner_id": partner.id,
                "company_id": env.ref("base.main_company").id,
                "points": 100.0,
                "name": "Race fixture",
            }
        )
        cls.partner_id = partner.id

    @classmethod
    def _prm_remove_fixtures(cls, env):
        # Raw SQL: the ledger refuses deletion through the ORM.
        env.cr.execute(
            SQL("DELETE FROM prm_points_move WHERE partner_id = %s", cls.partner_id)
        )
        env["res.partner"].browse(cls.partner_id).unlink()

    def _balance(self):
        with self.committed_env() as env:
            moves = env["prm.points.move"].search(
                [("partner_id", "=", self.partner_id)]
            )
            return sum(moves.mapped("points")), sorted(moves.mapped("kind"))

    def test_two_spends_of_the_same_points(self):
        def spend(env, label, start):
            partner = env["res.partner"].browse(self.partner_id)
            # Both snapshots see 100 points before either spends.
            env["prm.points.move"].search_count([("partner_id", "=", partner.id)])
            self.assertEqual(partner.prm_points_balance, 100.0)
            start()
            partner.with_company(env.ref("base.main_company"))._prm_spend_points(
                80.0, description=label
            )
            env.flush_all()
            return "spent"

        results = self._prm_race(spend, ["first", "second"], LOSING_ERRORS)
        self.assertEqual(results.count("spent"), 1, results)
        self.assertIn(
            results[1 - results.index("spent")], ("SerializationFailure", "UserError")
        )
        balance, kinds = self._balance()
        self.assertEqual(balance, 20.0, "The points were spent once.")
        self.assertEqual(kinds, ["earned", "spent"])
