from odoo.tests import tagged

from odoo.addons.prm_portal.controllers.main import PrmWebsite

from .common import PrmPortalCommon


@tagged("post_install", "-at_install")
class TestDirectory(PrmPortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.es = cls.env.ref("base.es")
        cls.pt = cls.env.ref("base.pt")
        cls.partner_a.write(
            {
                "prm_directory_published": True,
                "country_id": cls.es.id,
                "prm_directory_description": "Alpha sells in Spain.",
            }
        )
        cls.partner_b.write({"prm_directory_published": True, "country_id": cls.pt.id})
        cls.partner_b.sudo().prm_partner_type_id = cls.type_referral
        cls.hidden = cls._create_program_partner("Hidden Partner")
        cls.suspended = cls._create_program_partner(
            "Suspended Partner", state="suspended", prm_directory_published=True
        )

    def _slug(self, partner):
        return self.env["ir.http"]._slug(partner)

    def test_lists_published_active_partners(self):
        page = self.url_open("/partner-program/directory").text
        self.assertIn("Alpha Resellers", page)
        self.assertIn("Beta Distribution", page)
        self.assertNotIn("Hidden Partner", page)
        self.assertNotIn("Suspended Partner", page)

    def test_filters(self):
        page = self.url_open(f"/partner-program/directory?country={self.pt.id}").text
        self.assertNotIn("Alpha Resellers", page)
        self.assertIn("Beta Distribution", page)
        # A country of the partner's territory counts too.
        self.partner_a.prm_country_ids = self.pt
        page = self.url_open(f"/partner-program/directory?country={self.pt.id}").text
        self.assertIn("Alpha Resellers", page)
        page = self.url_open(
            f"/partner-program/directory?partner_type={self.type_reseller.id}"
        ).text
        self.assertIn("Alpha Resellers", page)
        self.assertNotIn("Beta Distribution", page)
        self.partner_b.sudo().prm_tier_id = self.tier_gold
        page = self.url_open(
            f"/partner-program/directory?tier={self.tier_gold.id}"
        ).text
        self.assertNotIn("Alpha Resellers", page)
        self.assertIn("Beta Distribution", page)
        # Nonsense in the query string is ignored, not a 500.
        response = self.url_open("/partner-program/directory?tier=x&country=1%27")
        self.assertEqual(response.status_code, 200)

    def test_partner_page(self):
        response = self.url_open(
            f"/partner-program/partner/{self._slug(self.partner_a)}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Alpha sells in Spain.", response.text)
        for partner in (self.hidden, self.suspended, self.contact_a):
            response = self.url_open(f"/partner-program/partner/{self._slug(partner)}")
            self.assertEqual(response.status_code, 404, partner.name)
        self.assertEqual(
            self.url_open("/partner-program/partner/nope").status_code, 404
        )

    def test_no_clash_with_partner_assign(self):
        """website_crm_partner_assign serves /partners/…: ours stay apart."""
        routes = [
            route
            for method in vars(PrmWebsite).values()
            for route in getattr(method, "original_routing", {}).get("routes", [])
        ]
        self.assertIn("/partner-program/directory", routes)
        self.assertFalse([route for route in routes if route.startswith("/partners")])

    def test_query_count_5_vs_80(self):
        (self.partner_a | self.partner_b).prm_directory_published = False
        for i in range(5):
            self._create_program_partner(f"Listed {i:03}", prm_directory_published=True)
        few = self._read_statements("/partner-program/directory")
        for i in range(5, 80):
            self._create_program_partner(f"Listed {i:03}", prm_directory_published=True)
        many = self._read_statements("/partner-program/directory")
        self.assertEqual(few, many)
        self.assertLessEqual(many, 25)
