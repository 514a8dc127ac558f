"""Issue 10, program state: each attack performed as the attacker's role
would (the same public methods, values and context keys an RPC caller can
send), refused, and nothing changed."""

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common_onboarding import PrmOnboardingCommon

# Context keys that used to switch guards off.
FORGED_CONTEXT = {
    "prm_requalify": True,
    "prm_onboarding_internal": True,
    "prm_tier_reason": "Forged",
    "prm_no_recheck": True,
}


@tagged("post_install", "-at_install")
class TestProgramIntegrity(PrmOnboardingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.History = cls.env["prm.tier.history"]
        cls.company_2 = cls.env["res.company"].create({"name": "PRM Second Co"})
        cls.user_contacts = new_test_user(
            cls.env,
            login="prm_contacts_only",
            groups="base.group_user,base.group_partner_manager",
        )

    def _history(self, partner):
        return self.History.search([("partner_id", "=", partner.id)])

    # --- 5. tier and lock ---

    def test_05_channel_manager_cannot_set_tier_or_lock(self):
        partner = self.partner_a
        cm = self.user_channel_manager
        as_cm = partner.with_user(cm).with_context(**FORGED_CONTEXT)
        with self.assertRaises(AccessError):
            as_cm.write(
                {"prm_tier_id": self.tier_gold.id, "prm_tier_lock_until": "2099-12-31"}
            )
        with self.assertRaises(AccessError):
            as_cm.write({"prm_tier_lock_until": "2099-12-31"})
        with self.assertRaises(AccessError):
            as_cm.action_prm_change_tier()
        with self.assertRaises(AccessError):
            self.env["prm.tier.change.wizard"].with_user(cm).create(
                {
                    "partner_ids": [Command.set(partner.ids)],
                    "tier_id": self.tier_gold.id,
                    "reason": "Forged",
                }
            )
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(cm).with_context(**FORGED_CONTEXT).create(
                {
                    "name": "Born Platinum",
                    "is_company": True,
                    "prm_manager_id": cm.id,
                    "prm_tier_id": self.tier_gold.id,
                    "prm_tier_lock_until": "2099-12-31",
                }
            )
        self.assertEqual(partner.prm_tier_id, self.tier_registered)
        self.assertFalse(partner.prm_tier_lock_until)
        self.assertFalse(self._history(partner))
        self.assertFalse(
            self.env["res.partner"].search([("name", "=", "Born Platinum")])
        )

    def test_05_administrator_changes_tier_through_the_action(self):
        partner = self.partner_a
        admin = self.user_prm_admin
        with self.assertRaises(AccessError):
            partner.with_user(admin).write({"prm_tier_id": self.tier_gold.id})
        wizard = (
            self.env["prm.tier.change.wizard"]
            .with_user(admin)
            .with_context(default_partner_ids=partner.ids)
            .create({"tier_id": self.tier_gold.id, "reason": "  "})
        )
        with self.assertRaises(UserError):
            wizard.action_apply()
        self.assertEqual(partner.prm_tier_id, self.tier_registered)
        wizard.write(
            {
                "reason": "Strategic account",
                "lock_until": "2099-12-31",
                "lock_reason": "Pilot",
            }
        )
        wizard.action_apply()
        self.assertEqual(partner.prm_tier_id, self.tier_gold)
        self.assertEqual(str(partner.prm_tier_lock_until), "2099-12-31")
        history = self._history(partner)
        self.assertEqual(len(history), 1)
        self.assertEqual(
            (history.mode, history.reason, history.user_id, history.new_tier_id),
            ("manual", "Strategic account", admin, self.tier_gold),
        )
        self.assertEqual(history.company_id, self.env.company)

    # --- 6. status and channel manager ---

    def test_06_contact_rights_do_not_reach_program_fields(self):
        partner = self._create_program_partner("Free Contact", state="prospect")
        partner.prm_manager_id = False
        as_user = partner.with_user(self.user_contacts).with_context(**FORGED_CONTEXT)
        as_user.write({"phone": "+34 600 000 000"})  # contact rights hold
        with self.assertRaises(AccessError):
            as_user.write({"prm_state": "applicant"})
        with self.assertRaises(AccessError):
            as_user.write({"prm_manager_id": self.user_contacts.id})
        with self.assertRaises(AccessError):
            as_user._prm_set_state("applicant")
        with self.assertRaises(AccessError):
            self.env["prm.partner.state.wizard"].with_user(self.user_contacts).create(
                {"partner_ids": [Command.set(partner.ids)], "new_state": "applicant"}
            )
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.user_contacts).create(
                {
                    "name": "Self-made partner",
                    "prm_is_partner": True,
                    "prm_state": "active",
                    "prm_manager_id": self.user_contacts.id,
                }
            )
        self.assertEqual(partner.prm_state, "prospect")
        self.assertFalse(partner.prm_manager_id)

    def test_06_channel_manager_cannot_take_or_hand_over_partners(self):
        cm = self.user_channel_manager
        with self.assertRaises(AccessError):
            self.partner_a.with_user(cm).write(
                {"prm_manager_id": self.user_other_manager.id}
            )
        with self.assertRaises(AccessError):
            self.partner_b.with_user(cm).write({"prm_manager_id": cm.id})
        self.assertEqual(self.partner_a.prm_manager_id, cm)
        self.assertEqual(self.partner_b.prm_manager_id, self.user_other_manager)
        # Taking a new partner himself, and changing the status through the
        # action, is what a channel manager does.
        partner = (
            self.env["res.partner"]
            .with_user(cm)
            .create(
                {
                    "name": "My prospect",
                    "is_company": True,
                    "prm_is_partner": True,
                    "prm_partner_type_id": self.type_referral.id,
                    "prm_manager_id": cm.id,
                }
            )
        )
        wizard = (
            self.env["prm.partner.state.wizard"]
            .with_user(cm)
            .create(
                {"partner_ids": [Command.set(partner.ids)], "new_state": "applicant"}
            )
        )
        wizard.action_apply()
        self.assertEqual(partner.prm_state, "applicant")
        self.partner_b.with_user(self.user_prm_admin).write({"prm_manager_id": cm.id})
        self.assertEqual(self.partner_b.prm_manager_id, cm)

    # --- 9. applications ---

    def _application(self, user, partner, **vals):
        return (
            self.env["prm.application"]
            .with_user(user)
            .create(
                {
                    "name": f"Application of {partner.name}",
                    "email": f"someone@{partner.id}.nowhere-else.test",
                    "partner_id": partner.id,
                    "user_id": user.id,
                    **vals,
                }
            )
        )

    def test_09_acceptance_does_not_move_partners_the_manager_may_not_edit(self):
        cm = self.user_channel_manager
        others_prospect = self._create_program_partner(
            "Other's Prospect", state="prospect", manager=self.user_other_manager
        )
        terminated = self._create_program_partner("Gone Partner", state="terminated")
        foreign = self._create_program_partner(
            "Foreign Partner", state="prospect", company_id=self.company_2.id
        )
        apps = {}
        for partner in (others_prospect, terminated, foreign):
            before = (partner.prm_state, partner.prm_manager_id)
            app = apps[partner] = self._application(cm, partner)
            self.assertEqual(app.partner_id, partner)
            with self.subTest(partner=partner.name), self.assertRaises(AccessError):
                app.with_user(cm).action_accept()
            self.assertEqual((partner.prm_state, partner.prm_manager_id), before)
            self.assertEqual(app.state, "new")
        # An administrator may take the terminated partner back.
        apps[terminated].with_user(self.user_prm_admin).action_accept()
        self.assertEqual(terminated.prm_state, "onboarding")

    def test_09_13_applications_cannot_be_created_decided(self):
        Application = (
            self.env["prm.application"]
            .with_user(self.user_channel_manager)
            .with_context(**FORGED_CONTEXT)
        )
        base = {"name": "Decided Upfront", "email": "x@decided.test"}
        for forged in (
            {"state": "accepted"},
            {"score": 100},
            {"proposal": "pass"},
            {"duplicate_status": "certain"},
            {"date_decided": "2025-01-01 10:00:00"},
        ):
            with self.subTest(forged=forged), self.assertRaises(AccessError):
                Application.create({**base, **forged})
        self.assertFalse(
            self.env["prm.application"].search([("name", "=", "Decided Upfront")])
        )
        app = Application.create(base)
        with self.assertRaises(AccessError):
            app.write({"state": "accepted", "score": 100})
        self.assertEqual(app.state, "new")

    # --- 10. onboarding gate ---

    def test_10_onboarding_gate_holds(self):
        cm = self.user_channel_manager
        partner = self._onboard("Gatekeeper Co")
        other = self._onboard("Other Onboarding Co")
        items = self._items(partner).filtered("required")
        self.assertTrue(items)
        # Required items moved to another partner would leave the gate open.
        with self.assertRaises(AccessError):
            items.with_user(cm).write({"partner_id": other.id})
        self.assertEqual(items.partner_id, partner)
        # A context key takes nobody past the gate.
        as_cm = partner.with_user(cm).with_context(**FORGED_CONTEXT)
        with self.assertRaises(AccessError):
            as_cm.write({"prm_state": "active"})
        wizard = (
            self.env["prm.partner.state.wizard"]
            .with_user(cm)
            .with_context(**FORGED_CONTEXT)
            .create({"partner_ids": [Command.set(partner.ids)], "new_state": "active"})
        )
        with self.assertRaises(UserError):
            wizard.action_apply()
        self.assertEqual(partner.prm_state, "onboarding")
        self.assertEqual(self._items(partner), items | self._items(partner))

    # --- 11. requalification ---

    def test_11_requalification_checks_rights_and_company(self):
        cm = self.user_channel_manager
        with self.assertRaises(AccessError):
            self.partner_b.with_user(cm).action_prm_requalify()
        self.assertFalse(self._history(self.partner_b))
        # A shared partner qualifying for Silver in our company (one
        # representative), requalified with another company in the context.
        shared = self._create_program_partner(
            "Shared Silver", tier=self.tier_silver, company_id=False
        )
        self.env["res.partner"].create(
            {
                "name": "Rep",
                "parent_id": shared.id,
                "prm_role_ids": [
                    Command.set(self.env["prm.role"].search([], limit=1).ids)
                ],
            }
        )
        cm.company_ids = [Command.link(self.company_2.id)]
        shared.with_user(cm).with_context(
            allowed_company_ids=self.company_2.ids
        ).action_prm_requalify()
        self.assertEqual(shared.prm_tier_id, self.tier_silver)
        self.assertFalse(shared.prm_downgrade_tier_id, "no grace from empty figures")

    # --- 12. company of program rows ---

    def test_12_other_company_users_do_not_read_program_rows(self):
        partner = self._onboard("Company One Onboarding", company_id=False)
        self.assertTrue(partner.prm_checklist_item_ids)
        authority = self.env["prm.authority"].create(
            {
                "name": "Power of attorney",
                "partner_id": partner.id,
                "date_from": "2025-01-01",
            }
        )
        rows = {
            "prm.checklist.item": partner.prm_checklist_item_ids,
            "prm.onboarding.stage.log": partner.prm_stage_log_ids,
            "prm.authority": authority,
        }
        user_2 = new_test_user(
            self.env,
            login="prm_cm_company_2",
            groups="prm_partner.group_prm_manager",
            company_id=self.company_2.id,
            company_ids=[Command.set(self.company_2.ids)],
        )
        for model, records in rows.items():
            self.assertTrue(records, model)
            self.assertEqual(records.company_id, self.env.company, model)
            with self.subTest(model=model):
                found = (
                    self.env[model]
                    .with_user(user_2)
                    .search([("id", "in", records.ids)])
                )
                self.assertFalse(found, f"{model} of company 1 read from company 2")

    # --- 13. who-did-it fields ---

    def test_13_checklist_recorded_fields_are_not_forgeable(self):
        cm = self.user_channel_manager
        partner = self._onboard("Recorded Co")
        item = self._items(partner, "Sanctions screening")
        as_cm = item.with_user(cm).with_context(**FORGED_CONTEXT)
        for forged in (
            {"submitted_by_id": self.user_prm_admin.id},
            {"submit_date": "2020-01-01 00:00:00"},
            {"state": "submitted"},
            {"reviewer_id": cm.id},
        ):
            with self.subTest(forged=forged), self.assertRaises(AccessError):
                as_cm.write(forged)
        with self.assertRaises(AccessError):
            self.env["prm.checklist.item"].with_user(cm).create(
                {
                    "partner_id": partner.id,
                    "name": "Pre-approved",
                    "state": "approved",
                    "submitted_by_id": self.user_prm_admin.id,
                }
            )
        self.assertEqual(item.state, "open")
        self.assertFalse(item.submitted_by_id)
        # The action records who submitted.
        as_cm.write({"confirmed": True})
        as_cm.action_submit()
        self.assertEqual((item.state, item.submitted_by_id), ("submitted", cm))
