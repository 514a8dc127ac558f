from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import PrmTourCase


@tagged("post_install", "-at_install")
class TestOnboardingPortalTour(PrmTourCase):
    """A partner's admin uploads a checklist document on /my/onboarding."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        partner = (
            cls.env["res.partner"]
            .sudo()
            .create(
                {
                    "name": "Tour Onboarding Partner",
                    "is_company": True,
                    "prm_is_partner": True,
                    "prm_state": "onboarding",
                }
            )
        )
        contact = cls.env["res.partner"].create(
            {
                "name": "Olivia Onboarding",
                "parent_id": partner.id,
                "prm_role_ids": [
                    Command.set(cls.env.ref("prm_partner.role_admin").ids)
                ],
            }
        )
        new_test_user(
            cls.env,
            login="prm_tour_onboarding",
            groups="base.group_portal",
            partner_id=contact.id,
        )
        cls.item = cls.env["prm.checklist.item"].create(
            {"partner_id": partner.id, "name": "Tour insurance certificate"}
        )

    def test_upload_checklist_document(self):
        self.start_tour(
            "/my/onboarding", "prm_portal_checklist_upload", login="prm_tour_onboarding"
        )
        self.assertEqual(self.item.state, "submitted")
        self.assertEqual(self.item.attachment_ids.name, "insurance.pdf")
        self.assertEqual(self.item.attachment_ids.mimetype, "application/pdf")
