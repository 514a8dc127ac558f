"""Issue 10, deals and leads: each attack performed as the attacker's role
would, refused, and nothing changed."""

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import PrmRoutingCommon

FORGED_CONTEXT = {"prm_requalify": True, "prm_decision": "approve"}


@tagged("post_install", "-at_install")
class TestDealIntegrity(PrmRoutingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_2 = cls.env["res.company"].create({"name": "PRM Deals Second Co"})
        cls.user_manager_2 = new_test_user(
            cls.env,
            login="prm_cm_deals_2",
            groups="prm_partner.group_prm_user",
            company_id=cls.company_2.id,
            company_ids=[Command.set(cls.company_2.ids)],
        )

    def _registration_values(self, lead):
        return lead.read(
            [
                "prm_registration_state",
                "prm_protection_end",
                "prm_approver_id",
                "prm_decision_date",
                "prm_decision_reason",
            ]
        )[0]

    # --- 7. deal registrations ---

    def test_07_sales_user_cannot_approve_a_registration(self):
        lead = self._register(self.user_portal_a)
        # A salesperson of the lead may edit it (CRM rights)...
        lead.user_id = self.user_salesman
        as_sales = lead.with_user(self.user_salesman).with_context(**FORGED_CONTEXT)
        as_sales.write({"expected_revenue": 1000.0})
        before = self._registration_values(lead)
        for forged in (
            {"prm_registration_state": "approved"},
            {"prm_protection_end": "2099-12-31"},
            {"prm_approver_id": self.user_salesman.id},
            {"prm_decision_reason": "Approved by myself"},
        ):
            with self.subTest(forged=forged), self.assertRaises(AccessError):
                as_sales.write(forged)
        with self.assertRaises(AccessError):
            as_sales.action_prm_approve_registration(reason="Mine", force=True)
        with self.assertRaises(AccessError):
            self.Lead.with_user(self.user_salesman).create(
                {
                    "name": "Born approved",
                    "prm_partner_id": self.partner_a.id,
                    "prm_registration_state": "approved",
                    "prm_protection_end": "2099-12-31",
                }
            )
        self.assertEqual(self._registration_values(lead), before)
        self.assertEqual(lead.prm_registration_state, "submitted")

    def test_07_conflict_needs_the_forced_approval_with_a_reason(self):
        self._register(self.user_portal_b, partner_name="Zeta Industries")
        lead = self._register(self.user_portal_a, partner_name="ZETA INDUSTRIES, S.L.")
        self.assertEqual(lead.prm_registration_state, "conflict")
        as_cm = lead.with_user(self.user_channel_manager).with_context(**FORGED_CONTEXT)
        before = self._registration_values(lead)
        with self.assertRaises(AccessError):
            as_cm.write(
                {
                    "prm_registration_state": "approved",
                    "prm_protection_end": "2099-12-31",
                }
            )
        with self.assertRaises(UserError):
            as_cm.action_prm_approve_registration()
        with self.assertRaises(UserError):
            as_cm.action_prm_approve_registration(reason="  ", force=True)
        self.assertEqual(self._registration_values(lead), before)
        as_cm.action_prm_approve_registration(
            reason="Customer asked for us", force=True
        )
        self.assertEqual(lead.prm_registration_state, "approved")
        self.assertEqual(lead.prm_approver_id, self.user_channel_manager)

    # --- 8. offers across companies ---

    def test_08_offer_of_another_company_is_refused(self):
        lead = self._leads(1)
        offer = self.Rule._prm_route_leads(lead)
        self.assertEqual(offer.company_id, self.env.company)
        # A channel manager of company 2 cannot answer company 1's offer, even
        # naming company 1 in the context.
        as_foreign = offer.with_user(self.user_manager_2)
        with self.assertRaises(AccessError):
            as_foreign.action_prm_accept()
        with self.assertRaises(AccessError):
            as_foreign.with_context(
                allowed_company_ids=self.env.company.ids
            ).action_prm_accept()
        self.assertEqual(offer.state, "offered")
        self.assertFalse(lead.prm_partner_id)

    def test_08_offer_never_moves_a_lead_to_another_company_partner(self):
        foreign_partner = self._routing_partner(
            "Rho Foreign", self.tier_gold, company_id=self.company_2.id
        )
        lead = self._leads(1)
        # An offer the routing would never make, of company 1's lead to
        # company 2's partner (created as the system: offers have no UI).
        offer = self.Offer.create(
            {
                "lead_id": lead.id,
                "partner_id": foreign_partner.id,
                "rule_id": self.rule.id,
            }
        )
        self.user_channel_manager.company_ids = [Command.link(self.company_2.id)]
        with self.assertRaises(AccessError):
            offer.with_user(self.user_channel_manager).action_prm_accept()
        self.assertEqual(offer.state, "offered")
        self.assertFalse(lead.prm_partner_id)

    def test_08_13_offer_answers_are_not_written_directly(self):
        offer = self.Rule._prm_route_leads(self._leads(1))
        for user in (self.user_channel_manager, self.user_prm_admin):
            for forged in (
                {"state": "accepted"},
                {"responded_by_id": user.id},
                {"partner_notified": True},
            ):
                with self.subTest(forged=forged), self.assertRaises(AccessError):
                    offer.with_user(user).write(forged)
        self.assertEqual(offer.state, "offered")
        self.assertFalse(offer.responded_by_id)

    # --- 12. company of offers and analytics rows ---

    def test_12_second_company_reads_no_offers_of_the_first(self):
        offer = self.Rule._prm_route_leads(self._leads(1))
        self.assertEqual(offer.company_id, self.env.company)
        # A lead without company: the offer takes its routing rule's company.
        shared_lead = self._leads(1, company_id=False)
        shared_offer = self.Offer.create(
            {
                "lead_id": shared_lead.id,
                "partner_id": self.p1.id,
                "rule_id": self.rule.id,
            }
        )
        self.assertEqual(shared_offer.company_id, self.rule.company_id)
        offers = offer | shared_offer
        Offer = self.Offer.with_user(self.user_manager_2)
        self.assertFalse(Offer.search([("id", "in", offers.ids)]))
        if "prm.channel.report" in self.env:
            Report = self.env["prm.channel.report"]
            domain = [("partner_id", "in", offers.partner_id.ids)]
            self.assertTrue(Report.search(domain))
            self.assertFalse(Report.with_user(self.user_manager_2).search(domain))

    # --- 13. counts on leads ---

    def test_13_counts_on_leads_are_the_users(self):
        self._register(self.user_portal_b, partner_name="Zeta Industries")
        lead = self._register(self.user_portal_a, partner_name="ZETA INDUSTRIES, S.L.")
        self.assertEqual(lead.prm_conflict_count, 1)
        # The partner does not learn that another partner registered the same
        # customer.
        lead.invalidate_recordset(["prm_conflict_count"])
        as_portal = lead.with_user(self.user_portal_a)
        self.assertEqual(as_portal.prm_conflict_count, 0)
