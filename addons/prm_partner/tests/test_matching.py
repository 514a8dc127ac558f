from odoo.tests import tagged

from ..tools.normalize import (
    email_domain,
    is_valid_email,
    is_valid_vat,
    normalize_company_name,
    normalize_phone,
    normalize_vat,
)
from .common import PrmCommon


@tagged("post_install", "-at_install")
class TestNormalize(PrmCommon):
    def test_company_names(self):
        cases = {
            "Iberia Soluciones, S.L.": "iberia soluciones",
            "IBERIA SOLUCIONES SL": "iberia soluciones",
            "Acme LLC": "acme",
            "ACME, Inc.": "acme",
            "Rhein Systemhaus GmbH": "rhein systemhaus",
            "ООО «Волга»": "волга",
            'OOO "Volga"': "volga",
            "Azteca Digital S.A. de C.V.": "azteca digital",
            "Andes Tecnología S.A.": "andes tecnologia",
            "Banco de Valencia": "banco de valencia",
        }
        for raw, key in cases.items():
            self.assertEqual(normalize_company_name(raw), key, raw)
        self.assertFalse(normalize_company_name("LLC"))

    def test_vat(self):
        self.assertEqual(normalize_vat("es b-12345678"), "ESB12345678")
        self.assertEqual(normalize_vat("B12345678", "ES"), "ESB12345678")
        self.assertEqual(normalize_vat("DE 123 456 789"), "DE123456789")
        self.assertTrue(is_valid_vat("ESB12345674"))
        self.assertFalse(is_valid_vat("ESB12345670"))
        self.assertIsNone(is_valid_vat("12-3456789", "US"))

    def test_email_and_phone(self):
        free = {"gmail.com", "mail.ru"}
        self.assertEqual(
            email_domain("Ana <ana@Iberia.Example.com>", free), "iberia.example.com"
        )
        self.assertFalse(email_domain("ana@gmail.com", free))
        self.assertFalse(email_domain("ivan@mail.ru", free))
        self.assertTrue(is_valid_email("ana@iberia.example.com"))
        self.assertFalse(is_valid_email("ana@iberia"))
        self.assertFalse(is_valid_email("not an email"))
        self.assertEqual(normalize_phone("+34 911 23 45 67"), "+34911234567")
        self.assertEqual(normalize_phone("911 23 45 67", "ES", 34), "+34911234567")
        self.assertEqual(normalize_phone("0034 911-234-567"), "+34911234567")
        self.assertFalse(normalize_phone("12"))


@tagged("post_install", "-at_install")
class TestPartnerMatching(PrmCommon):
    def test_keys_are_stored_and_matched_in_batch(self):
        spain = self.env.ref("base.es")
        iberia = self.env["res.partner"].create(
            {
                "name": "Iberia Soluciones S.L.",
                "is_company": True,
                "vat": "ESB12345674",
                "country_id": spain.id,
                "email": "info@iberia-sol.example.com",
                "phone": "+34 911 23 45 67",
            }
        )
        self.assertEqual(iberia.prm_vat_key, "ESB12345674")
        self.assertEqual(iberia.prm_name_key, "iberia soluciones")
        self.assertEqual(iberia.prm_phone_key, "+34911234567")
        Partner = self.env["res.partner"]
        keys_list = [
            Partner._prm_match_keys(vat="B12345674", country=spain),
            Partner._prm_match_keys(company_name="IBERIA SOLUCIONES, SL"),
            Partner._prm_match_keys(
                email="ceo@iberia-sol.example.com", phone="911234567", country=spain
            ),
            Partner._prm_match_keys(email="someone@gmail.com"),
        ]
        Partner._prm_free_mail_domains()  # the parameter is cached after one read
        # One query per key kind, whatever the size of the batch.
        with self.assertQueryCount(4):
            Partner._prm_find_matches(keys_list * 250)
        with self.assertQueryCount(4):
            matches = Partner._prm_find_matches(keys_list)
        self.assertEqual(matches[0].get(iberia.id), {"vat"})
        self.assertEqual(matches[1].get(iberia.id), {"name"})
        self.assertEqual(matches[2].get(iberia.id), {"email_domain", "phone"})
        self.assertNotIn(iberia.id, matches[3])

    def test_free_mail_list_is_configurable(self):
        partner = self.env["res.partner"].create(
            {"name": "Solo Trader", "email": "solo@freemail.example"}
        )
        Partner = self.env["res.partner"]
        keys = [Partner._prm_match_keys(email="other@freemail.example")]
        self.assertIn(partner.id, Partner._prm_find_matches(keys)[0])
        self.env["ir.config_parameter"].set_param(
            "prm_partner.free_mail_domains", "freemail.example,gmail.com"
        )
        self.assertNotIn(partner.id, Partner._prm_find_matches(keys)[0])
