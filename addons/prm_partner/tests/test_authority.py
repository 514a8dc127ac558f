from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common_onboarding import PrmOnboardingCommon


@tagged("post_install", "-at_install")
class TestAuthority(PrmOnboardingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Authority = cls.env["prm.authority"]
        cls.contact_a.prm_role_ids = [
            Command.set(cls.env.ref("prm_partner.role_admin").ids)
        ]

    def _authority(self, **vals):
        return self.Authority.create(
            {
                "name": "Power of attorney – Anna",
                "partner_id": self.partner_a.id,
                "contact_id": self.contact_a.id,
                "date_from": date(2025, 1, 1),
                "date_to": date(2025, 12, 31),
                "attachment_ids": [Command.link(self._attachment(self.partner_a).id)],
                **vals,
            }
        )

    def _approved(self, **vals):
        authority = self._authority(**vals)
        authority.action_submit()
        with freeze_time(authority.date_from):
            authority.action_approve()
        return authority

    def test_dates_in_the_wrong_order(self):
        count = self.Authority.search_count([])
        with self.assertRaisesRegex(ValidationError, "the end .* is before the start"):
            self._authority(date_from=date(2025, 6, 1), date_to=date(2025, 5, 31))
        self.assertEqual(self.Authority.search_count([]), count)

        authority = self._authority()
        with self.assertRaises(ValidationError) as caught:
            authority.date_to = date(2024, 12, 1)
        self.assertIn("is before the start", str(caught.exception))
        self.assertEqual(authority.date_to, date(2025, 12, 31))

    def test_representative_must_belong_to_the_partner(self):
        with self.assertRaisesRegex(ValidationError, "is not a contact of"):
            self._authority(contact_id=self.contact_b.id)

    def test_submit_and_approve_per_role(self):
        Authority = self.Authority.with_user(self.user_channel_manager)
        authority = Authority.create(
            {
                "name": "Signing authority",
                "partner_id": self.partner_a.id,
                "contact_id": self.contact_a.id,
                "kind": "signing_authority",
                "date_from": date(2025, 1, 1),
            }
        )
        with self.assertRaisesRegex(UserError, "Attach the signed document"):
            authority.action_submit()
        authority.attachment_ids = [Command.link(self._attachment(self.partner_a).id)]
        authority.action_submit()
        self.assertEqual(authority.state, "submitted")
        with self.assertRaises(AccessError):
            authority.action_approve()
        with self.assertRaises(AccessError):
            authority.write({"state": "approved"})
        self.assertEqual(authority.state, "submitted")

        authority.with_user(self.user_prm_admin).action_approve()
        self.assertEqual(authority.state, "approved")
        for state in ("draft", "submitted", "expired"):
            with self.subTest(state=state), self.assertRaises(AccessError):
                authority.write({"state": state})
        self.assertEqual(authority.approver_id, self.user_prm_admin)
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            authority.scope = "Everything"
        with self.assertRaisesRegex(UserError, "kept as evidence"):
            authority.unlink()

    def test_rejection(self):
        authority = self._authority()
        authority.action_submit()
        authority.with_user(self.user_prm_admin)._prm_reject("Notarisation missing")
        self.assertEqual(authority.state, "rejected")
        self.assertEqual(authority.rejection_reason, "Notarisation missing")
        authority.with_user(self.user_channel_manager).action_draft()
        self.assertEqual(authority.state, "draft")

    def test_expired_document_cannot_be_approved(self):
        authority = self._authority()
        authority.action_submit()
        with (
            freeze_time("2026-01-05"),
            self.assertRaisesRegex(UserError, "no longer valid"),
        ):
            authority.action_approve()
        self.assertEqual(authority.state, "submitted")

    def test_warning_30_days_before_the_end_then_expiry(self):
        authority = self._approved()
        other = self._approved(date_to=date(2026, 6, 30))

        def warnings():
            return self.env["mail.activity"].search(
                [("res_model", "=", "prm.authority"), ("res_id", "=", authority.id)]
            )

        with freeze_time("2025-11-30"):
            self.Authority._cron_prm_authority_expiry()
        self.assertFalse(warnings(), "31 days before the end: not yet")

        with freeze_time("2025-12-01"):
            self.Authority._cron_prm_authority_expiry()
        self.assertEqual(len(warnings()), 1)
        self.assertEqual(warnings().user_id, self.user_channel_manager)
        self.assertEqual(warnings().date_deadline, date(2025, 12, 31))
        self.assertTrue(authority.expiry_warned)
        self.assertFalse(other.expiry_warned)

        with freeze_time("2025-12-15"):
            self.Authority._cron_prm_authority_expiry()
        with freeze_time("2025-12-31"):
            self.Authority._cron_prm_authority_expiry()
        self.assertEqual(len(warnings()), 1, "warned once, not on every run")
        self.assertEqual(authority.state, "approved", "valid through its last day")

        with freeze_time("2026-01-01"):
            self.Authority._cron_prm_authority_expiry()
        self.assertEqual(authority.state, "expired")
        self.assertEqual(other.state, "approved")

    def test_extending_the_validity_warns_again(self):
        authority = self._approved()
        with freeze_time("2025-12-10"):
            self.Authority._cron_prm_authority_expiry()
        self.assertTrue(authority.expiry_warned)
        authority.with_user(self.user_prm_admin).date_to = date(2026, 3, 31)
        self.assertFalse(authority.expiry_warned)
        with freeze_time("2026-03-10"):
            self.Authority._cron_prm_authority_expiry()
        self.assertEqual(
            self.env["mail.activity"].search_count(
                [("res_model", "=", "prm.authority"), ("res_id", "=", authority.id)]
            ),
            2,
        )
