from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import PrmCampaignCommon


@tagged("post_install", "-at_install")
class TestPrintedOrder(PrmCampaignCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.activation = cls._activate()
        cls.partner_a.sudo().write({"street": "Calle Mayor 1", "city": "Madrid"})

    def test_order_within_quota_is_a_confirmed_zero_priced_sale_order(self):
        order = self._order(self.activation, 4)
        self.assertEqual(order.state, "confirmed")
        self.assertFalse(order.over_quota)
        sale_order = order.sale_order_id
        self.assertEqual(sale_order.state, "sale")
        self.assertEqual(sale_order.partner_shipping_id, self.partner_a)
        self.assertEqual(sale_order.amount_total, 0.0)
        self.assertEqual(sale_order.order_line.product_uom_qty, 4)
        self.assertEqual(self.item._prm_remaining(self.partner_a)[self.item.id], 6)
        self.assertEqual(order.delivery_state, "to_ship")

    def test_order_over_quota_waits_for_the_channel_manager(self):
        self._order(self.activation, 8)
        order = self._order(self.activation, 3)
        self.assertEqual(order.state, "to_approve")
        self.assertTrue(order.over_quota)
        self.assertFalse(order.sale_order_id)
        self.assertEqual(self.item._prm_remaining(self.partner_a)[self.item.id], 0)
        with self.assertRaises(AccessError):
            order.with_user(self.user_other_manager).action_approve()
        with self.assertRaises(AccessError):
            order.with_user(self.user_channel_manager).write({"state": "confirmed"})
        with self.assertRaises(AccessError):
            order.with_user(self.user_prm_admin).write({"over_quota": False})
        order.with_user(self.user_channel_manager).action_approve()
        self.assertEqual(order.state, "confirmed")
        self.assertEqual(order.approved_by_id, self.user_channel_manager)
        self.assertEqual(order.sale_order_id.state, "sale")
        with self.assertRaises(UserError):
            order.with_user(self.user_channel_manager).action_approve()

    def test_rejected_order_frees_the_quota(self):
        order = self._order(self.activation, 12)
        self.assertEqual(order.state, "to_approve")
        order.with_user(self.user_channel_manager).action_reject()
        self.assertEqual(order.state, "rejected")
        self.assertEqual(self.item._prm_remaining(self.partner_a)[self.item.id], 10)

    def test_zero_quota_always_needs_approval(self):
        self.item.quota = 0
        self.assertEqual(self._order(self.activation, 1).state, "to_approve")

    def test_bad_quantities_are_refused(self):
        for quantity in (0, -5, 10**9):
            with self.assertRaises(ValidationError):
                self._order(self.activation, quantity)
        order = self._order(self.activation, 1)
        with self.assertRaises(UserError):
            order.with_user(self.user_channel_manager).write({"quantity": 500})

    def test_item_of_another_kit_is_refused(self):
        other_kit = self._create_kit(name="T-Other kit")
        other_item = self.item.copy({"kit_id": other_kit.id})
        with self.assertRaises(ValidationError):
            self._order(self.activation, 1, item=other_item)

    def test_delivery_is_followed_to_shipped(self):
        order = self._order(self.activation, 2)
        if order.delivery_tracked:
            picking = order.sale_order_id.picking_ids
            self.assertEqual(picking.partner_id, self.partner_a)
            picking.move_ids.quantity = 2
            picking.move_ids.picked = True
            picking.button_validate()
            order.invalidate_recordset()
            self.assertEqual(order.delivery_state, "shipped")
            with self.assertRaises(UserError):
                order.with_user(self.user_channel_manager).action_mark_shipped()
        else:
            order.with_user(self.user_channel_manager).action_mark_shipped()
            self.assertEqual(order.delivery_state, "shipped")
        with self.assertRaises(UserError):
            order.with_user(self.user_channel_manager).action_cancel()

    def test_cancel_before_shipping_cancels_the_sale_order(self):
        order = self._order(self.activation, 2)
        order.with_user(self.user_channel_manager).action_cancel()
        self.assertEqual(order.state, "cancelled")
        self.assertEqual(order.sale_order_id.state, "cancel")
        self.assertEqual(self.item._prm_remaining(self.partner_a)[self.item.id], 10)
