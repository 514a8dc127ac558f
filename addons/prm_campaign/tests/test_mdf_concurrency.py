"""Two partners' representatives submitting requests on the same budget at
the same moment, each in its own transaction: never both when together they
exceed the balance."""

import psycopg2.errors

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.prm_partner.tests.committed import PrmCommittedCase

LOSING_ERRORS = (psycopg2.errors.SerializationFailure, UserError)


@tagged("post_install", "-at_install")
class TestMdfConcurrency(PrmCommittedCase):
    @classmethod
    def _prm_commit_fixtures(cls, env):
        partner = env["res.partner"].create(
            {
                "name": "MDF Race Reseller",
                "is_company": True,
                "prm_is_partner": True,
                "prm_state": "active",
            }
        )
        budget = env["prm.mdf.budget"].create(
            {
                "partner_id": partner.id,
                "company_id": env.ref("base.main_company").id,
                "date_from": "2040-01-01",
                "date_to": "2040-03-31",
                "amount_manual": 1000.0,
            }
        )
        budget.action_open()
        requests = env["prm.mdf.request"].create(
            [
                {
                    "title": f"Race {index}",
                    "partner_id": partner.id,
                    "budget_id": budget.id,
                    "plan": "Same money",
                    "date_start": "2040-01-10",
                    "date_end": "2040-01-11",
                    "amount_requested": 600.0,
                }
                for index in range(2)
            ]
        )
        cls.partner_id, cls.budget_id, cls.request_ids = (
            partner.id,
            budget.id,
            requests.ids,
        )

    @classmethod
    def _prm_remove_fixtures(cls, env):
        # Raw SQL: submitted requests and open budgets refuse deletion.
        env.cr.execute(
            SQL("DELETE FROM prm_mdf_request WHERE budget_id = %s", cls.budget_id)
        )
        env.cr.execute(SQL("DELETE FROM prm_mdf_budget WHERE id = %s", cls.budget_id))
        env["res.partner"].browse(cls.partner_id).unlink()

    def test_two_requests_cannot_overdraw(self):
        def submit(env, request_id, start):
            request = env["prm.mdf.request"].browse(request_id)
            # Both snapshots see 1,000 available before either submits.
            self.assertEqual(request.budget_id.amount_available, 1000.0)
            start()
            request.action_submit()
            env.flush_all()
            return "submitted"

        results = self._prm_race(submit, self.request_ids, LOSING_ERRORS)
        self.assertEqual(results.count("submitted"), 1, results)
        self.assertIn(
            results[1 - results.index("submitted")],
            ("SerializationFailure", "UserError"),
        )
        with self.committed_env() as env:
            budget = env["prm.mdf.budget"].browse(self.budget_id)
            requests = env["prm.mdf.request"].browse(self.request_ids)
            self.assertEqual(sorted(requests.mapped("state")), ["draft", "submitted"])
            self.assertEqual(
                (budget.amount_pending, budget.amount_available), (600.0, 400.0)
            )
