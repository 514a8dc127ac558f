from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .launch_common import PrmLaunchCommon


@tagged("post_install", "-at_install")
@freeze_time("2025-06-15")
class TestLaunchOrder(PrmLaunchCommon):
    """The T-Hub X1 launch (2025-06-01..2025-06-30) selected partner A only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.launch = cls._create_launch(cls.partner_a)
        cls.salesman = new_test_user(
            cls.env,
            login="prm_launch_salesman",
            groups="sales_team.group_sale_salesman",
            company_id=cls.env.company.id,
            company_ids=[Command.set(cls.env.company.ids)],
        )

    def _confirm_as_salesman(self, order):
        order.with_user(self.salesman).action_confirm()

    # --- Allowed ---

    def test_resale_by_selected_partner(self):
        order = self._create_order(self.partner_a, self.product_hub, user=self.salesman)
        self._confirm_as_salesman(order)
        self.assertEqual(order.state, "sale")

    def test_resale_to_contact_of_selected_partner(self):
        order = self._create_order(self.contact_a, self.product_hub)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_sell_through_selected_partner(self):
        order = self._create_order(
            self.customer_x, self.product_hub, channel_partner=self.partner_a
        )
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_orders_without_launch_products(self):
        order = self._create_order(self.partner_b, self.product_thermo)
        direct = self._create_order(self.customer_x, self.product_thermo)
        (order | direct).action_confirm()
        self.assertEqual((order | direct).mapped("state"), ["sale", "sale"])

    # --- Refused ---

    def test_resale_by_other_partner(self):
        order = self._create_order(
            self.partner_b, self.product_hub | self.product_thermo, user=self.salesman
        )
        with self.assertRaises(UserError) as error:
            self._confirm_as_salesman(order)
        message = str(error.exception)
        self.assertIn(order.name, message)
        self.assertIn(self.product_hub.display_name, message)
        self.assertNotIn(self.product_thermo.display_name, message)
        self.assertIn("T-Hub X1 launch", message)
        self.assertIn("Beta Distribution", message)
        self.assertEqual(order.state, "draft")

    def test_resale_wins_over_channel_partner(self):
        """A program partner buying is the seller, whatever the channel field."""
        order = self._create_order(
            self.partner_b, self.product_hub, channel_partner=self.partner_a
        )
        with self.assertRaisesMessage(
            UserError, "Beta Distribution is not one of them"
        ):
            order.action_confirm()

    def test_sell_through_other_partner(self):
        order = self._create_order(
            self.customer_x, self.product_hub, channel_partner=self.partner_b
        )
        with self.assertRaisesMessage(
            UserError, "Beta Distribution is not one of them"
        ):
            order.action_confirm()
        self.assertEqual(order.state, "draft")

    def test_direct_sale(self):
        order = self._create_order(self.customer_x, self.product_hub)
        with self.assertRaisesMessage(UserError, "has no channel partner"):
            order.action_confirm()
        self.assertEqual(order.state, "draft")
        self.launch.allow_direct_sales = True
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_variant_launch(self):
        """A launch of one variant restricts it like a launch of its product."""
        kit_launch = self._create_launch(
            self.partner_c,
            name="Kit launch",
            product_tmpl_ids=[Command.clear()],
            product_ids=[Command.set(self.product_kit.ids)],
        )
        order = self._create_order(self.partner_a, self.product_kit)
        with self.assertRaisesMessage(UserError, "Kit launch"):
            order.action_confirm()
        kit_launch.partner_ids = [Command.link(self.partner_a.id)]
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_batch_confirm(self):
        good = self._create_order(self.partner_a, self.product_hub)
        good_too = self._create_order(
            self.customer_y, self.product_hub, channel_partner=self.partner_a
        )
        (good | good_too).action_confirm()
        self.assertEqual((good | good_too).mapped("state"), ["sale", "sale"])

        fine = self._create_order(self.partner_a, self.product_hub)
        bad = self._create_order(self.partner_b, self.product_hub)
        direct = self._create_order(self.customer_x, self.product_hub)
        with self.assertRaises(UserError) as error:
            (fine | bad | direct).action_confirm()
        message = str(error.exception)
        self.assertIn(bad.name, message)
        self.assertIn(direct.name, message)
        self.assertNotIn(fine.name, message)
        self.assertEqual(
            (fine | bad | direct).mapped("state"),
            ["draft", "draft", "draft"],
            "A refused batch confirms nothing",
        )

    # --- Launch not restricting ---

    def test_launch_not_active(self):
        order = self._create_order(self.partner_b, self.product_hub)
        for state in ("draft", "closed"):
            self.launch.sudo().state = state
            order._prm_check_launch_restrictions()
        self.launch.sudo().state = "active"
        with self.assertRaises(UserError):
            order._prm_check_launch_restrictions()

    def test_launch_outside_its_dates(self):
        order = self._create_order(self.partner_b, self.product_hub)
        with freeze_time("2025-05-31"):
            order._prm_check_launch_restrictions()
        with freeze_time("2025-07-01"):
            order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_open_ended_launch(self):
        self.launch.date_end = False
        order = self._create_order(self.partner_b, self.product_hub)
        with freeze_time("2030-01-01"), self.assertRaises(UserError):
            order.action_confirm()

    def test_launch_of_other_company(self):
        other = self.env["res.company"].create({"name": "T-Other company"})
        self.launch.sudo().write({"company_id": other.id, "partner_ids": False})
        order = self._create_order(self.partner_b, self.product_hub)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    # --- API ---

    def test_api(self):
        Launch = self.env["prm.launch"]
        day = fields.Date.to_date("2025-06-10")
        variants = Launch._prm_restricted_products(day)
        self.assertIn(self.product_hub, variants)
        self.assertNotIn(self.product_thermo, variants)
        self.assertFalse(
            Launch._prm_restricted_products(fields.Date.to_date("2025-07-01"))
            & self.product_hub
        )
        products = self.product_hub | self.product_thermo
        self.assertEqual(
            Launch._prm_allowed_partners(products, day),
            {self.product_hub.id: self.partner_a},
        )
        second = self._create_launch(self.partner_b, name="Second wave")
        self.assertEqual(
            Launch._prm_allowed_partners(self.product_hub.product_tmpl_id, day),
            {self.product_hub.product_tmpl_id.id: self.partner_a | self.partner_b},
        )
        self.assertEqual(
            Launch._prm_launches_by_product(self.product_hub, day),
            {self.product_hub.id: self.launch | second},
        )

    # --- Bad input ---

    def test_end_before_start(self):
        with self.assertRaisesMessage(
            ValidationError, "cannot end .* before it starts"
        ):
            self._create_launch(self.partner_a, date_end="2025-05-01")
        with self.assertRaisesMessage(
            ValidationError, "cannot end .* before it starts"
        ):
            self.launch.date_end = "2025-05-01"
        self.assertEqual(self.launch.date_end, fields.Date.to_date("2025-06-30"))

    def test_launch_without_products(self):
        Launch = self.env["prm.launch"]
        before = Launch.search_count([])
        with self.assertRaisesMessage(ValidationError, "has no product"):
            Launch.create({"name": "Empty", "date_start": "2025-06-01"})
        with self.assertRaisesMessage(ValidationError, "has no product"):
            self.launch.product_tmpl_ids = [Command.clear()]
        self.assertEqual(Launch.search_count([]), before)
        self.assertEqual(self.launch.product_tmpl_ids, self.product_hub.product_tmpl_id)

    def test_only_program_partners(self):
        with self.assertRaisesMessage(ValidationError, "Only channel partners"):
            self.launch.partner_ids = [Command.link(self.customer_x.id)]

    def test_activation_needs_sellers(self):
        draft = self._create_launch(self.env["res.partner"], state="draft")
        with self.assertRaisesMessage(UserError, "Nobody could sell"):
            draft.action_activate()
        self.assertEqual(draft.state, "draft")
        draft.allow_direct_sales = True
        draft.action_activate()
        self.assertEqual(draft.state, "active")
        draft.action_close()
        self.assertEqual(draft.state, "closed")
        with self.assertRaisesMessage(UserError, "Only active launches"):
            draft.action_close()
