"""Issue 10, points 7 and 8 over the external API (``/json/2`` with the
attacker's API key): refused (HTTP 403), nothing changed."""

from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.prm_partner.tests.json2 import Json2Mixin


@tagged("post_install", "-at_install")
class TestDealIntegrityJson2(Json2Mixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "J2 Company B"})
        cls.salesman = new_test_user(
            cls.env, login="prm_j2_salesman", groups="sales_team.group_sale_salesman"
        )
        cls.manager_a = new_test_user(
            cls.env,
            login="prm_j2_manager_a",
            groups="prm_partner.group_prm_user",
            company_id=cls.company_a.id,
            company_ids=[Command.set(cls.company_a.ids)],
        )
        partner_vals = {
            "is_company": True,
            "prm_is_partner": True,
            "prm_state": "active",
            "prm_manager_id": cls.manager_a.id,
        }
        cls.partner_a = cls.env["res.partner"].create(
            {**partner_vals, "name": "J2 Partner A", "company_id": cls.company_a.id}
        )
        cls.partner_b = cls.env["res.partner"].create(
            {**partner_vals, "name": "J2 Partner B", "company_id": cls.company_b.id}
        )
        cls.registration = cls.env["crm.lead"].create(
            {
                "name": "J2 registration",
                "type": "opportunity",
                "partner_name": "J2 Customer",
                "user_id": cls.salesman.id,
                "company_id": cls.company_a.id,
                "prm_partner_id": cls.partner_a.id,
            }
        )
        cls.registration._prm_submit_registration()
        lead_b = cls.env["crm.lead"].create(
            {"name": "J2 routed lead of B", "company_id": cls.company_b.id}
        )
        cls.offer_b = cls.env["prm.lead.offer"].create(
            {
                "lead_id": lead_b.id,
                "partner_id": cls.partner_b.id,
                "deadline": fields.Datetime.now() + timedelta(days=2),
            }
        )

    def test_07_sales_user_approves_no_registration_over_json2(self):
        lead = self.registration
        self.assertEqual(lead.prm_registration_state, "submitted")
        response = self._json2(
            self.salesman,
            "crm.lead",
            "write",
            ids=lead.ids,
            context={"prm_decision": "approve"},
            vals={
                "prm_registration_state": "approved",
                "prm_protection_end": "2099-12-31",
                "prm_approver_id": self.salesman.id,
            },
        )
        self.assertEqual(response.status_code, 403, response.text)
        response = self._json2(
            self.salesman,
            "crm.lead",
            "action_prm_approve_registration",
            ids=lead.ids,
            reason="Mine",
            force=True,
        )
        self.assertEqual(response.status_code, 403, response.text)
        lead.invalidate_recordset()
        self.assertEqual(lead.prm_registration_state, "submitted")
        self.assertFalse(lead.prm_protection_end)
        self.assertFalse(lead.prm_approver_id)

    def test_08_company_a_manager_accepts_no_offer_of_company_b_over_json2(self):
        response = self._json2(
            self.manager_a,
            "prm.lead.offer",
            "action_prm_accept",
            ids=self.offer_b.ids,
            context={"allowed_company_ids": [self.company_a.id, self.company_b.id]},
        )
        self.assertIn(response.status_code, (403, 404), response.text)
        self.offer_b.invalidate_recordset()
        self.assertEqual(self.offer_b.state, "offered")
        self.assertFalse(self.offer_b.lead_id.prm_partner_id)
