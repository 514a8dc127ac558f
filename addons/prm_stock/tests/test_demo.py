"""The ordering demo a new user opens: Northwind (the demo portal user's
partner) ordered equipment kits whose components carry serial numbers, one
order delivered with its serials and tracking reference, one waiting, and
installation requests in every status.

Reads the demo data on purpose (it is what it checks); skips without demo."""

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestOrderingDemo(TransactionCase):
    def test_northwind_orders_deliveries_and_installations(self):
        delivered = self.env.ref(
            "prm_stock.demo_order_northwind_delivered", raise_if_not_found=False
        )
        if not delivered:
            self.skipTest("installed without demo data")
        buyer = self.env.ref("base.partner_demo_portal")
        northwind = self.env.ref("prm_partner.partner_demo_northwind")
        self.assertEqual(buyer.commercial_partner_id, northwind)
        kit = delivered.order_line.product_id
        self.assertTrue(kit.prm_is_kit)
        self.assertEqual(
            set(kit.product_tmpl_id.prm_kit_line_ids.product_id.mapped("tracking")),
            {"serial"},
        )
        picking = delivered.picking_ids
        self.assertEqual(picking.mapped("state"), ["done"])
        self.assertTrue(picking.prm_tracking_ref)
        lots = picking.move_line_ids.lot_id
        self.assertEqual(len(lots), 4)
        self.assertFalse(lots._prm_kit_missing_components(), "components recorded")
        self.assertTrue(
            delivered.message_ids.filtered(
                lambda m: buyer in m.partner_ids and lots[0].name in (m.body or "")
            ),
            "the shipment notice lists the serials",
        )
        waiting = self.env.ref("prm_stock.demo_order_northwind_waiting")
        self.assertEqual(waiting.state, "sale")
        self.assertNotIn("done", waiting.picking_ids.mapped("state"))
        installations = self.env["prm.installation"].search(
            [("partner_id", "=", northwind.id)]
        )
        self.assertEqual(
            set(installations.mapped("state")), {"new", "planned", "done", "failed"}
        )
        done = installations.filtered(lambda i: i.state == "done")
        self.assertTrue(done._prm_rating_of(buyer))
        self.assertTrue(
            installations.filtered(lambda i: i.state == "failed").failure_reason
        )
