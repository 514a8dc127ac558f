from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import PrmCampaignCommon


@tagged("post_install", "-at_install")
class TestKitSecurity(PrmCampaignCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.activation = cls._activate()
        cls.order = cls._order(cls.activation, 2)
        cls.user_employee = new_test_user(
            cls.env,
            login="prm_kit_employee",
            groups="base.group_user",
            company_id=cls.env.company.id,
            company_ids=[Command.set(cls.env.company.ids)],
        )
        other_company = cls.env["res.company"].create({"name": "T-Elsewhere"})
        cls.user_elsewhere = new_test_user(
            cls.env,
            login="prm_kit_elsewhere",
            groups="prm_partner.group_prm_manager",
            company_id=other_company.id,
            company_ids=[Command.set(other_company.ids)],
        )

    def test_employees_outside_the_program_read_nothing(self):
        for record in (self.kit, self.activation, self.order, self.asset_pdf):
            with self.assertRaises(AccessError):
                record.with_user(self.user_employee).read(["display_name"])

    def test_channel_managers_read_and_only_admins_configure(self):
        self.assertTrue(self.activation.with_user(self.user_channel_manager).file_ids)
        with self.assertRaises(AccessError):
            self.kit.with_user(self.user_channel_manager).write({"name": "Hijacked"})
        self.kit.with_user(self.user_prm_admin).write({"name": "T-Renamed kit"})

    def test_other_companies_do_not_see_the_rows(self):
        for model, record in (
            ("prm.campaign.kit", self.kit),
            ("prm.campaign.activation", self.activation),
            ("prm.campaign.print.order", self.order),
        ):
            found = (
                self.env[model]
                .with_user(self.user_elsewhere)
                .search([("id", "=", record.id)])
            )
            self.assertFalse(found, model)
