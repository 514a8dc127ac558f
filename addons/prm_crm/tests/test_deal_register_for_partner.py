from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.prm_partner.tests.common import PrmTourCase

from .common import PrmDealCommon


@tagged("post_install", "-at_install")
class TestRegisterDealForPartner(PrmDealCommon):
    """Channel managers register a deal on a partner's behalf."""

    def _wizard(self, user=None, **vals):
        return (
            self.env["prm.deal.registration.wizard"]
            .with_user(user or self.user_channel_manager)
            .create({"partner_id": self.partner_a.id, **vals})
        )

    def test_register_through_the_wizard(self):
        direct = self._direct_lead(partner_name="Zeta Industries")
        wizard = self._wizard(
            contact_id=self.contact_a.id,
            partner_name=" Zeta Industries S.L. ",
            country_id=self.spain.id,
            expected_revenue=12000,
        )
        action = wizard.action_register()
        lead = self.Lead.browse(action["res_id"])
        self.assertEqual(action["view_mode"], "form")
        self.assertEqual(lead.prm_partner_id, self.partner_a)
        self.assertEqual(lead.prm_registration_contact_id, self.contact_a)
        self.assertEqual(lead.partner_name, "Zeta Industries S.L.")
        self.assertEqual(lead.name, "Zeta Industries S.L.")
        self.assertEqual(lead.user_id, self.user_channel_manager)
        self.assertEqual(lead.expected_revenue, 12000)
        # Same conflict detection as a registration the partner submits.
        self.assertEqual(lead.prm_registration_state, "conflict")
        self.assertEqual(lead.prm_conflict_ids.conflict_lead_id, direct)
        self.assertTrue(
            lead.message_ids.filtered(lambda m: "registered for" in (m.body or ""))
        )

    def test_refusals(self):
        with self.assertRaisesRegex(ValidationError, "not a valid email"):
            self._wizard(partner_name="Acme", email_from="nope").action_register()
        suspended = self._create_program_partner("Sleepy Co", state="suspended")
        with self.assertRaisesRegex(UserError, "not an active channel partner"):
            self._wizard(partner_id=suspended.id, partner_name="Acme").action_register()
        with self.assertRaisesRegex(UserError, "not a contact of"):
            self._wizard(
                partner_name="Acme", contact_id=self.contact_b.id
            ).action_register()
        with self.assertRaises(AccessError):
            self.Lead.with_user(self.user_salesman)._prm_register_deal_for(
                self.partner_a, {"partner_name": "Acme"}
            )
        self.assertFalse(self.Lead.search([("partner_name", "=", "Acme")]))


@tagged("post_install", "-at_install")
class TestRegisterDealForPartnerTour(PrmTourCase):
    def test_register_deal_from_the_list(self):
        partner = self.env["res.partner"].create(
            {
                "name": "Tour Phone Partner",
                "is_company": True,
                "prm_is_partner": True,
                "prm_partner_type_id": self.env.ref(
                    "prm_partner.partner_type_reseller"
                ).id,
                "prm_state": "active",
                "prm_manager_id": self.env.ref("base.user_admin").id,
            }
        )
        self.start_tour(
            "/odoo/action-prm_crm.action_prm_deal_registration",
            "prm_deal_register_for_partner",
            login="admin",
        )
        lead = self.env["crm.lead"].search(
            [("partner_name", "=", "Tour Phoned Customer SA")]
        )
        self.assertEqual(lead.prm_partner_id, partner)
        self.assertEqual(lead.country_id, self.env.ref("base.es"))
        self.assertIn(lead.prm_registration_state, ("submitted", "conflict"))
