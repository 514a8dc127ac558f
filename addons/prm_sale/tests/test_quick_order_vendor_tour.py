from datetime import date

from odoo.tests import tagged

from odoo.addons.prm_partner.tests.common import PrmTourCase

from .quick_order_common import PrmQuickOrderCommon


@tagged("post_install", "-at_install")
class TestQuickOrderVendorTour(PrmQuickOrderCommon, PrmTourCase):
    def test_tour_vendor_confirms_and_moves_a_date(self):
        lines, _errors = self.contact_a._prm_order_parse_rows(
            [("1", "QO-ROUTER", "2"), ("2", "QO-CABLE", "5")]
        )
        order = self.contact_a._prm_create_quick_order(lines, self.partner_a)
        self.assertEqual(order.user_id, self.user_channel_manager)
        cable = order.order_line.filtered(
            lambda line: line.product_id == self.product_cable
        )
        cable_date = cable.prm_committed_date
        Message = self.env["mail.message"]
        notices = [
            ("model", "=", "sale.order"),
            ("res_id", "=", order.id),
            ("subject", "ilike", "new delivery date"),
        ]
        self.assertFalse(Message.search(notices))
        # The vendor: a salesperson of the partner's orders, not an admin.
        self.start_tour(
            f"/odoo/sale.order/{order.id}",
            "prm_vendor_order_tour",
            login=self.user_channel_manager.login,
        )
        self.assertEqual(order.state, "sale")
        router = order.order_line.filtered(
            lambda line: line.product_id == self.product_router
        )
        self.assertEqual(router.prm_committed_date, date(2035, 1, 15))
        self.assertEqual(cable.prm_committed_date, cable_date, "only the router moved")
        notice = Message.search(notices)
        self.assertEqual(len(notice), 1, "one notice for one change")
        self.assertIn("QO Router", notice.body)
        self.assertIn("2035-01-15", notice.body)
        self.assertNotIn("QO Cable", notice.body)
        self.assertEqual(notice.partner_ids, self.contact_a)
        # A portal message (public comment) and an email to the buyer.
        self.assertEqual(notice.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertFalse(notice.is_internal)
        emails = notice.notification_ids.filtered(
            lambda n: n.res_partner_id == self.contact_a
        )
        self.assertEqual(emails.mapped("notification_type"), ["email"])
