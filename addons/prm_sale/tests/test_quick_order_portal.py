from odoo import Command, http
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.prm_partner.tests.common import PrmTourCase

from .quick_order_common import PrmQuickOrderCommon


@tagged("post_install", "-at_install")
class TestQuickOrderPortal(PrmQuickOrderCommon, PrmTourCase):
    def _post(self, url, data, files=None):
        data = {"csrf_token": http.Request.csrf_token(self), **data}
        return self.url_open(url, data=data, files=files)

    def _orders(self):
        return self.env["sale.order"].search(
            [("partner_id", "child_of", self.partner_a.ids)]
        )

    def test_page_needs_the_sales_role(self):
        self.authenticate("prm_portal_a", "prm_portal_a")
        response = self.url_open("/my/order")
        self.assertEqual(response.status_code, 200)
        self.assertIn("QO-ROUTER", response.text)
        self.assertIn("900.00", response.text, "the tier price is shown")
        self.assertNotIn("QO-HUB", response.text, "launch restricted to B")
        response = self.url_open("/my/order?search=QO-HUB")
        self.assertNotIn('data-product="QO-HUB"', response.text, "nor found")
        self.contact_a.prm_role_ids = [Command.clear()]
        with mute_logger("odoo.http"):
            self.assertEqual(self.url_open("/my/order").status_code, 404)

    def test_restricted_product_cannot_be_posted(self):
        self.authenticate("prm_portal_a", "prm_portal_a")
        for data in (
            {f"qty_{self.product_hub.id}": "1"},
            {"lines": "QO-HUB;1"},
        ):
            for url in ("/my/order/review", "/my/order/place"):
                response = self._post(url, data)
                self.assertEqual(response.status_code, 200)
                self.assertIn("o_prm_order_errors", response.text)
        self.assertFalse(self._orders())

    def test_prices_are_never_taken_from_the_client(self):
        self.authenticate("prm_portal_a", "prm_portal_a")
        response = self._post(
            "/my/order/place",
            {
                "lines": "QO-ROUTER;2",
                "price_unit": "1",
                f"price_{self.product_router.id}": "1",
                "pricelist_id": "1",
                "shipping_id": str(self.partner_a.id),
            },
        )
        self.assertEqual(response.status_code, 200)
        order = self._orders()
        self.assertEqual(len(order), 1)
        self.assertEqual(order.order_line.price_unit, 900.0)
        self.assertEqual(order.pricelist_id, self.pricelist_tier)
        self.assertIn(f"/my/orders/{order.id}", response.url)

    def test_row_errors_keep_the_rows(self):
        self.authenticate("prm_portal_a", "prm_portal_a")
        csv = (
            b"reference;quantity\nQO-ROUTER;NaN\nQO-ROUTER;1e15\nNOPE;1\nQO-ROUTER;0\n"
        )
        response = self._post(
            "/my/order/review",
            {"lines": "QO-CABLE;-1"},
            files={"csv_file": ("order.csv", csv, "text/csv")},
        )
        text = response.text
        self.assertIn("Row line 1: the quantity must be greater than zero.", text)
        self.assertIn("Row CSV row 2: the quantity NaN is not a number.", text)
        self.assertIn("Row CSV row 3: the quantity 1e15 is larger than 1000000.", text)
        self.assertIn("Row CSV row 4: unknown reference NOPE", text)
        self.assertIn("Row CSV row 5: the quantity must be greater than zero.", text)
        self.assertIn("QO-ROUTER;1e15", text, "the rows come back to be fixed")
        response = self._post(
            "/my/order/review",
            {},
            files={"csv_file": ("order.csv", b"\x00\x01PNG", "text/csv")},
        )
        self.assertIn("not a CSV text file", response.text)
        self.assertFalse(self._orders())

    def test_reorder_of_another_partner_is_404(self):
        lines, _errors = self.contact_b._prm_order_parse_rows([("1", "QO-HUB", "1")])
        order_b = self.contact_b._prm_create_quick_order(lines, self.partner_b)
        lines, _errors = self.contact_a._prm_order_parse_rows([("1", "QO-ROUTER", "3")])
        order_a = self.contact_a._prm_create_quick_order(lines, self.partner_a)
        self.authenticate("prm_portal_a", "prm_portal_a")
        with mute_logger("odoo.http"):
            response = self.url_open(f"/my/order?reorder={order_b.id}")
        self.assertEqual(response.status_code, 404)
        response = self.url_open(f"/my/order?reorder={order_a.id}")
        self.assertIn("QO-ROUTER;3", response.text)

    def _page_queries(self):
        self.url_open("/my/order")  # warm the caches
        before = self.env.cr.sql_log_count
        response = self.url_open("/my/order")
        self.assertEqual(response.status_code, 200)
        return self.env.cr.sql_log_count - before

    def test_query_count_does_not_grow_with_products(self):
        self.authenticate("prm_portal_a", "prm_portal_a")
        Product = self.env["product.product"]
        Product.create(
            [{"name": f"QO Bulk {i}", "default_code": f"QO-B{i:03}"} for i in range(5)]
        )
        small = self._page_queries()
        Product.create(
            [
                {"name": f"QO Bulk {i}", "default_code": f"QO-B{i:03}"}
                for i in range(5, 80)
            ]
        )
        large = self._page_queries()
        self.assertEqual(small, large)
        # 25 measured (41 before launches became subqueries and the pricelist
        # lookup was trimmed): the website layout and the access check take
        # about twelve, the partner's pricelist and the prices about ten.
        self.assertLessEqual(large, 25)
        # Without a count, the pager still leads to the next page.
        first = self.url_open("/my/order").text
        self.assertIn("/my/order/page/2", first)
        both = first + self.url_open("/my/order/page/2").text
        for code in ("QO-B000", "QO-B079"):
            self.assertEqual(both.count(f'data-product="{code}"'), 1, code)

    def test_tour_quick_order_with_pasted_list(self):
        self.start_tour("/my/order", "prm_quick_order_tour", login="prm_portal_a")
        order = self._orders()
        self.assertEqual(len(order), 1)
        self.assertEqual(
            sorted(order.order_line.mapped("product_uom_qty")), [2.0, 10.0]
        )
        self.assertEqual(order.amount_untaxed, 2 * 900.0 + 10 * 9.0)
        self.assertEqual(order.state, "draft")
