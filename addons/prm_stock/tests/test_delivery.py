from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import PrmStockCommon


@tagged("post_install", "-at_install")
class TestDelivery(PrmStockCommon):
    def test_kit_ships_with_its_components_serials(self):
        order = self._sell(self.contact_a, 2)
        picking = self._ship(order, self.kit_lots[:2], tracking="TRK-42")
        self.assertEqual(picking.state, "done")
        message = order.message_ids.filtered(
            lambda m: self.contact_a in m.partner_ids and "TRK-42" in (m.body or "")
        )
        self.assertEqual(len(message), 1, "one shipment notice")
        for name in (
            "T-KIT-1",
            "T-KIT-1-STB",
            "T-KIT-1-CARD",
            "T-KIT-2-CARD",
            "T-TV Kit",
        ):
            self.assertIn(name, message.body)
        self.assertNotIn("T-KIT-3", message.body)
        lines = picking._prm_shipped_lines()
        self.assertEqual(len(lines), 1)
        self.assertEqual(lines[0]["quantity"], 2.0)
        components = {
            entry["lot"].name: sorted(entry["components"].mapped("name"))
            for entry in lines[0]["lots"]
        }
        self.assertEqual(components["T-KIT-1"], ["T-KIT-1-CARD", "T-KIT-1-STB"])

    def test_kit_without_component_serials_is_refused(self):
        bare = self._kit_lot("T-KIT-BARE", components=False)
        order = self._sell(self.contact_a, 1)
        with self.assertRaisesRegex(UserError, "T-KIT-BARE: 1 × .*T-STB"):
            self._ship(order, bare)
        self.assertNotEqual(order.picking_ids.state, "done")
        self.assertFalse(
            order.message_ids.filtered(lambda m: "T-KIT-BARE" in (m.body or ""))
        )

    def test_component_of_another_kit_is_refused(self):
        router = self._create_product(
            name="T-Router SN", is_storable=True, tracking="serial"
        )
        foreign = self.env["stock.lot"].create(
            {"name": "T-ROUTER-SN", "product_id": router.id}
        )
        with self.assertRaisesRegex(ValidationError, "is not a component"):
            foreign.prm_kit_lot_id = self.kit_lots[0]
