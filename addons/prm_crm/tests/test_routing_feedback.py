from odoo import Command
from odoo.tests import tagged

from odoo.addons.prm_partner.tests.common import PrmTourCase

from .common import PrmRoutingCommon


@tagged("post_install", "-at_install")
class TestRoutingExplained(PrmRoutingCommon):
    """Leads routing cannot offer say why, in the notification and on the lead."""

    def _route_button(self, leads):
        return leads.with_user(self.user_channel_manager).action_prm_route()

    def test_lead_without_country(self):
        lead = self._leads(1, name="Nowhere Ltd", country_id=False)
        action = self._route_button(lead)
        params = action["params"]
        self.assertEqual(params["type"], "warning")
        self.assertIn("0 of 1", params["title"])
        self.assertIn("Nowhere Ltd", params["message"])
        self.assertIn("has no country", params["message"])
        self.assertIn("has no country", lead.prm_routing_blocker)
        notes = lead.message_ids.filtered(lambda m: "has no country" in (m.body or ""))
        self.assertEqual(len(notes), 1)
        # Routing again with the same outcome does not repeat the note.
        self.Rule._prm_route_leads(lead)
        notes = lead.message_ids.filtered(lambda m: "has no country" in (m.body or ""))
        self.assertEqual(len(notes), 1)
        # Once the country is set the lead is offered and the reason cleared.
        lead.country_id = self.france
        action = self._route_button(lead)
        self.assertEqual(action["params"]["type"], "success")
        self.assertIn("1 of 1", action["params"]["message"])
        self.assertFalse(lead.prm_routing_blocker)

    def test_no_partner_of_the_required_tier(self):
        self.rule.min_tier_id = self.env["prm.tier"].create(
            {"name": "T-Platinum", "sequence": 1040}
        )
        lead = self._leads(1, name="Big fish")
        self._route_button(lead)
        self.assertIn("minimum tier", lead.prm_routing_blocker)
        self.assertIn("France", lead.prm_routing_blocker)

    def test_all_partners_at_capacity(self):
        self.p1.prm_routing_capacity = 1
        self.p2.prm_routing_capacity = 1
        self.p3.prm_routing_capacity = 1
        leads = self._leads(4)
        action = self._route_button(leads)
        self.assertIn("3 of 4", action["params"]["title"])
        stuck = leads.filtered("prm_routing_blocker")
        self.assertEqual(len(stuck), 1)
        self.assertIn("at capacity", stuck.prm_routing_blocker)

    def test_no_rule_matches_and_territory(self):
        lead = self._leads(1, country_id=self.spain.id)
        self._route_button(lead)
        self.assertIn("no routing rule matches", lead.prm_routing_blocker)
        # A rule for every country, but no partner's territory covers Spain.
        self.rule.country_ids = [Command.clear()]
        self._route_button(lead)
        self.assertIn("territory covering Spain", lead.prm_routing_blocker)

    def test_lead_without_company_meets_the_company_rules(self):
        lead = self._leads(1, company_id=False)
        self.assertFalse(lead.company_id)
        self.assertTrue(self.Rule._prm_route_leads(lead))

    def test_country_shown_on_the_opportunity_form(self):
        arch = self.Lead.get_view(self.env.ref("crm.crm_lead_view_form").id)["arch"]
        self.assertIn('name="prm_routing_blocker"', arch)
        self.assertGreaterEqual(arch.count('name="country_id"'), 3)


@tagged("post_install", "-at_install")
class TestRoutingHandBack(PrmRoutingCommon):
    """A lead the last eligible partner declined goes back to a person."""

    def test_last_decline_gives_the_lead_back_to_the_channel_manager(self):
        self.rule.distribution = "round_robin"
        lead = self._leads(1, name="Orphan Bistro")
        self.Rule._prm_route_leads(lead)
        for partner in (self.p1, self.p2):
            offer = self._open_offer(lead)
            self.assertEqual(offer.partner_id, partner)
            offer.action_prm_decline(self.reason_capacity.id)
            self.assertFalse(lead.user_id, "still routed: nobody takes it back yet")
            self.assertFalse(lead.activity_ids)
        last = self._open_offer(lead)
        self.assertEqual(last.partner_id, self.p3)
        last.with_user(self.user_channel_manager).action_prm_decline(
            self.reason_other.id, "Out of our trade"
        )
        self.assertFalse(self._open_offer(lead))
        self.assertEqual(lead.user_id, self.user_channel_manager)
        activity = lead.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.user_channel_manager)
        self.assertIn("no channel partner left", activity.summary)
        self.assertIn("Rho Three", activity.note)
        self.assertIn("already had the lead", activity.note)
        self.assertIn("already had the lead", lead.prm_routing_blocker)

    def test_lapsed_last_offer_goes_to_the_team_leader(self):
        """Without a channel manager, the lead's sales team leader takes it."""
        self.rule.partner_type_ids = [Command.set(self.type_routing.ids)]
        solo = self._routing_partner("Rho Solo", self.tier_gold, prm_manager_id=False)
        self.rule.min_tier_id = self.tier_gold
        self.p3.prm_state = "suspended"
        team = self.env["crm.team"].create(
            {"name": "T-Direct", "user_id": self.user_salesman.id}
        )
        lead = self._leads(1, name="Lapsed lead", team_id=team.id)
        offers = self.Rule._prm_route_leads(lead)
        self.assertEqual(offers.partner_id, solo)
        offers._prm_expire()
        self.assertEqual(offers.state, "expired")
        self.assertEqual(lead.activity_ids.user_id, self.user_salesman)
        self.assertEqual(lead.user_id, self.user_salesman)


@tagged("post_install", "-at_install")
class TestRoutingExplainedTour(PrmTourCase):
    def test_route_an_opportunity_without_country(self):
        self.env["prm.routing.rule"].create(
            {
                "name": "Tour France",
                "country_ids": [Command.set(self.env.ref("base.fr").ids)],
            }
        )
        lead = self.env["crm.lead"].create(
            {"name": "Tour Nowhere Deal", "type": "opportunity", "user_id": False}
        )
        self.start_tour(
            f"/odoo/action-crm.crm_lead_all_leads/{lead.id}",
            "prm_route_unroutable",
            login="admin",
        )
        self.assertIn("has no country", lead.prm_routing_blocker)
