from datetime import timedelta

from odoo.exceptions import UserError
from odoo.tests import tagged

from .quick_order_common import PrmQuickOrderCommon


@tagged("post_install", "-at_install")
class TestQuickOrder(PrmQuickOrderCommon):
    def _orderable(self, contact):
        return (
            self.env["product.product"]
            .sudo()
            .search(contact._prm_order_product_domain())
        )

    def test_launch_restricts_the_catalogue(self):
        mine = self._orderable(self.contact_a)
        self.assertIn(self.product_router, mine)
        self.assertNotIn(self.product_hub, mine)
        self.assertIn(self.product_hub, self._orderable(self.contact_b))

    def test_rows_errors(self):
        rows = [
            ("1", "QO-ROUTER", "0"),
            ("2", "QO-ROUTER", "-3"),
            ("3", "QO-ROUTER", "NaN"),
            ("4", "QO-ROUTER", "1e15"),
            ("5", "QO-ROUTER", "ten"),
            ("6", "NOPE-404", "1"),
            ("7", "QO-HUB", "1"),
            ("8", "QO-CABLE", "2"),
            ("9", "", "2"),
            ("10", "QO-ROUTER", "2,5"),
        ]
        lines, errors = self.contact_a._prm_order_parse_rows(rows)
        self.assertEqual(len(errors), 9, errors)
        text = "\n".join(errors)
        for expected in (
            "Row 1: the quantity must be greater than zero.",
            "Row 2: the quantity must be greater than zero.",
            "Row 3: the quantity NaN is not a number.",
            "Row 4: the quantity 1e15 is larger than 1000000.",
            "Row 5: the quantity ten is not a number.",
            "Row 6: unknown reference NOPE-404",
            "Row 7: unknown reference QO-HUB",
            "Row 8: [QO-CABLE] QO Cable is ordered by 5.0 Units at least.",
            "Row 9: no product reference.",
        ):
            self.assertIn(expected, text)
        self.assertEqual(
            [(line["product"], line["quantity"]) for line in lines],
            [(self.product_router, 2.5)],
            "a decimal comma is read; only the good row is kept",
        )
        lines, errors = self.contact_a._prm_order_parse_rows(
            [("1", "QO-ROUTER", "2"), ("2", "QO-ROUTER", "1"), ("3", "QO-CABLE", "5")]
        )
        self.assertFalse(errors)
        self.assertEqual(
            {(line["product"].id, line["quantity"]) for line in lines},
            {(self.product_router.id, 3.0), (self.product_cable.id, 5.0)},
        )

    def test_quotation_at_tier_prices(self):
        lines, _errors = self.contact_a._prm_order_parse_rows([("1", "QO-ROUTER", "2")])
        requested = self.today + timedelta(days=10)
        order = self.contact_a._prm_create_quick_order(
            lines, self.partner_a, requested, "PO-77"
        )
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.pricelist_id, self.pricelist_tier)
        self.assertEqual(order.order_line.price_unit, 900.0)
        self.assertEqual(order.amount_untaxed, 1800.0)
        self.assertEqual(order.order_line.prm_committed_date, requested)
        self.assertEqual(order.client_order_ref, "PO-77")
        self.assertTrue(order.prm_portal_order)

    def test_agreement_confirms_orders(self):
        agreement_type = self.env["prm.agreement.type"].create({"name": "QO Supply"})
        self.env["prm.agreement"].sudo().create(
            {
                "partner_id": self.partner_a.id,
                "type_id": agreement_type.id,
                "confirm_portal_orders": True,
                "state": "active",
                "date_start": self.today,
            }
        )
        lines, _errors = self.contact_a._prm_order_parse_rows([("1", "QO-ROUTER", "1")])
        order = self.contact_a._prm_create_quick_order(lines, self.partner_a)
        self.assertEqual(order.state, "sale")

    def test_refusals(self):
        lines, _errors = self.contact_a._prm_order_parse_rows([("1", "QO-ROUTER", "1")])
        with self.assertRaises(UserError):
            self.contact_a._prm_create_quick_order(lines, self.partner_b)
        with self.assertRaises(UserError):
            self.contact_a._prm_create_quick_order(
                lines, self.partner_a, self.today - timedelta(days=1)
            )
        hub = [{"product": self.product_hub, "quantity": 1.0}]
        with self.assertRaises(UserError):
            self.contact_a._prm_create_quick_order(hub, self.partner_a)
        self.contact_a.prm_role_ids = False
        with self.assertRaises(UserError):
            self.contact_a._prm_create_quick_order(lines, self.partner_a)

    def test_committed_date_change_notifies_once(self):
        lines, _errors = self.contact_a._prm_order_parse_rows(
            [("1", "QO-ROUTER", "1"), ("2", "QO-CABLE", "5")]
        )
        order = self.contact_a._prm_create_quick_order(lines, self.partner_a)
        order = order.with_user(self.user_channel_manager).sudo(False)
        Message = self.env["mail.message"]
        domain = [
            ("model", "=", "sale.order"),
            ("res_id", "=", order.id),
            ("partner_ids", "in", self.contact_a.ids),
        ]
        before = Message.search_count(domain)
        new_date = self.today + timedelta(days=30)
        order.sudo().order_line.write({"prm_committed_date": new_date})
        self.assertEqual(Message.search_count(domain), before + 1)
        message = Message.search(domain, limit=1, order="id desc")
        self.assertIn("QO Router", message.body)
        self.assertIn("QO Cable", message.body)
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
        order.sudo().order_line.write({"prm_committed_date": new_date})
        self.assertEqual(
            Message.search_count(domain), before + 1, "no change, no notice"
        )
