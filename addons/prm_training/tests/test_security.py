from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import PrmTrainingCommon


@tagged("post_install", "-at_install")
class TestTrainingSecurity(PrmTrainingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_portal_b = new_test_user(
            cls.env,
            login="prm_portal_b",
            groups="base.group_portal",
            partner_id=cls.contact_b.id,
        )

    def setUp(self):
        super().setUp()
        self._take_exam(self.contact_a)
        self._take_exam(self.contact_b)
        self.cert_a = self._certificate(self.contact_a)
        self.cert_b = self._certificate(self.contact_b)

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_portal_sees_only_its_partners_certificates(self):
        Certificate = self.env["prm.certificate"].with_user(self.user_portal_a)
        self.assertEqual(Certificate.search([]), self.cert_a)
        with self.assertRaises(AccessError):
            self.cert_b.with_user(self.user_portal_a).read(["number"])
        with self.assertRaises(AccessError):
            self.cert_a.with_user(self.user_portal_a).write({"state": "valid"})
        with self.assertRaises(AccessError):
            self.cert_a.with_user(self.user_portal_a).read(["verification_token"])
        self.assertEqual(
            self.env["prm.certificate"].with_user(self.user_portal_b).search([]),
            self.cert_b,
        )

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_every_role_on_certificates(self):
        cert = self.cert_a
        # Channel managers read, do not write nor revoke.
        self.assertEqual(cert.with_user(self.user_channel_manager).number, cert.number)
        with self.assertRaises(AccessError):
            cert.with_user(self.user_channel_manager).write({"revoke_reason": "x"})
        # Administrators write nothing an action decides.
        for field, value in (
            ("expiry_date", "2099-01-01"),
            ("state", "expired"),
            ("partner_id", self.contact_b.id),
        ):
            with self.subTest(field=field), self.assertRaises(AccessError):
                cert.with_user(self.user_prm_admin).write({field: value})
        with self.assertRaises(AccessError):
            self.env["prm.certificate"].with_user(self.user_prm_admin).create(
                {
                    "certification_id": self.certification.id,
                    "partner_id": self.contact_b.id,
                }
            )
        employee = new_test_user(
            self.env, login="prm_training_emp", groups="base.group_user"
        )
        with self.assertRaises(AccessError):
            cert.with_user(employee).read(["number"])

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_portal_cannot_forge_a_passed_exam(self):
        attempt = self._take_exam(self.contact_a, right=0)
        self.assertFalse(attempt.scoring_success)
        with self.assertRaises(AccessError):
            attempt.with_user(self.user_portal_a).write({"scoring_success": True})
        self.assertFalse(attempt.scoring_success)

    def test_certification_slide_not_completed_without_passing(self):
        self.course._action_add_members(self.contact_a)
        slide = self.course.slide_ids.filtered(
            lambda s: s.slide_category == "certification"
        )
        with self.assertRaises(UserError):
            slide.with_user(self.user_portal_a).action_mark_completed()
        membership = self.env["slide.slide.partner"].search(
            [("slide_id", "=", slide.id), ("partner_id", "=", self.contact_a.id)]
        )
        self.assertFalse(membership.completed)
