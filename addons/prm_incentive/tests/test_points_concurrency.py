"""Two transactions spending the same points at the same time.

As ``test_concurrency``, this class commits its fixtures through its own cursors
and removes them afterwards: a partner with 100 points, two spends of 80.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import psycopg2.errors

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.tests import tagged
from odoo.tests.common import BaseCase, get_db_name
from odoo.tools import SQL, mute_logger

NO_MAIL = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}
LOSING_ERRORS = (
    psycopg2.errors.SerializationFailure,
    psycopg2.errors.CheckViolation,
    UserError,
)


@tagged("post_install", "-at_install")
class TestPointsConcurrency(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        cls.addClassCleanup(cls._cleanup)
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, NO_MAIL)
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
    def _cleanup(cls):
        with cls.registry.cursor() as cr:
            # Raw SQL: the ledger refuses deletion through the ORM.
            cr.execute(
                SQL("DELETE FROM prm_points_move WHERE partner_id = %s", cls.partner_id)
            )
            env = api.Environment(cr, SUPERUSER_ID, NO_MAIL)
            env["res.partner"].browse(cls.partner_id).unlink()

    def _balance(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, NO_MAIL)
            moves = env["prm.points.move"].search(
                [("partner_id", "=", self.partner_id)]
            )
            return sum(moves.mapped("points")), sorted(moves.mapped("kind"))

    def test_two_spends_of_the_same_points(self):
        barrier = threading.Barrier(2)

        def spend(label):
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, NO_MAIL)
                    partner = env["res.partner"].browse(self.partner_id)
                    # Both snapshots see 100 points before either spends.
                    env["prm.points.move"].search_count(
                        [("partner_id", "=", partner.id)]
                    )
                    self.assertEqual(partner.prm_points_balance, 100.0)
                    barrier.wait(timeout=20)
                    partner.with_company(
                        env.ref("base.main_company")
                    )._prm_spend_points(80.0, description=label)
                    env.flush_all()
            except LOSING_ERRORS as error:
                return type(error).__name__
            return "spent"

        with mute_logger("odoo.sql_db"), ThreadPoolExecutor(2) as executor:
            futures = [executor.submit(spend, label) for label in ("first", "second")]
            results = [future.result(timeout=120) for future in futures]
        self.assertEqual(results.count("spent"), 1, results)
        self.assertIn(
            results[1 - results.index("spent")], ("SerializationFailure", "UserError")
        )
        balance, kinds = self._balance()
        self.assertEqual(balance, 20.0, "The points were spent once.")
        self.assertEqual(kinds, ["earned", "spent"])
