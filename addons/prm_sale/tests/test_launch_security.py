from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .launch_common import PrmLaunchCommon


@tagged("post_install", "-at_install")
class TestLaunchSecurity(PrmLaunchCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.launch_a = cls._create_launch(cls.partner_a | cls.partner_c)
        cls.launch_b = cls._create_launch(cls.partner_b, name="B only")
        cls.user_portal_b = new_test_user(
            cls.env,
            login="prm_launch_portal_b",
            groups="base.group_portal",
            partner_id=cls.contact_b.id,
        )

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_channel_manager_reads_only(self):
        Launch = self.env["prm.launch"].with_user(self.user_channel_manager)
        self.assertEqual(
            Launch.search([("id", "in", (self.launch_a | self.launch_b).ids)]),
            self.launch_a | self.launch_b,
        )
        self.assertEqual(
            self.launch_a.with_user(self.user_channel_manager).partner_ids,
            self.partner_a | self.partner_c,
        )
        with self.assertRaises(AccessError):
            Launch.create(self._launch_vals(self.partner_a))
        with self.assertRaises(AccessError):
            self.launch_a.with_user(self.user_channel_manager).name = "Renamed"

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_channel_manager_cannot_create_from_wizard(self):
        wizard = (
            self.env["prm.launch.wizard"]
            .with_user(self.user_channel_manager)
            .create(
                {
                    "categ_ids": [Command.set(self.categ_sensors.ids)],
                    "launch_name": "Sneaky",
                    "product_tmpl_ids": [
                        Command.set(self.product_hub.product_tmpl_id.ids)
                    ],
                }
            )
        )
        wizard.action_rank()  # ranking is open to channel managers
        self.assertTrue(wizard.line_ids)
        wizard.action_select_top()
        with self.assertRaises(AccessError):
            wizard.action_create_launch()

    def test_admin_manages(self):
        Launch = self.env["prm.launch"].with_user(self.user_prm_admin)
        launch = Launch.create(self._launch_vals(self.partner_a, state="draft"))
        launch.action_activate()
        launch.write({"partner_ids": [Command.link(self.partner_b.id)]})
        self.assertEqual(launch.partner_ids, self.partner_a | self.partner_b)
        with self.assertRaises(UserError):
            launch.unlink()
        self.assertTrue(launch.exists(), "An active launch is not deleted")
        launch.action_close()
        launch.unlink()
        self.assertFalse(launch.exists())

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_portal_reads_own_launches(self):
        Launch = self.env["prm.launch"].with_user(self.user_portal_a)
        self.assertEqual(Launch.search([]), self.launch_a)
        self.assertEqual(
            self.launch_a.with_user(self.user_portal_a).name, "T-Hub X1 launch"
        )
        with self.assertRaises(AccessError):
            self.launch_b.with_user(self.user_portal_a).read(["name"])
        with self.assertRaises(AccessError, msg="Who else was selected is hidden"):
            self.launch_a.with_user(self.user_portal_a).read(["partner_ids"])
        with self.assertRaises(AccessError):
            self.launch_a.with_user(self.user_portal_a).write({"name": "Mine"})
        self.assertEqual(
            self.env["prm.launch"].with_user(self.user_portal_b).search([]),
            self.launch_b,
        )

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_public_has_no_access(self):
        public = self.env.ref("base.public_user")
        with self.assertRaises(AccessError):
            self.env["prm.launch"].with_user(public).search([])

    def test_multi_company(self):
        other = self.env["res.company"].create({"name": "T-Other company"})
        foreign = self.launch_b.sudo().copy(
            {"company_id": other.id, "partner_ids": False, "name": "Foreign"}
        )
        Launch = self.env["prm.launch"].with_user(self.user_prm_admin)
        self.assertNotIn(foreign, Launch.search([]))
        self.assertIn(self.launch_b, Launch.search([]))
