from odoo import Command, http
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common_mdf import PNG, PrmMdfCommon


@tagged("post_install", "-at_install")
class TestMdfPortal(PrmMdfCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.request_a = cls._request(300.0, approve=True, title="Alpha roadshow")
        cls.request_b = cls._request(200.0, budget=cls.budget_b, title="Beta webinar")

    def _post(self, url, data=None, files=None):
        data = {**(data or {}), "csrf_token": http.Request.csrf_token(self)}
        return self.url_open(url, data=data, files=files, allow_redirects=False)

    def test_page_shows_own_funds_only(self):
        self.authenticate("prm_portal_a", "prm_portal_a")
        response = self.url_open("/my/funds")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Alpha roadshow", response.text)
        self.assertNotIn("Beta webinar", response.text)
        self.assertEqual(
            self.url_open(f"/my/funds/request/{self.request_a.id}").status_code, 200
        )
        with mute_logger("odoo.http"):
            self.assertEqual(
                self.url_open(f"/my/funds/request/{self.request_b.id}").status_code, 404
            )
            self.assertEqual(
                self.url_open("/my/funds/request/999999999").status_code, 404
            )
            response = self._post(
                f"/my/funds/request/{self.request_b.id}/claim",
                {"amount": "1"},
                files={"proof": ("p.png", PNG, "image/png")},
            )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self.request_b.claim_ids)
        cards = self.contact_a._prm_portal_cards()
        self.assertIn("funds", [card["key"] for card in cards])

    def test_page_needs_a_finance_or_marketing_role(self):
        self.contact_a.prm_role_ids = [
            Command.set(self.env.ref("prm_partner.role_technical").ids)
        ]
        self.authenticate("prm_portal_a", "prm_portal_a")
        with mute_logger("odoo.http"):
            self.assertEqual(self.url_open("/my/funds").status_code, 404)
            self.assertEqual(
                self.url_open(f"/my/funds/request/{self.request_a.id}").status_code, 404
            )

    def test_new_request_and_claim_from_the_portal(self):
        self.authenticate("prm_portal_a", "prm_portal_a")
        form = {
            "title": "Portal seminar",
            "activity_type": "event",
            "plan": "One seminar",
            "date_start": str(self.date_from),
            "date_end": str(self.date_from),
            "amount_requested": "150",
            # Not on the form: ignored.
            "state": "approved",
            "amount_approved": "150",
        }
        response = self._post("/my/funds/request/new", form)
        self.assertEqual(response.status_code, 303, response.text[:500])
        created = self.Request.search([("title", "=", "Portal seminar")])
        self.assertEqual(
            (created.state, created.amount_approved, created.partner_id),
            ("submitted", 0.0, self.partner_a),
        )
        # Bad input: nothing stored, a readable 400.
        for bad in (
            {"amount_requested": "-5"},
            {"amount_requested": "abc"},
            {
                "date_end": str(
                    self.date_from.replace(day=1).replace(year=self.date_from.year - 1)
                )
            },
            {"amount_requested": "100000"},
        ):
            response = self._post(
                "/my/funds/request/new", {**form, "title": "Bad one", **bad}
            )
            self.assertEqual(response.status_code, 400, bad)
            self.assertIn("o_prm_mdf_error", response.text)
        self.assertFalse(self.Request.search([("title", "=", "Bad one")]))
        # A claim with a file that is not what it says: refused.
        url = f"/my/funds/request/{self.request_a.id}/claim"
        response = self._post(
            url,
            {"amount": "50"},
            files={"proof": ("proof.png", b"not an image at all", "image/png")},
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.request_a.claim_ids)
        response = self._post(
            url,
            {"amount": "50", "description": "Done"},
            files={"proof": ("proof.png", PNG, "image/png")},
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.request_a.claim_ids.state, "submitted")
        self.assertEqual(self.request_a.claim_ids.attachment_ids.mimetype, "image/png")

    def test_same_queries_for_5_and_80_requests(self):
        self.authenticate("prm_portal_a", "prm_portal_a")
        self.budget_a.sudo().write({"amount_allocated": 100000.0})
        counts = []
        for total in (5, 80):
            existing = self.Request.search_count(
                [("partner_id", "=", self.partner_a.id)]
            )
            for _index in range(total - existing):
                request = self._request(1.0, approve=True)
                self._claim(request, 1.0)
            self.env.flush_all()
            self.url_open("/my/funds")
            before = self.env.cr.sql_log_count
            response = self.url_open("/my/funds")
            counts.append(self.env.cr.sql_log_count - before)
            self.assertEqual(response.status_code, 200)
        self.assertEqual(counts[0], counts[1], counts)
        self.assertLessEqual(counts[1], 25)
