from odoo.tests import tagged

from odoo.addons.prm_partner.tests.common import PrmTourCase

from .common import PrmCampaignCommon


@tagged("post_install", "-at_install")
class TestKitTour(PrmCampaignCommon, PrmTourCase):
    def test_partner_activates_a_kit_and_downloads_its_pdf(self):
        self.start_tour("/my/campaigns", "prm_campaign_kit_tour", login="prm_portal_a")
        activation = self.env["prm.campaign.activation"].search(
            [("partner_id", "=", self.partner_a.id)]
        )
        self.assertEqual(activation.kit_id, self.kit)
