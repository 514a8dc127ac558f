import base64
import io

from odoo import Command, http
from odoo.tests import HttpCase, tagged

from .common import BLUE, PrmCampaignCommon, count_color, make_png, pdf_text


@tagged("post_install", "-at_install")
class TestKitPortal(PrmCampaignCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.activation_b = cls._activate(cls.partner_b)

    def _login_a(self):
        self.authenticate("prm_portal_a", "prm_portal_a")

    def _post(self, url, data=None, files=None, with_token=True):
        data = dict(data or {})
        if with_token:
            data["csrf_token"] = http.Request.csrf_token(self)
        return self.url_open(
            url, data=data, files=files, allow_redirects=False, method="POST"
        )

    def test_partner_activates_a_kit_and_downloads_its_pdf(self):
        self._login_a()
        page = self.url_open("/my/campaigns")
        self.assertEqual(page.status_code, 200)
        self.assertIn("T-Spring kit", page.text)
        response = self._post(f"/my/campaigns/kit/{self.kit.id}/activate")
        self.assertEqual(response.status_code, 303)
        activation = self.env["prm.campaign.activation"].search(
            [("partner_id", "=", self.partner_a.id)]
        )
        self.assertTrue(
            response.headers["Location"].endswith(f"/my/campaigns/{activation.id}")
        )
        detail = self.url_open(f"/my/campaigns/{activation.id}")
        self.assertEqual(detail.status_code, 200)
        self.assertIn("Alpha Resellers brings you fibre", detail.text)
        self.assertIn("Fibre with Alpha Resellers", detail.text)
        pdf = activation.file_ids.filtered(lambda a: a.mimetype == "application/pdf")
        download = self.url_open(f"/my/campaigns/{activation.id}/file/{pdf.id}")
        self.assertEqual(download.status_code, 200)
        self.assertIn("Alpha Resellers", pdf_text(download.content))

    def test_posts_need_the_csrf_token(self):
        self._login_a()
        response = self._post(
            f"/my/campaigns/kit/{self.kit.id}/activate", with_token=False
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(
            self.env["prm.campaign.activation"].search(
                [("partner_id", "=", self.partner_a.id)]
            )
        )

    def test_another_partners_ids_answer_404(self):
        self._login_a()
        other = self.activation_b
        attachment = other.file_ids[:1]
        own = self._activate()
        for url in (
            f"/my/campaigns/{other.id}",
            f"/my/campaigns/{other.id}/file/{attachment.id}",
            f"/my/campaigns/{own.id}/file/{attachment.id}",
            "/my/campaigns/999999",
        ):
            self.assertEqual(self.url_open(url).status_code, 404, url)
        response = self._post(
            f"/my/campaigns/{other.id}/order",
            {"item_id": self.item.id, "quantity": 1},
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(other.print_order_ids)

    def test_portal_has_no_direct_access_to_the_models(self):
        for model in (
            "prm.campaign.kit",
            "prm.campaign.activation",
            "prm.campaign.print.order",
            "prm.campaign.asset",
        ):
            self.assertFalse(
                self.env[model].with_user(self.user_portal_a).has_access("read"), model
            )

    def test_page_needs_the_sales_or_marketing_role(self):
        self.contact_a.prm_role_ids = [
            Command.set(self.env.ref("prm_partner.role_technical").ids)
        ]
        self._login_a()
        self.assertEqual(self.url_open("/my/campaigns").status_code, 404)
        self.assertNotIn(
            "campaigns", [card["key"] for card in self.contact_a._prm_portal_cards()]
        )

    def test_program_home_card(self):
        self._activate()
        cards = {card["key"]: card for card in self.contact_a._prm_portal_cards()}
        self.assertEqual(cards["campaigns"]["url"], "/my/campaigns")
        self.assertEqual(cards["campaigns"]["count"], 1)

    def test_order_within_quota_from_the_portal(self):
        activation = self._activate()
        self._login_a()
        response = self._post(
            f"/my/campaigns/{activation.id}/order",
            {"item_id": self.item.id, "quantity": "3"},
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(activation.print_order_ids.state, "confirmed")
        self.assertEqual(activation.print_order_ids.ordered_by_id, self.user_portal_a)
        bad = self._post(
            f"/my/campaigns/{activation.id}/order",
            {"item_id": self.item.id, "quantity": "-2"},
        )
        self.assertEqual(bad.status_code, 400)
        self.assertIn("at least one", bad.text)
        self.assertEqual(len(activation.print_order_ids), 1)

    def test_logo_upload_checks_the_content_and_regenerates(self):
        self.contact_a.prm_role_ids = [
            Command.set(self.env.ref("prm_partner.role_marketing").ids)
        ]
        activation = self._activate()
        self._login_a()
        big = self._post(
            "/my/campaigns/logo",
            files={
                "logo": (
                    "logo.png",
                    io.BytesIO(b"\x89PNG" + b"0" * (50 * 1024 * 1024)),
                    "image/png",
                )
            },
        )
        self.assertEqual(big.status_code, 400)
        self.assertIn("too large", big.text)
        fake = self._post(
            "/my/campaigns/logo",
            files={
                "logo": ("logo.png", io.BytesIO(b"%PDF-1.4 not an image"), "image/png")
            },
        )
        self.assertEqual(fake.status_code, 400)
        logo = make_png((64, 64), BLUE)
        good = self._post(
            "/my/campaigns/logo",
            files={"logo": ("logo.png", io.BytesIO(logo), "image/png")},
        )
        self.assertEqual(good.status_code, 303)
        banner = base64.b64decode(
            activation.file_ids.filtered(lambda a: a.mimetype == "image/png").datas
        )
        self.assertGreater(count_color(banner, self.logo_box, BLUE), 500)

    def test_logo_upload_needs_the_admin_or_marketing_role(self):
        self._login_a()
        response = self._post(
            "/my/campaigns/logo",
            files={"logo": ("logo.png", io.BytesIO(make_png((8, 8))), "image/png")},
        )
        self.assertEqual(response.status_code, 404)

    def test_same_queries_for_5_and_80_activations(self):
        self._login_a()
        kits = self.env["prm.campaign.kit"].create(
            [
                {
                    "name": f"T-Kit {i}",
                    "date_start": self.kit.date_start,
                    "company_id": self.env.company.id,
                }
                for i in range(80)
            ]
        )
        Activation = self.env["prm.campaign.activation"]
        counts = []
        done = 0
        for total in (5, 80):
            Activation.create(
                [
                    {"kit_id": kit.id, "partner_id": self.partner_a.id}
                    for kit in kits[done:total]
                ]
            )
            done = total
            self.env.flush_all()
            self.url_open("/my/campaigns")
            before = self.env.cr.sql_log_count
            response = self.url_open("/my/campaigns")
            counts.append(self.env.cr.sql_log_count - before)
            self.assertEqual(response.status_code, 200)
        self.assertEqual(counts[0], counts[1], counts)
        self.assertLessEqual(counts[1], 25)
