from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import PrmRoutingCommon


@tagged("post_install", "-at_install")
class TestDealAccess(PrmRoutingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reg_a = cls._register(cls.user_portal_a, partner_name="Alpha Customer")
        cls.reg_b = cls._register(cls.user_portal_b, partner_name="Beta Customer")
        cls.direct = cls._direct_lead(partner_name="Direct Customer")
        # Routed offers: one for partner A, one for partner B.
        cls.offer_lead_a, cls.offer_lead_b = cls._leads(2)
        cls.offer_a = cls.Offer.create(
            {"lead_id": cls.offer_lead_a.id, "partner_id": cls.partner_a.id}
        )
        cls.offer_b = cls.Offer.create(
            {"lead_id": cls.offer_lead_b.id, "partner_id": cls.partner_b.id}
        )
        cls.user_public = cls.env.ref("base.public_user")

    def test_portal_sees_only_its_partners_registrations(self):
        Lead = self.Lead.with_user(self.user_portal_a)
        self.assertEqual(Lead.with_context(active_test=False).search([]), self.reg_a)
        self.assertEqual(
            self.reg_a.with_user(self.user_portal_a).name, "Alpha Customer"
        )
        for other in (self.reg_b, self.direct, self.offer_lead_a):
            with self.subTest(lead=other.name), self.assertRaises(AccessError):
                other.with_user(self.user_portal_a).read(["name"])
        # Registrations are read-only for portal users outside the portal methods.
        with self.assertRaises(AccessError):
            self.reg_a.with_user(self.user_portal_a).write({"name": "Renamed"})
        with self.assertRaises(AccessError):
            self.reg_a.with_user(self.user_portal_a).prm_conflict_ids.read(["kind"])

    def test_portal_sees_only_its_partners_offers(self):
        Offer = self.Offer.with_user(self.user_portal_a)
        self.assertEqual(Offer.search([]), self.offer_a)
        # The teaser is readable before accepting; the lead itself is not.
        teaser = self.offer_a.with_user(self.user_portal_a).read(
            ["lead_name", "lead_country_id", "lead_interest", "deadline", "state"]
        )
        self.assertEqual(teaser[0]["lead_name"], self.offer_lead_a.name)
        with self.assertRaises(AccessError):
            self.offer_b.with_user(self.user_portal_a).read(["lead_name"])
        with self.assertRaises(AccessError):
            self.offer_b.with_user(self.user_portal_a).action_prm_accept()
        self.assertEqual(self.offer_b.state, "offered")

    def test_public_user_sees_nothing(self):
        for model in (
            "crm.lead",
            "prm.lead.offer",
            "prm.deal.conflict",
            "prm.routing.rule",
        ):
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(self.user_public).search([])
        with self.assertRaises(AccessError):
            self.Lead.with_user(self.user_public)._prm_portal_register_deal(
                {"partner_name": "Sneaky"}
            )
        with self.assertRaises(AccessError):
            self.offer_a.with_user(self.user_public).action_prm_accept()

    def test_channel_managers_read_channel_deals_and_edit_their_partners(self):
        manager_b = self.user_other_manager  # PRM user only, no CRM group
        Lead = self.Lead.with_user(manager_b).with_context(active_test=False)
        visible = Lead.search(
            [("id", "in", (self.reg_a | self.reg_b | self.direct).ids)]
        )
        self.assertEqual(visible, self.reg_a | self.reg_b)
        with self.assertRaises(AccessError):
            self.direct.with_user(manager_b).read(["name"])
        self.reg_b.with_user(manager_b).write({"description": "<p>Checked</p>"})
        with self.assertRaises(AccessError):
            self.reg_a.with_user(manager_b).write({"description": "<p>Not mine</p>"})
        # Conflict lines and routing configuration are readable, not editable.
        self.env["prm.deal.conflict"].with_user(manager_b).search([])
        with self.assertRaises(AccessError):
            self.rule.with_user(manager_b).write({"sla_hours": 1})

    def test_salesman_without_program_rights(self):
        with self.assertRaises(AccessError):
            self.env["prm.lead.offer"].with_user(self.user_salesman).search([])
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.reg_a.with_user(self.user_salesman).action_prm_reject_registration(
                "Not mine to decide"
            )
        self.assertEqual(self.reg_a.prm_registration_state, "submitted")

    def test_program_administrator(self):
        admin = self.user_prm_admin
        self.rule.with_user(admin).write({"sla_hours": 12})
        self.assertEqual(self.rule.sla_hours, 12)
        self.reg_b.with_user(admin).action_prm_approve_registration()
        self.assertEqual(self.reg_b.prm_registration_state, "approved")
