"""Partner webhooks (issue 18, point 2): each event reaches the subscribed
partner's endpoint, signed, and only its own records.

There is no HTTPS receiver here: the outgoing call is captured where it
leaves Odoo, at ``requests.post`` (the only thing replaced); the automation
rules, the server actions and the payloads are the real ones. Webhooks are
sent after the commit, so the test runs the cursor's post-commit hooks.
"""

import hashlib
import hmac
import json
from datetime import timedelta
from unittest.mock import patch

import requests

from odoo import fields
from odoo.tests import tagged

from odoo.addons.prm_incentive.tests.common import PrmIncentiveCommon

URL_A = "https://erp.alpha.example.com/prm-events"
URL_B = "https://erp.beta.example.com/prm-events"


@tagged("post_install", "-at_install")
class TestPartnerWebhook(PrmIncentiveCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Subscription = cls.env["prm.webhook.subscription"].with_user(cls.user_prm_admin)
        cls.subscriptions = Subscription.create(
            [
                {"partner_id": cls.partner_a.id, "event": event, "url": URL_A}
                for event in (
                    "lead_offered",
                    "registration_decided",
                    "settlement_posted",
                )
            ]
            + [
                {
                    "partner_id": cls.partner_b.id,
                    "event": "settlement_posted",
                    "url": URL_B,
                }
            ]
        )

    def _capture(self, trigger):
        """Run ``trigger``, then the post-commit hooks; the POSTs sent."""
        sent = []

        def post(url, data=None, headers=None, **kwargs):
            sent.append({"url": url, "body": data, "headers": headers, **kwargs})
            response = requests.Response()
            response.status_code = 200
            return response

        with patch.object(requests, "post", post):
            trigger()
            self.env.flush_all()
            self.env.cr.postcommit.run()
        return sent

    def _check_signed(self, call, partner):
        subscription = self.subscriptions.filtered(
            lambda s: (
                s.partner_id == partner and s.event == call["headers"]["X-PRM-Event"]
            )
        )
        secret = subscription.sudo().secret
        expected = (
            "sha256="
            + hmac.new(secret.encode(), call["body"], hashlib.sha256).hexdigest()
        )
        self.assertTrue(
            hmac.compare_digest(call["headers"]["X-PRM-Signature"], expected),
            "the partner verifies the body with its secret",
        )
        forged = call["body"].replace(b'"record_id"', b'"record_id" ')
        self.assertNotEqual(
            "sha256=" + hmac.new(secret.encode(), forged, hashlib.sha256).hexdigest(),
            call["headers"]["X-PRM-Signature"],
        )
        self.assertFalse(call["allow_redirects"])
        return json.loads(call["body"])

    def test_lead_offered(self):
        Lead, Offer = self.env["crm.lead"], self.env["prm.lead.offer"]
        deadline = fields.Datetime.now() + timedelta(days=2)

        def offer_leads():
            self.offer_a = Offer.create(
                {
                    "lead_id": Lead.create({"name": "Hook lead A", "city": "Lyon"}).id,
                    "partner_id": self.partner_a.id,
                    "deadline": deadline,
                }
            )
            Offer.create(
                {
                    "lead_id": Lead.create({"name": "Hook lead B"}).id,
                    "partner_id": self.partner_b.id,
                    "deadline": deadline,
                }
            )

        sent = self._capture(offer_leads)
        self.assertEqual([call["url"] for call in sent], [URL_A])
        payload = self._check_signed(sent[0], self.partner_a)
        self.assertEqual(payload["event"], "lead_offered")
        self.assertEqual(
            (payload["model"], payload["record_id"]),
            ("prm.lead.offer", self.offer_a.id),
        )
        self.assertEqual(payload["data"]["lead_name"], "Hook lead A")
        self.assertEqual(payload["data"]["lead_city"], "Lyon")
        # Answering the offer is no new offer event.
        sent = self._capture(lambda: self.offer_a.sudo().action_prm_accept())
        self.assertFalse(sent)

    def test_registration_decided(self):
        lead = self.env["crm.lead"].create(
            {
                "name": "Hook deal",
                "type": "opportunity",
                "partner_name": "Hook Customer",
                "prm_partner_id": self.partner_a.id,
            }
        )
        # Submitting is no decision.
        self.assertFalse(self._capture(lambda: lead.sudo()._prm_submit_registration()))
        sent = self._capture(
            lambda: lead.action_prm_approve_registration(reason="Checked", force=True)
        )
        self.assertEqual(len(sent), 1)
        payload = self._check_signed(sent[0], self.partner_a)
        self.assertEqual(payload["event"], "registration_decided")
        self.assertEqual(payload["record_id"], lead.id)
        self.assertEqual(payload["data"]["prm_registration_state"], "approved")
        self.assertTrue(payload["data"]["prm_protection_end"])

    def test_settlement_posted(self):
        program = self._create_program()
        self._sell(1000.0, customer=self.customer_x, channel_partner=self.partner_a)
        self._sell(2000.0, customer=self.customer_y, channel_partner=self.partner_b)
        settlements = self._close(program, "2025-03-31")
        self.assertFalse(self._capture(settlements.action_approve), "not posted yet")
        sent = self._capture(settlements.action_post)
        self.assertEqual(sorted(call["url"] for call in sent), [URL_A, URL_B])
        by_url = {call["url"]: call for call in sent}
        payload = self._check_signed(by_url[URL_A], self.partner_a)
        settlement_a = settlements.filtered(lambda s: s.partner_id == self.partner_a)
        self.assertEqual(payload["record_id"], settlement_a.id)
        self.assertEqual(payload["data"]["amount_total"], settlement_a.amount_total)
        payload_b = self._check_signed(by_url[URL_B], self.partner_b)
        self.assertNotEqual(payload_b["record_id"], settlement_a.id)
