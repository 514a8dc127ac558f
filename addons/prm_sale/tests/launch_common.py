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
        # sudo: the fixture starts launches as the Start button would.
        launch_sudo = (
            cls.env["prm.launch"].sudo().create(cls._launch_vals(partners, **vals))
        )
        return launch_sudo.with_env(cls.env)

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


class PrmLaunchRankingCommon(PrmLaunchCommon):
    """Ranking on 2025-01-01..2025-06-30, compared with 2024-07-04..2024-12-31
    (the 181 days before).

    Hand-computed figures, sensor categories (children included):

    * A: invoice to A (thermo 10 x 100, motion 5 x 200, a desk not counted),
      invoice to A's contact (1 dozen motion for 2,400 = 12 units), credit note
      (thermo 2 x 100), sell-through to X (kit 3 x 300): quantity
      10 + 5 + 12 - 2 + 3 = 28, revenue 1,000 + 1,000 + 2,400 - 200 + 900 =
      5,100; previous 1,000 (+410 %).
    * B: sell-through to Y (motion 4 x 250): 4, 1,000, new seller.
    * C: resale on the last day (thermo 5 x 100): 5, 500; previous
      sell-through 2,000 (-75 %).
    * D: active, nothing sold. E: suspended, sold: not ranked.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner_a.prm_country_ids = [Command.set(cls.env.ref("base.be").ids)]
        cls.partner_b.prm_country_state_ids = [
            Command.set(cls.env.ref("base.state_us_5").ids)
        ]
        cls.partner_c.sudo().write(
            {
                "prm_tier_id": cls.tier_gold.id,
                "prm_country_ids": [Command.set(cls.env.ref("base.de").ids)],
            }
        )
        cls.partner_d = cls._create_program_partner(
            "Delta Referrals",
            tier=cls.tier_silver,
            prm_partner_type_id=cls.type_referral.id,
        )
        cls.partner_e = cls._create_program_partner("Epsilon Suspended")
        cls.partner_e.sudo().prm_state = "suspended"
        cls.partners = (
            cls.partner_a
            | cls.partner_b
            | cls.partner_c
            | cls.partner_d
            | cls.partner_e
        )

        post = cls._post_lines
        a, b, c = cls.partner_a, cls.partner_b, cls.partner_c
        thermo, motion = cls.product_thermo, cls.product_motion
        # A: resale, contact, credit note, sell-through, previous period.
        post(
            a,
            [(thermo, 10, 100), (motion, 5, 200), (cls.product_desk, 100, 10)],
            "2025-02-10",
        )
        post(cls.contact_a, [(motion, 1, 2400, cls.uom_dozen)], "2025-03-15")
        post(a, [(thermo, 2, 100)], "2025-03-01", refund=True)
        post(
            cls.customer_x, [(cls.product_kit, 3, 300)], "2025-04-01", channel_partner=a
        )
        post(a, [(thermo, 50, 100)], "2025-04-01", post=False)
        post(a, [(thermo, 10, 100)], "2024-09-01")
        post(a, [(thermo, 10, 100)], "2024-06-01")  # before the previous period
        post(a, [(thermo, 10, 100)], "2025-07-01")  # after the period
        # B: new seller; a direct sale to Y counts for nobody.
        post(cls.customer_y, [(motion, 4, 250)], "2025-05-05", channel_partner=b)
        post(cls.customer_y, [(motion, 1, 250)], "2025-05-06")
        # C: declining.
        post(cls.customer_x, [(thermo, 20, 100)], "2024-10-10", channel_partner=c)
        post(c, [(thermo, 5, 100)], "2025-06-30")
        # E: suspended partners are not ranked.
        post(cls.partner_e, [(thermo, 100, 100)], "2025-03-03")

    def _ours(self, wizard):
        """Ranking lines of this fixture's partners (demo partners may be
        ranked too, with nothing sold in the test company)."""
        return wizard.line_ids.filtered(lambda line: line.partner_id in self.partners)

    def _wizard(self, **vals):
        return self.env["prm.launch.wizard"].create(
            {
                "categ_ids": [Command.set(self.categ_sensors.ids)],
                "period_type": "dates",
                "date_from": "2025-01-01",
                "date_to": "2025-06-30",
                **vals,
            }
        )

    def _ranked(self, **vals):
        wizard = self._wizard(**vals)
        wizard.action_rank()
        return wizard

    def _line(self, wizard, partner):
        return wizard.line_ids.filtered(lambda line: line.partner_id == partner)
