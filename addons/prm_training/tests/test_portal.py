import json

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import PrmTrainingCommon


@tagged("post_install", "-at_install")
class TestTrainingPortal(PrmTrainingCommon, HttpCase):
    def setUp(self):
        super().setUp()
        self._take_exam(self.contact_a)
        self._take_exam(self.contact_b)
        self.cert_a = self._certificate(self.contact_a)
        self.cert_b = self._certificate(self.contact_b)
        self.colleague = self.env["res.partner"].create(
            {
                "name": "Carla Colleague",
                "parent_id": self.partner_a.id,
                "prm_role_ids": [Command.link(self.role_technical.id)],
            }
        )
        self._take_exam(self.colleague)
        self.cert_colleague = self._certificate(self.colleague)

    def test_verification_page_shows_only_holder_certification_validity(self):
        token = self.cert_a.sudo().verification_token
        response = self.url_open(f"/prm/certificate/{self.cert_a.number}/{token}")
        self.assertEqual(response.status_code, 200)
        page = response.text
        self.assertIn(self.contact_a.name, page)
        self.assertIn("T-Safe storage", page)
        self.assertIn(fields.Date.to_string(self.cert_a.expiry_date), page)
        self.assertIn("Valid", page)
        for secret in ("anna@alpha.test", "Alpha Resellers"):
            self.assertNotIn(secret, page)
        self.assertNotIn(self.cert_a.user_input_id.access_token, page)
        with mute_logger("odoo.http"):
            for url in (
                f"/prm/certificate/{self.cert_a.number}/wrong-token",
                f"/prm/certificate/{self.cert_a.number}/{self.cert_b.sudo().verification_token}",
                f"/prm/certificate/NOPE/{token}",
            ):
                with self.subTest(url=url):
                    self.assertEqual(self.url_open(url).status_code, 404)

    def test_training_page_per_role(self):
        self.authenticate("prm_portal_a", "prm_portal_a")
        page = self.url_open("/my/training").text
        self.assertIn(self.cert_a.number, page)
        self.assertNotIn(self.cert_colleague.number, page, "sales role: own only")
        self.assertNotIn(self.cert_b.number, page)
        self.assertIn(self.course.name, page)
        self.contact_a.prm_role_ids = [Command.link(self.role_admin.id)]
        page = self.url_open("/my/training").text
        self.assertIn(self.cert_colleague.number, page, "Admin: the whole team")
        self.assertNotIn(self.cert_b.number, page)

    def test_failed_exam_over_http_issues_nothing(self):
        """The failing run of the tour, through the Survey routes: the
        attempt ends (done, failed) and no certificate appears."""
        self.authenticate("prm_portal_a", "prm_portal_a")
        self.cert_a.sudo().unlink()
        answer = self.renewal_exam.sudo()._create_answer(
            user=self.user_portal_a, check_attempts=False
        )
        tokens = f"{self.renewal_exam.access_token}/{answer.access_token}"
        self.make_jsonrpc_request(f"/survey/begin/{tokens}")
        wrong = {
            str(question.id): str(
                question.suggested_answer_ids.filtered(lambda a: not a.is_correct).id
            )
            for question in self.renewal_exam.question_ids
        }
        self.make_jsonrpc_request(f"/survey/submit/{tokens}", wrong)
        self.assertEqual(answer.state, "done")
        self.assertFalse(answer.scoring_success)
        self.assertFalse(self._certificate(self.contact_a))
        # The certification exam itself, failed the same way: nothing either.
        answer = self.exam.sudo()._create_answer(
            user=self.user_portal_a, check_attempts=False
        )
        tokens = f"{self.exam.access_token}/{answer.access_token}"
        self.make_jsonrpc_request(f"/survey/begin/{tokens}")
        wrong = {
            str(question.id): str(
                question.suggested_answer_ids.filtered(lambda a: not a.is_correct).id
            )
            for question in self.exam.question_ids
        }
        self.make_jsonrpc_request(f"/survey/submit/{tokens}", wrong)
        self.assertEqual(answer.state, "done")
        self.assertFalse(self._certificate(self.contact_a))

    def test_program_home_card(self):
        cards = {card["key"]: card for card in self.contact_a._prm_portal_cards()}
        self.assertEqual(cards["training"]["count"], 1, "own certificate only")
        self.assertEqual(cards["training"]["url"], "/my/training")
        self.contact_a.prm_role_ids = [Command.link(self.role_admin.id)]
        cards = {card["key"]: card for card in self.contact_a._prm_portal_cards()}
        self.assertEqual(cards["training"]["count"], 2, "Admin: the team")

    @mute_logger("odoo.http")
    def test_certificate_pdf_only_for_own_certificates(self):
        self.authenticate("prm_portal_a", "prm_portal_a")
        response = self.url_open(f"/my/training/certificate/{self.cert_b.id}")
        self.assertEqual(response.status_code, 404)
        response = self.url_open(f"/my/training/certificate/{self.cert_colleague.id}")
        self.assertEqual(response.status_code, 404, "not Admin: not a colleague's")

    def test_training_page_closed_to_non_partners(self):
        stranger = self.env["res.partner"].create({"name": "Sam Stranger"})
        self.env["res.users"].create(
            {
                "login": "prm_training_stranger",
                "password": "prm_training_stranger",
                "partner_id": stranger.id,
                "group_ids": [Command.set(self.env.ref("base.group_portal").ids)],
            }
        )
        self.authenticate("prm_training_stranger", "prm_training_stranger")
        with mute_logger("odoo.http"):
            self.assertEqual(self.url_open("/my/training").status_code, 404)

    @mute_logger("odoo.http")
    def test_portal_cannot_write_scoring_success_over_rpc(self):
        attempt = self._take_exam(self.contact_a, right=0)
        self.authenticate("prm_portal_a", "prm_portal_a")
        response = self.url_open(
            "/web/dataset/call_kw/survey.user_input/write",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "model": "survey.user_input",
                        "method": "write",
                        "args": [attempt.ids, {"scoring_success": True}],
                        "kwargs": {},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        error = response.json().get("error")
        self.assertTrue(error)
        self.assertIn("AccessError", error["data"]["name"])
        attempt.invalidate_recordset()
        self.assertFalse(attempt.scoring_success)
        self.assertFalse(self._certificate(self.contact_a).user_input_id == attempt)

    def _certificates_for(self, count):
        """``count`` certificates in partner A's team, written directly."""
        Partner = self.env["res.partner"]
        people = Partner.create(
            [
                {"name": f"Member {count}-{i}", "parent_id": self.partner_a.id}
                for i in range(count)
            ]
        )
        today = fields.Date.today()
        self.env["prm.certificate"].sudo().create(
            [
                {
                    "number": f"T-Q{count}-{i:03d}",
                    "certification_id": self.certification.id,
                    "partner_id": person.id,
                    "issue_date": today,
                    "expiry_date": today + relativedelta(months=i % 14),
                }
                for i, person in enumerate(people)
            ]
        )

    def _page_reads(self):
        self.env.flush_all()
        self.env.invalidate_all()
        with self._statements() as counts:
            response = self.url_open("/my/training")

        self.assertEqual(response.status_code, 200)
        return counts["SELECT"], response.text

    def test_training_page_queries_do_not_grow(self):
        self.contact_a.prm_role_ids = [Command.link(self.role_admin.id)]
        self.authenticate("prm_portal_a", "prm_portal_a")
        self.url_open("/my/training")  # warm the caches
        self._certificates_for(5)
        small, page = self._page_reads()
        self.assertIn("T-Q5-004", page)
        self._certificates_for(75)
        large, page = self._page_reads()
        self.assertIn("T-Q75-074", page)
        self.assertEqual(small, large, "same reads for 5 and 80 certificates")
        self.assertLessEqual(large, 25)
