from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import PrmPortalCommon


@tagged("post_install", "-at_install")
class TestApplyForm(PrmPortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Application = cls.env["prm.application"].with_context(active_test=False)
        cls.es = cls.env.ref("base.es")
        cls.env["ir.config_parameter"].set_param("prm_portal.apply_limit_ip", 50)
        cls.env["ir.config_parameter"].set_param("prm_portal.apply_limit_email", 50)

    def _form(self, **extra):
        return {
            "name": "Web Visitor SL",
            "contact_name": "Vera Visitor",
            "email": "vera@webvisitor.example.com",
            "country_id": str(self.es.id),
            "partner_type_id": str(self.type_reseller.id),
            "declared_revenue": "120000",
            "headcount": "4",
            **extra,
        }

    def _apply(self, **extra):
        return self._post(
            "/partner-program/apply", self._form(**extra), "/partner-program/apply"
        )

    def _applications(self, name="Web Visitor SL"):
        return self.Application.search([("name", "=", name)])

    def test_apply(self):
        response = self._apply()
        self.assertEqual(response.status_code, 303)
        self.assertTrue(
            response.headers["Location"].endswith("/partner-program/apply/thanks")
        )
        application = self._applications()
        self.assertEqual(len(application), 1)
        self.assertEqual(application.source, "web")
        self.assertEqual(application.state, "new")
        self.assertEqual(application.country_id, self.es)
        self.assertEqual(application.partner_type_id, self.type_reseller)
        self.assertEqual(application.declared_revenue, 120000)
        thanks = self.url_open("/partner-program/apply/thanks")
        self.assertEqual(thanks.status_code, 200)
        self.assertIn("We received your application", thanks.text)

    def test_mass_assignment(self):
        response = self._apply(
            user_id=str(self.user_other_manager.id),
            state="accepted",
            partner_id=str(self.partner_b.id),
            score="100",
            company_id="1",
            source="import",
            duplicate_status="none",
        )
        self.assertEqual(response.status_code, 303)
        application = self._applications()
        self.assertEqual(application.state, "new")
        self.assertEqual(application.source, "web")
        self.assertFalse(application.partner_id)
        self.assertNotEqual(application.score, 100)

    def test_bad_input_keeps_nothing(self):
        count = self.Application.search_count([])
        for extra in (
            {"email": "nope@"},
            {"contact_name": ""},
            {"declared_revenue": "1e15"},
            {"declared_revenue": "-1"},
            {"declared_revenue": "NaN"},
            {"country_id": "999999"},
        ):
            response = self._apply(**extra)
            self.assertEqual(response.status_code, 400, extra)
            self.assertIn("o_prm_apply_error", response.text, extra)
        self.assertEqual(self.Application.search_count([]), count)

    def test_honeypot(self):
        response = self._apply(company_fax="+1 555 0100")
        self.assertEqual(response.status_code, 303)
        self.assertFalse(self._applications())

    def test_rate_limit_per_ip(self):
        self.env["ir.config_parameter"].set_param("prm_portal.apply_limit_ip", 2)
        for i in range(2):
            response = self._apply(
                name=f"Company {i}", email=f"c@company{i}.example.com"
            )
            self.assertEqual(response.status_code, 303)
        response = self._apply(name="Company 3", email="c@company3.example.com")
        self.assertEqual(response.status_code, 429)
        self.assertIn("Too many applications", response.text)
        self.assertFalse(self._applications("Company 3"))

    def test_rate_limit_per_email_domain(self):
        self.env["ir.config_parameter"].set_param("prm_portal.apply_limit_email", 1)
        self.assertEqual(self._apply(email="one@acme.example.com").status_code, 303)
        response = self._apply(name="Acme Again", email="two@ACME.example.com")
        self.assertEqual(response.status_code, 429)
        self.assertIn("this email domain", response.text)
        self.assertFalse(self._applications("Acme Again"))
        # Free-mail providers count per address, not for all their users.
        self.assertEqual(self._apply(name="G1", email="g1@gmail.com").status_code, 303)
        self.assertEqual(self._apply(name="G2", email="g2@gmail.com").status_code, 303)

    @mute_logger("odoo.http")
    def test_csrf(self):
        for token in (None, "bad-token"):
            data = self._form()
            if token:
                data["csrf_token"] = token
            response = self.url_open(
                "/partner-program/apply", data=data, allow_redirects=False
            )
            self.assertEqual(response.status_code, 400)
        self.assertFalse(self._applications())
