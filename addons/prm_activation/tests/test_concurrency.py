"""Two transactions activating the same code at the same time (committed
fixtures, see ``PrmCommittedCase``)."""

import psycopg2.errors

from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from odoo.addons.prm_partner.tests.committed import PrmCommittedCase


@tagged("post_install", "-at_install")
class TestActivationConcurrency(PrmCommittedCase):
    @classmethod
    def _prm_commit_fixtures(cls, env):
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
        cls.partner_id, cls.product_id, cls.batch_id = partner.id, product.id, batch.id

    @classmethod
    def _prm_remove_fixtures(cls, env):
        # Raw SQL: activations and codes refuse deletion through the ORM.
        for table in ("prm_activation", "prm_activation_code", "prm_activation_range"):
            env.cr.execute(
                SQL(
                    "DELETE FROM %s WHERE batch_id = %s",
                    SQL.identifier(table),
                    cls.batch_id,
                )
            )
        env.cr.execute(
            SQL("DELETE FROM prm_activation_batch WHERE id = %s", cls.batch_id)
        )
        env.cr.execute(
            SQL("DELETE FROM prm_activation_attempt WHERE subscriber_key LIKE 'race%%'")
        )
        env["product.product"].browse(cls.product_id).unlink()
        env["res.partner"].browse(cls.partner_id).unlink()

    def _activations(self, serial):
        with self.committed_env() as env:
            return env["prm.activation"].search_count(
                [("batch_id", "=", self.batch_id), ("code_id.serial", "=", serial)]
            )

    def test_two_activations_of_one_code_make_one(self):
        def activate(env, label, start):
            # Both snapshots see the code assigned before either acts.
            code = env["prm.activation.code"].search(
                [("batch_id", "=", self.batch_id), ("serial", "=", 1)]
            )
            self.assertEqual(code.state, "assigned")
            start()
            answer = env["prm.activation"]._prm_activate_many(
                [{"code": self.codes[0], "subscriber_email": f"race-{label}"}],
                channel="api",
                user=env.user,
            )[0]
            env.flush_all()
            return answer["status"]

        results = self._prm_race(
            activate, ["a", "b"], (psycopg2.errors.SerializationFailure,)
        )
        self.assertEqual(results.count("activated"), 1, results)
        self.assertIn(
            results[1 - results.index("activated")],
            ("busy", "SerializationFailure"),
            "The loser is told the code is being activated (or retried).",
        )
        self.assertEqual(self._activations(1), 1)

    def test_constraint_refuses_a_second_activation(self):
        """Even a caller that skips the lock cannot activate a code twice."""
        with self.committed_env() as env:
            answer = env["prm.activation"]._prm_activate_many(
                [{"code": self.codes[1], "subscriber_email": "race-c"}],
                channel="api",
                user=env.user,
            )[0]
            self.assertEqual(answer["status"], "activated")
        with self.committed_env() as env:
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
            env.cr.rollback()
        self.assertEqual(self._activations(2), 1)
