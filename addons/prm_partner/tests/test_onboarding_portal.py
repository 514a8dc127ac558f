from odoo import Command, http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common_onboarding import PrmOnboardingCommon

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(document.cookie)</script></svg>"
)
PNG_1PX = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kg"
    "AAAABJRU5ErkJggg=="
)


class PrmOnboardingPortalCommon(PrmOnboardingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        role_admin = cls.env.ref("prm_partner.role_admin")
        cls.contact_a.prm_role_ids = [Command.set(role_admin.ids)]
        cls.contact_b.prm_role_ids = [Command.set(role_admin.ids)]
        cls.user_portal_b = new_test_user(
            cls.env,
            login="prm_portal_onb_b",
            groups="base.group_portal",
            partner_id=cls.contact_b.id,
        )
        Item = cls.env["prm.checklist.item"]
        cls.item_a = Item.create(
            {"partner_id": cls.partner_a.id, "name": "Insurance certificate"}
        )
        cls.item_b = Item.create(
            {"partner_id": cls.partner_b.id, "name": "Beta insurance certificate"}
        )
        cls.agreement_type_nda.portal_acceptance = True
        cls.agreement_a = cls.env["prm.agreement"].create(
            {
                "partner_id": cls.partner_a.id,
                "type_id": cls.agreement_type_nda.id,
                "attachment_ids": [Command.create({"name": "nda.pdf", "raw": PDF})],
            }
        )


@tagged("post_install", "-at_install")
class TestOnboardingPortal(PrmOnboardingPortalCommon, HttpCase):
    def _post(self, url, data=None, files=None, with_token=True):
        data = dict(data or {})
        if with_token:
            data["csrf_token"] = http.Request.csrf_token(self)
        return self.url_open(url, data=data, files=files, allow_redirects=False)

    def _upload(self, item, name, content):
        return self._post(
            f"/my/onboarding/item/{item.id}/upload",
            files={"attachment": (name, content, "application/pdf")},
        )

    def test_owner_sees_and_uploads(self):
        self.authenticate("prm_portal_a", "prm_portal_a")
        page = self.url_open("/my/onboarding")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Insurance certificate", page.text)
        self.assertNotIn("Beta insurance certificate", page.text)
        self.assertIn(self.agreement_a.name, page.text)
        response = self._upload(self.item_a, "insurance.pdf", PDF)
        self.assertEqual(response.status_code, 303, response.text[:500])
        self.assertEqual(self.item_a.state, "submitted")
        self.assertEqual(self.item_a.submitted_by_id.login, "prm_portal_a")
        self.assertEqual(self.item_a.attachment_ids.mapped("name"), ["insurance.pdf"])
        self.assertEqual(self.item_a.attachment_ids.mimetype, "application/pdf")
        # The uploaded file comes back on the page, and downloads.
        attachment = self.item_a.attachment_ids
        download = self.url_open(
            f"/my/onboarding/item/{self.item_a.id}/document/{attachment.id}"
        )
        self.assertEqual(download.status_code, 200)
        self.assertEqual(download.content, PDF)

    @mute_logger("odoo.http")
    def test_other_partner_gets_404(self):
        self.authenticate("prm_portal_onb_b", "prm_portal_onb_b")
        attachment = self.agreement_a.attachment_ids
        for url in (
            f"/my/onboarding/agreement/{self.agreement_a.id}",
            f"/my/onboarding/agreement/{self.agreement_a.id}/document/{attachment.id}",
            # The item of B does not open A's attachment either.
            f"/my/onboarding/item/{self.item_b.id}/document/{attachment.id}",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.url_open(url).status_code, 404)
        response = self._upload(self.item_a, "insurance.pdf", PDF)
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.item_a.state, "open")
        self.assertFalse(self.item_a.attachment_ids)
        result = self.make_jsonrpc_request(
            f"/my/onboarding/agreement/{self.agreement_a.id}/accept",
            {"name": "Boris", "signature": PNG_1PX},
        )
        self.assertIn("error", result)
        self.assertFalse(self.agreement_a.signed_on)

    @mute_logger("odoo.http")
    def test_role_and_program_decide(self):
        # Without the admin role (onboarding is for the partner's admins).
        self.contact_a.prm_role_ids = [
            Command.set(self.env.ref("prm_partner.role_finance").ids)
        ]
        self.authenticate("prm_portal_a", "prm_portal_a")
        self.assertEqual(self.url_open("/my/onboarding").status_code, 404)
        self.assertEqual(self._upload(self.item_a, "a.pdf", PDF).status_code, 404)

    def test_public_is_sent_to_login(self):
        response = self.url_open("/my/onboarding", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])

    @mute_logger("odoo.http")
    def test_csrf_required(self):
        self.authenticate("prm_portal_a", "prm_portal_a")
        url = f"/my/onboarding/item/{self.item_a.id}/upload"
        files = {"attachment": ("a.pdf", PDF, "application/pdf")}
        missing = self._post(url, files=files, with_token=False)
        bad = self._post(
            url,
            data={"csrf_token": "0" * 40 + "o9999999999"},
            files=files,
            with_token=False,
        )
        self.assertEqual(missing.status_code, 400)
        self.assertEqual(bad.status_code, 400)
        self.assertEqual(self.item_a.state, "open")
        self.assertFalse(self.item_a.attachment_ids)

    def test_upload_checked_on_content(self):
        self.env["ir.config_parameter"].set_param(
            "prm_partner.portal_upload_max_bytes", "200"
        )
        self.authenticate("prm_portal_a", "prm_portal_a")
        cases = {
            "oversized": ("big.pdf", PDF + b"0" * 300, "too large"),
            "wrong type": ("notes.pdf", b"just some text, not a PDF", "not a document"),
            "svg with a script": ("logo.png", SVG, "SVG"),
            "empty": ("empty.pdf", b"", None),
        }
        for case, (name, content, message) in cases.items():
            with self.subTest(case=case):
                response = self._upload(self.item_a, name, content)
                self.assertEqual(response.status_code, 400)
                if message:
                    self.assertIn(message, response.text)
                self.assertEqual(self.item_a.state, "open")
                self.assertFalse(self.item_a.attachment_ids)
        self.assertFalse(
            self.env["ir.attachment"].search(
                [
                    ("res_model", "=", "prm.checklist.item"),
                    ("res_id", "=", self.item_a.id),
                ]
            )
        )

    def test_accept_agreement_online(self):
        self.authenticate("prm_portal_a", "prm_portal_a")
        page = self.url_open(f"/my/onboarding/agreement/{self.agreement_a.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("portal.signature_form", page.text)
        result = self.make_jsonrpc_request(
            f"/my/onboarding/agreement/{self.agreement_a.id}/accept",
            {"name": "Anna Alpha", "signature": PNG_1PX},
        )
        self.assertTrue(result.get("force_refresh"), result)
        self.assertEqual(self.agreement_a.signed_by, "Anna Alpha")
        self.assertEqual(self.agreement_a.signed_by_partner_id, self.contact_a)
        self.assertTrue(self.agreement_a.signed_on)
        self.assertTrue(self.agreement_a.signature)
        # Once accepted, it does not wait for another signature.
        again = self.make_jsonrpc_request(
            f"/my/onboarding/agreement/{self.agreement_a.id}/accept",
            {"name": "Someone else", "signature": PNG_1PX},
        )
        self.assertIn("error", again)
        self.assertEqual(self.agreement_a.signed_by, "Anna Alpha")

    def test_accept_needs_a_type_asking_for_it(self):
        self.agreement_type_nda.portal_acceptance = False
        self.authenticate("prm_portal_a", "prm_portal_a")
        result = self.make_jsonrpc_request(
            f"/my/onboarding/agreement/{self.agreement_a.id}/accept",
            {"name": "Anna Alpha", "signature": PNG_1PX},
        )
        self.assertIn("error", result)
        self.assertFalse(self.agreement_a.signed_on)


@tagged("post_install", "-at_install")
class TestOnboardingPortalGuards(PrmOnboardingPortalCommon):
    def test_acceptance_fields_are_guarded(self):
        for user in (
            self.user_portal_a,
            self.user_channel_manager,
            self.user_prm_admin,
        ):
            for field, value in (
                ("signed_by", "Forged"),
                ("signed_on", "2024-01-01 00:00:00"),
                ("signature", PNG_1PX),
            ):
                with (
                    self.subTest(user=user.login, field=field),
                    self.assertRaises(AccessError),
                ):
                    self.agreement_a.with_user(user).write({field: value})
        self.assertFalse(self.agreement_a.signed_on)

    def test_upload_method_refuses_others(self):
        with self.assertRaises(AccessError):
            self.item_b.with_user(self.user_portal_a)._prm_portal_upload(
                [("a.pdf", PDF)]
            )
        self.assertEqual(self.item_b.state, "open")

    def test_home_card(self):
        cards = self.contact_a._prm_portal_cards()
        card = next(card for card in cards if card["key"] == "onboarding")
        # One document to upload, one agreement to accept.
        self.assertEqual(card["count"], 2)
        self.assertEqual(card["url"], "/my/onboarding")
        self.agreement_a.sudo().signed_on = "2024-01-01 00:00:00"
        card = next(
            c for c in self.contact_a._prm_portal_cards() if c["key"] == "onboarding"
        )
        self.assertEqual(card["count"], 1)
