"""Issue 10, points 5 and 6 over the external API: a channel manager and a
user with contact rights call ``/json/2`` with their API keys, with the context
keys that used to open guards; refused (HTTP 403), nothing changed."""

from odoo.tests import HttpCase, new_test_user, tagged

from .json2 import Json2Mixin


@tagged("post_install", "-at_install")
class TestProgramIntegrityJson2(Json2Mixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Tier = cls.env["prm.tier"]
        cls.tier_silver = Tier.create({"name": "J2-Silver", "sequence": 2101})
        cls.tier_platinum = Tier.create({"name": "J2-Platinum", "sequence": 2104})
        cls.manager = new_test_user(
            cls.env, login="prm_j2_manager", groups="prm_partner.group_prm_user"
        )
        cls.contacts_user = new_test_user(
            cls.env,
            login="prm_j2_contacts",
            groups="base.group_user,base.group_partner_manager",
        )
        cls.partner = cls.env["res.partner"].create(
            {
                "name": "J2 Silver Partner",
                "is_company": True,
                "prm_is_partner": True,
                "prm_partner_type_id": cls.env.ref(
                    "prm_partner.partner_type_reseller"
                ).id,
                "prm_state": "active",
                "prm_tier_id": cls.tier_silver.id,
                "prm_manager_id": cls.manager.id,
            }
        )
        cls.prospect = cls.env["res.partner"].create(
            {"name": "J2 Prospect", "is_company": True, "prm_state": "prospect"}
        )

    def _state(self, partner):
        partner.invalidate_recordset()
        return partner.read(
            ["prm_tier_id", "prm_tier_lock_until", "prm_state", "prm_manager_id"]
        )[0]

    def test_05_channel_manager_lifts_no_tier_over_json2(self):
        before = self._state(self.partner)
        response = self._json2(
            self.manager,
            "res.partner",
            "write",
            ids=self.partner.ids,
            context={"prm_requalify": True, "prm_tier_reason": "Forged"},
            vals={
                "prm_tier_id": self.tier_platinum.id,
                "prm_tier_lock_until": "2099-12-31",
            },
        )
        self.assertEqual(response.status_code, 403, response.text)
        self.assertIn("Change tier", response.text)
        response = self._json2(
            self.manager,
            "res.partner",
            "create",
            vals_list=[
                {
                    "name": "J2 Born Platinum",
                    "prm_tier_id": self.tier_platinum.id,
                    "prm_tier_lock_until": "2099-12-31",
                }
            ],
        )
        self.assertEqual(response.status_code, 403, response.text)
        self.assertEqual(self._state(self.partner), before)
        self.assertFalse(
            self.env["prm.tier.history"].search([("partner_id", "=", self.partner.id)])
        )
        self.assertFalse(
            self.env["res.partner"].search([("name", "=", "J2 Born Platinum")])
        )

    def test_06_contact_rights_write_no_program_status_over_json2(self):
        before = self._state(self.prospect)
        for vals in (
            {"prm_state": "active"},
            {"prm_manager_id": self.contacts_user.id},
        ):
            response = self._json2(
                self.contacts_user,
                "res.partner",
                "write",
                ids=self.prospect.ids,
                context={"prm_onboarding_internal": True},
                vals=vals,
            )
            self.assertEqual(response.status_code, 403, response.text)
        self.assertEqual(self._state(self.prospect), before)
