from odoo.tests import tagged

from .common import PrmRoutingCommon


@tagged("post_install", "-at_install")
class TestPartner360Pipeline(PrmRoutingCommon):
    """prm_crm adds the pipeline to Partner 360: open registrations, leads
    offered and accepted, each opening its records."""

    def test_pipeline_figures_open_their_records(self):
        registration = self._register(self.user_portal_a)
        self._approve(registration)
        self._register(self.user_portal_a, partner_name="Other Industries S.L.")
        leads = self._leads(2)
        offers = self.Offer.create(
            [{"lead_id": lead.id, "partner_id": self.partner_a.id} for lead in leads]
        )
        offers[0].action_prm_accept()
        data = self.partner_a.with_user(self.user_channel_manager).prm_360_data
        pipeline = next(s for s in data["sections"] if s["key"] == "pipeline")
        figures = {f["key"]: f for f in pipeline["figures"]}
        self.assertEqual(figures["registrations"]["display"], "2")
        self.assertEqual(figures["offered"]["display"], "1")
        self.assertEqual(figures["accepted"]["display"], "1")

        partner = self.partner_a.with_user(self.user_channel_manager)
        action = partner.action_prm_open_registrations()
        self.assertEqual(
            len(self.Lead.with_context(active_test=False).search(action["domain"])), 2
        )
        target = figures["accepted"]["action"]
        action = getattr(partner, target["method"])(**target["kwargs"])
        self.assertEqual(self.Offer.search(action["domain"]), offers[0])
