import psycopg2

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common_mdf import PrmMdfCommon


@tagged("post_install", "-at_install")
class TestMdfClaim(PrmMdfCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.request_a = cls._request(600.0, approve=True)

    def test_claims_within_the_approved_amount(self):
        self._claim(self.request_a, 400.0)
        with self.assertRaisesRegex(UserError, "already claimed"):
            self._claim(self.request_a, 201.0)
        last = self._claim(self.request_a, 200.0)
        self.assertEqual(last.state, "submitted")
        self.assertEqual(self.request_a.amount_claimed, 600.0)
        self.assertEqual(self.budget_a.amount_claimed, 600.0)

    def test_claim_needs_proof_and_an_approved_request(self):
        claim = self._claim(self.request_a, 100.0, proof=False, submit=False)
        with self.assertRaisesRegex(UserError, "proof"):
            claim.action_submit()
        self.assertEqual(claim.state, "draft")
        pending = self._request(50.0)
        with self.assertRaises(ValidationError):
            self._claim(pending, 10.0, submit=False)
        with self.assertRaises(ValidationError):
            self._claim(self.request_a, -10.0, submit=False)

    def test_reimbursed_once_and_reversible(self):
        claim = self._claim(self.request_a, 250.0)
        manager = self.user_accountant_manager
        claim.with_user(manager).action_approve()
        self.assertEqual(claim.approved_by_id, manager)
        claim.with_user(manager).action_reimburse()
        move = claim.move_id
        self.assertEqual(
            (claim.state, move.state, move.move_type), ("paid", "posted", "in_invoice")
        )
        self.assertEqual(move.amount_total, 250.0)
        self.assertEqual(move.partner_id, self.partner_a)
        self.assertEqual(self.budget_a.amount_reimbursed, 250.0)
        # Paid once: the action refuses, and so does the database.
        with self.assertRaises(UserError):
            claim.with_user(manager).action_reimburse()
        with (
            self.assertRaises(psycopg2.errors.UniqueViolation),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.env["account.move"].create(
                {**claim._prepare_reimbursement_vals(), "prm_mdf_claim_id": claim.id}
            )
            self.env.flush_all()
        self.assertEqual(
            self.env["account.move"].search_count(
                [("prm_mdf_claim_id", "=", claim.id)]
            ),
            1,
        )
        # Reversed through Odoo's reversal, never deleted.
        claim.with_user(manager).action_reverse()
        self.assertEqual(claim.state, "reversed")
        self.assertEqual(claim.reversal_move_id.reversed_entry_id, move)
        self.assertEqual(move.payment_state, "reversed")
        self.assertEqual(self.budget_a.amount_reimbursed, 0.0)
        with self.assertRaises(UserError):
            claim.with_user(manager).action_reimburse()
        with self.assertRaises(UserError):
            claim.unlink()

    def test_credit_note_on_the_partner_account(self):
        self.env.company.prm_mdf_payout_method = "credit_note"
        claim = self._claim(self.request_a, 100.0)
        claim.action_approve()
        claim.action_reimburse()
        self.assertEqual(claim.move_id.move_type, "out_refund")
        self.assertEqual(claim.move_id.journal_id.type, "sale")

    def test_nobody_writes_states_amounts_or_approvers(self):
        claim = self._claim(self.request_a, 100.0)
        users = (
            self.user_channel_manager,
            self.user_accountant_manager,
            self.user_prm_admin,
        )
        for user in users:
            as_user = claim.with_user(user).with_context(
                prm_force=True, active_test=False
            )
            for vals in (
                {"state": "approved"},
                {"state": "paid"},
                {"approved_by_id": user.id},
                {"paid_by_id": user.id},
            ):
                with self.assertRaises(AccessError, msg=f"{user.login} {vals}"):
                    as_user.write(vals)
            with self.assertRaises(AccessError):
                self.request_a.with_user(user).write({"amount_approved": 1.0})
            with self.assertRaises(AccessError):
                self.request_a.with_user(user).write({"state": "submitted"})
            with self.assertRaises(AccessError):
                self.Claim.with_user(user).with_context(default_state="paid").create(
                    {"request_id": self.request_a.id, "amount": 1.0}
                )
        with self.assertRaises(UserError):
            claim.with_user(self.user_channel_manager).write({"amount": 50.0})
        # A channel manager of another partner may not decide.
        with self.assertRaises(AccessError):
            claim.with_user(self.user_other_manager).action_approve()
        # A program user without accounting rights may not post.
        claim.action_approve()
        self.partner_a.sudo().prm_manager_id = self.user_channel_manager
        with self.assertRaises(AccessError):
            claim.with_user(self.user_channel_manager).action_reimburse()
        # Portal users have no access at all over the ORM.
        with self.assertRaises(AccessError):
            claim.with_user(self.user_portal_a).action_approve()
        with self.assertRaises(AccessError):
            self.Claim.with_user(self.user_portal_a).search([])
        self.assertEqual(claim.state, "approved")

    def test_claim_proof_from_the_portal_is_checked(self):
        with self.assertRaisesRegex(ValidationError, "too large"):
            self.request_a._prm_portal_claim(
                self.user_portal_a,
                "10",
                "x",
                [("big.pdf", b"%PDF-1.4" + b"0" * (50 * 1024 * 1024))],
            )
        with self.assertRaisesRegex(ValidationError, "not a document"):
            self.request_a._prm_portal_claim(
                self.user_portal_a,
                "10",
                "x",
                [("fake.pdf", b"MZ\x90\x00 this is an executable")],
            )
        with self.assertRaisesRegex(UserError, "proof"):
            self.request_a._prm_portal_claim(self.user_portal_a, "10", "x", [])
        self.assertFalse(self.request_a.claim_ids, "Nothing stored.")
        claim = self.request_a._prm_portal_claim(
            self.user_portal_a, "60", "Seminar", [("proof.pdf", b"%PDF-1.4\n%%EOF")]
        )
        self.assertEqual(
            (claim.state, claim.amount, claim.attachment_ids.mimetype),
            ("submitted", 60.0, "application/pdf"),
        )
        self.assertEqual(claim.attachment_ids.mapped("res_id"), [claim.id])
