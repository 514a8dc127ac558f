"""Fixtures of the product launch tests: a sensor category tree, products,
helpers posting invoices with given products and quantities, launches and
sale orders."""

from contextlib import contextmanager

from odoo import Command, fields

from .common import PrmSaleCommon


class PrmLaunchCommon(PrmSaleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Category = cls.env["product.category"]
        cls.categ_sensors = Category.create({"name": "T-Sensors"})
        cls.categ_temperature = Category.create(
            {"name": "T-Temperature", "parent_id": cls.categ_sensors.id}
        )
        cls.categ_motion = Category.create(
            {"name": "T-Motion", "parent_id": cls.categ_sensors.id}
        )
        cls.categ_furniture = Category.create({"name": "T-Furniture"})
        cls.product_thermo = cls._create_sensor("T-Thermo", cls.categ_temperature)
        cls.product_motion = cls._create_sensor("T-Motion", cls.categ_motion)
        cls.product_kit = cls._create_sensor("T-Sensor Kit", cls.categ_sensors)
        cls.product_desk = cls._create_sensor("T-Desk", cls.categ_furniture)
        cls.product_hub = cls._create_sensor("T-Hub X1", cls.categ_sensors)
        cls.uom_dozen = cls.env.ref("uom.product_uom_dozen")
        cls.partner_c = cls._create_program_partner("Gamma Integrators")

    @contextmanager
    def assertRaisesMessage(self, exception, regex):
        """``assertRaises`` (which rolls back to a savepoint, unlike
        ``assertRaisesRegex``) with a message matching ``regex``."""
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertRegex(str(caught.exception), regex)

    @classmethod
    def _create_sensor(cls, name, category):
        return cls._create_product(
            name=name, categ_id=category.id, taxes_id=[Command.clear()]
        )

    @classmethod
    def _post_lines(
        cls, customer, lines, date, channel_partner=None, refund=False, post=True
    ):
        """Post a customer invoice (or credit note) with ``lines``, a list of
        ``(product, quantity, price_unit)`` or ``(product, quantity,
        price_unit, uom)``, untaxed."""
        line_vals = []
        for product, quantity, price_unit, *uom in lines:
            vals = {
                "product_id": product.id,
                "quantity": quantity,
                "price_unit": price_unit,
                "tax_ids": [Command.clear()],
            }
            if uom:
                vals["product_uom_id"] = uom[0].id
            line_vals.append(Command.create(vals))
        move = cls.env["account.move"].create(
            {
                "move_type": "out_refund" if refund else "out_invoice",
                "partner_id": customer.id,
                "invoice_date": date,
                "prm_partner_id": channel_partner.id if channel_partner else False,
                "invoice_line_ids": line_vals,
            }
        )
        if post:
            move.action_post()
        return move

    @classmethod
    def _launch_vals(cls, partners, **vals):
        return {
            "name": "T-Hub X1 launch",
            "product_tmpl_ids": [Command.set(cls.product_hub.product_tmpl_id.ids)],
            "categ_ids": [Command.set(cls.categ_sensors.ids)],
            "partner_ids": [Command.set(partners.ids)],
            "date_start": fields.Date.to_date("2025-06-01"),
            "date_end": fields.Date.to_date("2025-06-30"),
            "state": "active",
            **vals,
        }

    @classmethod
    def _create_launch(cls, partners, **vals):
        return cls.env["prm.launch"].create(cls._launch_vals(partners, **vals))

    @classmethod
    def _create_order(cls, customer, products, channel_partner=None, user=None):
        return cls.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "prm_partner_id": channel_partner.id if channel_partner else False,
                "user_id": (user or cls.env.user).id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 1})
                    for product in products
                ],
            }
        )
