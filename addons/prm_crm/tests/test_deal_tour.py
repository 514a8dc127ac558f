from odoo.tests import tagged

from odoo.addons.prm_partner.tests.common import PrmTourCase


@tagged("post_install", "-at_install")
class TestDealRegistrationTour(PrmTourCase):
    """A channel manager approves a registration in conflict from the backend."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = cls.env.ref("base.user_admin")
        partner = cls.env["res.partner"].create(
            {
                "name": "Tour Deal Partner",
                "is_company": True,
                "prm_is_partner": True,
                "prm_partner_type_id": cls.env.ref(
                    "prm_partner.partner_type_reseller"
                ).id,
                "prm_state": "active",
                "prm_manager_id": admin.id,
            }
        )
        Lead = cls.env["crm.lead"]
        Lead.create(
            {
                "name": "Tour direct lead",
                "type": "opportunity",
                "partner_name": "Tour Customer Corp",
                "user_id": admin.id,
            }
        )
        cls.registration = Lead.create(
            {
                "name": "Tour Deal",
                "type": "opportunity",
                "partner_name": "TOUR CUSTOMER CORP.",
                "prm_partner_id": partner.id,
                "user_id": admin.id,
            }
        )
        cls.registration._prm_submit_registration()

    def test_approve_registration_in_conflict(self):
        self.assertEqual(self.registration.prm_registration_state, "conflict")
        self.start_tour("/odoo", "prm_deal_registration_approve", login="admin")
        self.assertEqual(self.registration.prm_registration_state, "approved")
        self.assertEqual(
            self.registration.prm_decision_reason,
            "The customer asked for this partner",
        )
        self.assertEqual(
            self.registration.prm_approver_id, self.env.ref("base.user_admin")
        )
