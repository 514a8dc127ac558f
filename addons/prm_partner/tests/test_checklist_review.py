from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common_onboarding import PrmOnboardingCommon


@tagged("post_install", "-at_install")
class TestChecklistReview(PrmOnboardingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls._onboard("Omega Resellers")
        cls.doc = cls._items(cls.partner, "Signed agreement")
        cls.criterion = cls._items(cls.partner, "Sanctions screening")

    def test_channel_manager_submits_with_evidence_only(self):
        doc = self.doc.with_user(self.user_channel_manager)
        with self.assertRaisesRegex(
            UserError, "attach the document to .*Signed agreement"
        ):
            doc.action_submit()
        self.assertEqual(self.doc.state, "open")

        doc.attachment_ids = [Command.link(self._attachment(self.partner).id)]
        doc.action_submit()
        self.assertEqual(self.doc.state, "submitted")
        self.assertEqual(self.doc.submitted_by_id, self.user_channel_manager)
        self.assertTrue(self.doc.submit_date)

        criterion = self.criterion.with_user(self.user_channel_manager)
        with self.assertRaisesRegex(UserError, "confirm .*Sanctions screening"):
            criterion.action_submit()
        criterion.write({"confirmed": True, "confirmation_note": "No match on EU list"})
        criterion.action_submit()
        self.assertEqual(self.criterion.state, "submitted")

    def test_channel_manager_cannot_approve_nor_reject(self):
        self.doc.attachment_ids = [Command.link(self._attachment(self.partner).id)]
        self.doc.action_submit()
        doc = self.doc.with_user(self.user_channel_manager)
        with self.assertRaises(AccessError):
            doc.action_approve()
        with self.assertRaises(AccessError):
            doc.write({"state": "approved"})
        with self.assertRaises(AccessError):
            doc.write({"required": False})
        with self.assertRaises(AccessError):
            doc.action_reject()
        with self.assertRaises(AccessError):
            doc._prm_reject("Blurry scan")
        self.assertEqual(self.doc.state, "submitted")
        self.assertTrue(self.doc.required)
        self.assertFalse(self.doc.reviewer_id)

    def test_administrator_approves(self):
        self.doc.attachment_ids = [Command.link(self._attachment(self.partner).id)]
        self.doc.with_user(self.user_channel_manager).action_submit()
        self.doc.with_user(self.user_prm_admin).action_approve()
        self.assertEqual(self.doc.state, "approved")
        self.assertEqual(self.doc.reviewer_id, self.user_prm_admin)
        self.assertTrue(self.doc.review_date)
        self.assertEqual(self.partner.prm_checklist_approved_count, 1)

    def test_submitter_cannot_approve_unless_allowed(self):
        """Four eyes: whoever submitted an item does not approve it, unless the
        company allows self-approval."""
        self.doc.attachment_ids = [Command.link(self._attachment(self.partner).id)]
        self.doc.with_user(self.user_prm_admin).action_submit()
        with self.assertRaisesRegex(UserError, "four eyes.*Signed agreement"):
            self.doc.with_user(self.user_prm_admin).action_approve()
        # Nor by writing the state (refused by the guard or by the four eyes).
        with self.assertRaises(UserError):
            self.doc.with_user(self.user_prm_admin).write({"state": "approved"})
        self.assertEqual(self.doc.state, "submitted")
        other_admin = new_test_user(
            self.env,
            login="prm_second_admin",
            groups="prm_partner.group_prm_manager",
            company_id=self.env.company.id,
            company_ids=[Command.set(self.env.company.ids)],
        )
        self.doc.with_user(other_admin).action_approve()
        self.assertEqual(self.doc.reviewer_id, other_admin)

        self.env.company.prm_checklist_self_approval = True
        self.criterion.confirmed = True
        self.criterion.with_user(self.user_prm_admin).action_submit()
        self.criterion.with_user(self.user_prm_admin).action_approve()
        self.assertEqual(self.criterion.state, "approved")

    def test_approving_without_evidence_is_refused(self):
        admin_doc = self.doc.with_user(self.user_prm_admin)
        with self.assertRaisesRegex(UserError, "Evidence is missing"):
            admin_doc.action_approve()
        with self.assertRaisesRegex(UserError, "confirm .*Sanctions screening"):
            self.criterion.with_user(self.user_prm_admin).action_approve()
        self.assertEqual((self.doc | self.criterion).mapped("state"), ["open", "open"])
        self.assertFalse((self.doc | self.criterion).reviewer_id)

    def test_reject_with_reason_then_resubmit(self):
        self.doc.attachment_ids = [Command.link(self._attachment(self.partner).id)]
        self.doc.with_user(self.user_channel_manager).action_submit()
        admin_doc = self.doc.with_user(self.user_prm_admin)
        with self.assertRaisesRegex(UserError, "Say why"):
            admin_doc._prm_reject("   ")
        self.assertEqual(self.doc.state, "submitted")

        action = admin_doc.action_reject()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.user_prm_admin)
            .with_context(**action["context"])
            .create({"reason": "Not signed by an authorised representative"})
        )
        self.assertIn("Signed agreement", wizard.record_names)
        wizard.action_apply()
        self.assertEqual(self.doc.state, "rejected")
        self.assertEqual(
            self.doc.rejection_reason, "Not signed by an authorised representative"
        )
        self.assertEqual(self.doc.reviewer_id, self.user_prm_admin)

        # The channel manager fixes the document and submits again.
        self.doc.with_user(self.user_channel_manager).action_submit()
        self.assertEqual(self.doc.state, "submitted")

    def test_reject_wizard_refuses_other_models(self):
        wizard = self.env["prm.reject.wizard"].create(
            {
                "res_model": "res.partner",
                "res_ids": self.partner.ids,
                "reason": "no",
            }
        )
        with self.assertRaisesRegex(UserError, "cannot be rejected"):
            wizard.action_apply()
        self.assertEqual(self.partner.prm_state, "onboarding")

    def test_approved_items_are_frozen_for_channel_managers(self):
        self.criterion.confirmed = True
        self.criterion.action_approve()
        criterion = self.criterion.with_user(self.user_channel_manager)
        with self.assertRaisesRegex(UserError, "Approved items cannot be changed"):
            criterion.confirmed = False
        self.assertTrue(self.criterion.confirmed)
        # An administrator sends it back.
        self.criterion.with_user(self.user_prm_admin).action_reopen()
        self.assertEqual(self.criterion.state, "open")
        criterion.confirmation_note = "Screened again"

    @mute_logger("odoo.models")
    def test_channel_manager_only_works_on_the_partners_they_manage(self):
        other = self._onboard("Other Resellers", manager=self.user_other_manager)
        item = self._items(other, "Sanctions screening")
        with self.assertRaises(AccessError):
            item.with_user(self.user_channel_manager).write({"confirmed": True})
        with self.assertRaises(AccessError):
            self.env["prm.checklist.item"].with_user(self.user_channel_manager).create(
                {"partner_id": other.id, "name": "Extra check", "kind": "criterion"}
            )
        self.assertFalse(item.confirmed)
        # Reading is open to every channel manager.
        self.assertEqual(
            item.with_user(self.user_channel_manager).name, "Sanctions screening"
        )
        # Ad hoc items on their own partners are fine.
        extra = (
            self.env["prm.checklist.item"]
            .with_user(self.user_channel_manager)
            .create(
                {
                    "partner_id": self.partner.id,
                    "name": "Site visit",
                    "kind": "criterion",
                }
            )
        )
        self.assertIn(extra, self.partner.prm_checklist_item_ids)

    def test_cannot_approve_twice(self):
        self.criterion.confirmed = True
        self.criterion.action_approve()
        with self.assertRaisesRegex(
            UserError, "this action is only possible in status"
        ):
            self.criterion.action_approve()

    def test_channel_manager_cannot_undo_a_review_by_writing_the_state(self):
        self.criterion.confirmed = True
        self.criterion.action_approve()
        criterion = self.criterion.with_user(self.user_channel_manager)
        for state in ("open", "submitted", "rejected"):
            with self.subTest(state=state), self.assertRaises(AccessError):
                criterion.write({"state": state})
        with self.assertRaises(AccessError):
            criterion.action_reopen()
        with self.assertRaises(AccessError):
            self.env["prm.checklist.item"].with_user(self.user_channel_manager).create(
                {"partner_id": self.partner.id, "name": "Forged", "state": "approved"}
            )
        self.assertEqual(self.criterion.state, "approved")
