from odoo import Command
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

    def test_component_serials_entered_on_the_delivery_line(self):
        bare = self._kit_lot("T-KIT-B", components=False)
        Lot = self.env["stock.lot"]
        stb, card = Lot.create(
            [
                {"name": "T-KIT-B-STB", "product_id": self.product_stb.id},
                {"name": "T-KIT-B-CARD", "product_id": self.product_card.id},
            ]
        )
        order = self._sell(self.contact_a, 1)
        picking = order.picking_ids
        line = picking.move_line_ids.with_user(self.user_channel_manager)
        self.assertEqual(line.prm_component_lot_ids, line.lot_id.prm_component_lot_ids)
        line.lot_id = bare
        self.assertFalse(line.prm_component_lot_ids)
        taken = self.kit_lots[1].prm_component_lot_ids[:1]
        with self.assertRaisesRegex(ValidationError, "already in the kit T-KIT-2"):
            line.prm_component_lot_ids = [Command.link(taken.id)]
        router = self._create_product(
            name="T-Router SN", is_storable=True, tracking="serial"
        )
        foreign = Lot.create({"name": "T-ROUTER-SN", "product_id": router.id})
        with self.assertRaisesRegex(ValidationError, "is not a component"):
            line.prm_component_lot_ids = [Command.set((stb | foreign).ids)]
        line.prm_component_lot_ids = [Command.set((stb | card).ids)]
        self.assertEqual(bare.prm_component_lot_ids, stb | card)
        picking.move_ids.picked = True
        picking.with_user(self.user_channel_manager).button_validate()
        self.assertEqual(picking.state, "done")
        with self.assertRaisesRegex(UserError, "has shipped"):
            line.prm_component_lot_ids = [Command.set(stb.ids)]
        self.assertEqual(bare.prm_component_lot_ids, stb | card, "nothing lost")
