from datetime import date

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import PrmTrainingCommon

T0 = date(2025, 3, 3)


@tagged("post_install", "-at_install")
class TestCertificate(PrmTrainingCommon):
    @freeze_time(T0)
    def test_passed_exam_issues_the_certificate(self):
        attempt = self._take_exam(self.contact_a)
        self.assertTrue(attempt.scoring_success)
        certificate = self._certificate(self.contact_a)
        self.assertEqual(len(certificate), 1)
        self.assertEqual(certificate.state, "valid")
        self.assertEqual(certificate.issue_date, T0)
        self.assertEqual(certificate.expiry_date, T0 + relativedelta(months=12))
        self.assertEqual(certificate.user_input_id, attempt)
        self.assertEqual(certificate.commercial_partner_id, self.partner_a)
        self.assertRegex(certificate.number, r"^CERT-2025-\d{5}$")
        self.assertTrue(certificate.sudo().verification_token)

    def test_failed_exam_issues_nothing(self):
        attempt = self._take_exam(self.contact_a, right=0)
        self.assertEqual(attempt.state, "done")
        self.assertFalse(attempt.scoring_success)
        self.assertFalse(self._certificate(self.contact_a))

    def test_unfinished_or_non_partner_attempts_issue_nothing(self):
        stranger = self.env["res.partner"].create({"name": "Not a partner's"})
        self._take_exam(stranger)
        self.assertFalse(self._certificate(stranger))
        attempt = self.exam.sudo()._create_answer(partner=self.contact_a)
        self.env["prm.certificate"]._prm_issue_from_inputs(attempt)
        self.assertFalse(self._certificate(self.contact_a), "not done: nothing")

    def test_renewal_extends_from_the_old_expiry(self):
        with freeze_time(T0):
            self._take_exam(self.contact_a)
        certificate = self._certificate(self.contact_a)
        old_expiry = certificate.expiry_date
        with freeze_time(old_expiry - relativedelta(days=10)):
            attempt = self._take_exam(self.contact_a, self.renewal_exam)
        self.assertEqual(certificate.expiry_date, old_expiry + relativedelta(months=12))
        self.assertEqual(certificate.issue_date, T0)
        self.assertEqual(certificate.user_input_id, attempt)
        self.assertEqual(certificate.state, "valid")
        self.assertEqual(len(self._certificate(self.contact_a)), 1)
        # Once expired, renewing counts from the day of the exam.
        later = certificate.expiry_date + relativedelta(months=3)
        with freeze_time(later):
            self._take_exam(self.contact_a)
        self.assertEqual(certificate.expiry_date, later + relativedelta(months=12))

    def test_renewal_exam_alone_issues_nothing(self):
        self._take_exam(self.contact_a, self.renewal_exam)
        self.assertFalse(self._certificate(self.contact_a))

    def test_reminder_then_expiry(self):
        with freeze_time(T0):
            self._take_exam(self.contact_a)
        certificate = self._certificate(self.contact_a)
        admin = self.env["res.partner"].create(
            {
                "name": "Alma Admin",
                "parent_id": self.partner_a.id,
                "email": "alma@alpha.test",
                "prm_role_ids": [(6, 0, self.role_admin.ids)],
            }
        )
        Certificate = self.env["prm.certificate"]
        with freeze_time(certificate.expiry_date - relativedelta(days=31)):
            Certificate._cron_prm_certificates()
        self.assertEqual(certificate.state, "valid", "31 days before: nothing yet")
        reminder_day = certificate.expiry_date - relativedelta(days=30)
        with freeze_time(reminder_day):
            Certificate._cron_prm_certificates()
        self.assertEqual(certificate.state, "expiring")
        self.assertEqual(certificate.reminder_date, reminder_day)
        reminders = [
            ("model", "=", "prm.certificate"),
            ("res_id", "=", certificate.id),
            ("recipient_ids", "in", self.contact_a.ids),
        ]
        mail = self.env["mail.mail"].search(reminders)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.contact_a | admin)
        activity = certificate.activity_ids
        self.assertEqual(activity.user_id, self.user_channel_manager)
        with freeze_time(reminder_day + relativedelta(days=1)):
            Certificate._cron_prm_certificates()
        self.assertEqual(
            len(self.env["mail.mail"].search(reminders)),
            1,
            "one reminder per validity period",
        )
        with freeze_time(certificate.expiry_date):
            Certificate._cron_prm_certificates()
        self.assertEqual(certificate.state, "expiring", "valid on its last day")
        with freeze_time(certificate.expiry_date + relativedelta(days=1)):
            Certificate._cron_prm_certificates()
        self.assertEqual(certificate.state, "expired")

    def test_revocation(self):
        self._take_exam(self.contact_a)
        certificate = self._certificate(self.contact_a)
        with self.assertRaises(AccessError):
            certificate.with_user(self.user_channel_manager)._prm_revoke("Fraud")
        with self.assertRaises(AccessError):
            certificate.with_user(self.user_prm_admin).write({"state": "revoked"})
        as_admin = certificate.with_user(self.user_prm_admin)
        with self.assertRaises(UserError):
            as_admin._prm_revoke("  ")
        wizard = (
            self.env["prm.certificate.revoke"]
            .with_user(self.user_prm_admin)
            .with_context(active_ids=certificate.ids)
            .create({"reason": "Exam taken by someone else"})
        )
        wizard.action_revoke()
        self.assertEqual(certificate.state, "revoked")
        self.assertEqual(certificate.revoke_reason, "Exam taken by someone else")
        self.assertEqual(certificate.revoked_by_id, self.user_prm_admin)
        # Passing again does not lift a revocation.
        self._take_exam(self.contact_a)
        self.assertEqual(certificate.state, "revoked")
