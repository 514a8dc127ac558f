from odoo.tests import tagged

from odoo.addons.prm_partner.tests.common import PrmTourCase

from .test_portal import PrmIncentivePortalCommon


@tagged("post_install", "-at_install")
class TestIncentivePortalTour(PrmIncentivePortalCommon, PrmTourCase):
    def test_upload_sellout_with_a_bad_row(self):
        self.start_tour(
            "/my/incentives/sellout",
            "prm_incentive_portal_sellout_tour",
            login="prm_portal_a",
        )
        batch = self.env["prm.sellout.batch"].search(
            [("partner_id", "=", self.partner_a.id)]
        )
        self.assertEqual(
            (batch.state, batch.line_count, batch.error_count), ("draft", 2, 1)
        )

    def test_download_statement(self):
        self.start_tour(
            "/my/incentives",
            "prm_incentive_portal_statement_tour",
            login="prm_portal_a",
        )
