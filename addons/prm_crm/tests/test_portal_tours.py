from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from odoo.addons.prm_partner.tests.common import PrmTourCase


@tagged("post_install", "-at_install")
class TestDealLeadPortalTours(PrmTourCase):
    """Deal registration and routed leads, clicked through the partner portal
    by a partner's admin."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="prm_tour_cm",
            groups="prm_partner.group_prm_user,sales_team.group_sale_salesman",
        )
        cls.partner = (
            cls.env["res.partner"]
            .sudo()
            .create(
                {
                    "name": "Tour Portal Partner",
                    "is_company": True,
                    "prm_is_partner": True,
                    "prm_state": "active",
                    "prm_manager_id": cls.manager.id,
                }
            )
        )
        contact = cls.env["res.partner"].create(
            {
                "name": "Paula Portal",
                "parent_id": cls.partner.id,
                "prm_role_ids": [
                    Command.set(cls.env.ref("prm_partner.role_admin").ids)
                ],
            }
        )
        new_test_user(
            cls.env,
            login="prm_tour_portal",
            groups="base.group_portal",
            partner_id=contact.id,
        )

    def test_register_deal_and_see_it_approved(self):
        self.start_tour(
            "/my/deals", "prm_portal_deal_register", login="prm_tour_portal"
        )
        lead = self.env["crm.lead"].search(
            [("partner_name", "=", "Tour Customer S.L.")]
        )
        self.assertEqual(lead.prm_partner_id, self.partner)
        self.assertEqual(lead.expected_revenue, 15000)
        lead.with_user(self.manager).action_prm_approve_registration(
            reason="Tour", force=True
        )
        self.assertEqual(lead.prm_registration_state, "approved")
        self.start_tour(
            "/my/deals", "prm_portal_deal_approved", login="prm_tour_portal"
        )

    def test_accept_and_win_routed_lead(self):
        lead = self.env["crm.lead"].create({"name": "Tour routed lead", "type": "lead"})
        offer = self.env["prm.lead.offer"].create(
            {
                "lead_id": lead.id,
                "partner_id": self.partner.id,
                "deadline": fields.Datetime.now() + timedelta(days=1),
            }
        )
        self.start_tour("/my/leads", "prm_portal_lead_win", login="prm_tour_portal")
        self.assertEqual(offer.state, "accepted")
        self.assertEqual(lead.prm_partner_id, self.partner)
        self.assertEqual(lead.expected_revenue, 9000)
        self.assertEqual(lead.won_status, "won")
