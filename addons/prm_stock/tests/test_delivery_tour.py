from odoo.tests import tagged

from odoo.addons.prm_partner.tests.common import PrmTourCase

from .common import PrmStockCommon


@tagged("post_install", "-at_install")
class TestDeliveryTour(PrmStockCommon, PrmTourCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._add_groups(cls.user_channel_manager, "stock.group_production_lot")
        # The kits assembled earlier leave for B: only T-KIT-9 is in stock,
        # assembled without its components' serials recorded yet.
        cls._ship(cls._sell(cls.contact_b, 3), cls.kit_lots)
        cls.kit_9 = cls._kit_lot("T-KIT-9", components=False)
        Lot = cls.env["stock.lot"]
        cls.stb_9, cls.card_9 = Lot.create(
            [
                {"name": "T-KIT-9-STB", "product_id": cls.product_stb.id},
                {"name": "T-KIT-9-CARD", "product_id": cls.product_card.id},
            ]
        )
        cls.order = cls._sell(cls.contact_a, 1)
        cls.picking = cls.order.picking_ids

    def test_tour_validate_delivery_with_component_serials(self):
        self.assertEqual(self.picking.move_line_ids.lot_id, self.kit_9)
        # The vendor: a warehouse (and sales) user, not an admin.
        self.start_tour(
            f"/odoo/stock.picking/{self.picking.id}",
            "prm_delivery_serials_tour",
            login=self.user_channel_manager.login,
        )
        self.assertEqual(self.picking.state, "done")
        self.assertEqual(self.picking.prm_tracking_ref, "TRK-TOUR")
        self.assertEqual(self.kit_9.prm_component_lot_ids, self.stb_9 | self.card_9)
        notices = self.order.message_ids.filtered(
            lambda m: self.contact_a in m.partner_ids and "TRK-TOUR" in (m.body or "")
        )
        self.assertEqual(len(notices), 1, "one shipment notice")
        for name in ("T-TV Kit", "T-KIT-9", "T-KIT-9-STB", "T-KIT-9-CARD"):
            self.assertIn(name, notices.body)
        self.assertEqual(
            notices.notification_ids.filtered(
                lambda n: n.res_partner_id == self.contact_a
            ).notification_type,
            "email",
        )
