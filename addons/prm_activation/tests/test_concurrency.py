"""Two transactions activating the same code at the same time.

As ``prm_incentive``'s concurrency tests, this class commits its fixtures
through its own cursors and removes them afterwards.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import psycopg2.errors

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tests import tagged
from odoo.tests.common import BaseCase, get_db_name
from odoo.tools import SQL, mute_logger

NO_MAIL = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}


@tagged("post_install", "-at_install")
class TestActivationConcurrency(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        cls.addClassCleanup(cls._cleanup)
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, NO_MAIL)
            partner = env["res.partner"].create(
                {"name": "Race Reseller", "is_company": True, "prm_is_partner": True}
            )
            product = env["product.product"].create(
                {"name": "Race card", "type": "service"}
            )
            batch = env["prm.activation.batch"].create(
                {"product_id": product.id, "quantity": 2, "value": 10.0}
            )
            cls.codes = batch._prm_generate_codes()
            batch._prm_assign_serials(partner, 1, 2)
            cls.partner_id, cls.product_id, cls.batch_id = (
                partner.id,
                product.id,
                batch.id,
            )

    @classmethod
    def _cleanup(cls):
        with cls.registry.cursor() as cr:
            # Raw SQL: activations and codes refuse deletion through the ORM.
            for table, column in (
                ("prm_activation", "batch_id"),
                ("prm_activation_code", "batch_id"),
                ("prm_activation_range", "batch_id"),
            ):
                cr.execute(
                    SQL(
                        "DELETE FROM %s WHERE %s = %s",
                        SQL.identifier(table),
                        SQL.identifier(column),
                        cls.batch_id,
                    )
                )
            cr.execute(
                SQL("DELETE FROM prm_activation_batch WHERE id = %s", cls.batch_id)
            )
            cr.execute(
                SQL(
                    "DELETE FROM prm_activation_attempt WHERE subscriber_key LIKE 'race%%'"
                )
            )
            env = api.Environment(cr, SUPERUSER_ID, NO_MAIL)
            env["product.product"].browse(cls.product_id).unlink()
            env["res.partner"].browse(cls.partner_id).unlink()

    def _activations(self, code_index):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, NO_MAIL)
            return env["prm.activation"].search_count(
                [
                    ("batch_id", "=", self.batch_id),
                    ("code_id.serial", "=", code_index + 1),
                ]
            )

    def test_two_activations_of_one_code_make_one(self):
        barrier = threading.Barrier(2)

        def activate(label):
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, NO_MAIL)
                    # Both snapshots see the code assigned before either acts.
                    code = env["prm.activation.code"].search(
                        [("batch_id", "=", self.batch_id), ("serial", "=", 1)]
                    )
                    self.assertEqual(code.state, "assigned")
                    barrier.wait(timeout=20)
                    answer = env["prm.activation"]._prm_activate_many(
                        [{"code": self.codes[0], "subscriber_email": f"race-{label}"}],
                        channel="api",
                        user=env.user,
                    )[0]
                    env.flush_all()
                    barrier.wait(timeout=20)
                    return answer["status"]
            except psycopg2.errors.SerializationFailure:
                return "SerializationFailure"

        with mute_logger("odoo.sql_db"), ThreadPoolExecutor(2) as executor:
            futures = [executor.submit(activate, label) for label in ("a", "b")]
            results = sorted(future.result(timeout=120) for future in futures)
        self.assertEqual(results.count("activated"), 1, results)
        self.assertIn(
            results[1 - results.index("activated")],
            ("busy", "SerializationFailure"),
            "The loser is told the code is being activated.",
        )
        self.assertEqual(self._activations(0), 1)

    def test_constraint_refuses_a_second_activation(self):
        """Even a caller that skips the lock cannot activate a code twice."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, NO_MAIL)
            answer = env["prm.activation"]._prm_activate_many(
                [{"code": self.codes[1], "subscriber_email": "race-c"}],
                channel="api",
                user=env.user,
            )[0]
            self.assertEqual(answer["status"], "activated")
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, NO_MAIL)
            first = env["prm.activation"].search(
                [("batch_id", "=", self.batch_id), ("code_id.serial", "=", 2)]
            )
            with (
                mute_logger("odoo.sql_db"),
                self.assertRaises(psycopg2.errors.UniqueViolation),
            ):
                env["prm.activation"].create(
                    {
                        "code_id": first.code_id.id,
                        "batch_id": first.batch_id.id,
                        "partner_id": first.partner_id.id,
                        "company_id": first.company_id.id,
                        "date": first.date,
                        "user_id": env.uid,
                        "channel": "api",
                    }
                )
                env.flush_all()
            cr.rollback()
        self.assertEqual(self._activations(1), 1)
