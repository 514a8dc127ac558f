import base64

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import PrmPortalCommon


@tagged("post_install", "-at_install")
class TestPortalDocuments(PrmPortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Document = cls.env["prm.portal.document"]
        cls.doc_all = Document.create(cls._document_vals("For everyone"))
        cls.doc_reseller = Document.create(
            cls._document_vals(
                "Reseller price list",
                partner_type_ids=[Command.set(cls.type_reseller.ids)],
            )
        )
        cls.doc_referral = Document.create(
            cls._document_vals(
                "Referral guide",
                partner_type_ids=[Command.set(cls.type_referral.ids)],
            )
        )
        cls.doc_gold = Document.create(
            cls._document_vals(
                "Gold playbook", tier_ids=[Command.set(cls.tier_gold.ids)]
            )
        )
        cls.doc_draft = Document.create(
            cls._document_vals("Draft brochure", published=False)
        )

    def test_list_filtered_by_type_and_tier(self):
        self.authenticate("prm_portal_a", "prm_portal_a")
        page = self.url_open("/my/documents").text
        self.assertIn("For everyone", page)
        self.assertIn("Reseller price list", page)
        self.assertNotIn("Referral guide", page)
        self.assertNotIn("Gold playbook", page)
        self.assertNotIn("Draft brochure", page)

    def test_download_counts_per_partner(self):
        self.authenticate("prm_portal_a", "prm_portal_a")
        response = self.url_open(f"/my/documents/{self.doc_all.id}/download")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"Price,Product\n10,Widget\n")
        self.assertIn("attachment", response.headers["Content-Disposition"])
        self.url_open(f"/my/documents/{self.doc_all.id}/download")
        self.authenticate("prm_portal_b", "prm_portal_b")
        self.url_open(f"/my/documents/{self.doc_all.id}/download")
        self.assertEqual(self.doc_all.download_count, 3)
        self.assertEqual(self.doc_all.download_partner_count, 2)
        downloads = self.doc_all.download_ids
        self.assertEqual(
            downloads.filtered(lambda d: d.partner_id == self.partner_a).user_id,
            self.user_portal_a,
        )
        # The page shows the partner's own count only.
        self.authenticate("prm_portal_a", "prm_portal_a")
        page = self.url_open("/my/documents").text
        self.assertRegex(page, r"(?s)For everyone.*?<td class=\"text-end\">2</td>")

    def test_hidden_documents_404(self):
        self.authenticate("prm_portal_a", "prm_portal_a")
        for document in (self.doc_referral, self.doc_gold, self.doc_draft):
            response = self.url_open(f"/my/documents/{document.id}/download")
            self.assertEqual(response.status_code, 404, document.name)
        self.assertEqual(
            self.url_open("/my/documents/999999/download").status_code, 404
        )
        self.assertFalse(self.doc_referral.download_ids)

    def test_roles_and_outsiders(self):
        self.contact_a.prm_role_ids = [Command.clear()]
        self.authenticate("prm_portal_a", "prm_portal_a")
        self.assertEqual(self.url_open("/my/documents").status_code, 404)
        self.assertEqual(
            self.url_open(f"/my/documents/{self.doc_all.id}/download").status_code, 404
        )
        self.authenticate("prm_portal_out", "prm_portal_out")
        self.assertEqual(self.url_open("/my/documents").status_code, 404)
        self.assertLoginRedirect("/my/documents")
        self.assertLoginRedirect(f"/my/documents/{self.doc_all.id}/download")

    def test_record_rule_for_portal(self):
        visible = (
            self.env["prm.portal.document"].with_user(self.user_portal_a).search([])
        )
        self.assertEqual(visible, self.doc_all | self.doc_reseller)

    def test_refused_types(self):
        svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
        with self.assertRaisesRegex(ValidationError, "cannot be published"):
            self.env["prm.portal.document"].create(
                self._document_vals(
                    "Logo", file=base64.b64encode(svg), file_name="logo.png"
                )
            )
        html = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
        with self.assertRaisesRegex(ValidationError, "cannot be published"):
            self.doc_all.write({"file": base64.b64encode(html), "file_name": "a.pdf"})

    def test_oversized_file_refused(self):
        self.env["ir.config_parameter"].set_param("prm_portal.document_max_mb", "0.001")
        with self.assertRaisesRegex(ValidationError, "too large"):
            self.env["prm.portal.document"].create(
                self._document_vals("Big", file=base64.b64encode(b"x" * 2000))
            )
        with self.assertRaisesRegex(ValidationError, "too large"):
            self.doc_all.file = base64.b64encode(b"y" * 2000)

    def test_query_count_5_vs_80(self):
        Document = self.env["prm.portal.document"]
        (self.doc_all | self.doc_reseller).unlink()
        Document.create([self._document_vals(f"Doc {i:03}") for i in range(5)])
        self.authenticate("prm_portal_a", "prm_portal_a")
        few = self._read_statements("/my/documents")
        Document.create([self._document_vals(f"Doc {i:03}") for i in range(5, 80)])
        many = self._read_statements("/my/documents")
        self.assertEqual(few, many)
        self.assertLessEqual(many, 25)
