from odoo.tests import tagged

from odoo.addons.prm_partner.tests.common import PrmTourCase

from .common import RED, PrmCampaignCommon, count_color


@tagged("post_install", "-at_install")
class TestKitTour(PrmCampaignCommon, PrmTourCase):
    def test_partner_activates_a_kit_and_downloads_its_pdf(self):
        self.start_tour("/my/campaigns", "prm_campaign_kit_tour", login="prm_portal_a")
        activation = self.env["prm.campaign.activation"].search(
            [("partner_id", "=", self.partner_a.id)]
        )
        self.assertEqual(activation.kit_id, self.kit)

    def test_administrator_creates_a_kit_with_a_cobranded_banner(self):
        self.user_prm_admin.password = "prm_admin_pw"
        self.start_tour("/odoo", "prm_campaign_kit_create_tour", login="prm_admin")
        kit = self.env["prm.campaign.kit"].search([("name", "=", "Tour autumn kit")])
        self.assertEqual(
            (kit.date_start.isoformat(), kit.company_id),
            ("2026-09-01", self.env.company),
        )
        asset = kit.asset_ids
        self.assertEqual(
            (asset.name, asset.file_name, asset.mimetype, asset.file_type),
            ("Autumn banner", "autumn.png", "image/png", "image"),
        )
        area = asset.area_ids
        self.assertEqual(
            (area.kind, area.page, area.x, area.y, area.width, area.height),
            ("logo", 1, 0.05, 0.5, 0.3, 0.45),
        )
        # The area works: partner A's red logo is drawn in it.
        __, mimetype, data = asset._prm_cobrand(self.partner_a)
        self.assertEqual(mimetype, "image/png")
        self.assertGreater(count_color(data, (0.05, 0.5, 0.3, 0.45), RED), 500)
