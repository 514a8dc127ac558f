from datetime import date

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common_onboarding import PrmOnboardingCommon


@tagged("post_install", "-at_install")
class TestOnboardingSecurity(PrmOnboardingCommon):
    """Who reads and changes checklist items, authority documents and
    agreements: channel managers, administrators, portal and public users."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.partner_a | cls.partner_b)._prm_instantiate_checklist()
        cls.item_a = cls._items(cls.partner_a, "Sanctions screening")
        cls.item_b = cls._items(cls.partner_b, "Sanctions screening")
        cls.contact_a.prm_role_ids = [
            Command.set(cls.env.ref("prm_partner.role_sales").ids)
        ]
        cls.contact_b.prm_role_ids = [
            Command.set(cls.env.ref("prm_partner.role_admin").ids)
        ]
        authority_vals = {"name": "Power of attorney", "date_from": date(2025, 1, 1)}
        cls.authority_a = cls.env["prm.authority"].create(
            {
                **authority_vals,
                "partner_id": cls.partner_a.id,
                "contact_id": cls.contact_a.id,
            }
        )
        cls.authority_b = cls.env["prm.authority"].create(
            {
                **authority_vals,
                "partner_id": cls.partner_b.id,
                "contact_id": cls.contact_b.id,
            }
        )
        agreement_vals = {
            "type_id": cls.agreement_type.id,
            "date_start": date(2025, 1, 1),
        }
        cls.agreement_a = cls.env["prm.agreement"].create(
            {**agreement_vals, "partner_id": cls.partner_a.id}
        )
        cls.agreement_b = cls.env["prm.agreement"].create(
            {**agreement_vals, "partner_id": cls.partner_b.id}
        )
        cls.user_portal_b = new_test_user(
            cls.env,
            login="prm_portal_b",
            groups="base.group_portal",
            partner_id=cls.contact_b.id,
        )
        cls.user_public = cls.env.ref("base.public_user")

    def _records(self):
        return {
            "prm.checklist.item": (self.item_a, self.item_b),
            "prm.authority": (self.authority_a, self.authority_b),
            "prm.agreement": (self.agreement_a, self.agreement_b),
        }

    def test_channel_manager_reads_all_edits_own(self):
        for model, (own, other) in self._records().items():
            with self.subTest(model=model):
                Model = self.env[model].with_user(self.user_channel_manager)
                self.assertEqual(
                    Model.search([("id", "in", (own | other).ids)]), own | other
                )
                own.with_user(self.user_channel_manager).check_access("write")
                with (
                    self.assertRaises(AccessError),
                    mute_logger("odoo.addons.base.models.ir_rule"),
                ):
                    other.with_user(self.user_channel_manager).check_access("write")

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_channel_manager_cannot_change_another_managers_records(self):
        with self.assertRaises(AccessError):
            self.item_b.with_user(self.user_channel_manager).write({"confirmed": True})
        with self.assertRaises(AccessError):
            self.authority_b.with_user(self.user_channel_manager).write(
                {"scope": "All"}
            )
        with self.assertRaises(AccessError):
            self.agreement_b.with_user(self.user_channel_manager).write({"notes": "x"})
        with self.assertRaises(AccessError):
            self.authority_b.with_user(self.user_channel_manager).unlink()
        self.assertFalse(self.item_b.confirmed)
        self.assertFalse(self.authority_b.scope)

    def test_administrator_edits_everything(self):
        for model, (own, other) in self._records().items():
            with self.subTest(model=model):
                (own | other).with_user(self.user_prm_admin).check_access("write")
                (own | other).with_user(self.user_prm_admin).check_access("unlink")
        self.item_b.with_user(self.user_prm_admin).write({"confirmed": True})
        self.assertTrue(self.item_b.confirmed)

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.models")
    def test_configuration_is_for_administrators(self):
        configs = {
            "prm.onboarding.stage": {"name": "T-Stage"},
            "prm.checklist.template": {"name": "T-Template"},
            "prm.role": {"name": "T-Role"},
            "prm.agreement.type": {"name": "T-Type"},
        }
        for model, vals in configs.items():
            with self.subTest(model=model):
                self.env[model].with_user(self.user_channel_manager).search([], limit=1)
                with self.assertRaises(AccessError):
                    self.env[model].with_user(self.user_channel_manager).create(vals)
                self.env[model].with_user(self.user_prm_admin).create(vals)
        partner = self._onboard("Logged partner")
        log = partner.prm_stage_log_ids
        self.assertTrue(log.with_user(self.user_channel_manager).stage_id)
        with self.assertRaises(AccessError):
            log.with_user(self.user_channel_manager).write({"date_out": False})

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model")
    def test_portal_user_reads_only_their_company_data(self):
        portal = self.user_portal_a
        for model, (own, other) in self._records().items():
            with self.subTest(model=model):
                Model = self.env[model].with_user(portal)
                self.assertEqual(
                    Model.search([]),
                    self.env[model].search([("partner_id", "=", self.partner_a.id)]),
                )
                self.assertNotIn(other, Model.search([]))
                own.with_user(portal).check_access("read")
                with self.assertRaises(AccessError):
                    other.with_user(portal).check_access("read")
                with self.assertRaises(AccessError):
                    other.with_user(portal).read(["partner_id"])
                with self.assertRaises(AccessError):
                    own.with_user(portal).check_access("write")
        self.assertEqual(
            self.contact_a.with_user(portal).prm_role_ids.mapped("name"), ["Sales"]
        )
        # The portal user of B sees B's, not A's.
        self.assertEqual(
            self.env["prm.agreement"].with_user(self.user_portal_b).search([]),
            self.agreement_b,
        )

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_public_user_reads_nothing(self):
        for model, (own, other) in self._records().items():
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(self.user_public).search([])
            with self.subTest(model=model), self.assertRaises(AccessError):
                (own | other).with_user(self.user_public).read(["partner_id"])

    def test_other_company_agreements_are_hidden(self):
        other_company = self.env["res.company"].create({"name": "PRM Subsidiary"})
        shared = self._create_program_partner("Shared partner", company_id=False)
        foreign = self.env["prm.agreement"].create(
            {
                "partner_id": shared.id,
                "type_id": self.agreement_type.id,
                "company_id": other_company.id,
                "date_start": date(2025, 1, 1),
            }
        )
        Agreement = self.env["prm.agreement"].with_user(self.user_channel_manager)
        self.assertNotIn(foreign, Agreement.search([]))
        self.user_channel_manager.company_ids = [Command.link(other_company.id)]
        self.assertIn(
            foreign,
            Agreement.with_context(allowed_company_ids=other_company.ids).search([]),
        )

    def test_a_context_flag_does_not_skip_the_pipeline(self):
        """``prm_onboarding_internal`` is the suite's own bookkeeping flag: sent
        by a caller (any RPC call can), it changes nothing."""
        partner = self._create_program_partner("Flagged", state="applicant")
        partner.with_user(self.user_prm_admin).with_context(
            prm_onboarding_internal=True
        )._prm_set_state("onboarding")
        self.assertEqual(partner.prm_state, "onboarding")
        self.assertEqual(partner.prm_onboarding_stage_id, self.stage_application)
        self.assertTrue(partner.prm_checklist_item_ids, "the checklist was built")
        self.assertEqual(
            partner.prm_stage_log_ids.stage_id,
            self.stage_application,
            "the stay in the stage was recorded",
        )
