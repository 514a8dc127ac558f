from odoo import Command, http
from odoo.tests import new_test_user, tagged

from odoo.addons.prm_partner.tests.common import PrmCommon, PrmTourCase


@tagged("post_install", "-at_install")
class TestWebhookPortal(PrmCommon, PrmTourCase):
    """/my/webhooks: a partner's admins manage their endpoints; other contacts
    and other partners' subscriptions answer 404; an http URL is refused."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact_a.prm_role_ids = [
            Command.set(cls.env.ref("prm_partner.role_admin").ids)
        ]
        cls.contact_sales = cls.env["res.partner"].create(
            {
                "name": "Sid Sales",
                "parent_id": cls.partner_a.id,
                "prm_role_ids": [
                    Command.set(cls.env.ref("prm_partner.role_sales").ids)
                ],
            }
        )
        new_test_user(
            cls.env,
            login="prm_webhook_sales",
            groups="base.group_portal",
            partner_id=cls.contact_sales.id,
        )
        cls.subscription_b = (
            cls.env["prm.webhook.subscription"]
            .sudo()
            .create(
                {
                    "partner_id": cls.partner_b.id,
                    "event": "registration_decided",
                    "url": "https://erp.beta.example.com/in",
                }
            )
        )

    def _post(self, url, data=None):
        data = {**(data or {}), "csrf_token": http.Request.csrf_token(self)}
        return self.url_open(url, data=data, allow_redirects=False, method="POST")

    def test_admin_subscribes_on_the_portal(self):
        self.start_tour("/my/webhooks", "prm_webhook_portal", login="prm_portal_a")
        subscription = self.env["prm.webhook.subscription"].search(
            [("partner_id", "=", self.partner_a.id)]
        )
        self.assertEqual(subscription.event, "registration_decided")
        self.assertEqual(subscription.url, "https://erp.tour.example.com/events")
        self.assertTrue(subscription.sudo().automation_id.active)

    def test_refusals(self):
        self.authenticate("prm_portal_a", "prm_portal_a")
        response = self._post(
            "/my/webhooks/new",
            {"event": "registration_decided", "url": "http://erp.example.com/in"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("https://", response.text)
        Subscription = self.env["prm.webhook.subscription"]
        self.assertFalse(Subscription.search([("partner_id", "=", self.partner_a.id)]))
        response = self._post(f"/my/webhooks/{self.subscription_b.id}/delete")
        self.assertEqual(response.status_code, 404)
        self.assertTrue(self.subscription_b.exists())
        self.authenticate("prm_webhook_sales", "prm_webhook_sales")
        self.assertEqual(self.url_open("/my/webhooks").status_code, 404)

    def test_program_home_card(self):
        cards = {card["key"]: card for card in self.contact_a._prm_portal_home_cards()}
        self.assertEqual(cards["webhooks"]["url"], "/my/webhooks")
        self.assertEqual(cards["webhooks"]["count"], 0)
        self.assertTrue(self.contact_a._prm_portal_allows("webhooks"))
        self.assertFalse(self.contact_sales._prm_portal_allows("webhooks"))
