from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.prm_sale.tests.common import PrmSaleCommon
from odoo.addons.prm_training.tests.common import PrmTrainingCommon


@tagged("post_install", "-at_install")
class TestGatedSelling(PrmSaleCommon, PrmTrainingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product_acid = cls._create_product(
            name="Sulphuric acid 20 L", categ_id=cls.categ_acids.id, lst_price=80.0
        )

    def _order(self, customer, product, channel=None):
        return self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "prm_partner_id": channel.id if channel else False,
                "order_line": [Command.create({"product_id": product.id})],
            }
        )

    def test_order_confirmed_only_when_certified(self):
        resold = self._order(self.customer_x, self.product_acid, self.partner_a)
        with self.assertRaisesRegex(UserError, "Sulphuric acid.*T-Safe storage"):
            resold.action_confirm()
        self.assertEqual(resold.state, "draft")
        bought = self._order(self.partner_a, self.product_acid)
        with self.assertRaisesRegex(UserError, "Alpha Resellers cannot sell"):
            bought.action_confirm()
        # Products of other categories and direct sales are not gated.
        self._order(self.partner_a, self.product_prm).action_confirm()
        self._order(self.customer_x, self.product_acid).action_confirm()

        self._take_exam(self.contact_a)
        resold.action_confirm()
        bought.action_confirm()
        self.assertEqual((resold | bought).mapped("state"), ["sale", "sale"])

    def test_expired_or_revoked_certificates_do_not_unlock(self):
        self._take_exam(self.contact_a)
        self._certificate(self.contact_a).sudo().state = "revoked"
        order = self._order(self.customer_x, self.product_acid, self.partner_a)
        with self.assertRaises(UserError):
            order.action_confirm()

    def test_one_model_method_for_every_selling_flow(self):
        with self.assertRaises(UserError):
            self.partner_a._prm_training_check_products(self.product_acid)
        self.assertEqual(
            self.partner_a._prm_training_missing(self.product_acid),
            {self.product_acid: self.certification},
        )
        self._take_exam(self.contact_a)
        self.partner_a._prm_training_check_products(self.product_acid)

    def test_launch_candidates_are_certified(self):
        self._take_exam(self.contact_a)
        wizard = self.env["prm.launch.wizard"].create(
            {"categ_ids": [Command.set(self.categ_acids.ids)]}
        )
        candidates = wizard._prm_launch_certified_partners(
            self.partner_a | self.partner_b
        )
        self.assertEqual(candidates, self.partner_a)
