from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from odoo.addons.prm_partner.tests.common import PrmCommon


@tagged("post_install", "-at_install")
class TestWebhookSubscription(PrmCommon):
    """Endpoints are https on a public host, refused otherwise; the rule and
    its action follow the subscription."""

    def _subscribe(self, url, event="settlement_posted"):
        if event == "settlement_posted" and "prm.settlement" not in self.env:
            event = "registration_decided"
        return (
            self.env["prm.webhook.subscription"]
            .with_user(self.user_prm_admin)
            .create({"partner_id": self.partner_a.id, "event": event, "url": url})
        )

    def test_non_https_endpoints_refused(self):
        for url in (
            "http://partner.example.com/hook",
            "ftp://partner.example.com/hook",
            "https://localhost/hook",
            "https://127.0.0.1/hook",
            "https://10.1.2.3/hook",
            "https://[::1]/hook",
            "https://user:secret@partner.example.com/hook",
            "partner.example.com/hook",
        ):
            with self.subTest(url=url), self.assertRaises(ValidationError):
                self._subscribe(url)
        subscription = self._subscribe("https://partner.example.com/hook")
        with self.assertRaises(ValidationError):
            subscription.url = "http://partner.example.com/hook"
        # Nor through the server action it owns (as an administrator would).
        action = subscription.sudo().automation_id.action_server_ids
        with self.assertRaises(ValidationError):
            action.sudo().webhook_url = "http://partner.example.com/hook"

    def test_rule_follows_subscription(self):
        subscription = self._subscribe("https://partner.example.com/hook")
        rule = subscription.sudo().automation_id
        self.assertTrue(rule.active)
        self.assertEqual(rule.trigger, "on_create_or_write")
        self.assertIn(str(self.partner_a.id), rule.filter_domain)
        action = rule.action_server_ids
        self.assertEqual(action.state, "webhook")
        self.assertEqual(action.webhook_url, "https://partner.example.com/hook")
        self.assertEqual(action.prm_subscription_id, subscription)
        subscription.write({"url": "https://other.example.com/in", "active": False})
        self.assertEqual(action.webhook_url, "https://other.example.com/in")
        self.assertFalse(rule.active)
        subscription.unlink()
        self.assertFalse(rule.exists())

    def test_channel_manager_cannot_subscribe(self):
        with self.assertRaises(AccessError):
            self.env["prm.webhook.subscription"].with_user(
                self.user_channel_manager
            ).create(
                {
                    "partner_id": self.partner_a.id,
                    "event": "registration_decided",
                    "url": "https://partner.example.com/hook",
                }
            )
