from datetime import timedelta

from odoo import Command
from odoo.tests import tagged

from .common import PrmPortalCommon


@tagged("post_install", "-at_install")
class TestProgramHome(PrmPortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # sudo: the fixture places rows in the states their actions would.
        cls.agreement = (
            cls.env["prm.agreement"]
            .sudo()
            .create(
                {
                    "partner_id": cls.partner_a.id,
                    "type_id": cls.env.ref("prm_partner.agreement_type_reseller").id,
                    "state": "active",
                    "date_start": cls.today - timedelta(days=300),
                    "date_end": cls.today + timedelta(days=10),
                }
            )
        )
        cls.authority = (
            cls.env["prm.authority"]
            .sudo()
            .create(
                {
                    "name": "Signing power of Anna",
                    "partner_id": cls.partner_a.id,
                    "contact_id": cls.contact_a.id,
                    "state": "approved",
                    "date_to": cls.today + timedelta(days=5),
                }
            )
        )
        cls.env["prm.checklist.item"].sudo().create(
            {"partner_id": cls.partner_a.id, "name": "Upload the signed NDA"}
        )
        cls.env["prm.agreement"].sudo().create(
            {
                "partner_id": cls.partner_b.id,
                "type_id": cls.env.ref("prm_partner.agreement_type_nda").id,
                "state": "active",
                "date_end": cls.today + timedelta(days=3),
            }
        )

    def test_owner_sees_program(self):
        self.authenticate("prm_portal_a", "prm_portal_a")
        response = self.url_open("/my/program")
        self.assertEqual(response.status_code, 200)
        page = response.text
        self.assertIn("T-Registered", page)
        # Next tier's rule: representatives, value against threshold.
        self.assertIn("Next tier: T-Silver", page)
        self.assertIn("progress-bar", page)
        self.assertIn(self.agreement.display_name, page)
        self.assertIn("Signing power of Anna", page)
        self.assertIn("Upload the signed NDA", page)
        self.assertIn("Charlie Channel", page)
        # Another partner's expiring agreement is not there.
        self.assertNotIn("Beta Distribution", page)
        # Cards: documents and team (admin role).
        self.assertIn("o_prm_card_documents", page)
        self.assertIn("o_prm_card_team", page)

    def test_pending_downgrade_shown(self):
        # sudo: requalification's fields, set as its grace period would.
        self.partner_a.sudo().write(
            {
                "prm_tier_id": self.tier_silver.id,
                "prm_downgrade_tier_id": self.tier_registered.id,
                "prm_downgrade_date": self.today + timedelta(days=20),
            }
        )
        self.authenticate("prm_portal_a", "prm_portal_a")
        page = self.url_open("/my/program").text
        self.assertIn("Pending downgrade to T-Registered", page)
        self.assertIn("Next tier: T-Gold", page)

    def test_role_decides_cards(self):
        self.contact_a.prm_role_ids = [Command.set(self.role_sales.ids)]
        self.authenticate("prm_portal_a", "prm_portal_a")
        page = self.url_open("/my/program").text
        self.assertIn("o_prm_card_documents", page)
        self.assertNotIn("o_prm_card_team", page)
        home = self.url_open("/my/home").text
        self.assertIn('href="/my/program"', home)
        self.assertNotIn('href="/my/team"', home)

    def test_not_a_program_partner_404(self):
        self.authenticate("prm_portal_out", "prm_portal_out")
        self.assertEqual(self.url_open("/my/program").status_code, 404)
        self.assertNotIn('href="/my/program"', self.url_open("/my/home").text)

    def test_public_redirected_to_login(self):
        self.assertLoginRedirect("/my/program")

    def test_home_counters(self):
        self.env["prm.portal.document"].create(self._document_vals("Counted"))
        self.authenticate("prm_portal_a", "prm_portal_a")
        response = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["prm_document_count", "prm_team_count"]}
        )
        self.assertEqual(response["prm_document_count"], 1)
        self.assertEqual(response["prm_team_count"], 1)
