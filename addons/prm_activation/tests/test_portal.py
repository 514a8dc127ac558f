from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import PrmActivationCommon


@tagged("post_install", "-at_install")
class TestActivationPortal(PrmActivationCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program = cls._create_program(
            name="Activation commission",
            rules=[
                {"base": "activation_count", "rate_type": "fixed", "fixed_amount": 5.0}
            ],
            date_start="2020-01-01",
        )
        cls.batch, cls.codes = cls._batch(quantity=200)
        cls.batch._prm_assign_serials(cls.partner_a, 1, 5)
        cls.batch._prm_assign_serials(cls.partner_b, 101, 110)
        cls._activate(cls.codes[:2])
        cls._activate(cls.codes[100:101], email="b@example.com")
        cls.contact_a.prm_role_ids = [
            Command.set(cls.env.ref("prm_partner.role_sales").ids)
        ]
        cls.user_portal_a.password = "prm_portal_a"

    def test_page_shows_own_ranges_and_earnings_never_codes(self):
        self.authenticate("prm_portal_a", "prm_portal_a")
        response = self.url_open("/my/activations")
        self.assertEqual(response.status_code, 200)
        text = response.text
        self.assertIn(self.batch.name, text)
        self.assertIn("1-5", text)
        self.assertNotIn("101-110", text, "Another partner's range is not shown.")
        self.assertIn("10.00", text, "Two activations at 5.")
        for code in self.codes[:5]:
            self.assertNotIn(code, text)
            self.assertNotIn(code[:4] + "-", text)
        cards = self.contact_a._prm_portal_cards()
        self.assertIn("activations", [card["key"] for card in cards])

    def test_page_needs_the_sales_or_finance_role(self):
        self.contact_a.prm_role_ids = [
            Command.set(self.env.ref("prm_partner.role_technical").ids)
        ]
        self.authenticate("prm_portal_a", "prm_portal_a")
        self.assertEqual(self.url_open("/my/activations").status_code, 404)

    def test_same_queries_for_5_and_80_ranges(self):
        self.authenticate("prm_portal_a", "prm_portal_a")
        self.url_open("/my/activations")
        counts = []
        for last in (10, 85):
            for serial in range(11 if counts else 6, last + 1):
                self.batch._prm_assign_serials(self.partner_a, serial, serial)
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            response = self.url_open("/my/activations")
            counts.append(self.env.cr.sql_log_count - before)
            self.assertEqual(response.status_code, 200)
        self.assertEqual(counts[0], counts[1], counts)
        self.assertLessEqual(counts[1], 25)
