"""Fixture of deliveries and installations: a TV kit tracked by serial whose
set-top box and smart card are tracked by serial too, three kits in stock, and
helpers selling and shipping them to partners A and B."""

from odoo import Command

from odoo.addons.prm_sale.tests.quick_order_common import PrmQuickOrderCommon


class PrmStockCommon(PrmQuickOrderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._add_groups(cls.user_channel_manager, "stock.group_stock_user")
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        serial = {
            "is_storable": True,
            "tracking": "serial",
            "taxes_id": [Command.clear()],
        }
        cls.product_stb = cls._create_product(
            name="T-STB", default_code="T-STB", sale_ok=False, **serial
        )
        cls.product_card = cls._create_product(
            name="T-Card", default_code="T-CARD", sale_ok=False, **serial
        )
        cls.product_kit = cls._create_product(
            name="T-TV Kit", default_code="T-KIT", lst_price=200.0, **serial
        )
        cls.product_kit.product_tmpl_id.prm_kit_line_ids = [
            Command.create({"product_id": cls.product_stb.id, "quantity": 1}),
            Command.create({"product_id": cls.product_card.id, "quantity": 1}),
        ]
        cls.kit_lots = cls.env["stock.lot"]
        for number in range(1, 4):
            cls.kit_lots |= cls._kit_lot(f"T-KIT-{number}")

    @classmethod
    def _kit_lot(cls, name, components=True):
        Lot = cls.env["stock.lot"]
        lot = Lot.create({"name": name, "product_id": cls.product_kit.id})
        if components:
            Lot.create(
                [
                    {
                        "name": f"{name}-STB",
                        "product_id": cls.product_stb.id,
                        "prm_kit_lot_id": lot.id,
                    },
                    {
                        "name": f"{name}-CARD",
                        "product_id": cls.product_card.id,
                        "prm_kit_lot_id": lot.id,
                    },
                ]
            )
        cls.env["stock.quant"]._update_available_quantity(
            cls.product_kit, cls.warehouse.lot_stock_id, 1, lot_id=lot
        )
        return lot

    @classmethod
    def _sell(cls, contact, quantity, product=None):
        order = cls.env["sale.order"].create(
            {
                "partner_id": contact.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": (product or cls.product_kit).id,
                            "product_uom_qty": quantity,
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        return order

    @classmethod
    def _ship(cls, order, lots, tracking=None):
        picking = order.picking_ids.filtered(lambda p: p.state != "done")[:1]
        picking.move_line_ids.unlink()
        move = picking.move_ids[:1]
        cls.env["stock.move.line"].create(
            [
                {
                    "move_id": move.id,
                    "picking_id": picking.id,
                    "product_id": move.product_id.id,
                    "lot_id": lot.id,
                    "quantity": 1,
                    "location_id": cls.warehouse.lot_stock_id.id,
                    "location_dest_id": move.location_dest_id.id,
                }
                for lot in lots
            ]
        )
        picking.prm_tracking_ref = tracking
        picking.move_ids.picked = True
        picking.button_validate()
        return picking
