from odoo.tests import tagged

from odoo.addons.prm_partner.tests.common import PrmTourCase

from .common import PrmCampaignCommon


@tagged("post_install", "-at_install")
class TestPrintedTour(PrmCampaignCommon, PrmTourCase):
    def test_partner_orders_printed_flyers(self):
        activation = self._activate()
        self.start_tour(
            f"/my/campaigns/{activation.id}",
            "prm_campaign_print_tour",
            login="prm_portal_a",
        )
        order = activation.print_order_ids
        self.assertEqual(order.quantity, 3)
        self.assertEqual(order.state, "confirmed")
        self.assertEqual(order.sale_order_id.state, "sale")

    def test_channel_manager_approves_an_order_over_quota(self):
        activation = self._activate()
        order = self._order(activation, 15)
        self.assertEqual(order.state, "to_approve")
        self.start_tour(
            "/odoo/action-prm_campaign.action_prm_campaign_print_order",
            "prm_campaign_print_approve_tour",
            login="prm_channel_manager",
        )
        self.assertEqual(order.state, "confirmed")
        self.assertEqual(order.approved_by_id, self.user_channel_manager)
        self.assertEqual(order.sale_order_id.user_id, self.user_channel_manager)
