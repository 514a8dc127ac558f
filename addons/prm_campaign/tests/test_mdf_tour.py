from dateutil.relativedelta import relativedelta

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

    def test_administrator_allocates_budgets_by_tier(self):
        self.tier_silver.mdf_percent = 2.0
        gamma = self._create_program_partner("Gamma Systems", tier=self.tier_silver)
        # A partner of another tier is left out.
        self.tier_gold.mdf_percent = 5.0
        delta = self._create_program_partner("Delta Gold", tier=self.tier_gold)
        last_quarter = self.date_from - relativedelta(months=3)
        self._post_invoice(
            self.customer_x, 30000.0, date=last_quarter, channel_partner=gamma
        )
        self.user_prm_admin.password = "prm_admin_pw"
        self.start_tour("/odoo", "prm_mdf_allocate_tour", login="prm_admin")
        budget = self.Budget.search([("partner_id", "in", (gamma | delta).ids)])
        self.assertEqual(budget.partner_id, gamma)
        self.assertEqual(
            (
                budget.date_from,
                budget.tier_id,
                budget.revenue_base,
                budget.amount_allocated,
                budget.state,
            ),
            (self.date_from, self.tier_silver, 30000.0, 600.0, "open"),
        )

    def test_accountant_reverses_a_reimbursement(self):
        manager = self.user_accountant_manager
        manager.password = "prm_mdf_accountant"
        request = self._request(400.0).with_user(manager)
        request.action_approve()
        claim = self._claim(request, 250.0).with_user(manager)
        claim.action_approve()
        claim.action_reimburse()
        move = claim.move_id
        self.assertEqual(self.budget_a.amount_reimbursed, 250.0)
        self.start_tour("/odoo", "prm_mdf_reverse_tour", login="prm_mdf_accountant")
        self.assertEqual(claim.state, "reversed")
        reversal = claim.reversal_move_id
        self.assertEqual(
            (reversal.reversed_entry_id, reversal.state, reversal.move_type),
            (move, "posted", "in_refund"),
        )
        self.assertEqual(reversal.amount_total, 250.0)
        self.assertEqual((move.state, move.payment_state), ("posted", "reversed"))
        self.assertEqual(self.budget_a.amount_reimbursed, 0.0)
