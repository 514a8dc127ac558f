from dateutil.relativedelta import relativedelta

from odoo.tests import tagged

from odoo.addons.prm_partner.tests.common import PrmTourCase

from .launch_common import PrmLaunchCommon


@tagged("post_install", "-at_install")
class TestLaunchTour(PrmLaunchCommon, PrmTourCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The browser and the server run on today's date: invoices of last month.
        date = cls.today - relativedelta(months=1)
        cls._post_lines(cls.partner_a, [(cls.product_thermo, 10, 100)], date)
        cls._post_lines(cls.partner_b, [(cls.product_motion, 2, 100)], date)

    def test_select_partners_and_create_launch(self):
        Launch = self.env["prm.launch"]
        self.start_tour(
            "/odoo/action-prm_sale.action_prm_launch_wizard",
            "prm_launch_selection_tour",
            login=self.user_prm_admin.login,
        )
        launch = Launch.search([("name", "=", "Tour launch")])
        self.assertEqual(len(launch), 1)
        self.assertEqual(launch.partner_ids, self.partner_a)
        self.assertEqual(launch.product_tmpl_ids, self.product_hub.product_tmpl_id)
        self.assertEqual(launch.categ_ids, self.categ_sensors)
        self.assertEqual(launch.state, "draft")
