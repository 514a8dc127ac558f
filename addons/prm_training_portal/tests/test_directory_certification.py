from datetime import date

from dateutil.relativedelta import relativedelta

from odoo.tests import tagged

from odoo.addons.prm_portal.tests.common import PrmPortalCommon


@tagged("post_install", "-at_install")
class TestDirectoryCertification(PrmPortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        survey = (
            cls.env["survey.survey"]
            .sudo()
            .create({"title": "T-Dir exam", "certification": True})
        )
        cls.certification = (
            cls.env["prm.certification"]
            .sudo()
            .create(
                {
                    "name": "T-Dir Storage expert",
                    "code": "T-DIR",
                    "survey_id": survey.id,
                }
            )
        )
        cls.partner_c = cls._create_program_partner("Gamma Logistics")
        cls.partner_d = cls._create_program_partner("Delta Supplies")
        cls.partner_e = cls._create_program_partner("Epsilon Trading")
        partners = cls.partner_a | cls.partner_b | cls.partner_c | cls.partner_d
        (partners | cls.partner_e).prm_directory_published = True
        cls.contact_a2 = cls.env["res.partner"].create(
            {"name": "Arno Alpha", "parent_id": cls.partner_a.id}
        )
        # Alpha: two certified people; Beta revoked, Gamma expired, Delta
        # expiring (still counts), Epsilon none.
        cls._certify(cls.contact_a)
        cls._certify(cls.contact_a2)
        cls._certify(cls.contact_b, state="revoked")
        cls._certify(cls._person(cls.partner_c), state="expired")
        cls._certify(cls._person(cls.partner_d), state="expiring")

    @classmethod
    def _person(cls, company):
        return cls.env["res.partner"].create(
            {"name": f"{company.name} person", "parent_id": company.id}
        )

    @classmethod
    def _certify(cls, person, state="valid"):
        # sudo: a fixture stands for the exam and the daily job, which set
        # these fields.
        today = date.today()
        return (
            cls.env["prm.certificate"]
            .sudo()
            .create(
                {
                    "number": f"T-DIR-{person.id}",
                    "certification_id": cls.certification.id,
                    "partner_id": person.id,
                    "issue_date": today - relativedelta(months=6),
                    "expiry_date": today
                    + relativedelta(months=-1 if state == "expired" else 6),
                    "state": state,
                }
            )
        )

    def _directory(self, query=""):
        response = self.url_open(f"/partner-program/directory{query}")
        self.assertEqual(response.status_code, 200)
        return response.text

    def test_filter_keeps_live_certificates_only(self):
        page = self._directory()
        self.assertIn("T-Dir Storage expert", page, "the filter offers it")
        for name in ("Alpha", "Beta", "Gamma", "Delta", "Epsilon"):
            self.assertIn(name, page)
        page = self._directory(f"?certification={self.certification.id}")
        self.assertIn("Alpha Resellers", page)
        self.assertIn("Delta Supplies", page, "expiring still counts")
        for name in ("Beta Distribution", "Gamma Logistics", "Epsilon Trading"):
            self.assertNotIn(name, page)
        self.assertIn(f'value="{self.certification.id}" selected', page)
        # Combined with the other filters, and nonsense ignored.
        page = self._directory(
            f"?certification={self.certification.id}&partner_type=999999"
        )
        self.assertNotIn("Alpha Resellers", page)
        self.assertIn("Epsilon Trading", self._directory("?certification=x"))
        # An archived certification is no longer offered and matches nobody.
        self.certification.sudo().active = False
        page = self._directory(f"?certification={self.certification.id}")
        self.assertNotIn("T-Dir Storage expert", page)
        self.assertNotIn("Alpha Resellers", page)

    def test_partner_page_lists_certifications(self):
        slug = self.env["ir.http"]._slug
        page = self.url_open(f"/partner-program/partner/{slug(self.partner_a)}").text
        self.assertIn("T-Dir Storage expert", page)
        self.assertIn("2 certified", page)
        self.assertNotIn("Arno Alpha", page, "holders stay private")
        for partner in (self.partner_b, self.partner_c, self.partner_e):
            page = self.url_open(f"/partner-program/partner/{slug(partner)}").text
            self.assertNotIn("T-Dir Storage expert", page, partner.name)

    def test_query_count_5_vs_20(self):
        listed = self.env["res.partner"].search(
            [("prm_directory_published", "=", True)]
        )
        listed.prm_directory_published = False
        url = f"/partner-program/directory?certification={self.certification.id}"
        for i in range(5):
            partner = self._create_program_partner(
                f"Listed {i:03}", prm_directory_published=True
            )
            self._certify(self._person(partner))
        few = self._read_statements(url)
        for i in range(5, 20):
            partner = self._create_program_partner(
                f"Listed {i:03}", prm_directory_published=True
            )
            self._certify(self._person(partner))
        page = self._directory(f"?certification={self.certification.id}")
        self.assertIn("Listed 019", page)
        many = self._read_statements(url)
        self.assertEqual(few, many)
        self.assertLessEqual(many, 25)
