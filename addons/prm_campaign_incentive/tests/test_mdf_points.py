from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.prm_campaign.tests.common_mdf import PrmMdfCommon
from odoo.addons.prm_partner.tests.common import PrmTourCase


@tagged("post_install", "-at_install")
class TestMdfPoints(PrmMdfCommon, PrmTourCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.prm_mdf_points_rate = 0.5
        cls.env["prm.points.move"].create(
            {
                "name": "Bonus",
                "partner_id": cls.partner_a.id,
                "kind": "adjusted",
                "points": 300.0,
            }
        )

    def test_points_become_funds(self):
        amount = self.budget_a.action_prm_convert_points(200.0)
        self.assertEqual(amount, 100.0)
        self.assertEqual(
            (
                self.budget_a.amount_points,
                self.budget_a.points_converted,
                self.budget_a.amount_balance,
            ),
            (100.0, 200.0, 1100.0),
        )
        self.assertEqual(self.partner_a.prm_points_balance, 100.0)
        spent = self.env["prm.points.move"].search(
            [("partner_id", "=", self.partner_a.id), ("kind", "=", "spent")]
        )
        self.assertEqual(
            (spent.points, spent.res_model, spent.res_id),
            (-200.0, "prm.mdf.budget", self.budget_a.id),
        )
        # The converted funds are requestable.
        self.assertEqual(self._request(1100.0).state, "submitted")

    def test_channel_manager_converts_points_from_the_budget(self):
        self.user_channel_manager.password = "prm_channel_manager_pw"
        self.start_tour("/odoo", "prm_mdf_points_tour", login="prm_channel_manager")
        budget = self.budget_a
        self.assertEqual(
            (budget.amount_points, budget.points_converted, budget.amount_balance),
            (100.0, 200.0, 1100.0),
        )
        spent = self.env["prm.points.move"].search(
            [("partner_id", "=", self.partner_a.id), ("kind", "=", "spent")]
        )
        self.assertEqual(
            (spent.points, spent.res_model, spent.res_id, spent.create_uid),
            (-200.0, "prm.mdf.budget", budget.id, self.user_channel_manager),
        )
        self.assertEqual(self.partner_a.prm_points_balance, 100.0)

    def test_refusals(self):
        with self.assertRaises(UserError):
            self.budget_a.action_prm_convert_points(301.0)
        with self.assertRaises(ValidationError):
            self.budget_a.action_prm_convert_points(-5.0)
        with self.assertRaises(UserError):
            self.budget_a.action_prm_convert_points(0.0)
        self.env.company.prm_mdf_points_rate = 0.0
        with self.assertRaises(UserError):
            self.budget_a.action_prm_convert_points(10.0)
        self.assertEqual(
            (self.budget_a.amount_points, self.partner_a.prm_points_balance),
            (0.0, 300.0),
        )

    def test_guarded(self):
        with self.assertRaises(AccessError):
            self.budget_a.with_user(self.user_channel_manager).write(
                {"amount_points": 5000.0}
            )
        with self.assertRaises(AccessError):
            self.budget_a.with_user(self.user_portal_a).action_prm_convert_points(10.0)
