from odoo import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.prm_partner.tests.common import PrmTourCase


@tagged("post_install", "-at_install")
class TestPortalTours(PrmTourCase):
    """One tour per flow, in the website's company with the tours' own partners."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.ref("base.main_company")
        # sudo: placed where the program would have put them.
        Partner = cls.env["res.partner"].sudo()
        cls.partner = Partner.create(
            {
                "name": "Tourmaline Resellers",
                "is_company": True,
                "prm_is_partner": True,
                "prm_state": "active",
                "prm_partner_type_id": cls.env.ref(
                    "prm_partner.partner_type_reseller"
                ).id,
                "company_id": company.id,
                "country_id": cls.env.ref("base.ie").id,
                "city": "Galway",
                "prm_directory_published": True,
                "prm_directory_description": "Tourmaline sells and supports in Ireland.",
            }
        )
        cls.admin_contact = Partner.create(
            {
                "name": "Theo Tour",
                "email": "theo@tourmaline.example.com",
                "parent_id": cls.partner.id,
                "prm_role_ids": [
                    Command.set(cls.env.ref("prm_partner.role_admin").ids)
                ],
            }
        )
        new_test_user(
            cls.env,
            login="prm_tour_admin",
            groups="base.group_portal",
            partner_id=cls.admin_contact.id,
            company_id=company.id,
        )
        cls.env["prm.portal.document"].create(
            {
                "name": "Tour price list",
                "published": True,
                "file": "UHJpY2UK",
                "file_name": "prices.csv",
                "company_id": company.id,
            }
        )

    def test_invite_colleague_tour(self):
        """The partner's admin invites a Finance colleague, who sets a password
        from the invitation and sees the documents but not the team."""
        self.start_tour(
            "/my/team", "prm_portal_team_invite_tour", login="prm_tour_admin"
        )
        user = (
            self.env["res.users"]
            .with_context(active_test=False)
            .search([("login", "=", "fiona@tourmaline.example.com")])
        )
        self.assertTrue(user._is_portal())
        self.assertEqual(user.partner_id.commercial_partner_id, self.partner)
        self.assertEqual(
            user.partner_id.prm_role_ids, self.env.ref("prm_partner.role_finance")
        )
        url = user.partner_id._get_signup_url()
        self.start_tour(url.replace(self.base_url(), ""), "prm_portal_colleague_tour")
        self.assertTrue(user.login_date)
        self.authenticate(user.login, "Fiona-Finance-2026")
        self.assertEqual(self.url_open("/my/team").status_code, 404)
        self.assertEqual(self.url_open("/my/documents").status_code, 200)

    def test_apply_tour(self):
        self.start_tour("/partner-program/apply", "prm_portal_apply_tour")
        application = self.env["prm.application"].search(
            [("name", "=", "Tour Applicant GmbH")]
        )
        self.assertEqual(len(application), 1)
        self.assertEqual(application.source, "web")
        self.assertEqual(application.email, "tina@tour-applicant.example.com")

    def test_directory_tour(self):
        self.start_tour("/partner-program/directory", "prm_portal_directory_tour")
