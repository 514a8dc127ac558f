from odoo.tests import tagged

from odoo.addons.prm_partner.tests.common import PrmTourCase

from .common_mdf import PrmMdfCommon


@tagged("post_install", "-at_install")
class TestMdfTour(PrmMdfCommon, PrmTourCase):
    def test_request_approve_claim_reimburse(self):
        manager = self.user_accountant_manager
        manager.password = "prm_mdf_accountant"
        self.start_tour(
            "/my/funds", "prm_mdf_portal_request_tour", login="prm_portal_a"
        )
        request = self.Request.search([("title", "=", "Tour seminar")])
        self.assertEqual(
            (request.state, request.amount_requested), ("submitted", 400.0)
        )

        self.start_tour(
            f"/odoo/action-prm_campaign.action_prm_mdf_request/{request.id}",
            "prm_mdf_backend_approve_tour",
            login="prm_mdf_accountant",
        )
        self.assertEqual((request.state, request.approved_by_id), ("approved", manager))

        self.start_tour(
            f"/my/funds/request/{request.id}",
            "prm_mdf_portal_claim_tour",
            login="prm_portal_a",
        )
        claim = request.claim_ids
        self.assertEqual(
            (claim.state, claim.amount, len(claim.attachment_ids)),
            ("submitted", 250.0, 1),
        )

        self.start_tour(
            f"/odoo/action-prm_campaign.action_prm_mdf_claim/{claim.id}",
            "prm_mdf_backend_reimburse_tour",
            login="prm_mdf_accountant",
        )
        self.assertEqual((claim.state, claim.move_id.state), ("paid", "posted"))
        # The partner sees it reimbursed.
        self.authenticate("prm_portal_a", "prm_portal_a")
        page = self.url_open(f"/my/funds/request/{request.id}").text
        self.assertIn("Reimbursed", page)
        self.assertIn(claim.move_id.name, page)
