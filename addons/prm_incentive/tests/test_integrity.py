"""Issue 10, money: no payment twice, no state, amount or who-did-it field
changed outside its action, segregation of duties. Each test performs the
attack as the attacker's role would (``with_user``, the same public methods and
values) and checks that it is refused and that nothing changed."""

import json
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import PrmIncentiveCommon, PrmSelloutCommon


class PrmIntegrityCommon(PrmIncentiveCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.prm_settlement_segregation = True
        cls.program = cls._create_program()
        cls._sell(1000, customer=cls.partner_a, date="2025-04-10")
        cls._sell(2000, customer=cls.partner_b, date="2025-05-10")

    def _close_as(self, user, day="2025-06-30"):
        wizard = (
            self.env["prm.settlement.wizard"]
            .with_user(user)
            .create({"program_ids": self.program.ids, "date": day})
        )
        action = wizard.action_close()
        return self.env["prm.settlement"].with_user(user).search(action["domain"])

    def _posted(self):
        """Settlements of Q2 2025 closed and approved by the accountant, posted
        by the second accountant."""
        settlements = self._close_as(self.user_accountant)
        settlements.action_approve()
        settlements.with_user(self.user_accountant_2).action_post()
        return settlements

    def _snapshot(self, settlements):
        self.env.invalidate_all()
        return [
            (
                s.state,
                s.amount_total,
                s.approved_by_id,
                s.posted_by_id,
                s.move_ids.ids,
                s.line_ids.ids,
            )
            for s in settlements.sudo()
        ] + [
            self.env["account.move"]
            .sudo()
            .search_count([("prm_settlement_id", "!=", False)])
        ]


@tagged("post_install", "-at_install")
@freeze_time("2025-07-15")
class TestSettlementIntegrity(PrmIntegrityCommon):
    """Point 1: an accountant pays the same accruals twice."""

    def test_posted_back_to_approved_and_posted_again(self):
        settlement = self._posted().filtered(lambda s: s.partner_id == self.partner_a)
        before = self._snapshot(settlement)
        own = settlement.with_user(self.user_accountant_2)
        with self.assertRaisesMsg(AccessError, "State.*Approve, Post or Cancel"):
            own.write({"state": "approved"})
        with self.assertRaisesMsg(UserError, "is in status “Posted”"):
            own.action_post()
        self.assertEqual(self._snapshot(settlement), before)
        self.assertEqual(len(settlement.move_ids), 1)

    def test_posted_to_draft_deleted_closed_again(self):
        settlement = self._posted().filtered(lambda s: s.partner_id == self.partner_a)
        before = self._snapshot(settlement)
        own = settlement.with_user(self.user_accountant)
        with self.assertRaises(AccessError):
            own.write({"state": "draft"})
        with self.assertRaisesMsg(UserError, "cancel it instead"):
            own.unlink()
        with self.assertRaisesMsg(UserError, "Nothing to settle"):
            self._close_as(self.user_accountant)
        self.assertEqual(self._snapshot(settlement), before)

    def test_cancelled_settlement_with_documents_is_kept(self):
        """Reversal is a new document: the cancelled settlement stays as the
        record of its reversed bill."""
        settlement = self._posted().filtered(lambda s: s.partner_id == self.partner_a)
        settlement.with_user(self.user_accountant).action_cancel()
        self.assertEqual(len(settlement.move_ids), 2)
        with self.assertRaisesMsg(UserError, "has accounting documents"):
            settlement.with_user(self.user_accountant).unlink()
        with self.assertRaises(AccessError):
            settlement.with_user(self.user_accountant).write({"state": "draft"})
        self.assertEqual(settlement.state, "cancel")

    def test_created_or_written_as_posted(self):
        Settlement = self.env["prm.settlement"].with_user(self.user_accountant)
        count = Settlement.sudo().search_count([])
        for forged in (
            {"state": "posted"},
            {"state": "paid"},
            {"posted_by_id": self.user_accountant_2.id},
            {"approved_by_id": self.user_accountant_2.id},
            {"amount_total": 99999.0},
        ):
            with self.subTest(forged=forged), self.assertRaises(AccessError):
                Settlement.create(
                    {
                        "program_id": self.program.id,
                        "partner_id": self.partner_a.id,
                        "date_from": "2025-04-01",
                        "date_to": "2025-06-30",
                        "date": "2025-06-30",
                        **forged,
                    }
                )
        self.assertEqual(Settlement.sudo().search_count([]), count)
        drafts = self._close_as(self.user_accountant)
        before = self._snapshot(drafts)
        other = self.program.copy({"name": "Other"})
        bill = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": self.partner_a.id,
                "invoice_date": "2025-06-30",
                "invoice_line_ids": [
                    Command.create({"name": "Fake", "quantity": 1, "price_unit": 9})
                ],
            }
        )
        for forged in (
            {"state": "posted", "posted_by_id": self.user_accountant.id},
            {"state": "approved", "approved_by_id": self.user_accountant_2.id},
            {"approved_by_id": self.user_accountant_2.id},
            {"amount_total": 99999.0, "amount_to_pay": 99999.0},
            {"line_ids": [Command.clear()]},
            {"move_ids": [Command.link(bill.id)]},
        ):
            with self.subTest(forged=forged), self.assertRaises(AccessError):
                drafts.with_user(self.user_accountant).write(forged)
        with self.assertRaisesMsg(UserError, "set by the period close"):
            drafts.with_user(self.user_accountant).write(
                {"program_id": other.id, "partner_id": self.partner_b.id}
            )
        # The document side of the link is guarded too.
        with self.assertRaises(AccessError):
            bill.with_user(self.user_accountant).write(
                {"prm_settlement_id": drafts[0].id}
            )
        with self.assertRaises(AccessError):
            self.env["account.move"].with_user(self.user_accountant).create(
                {
                    "move_type": "in_invoice",
                    "partner_id": self.partner_a.id,
                    "prm_settlement_id": drafts[0].id,
                }
            )
        self.assertEqual(self._snapshot(drafts), before)

    def test_posted_document_unlinked_from_its_settlement(self):
        settlement = self._posted().filtered(lambda s: s.partner_id == self.partner_a)
        bill = settlement.move_ids
        with self.assertRaises(AccessError):
            bill.with_user(self.user_accountant).write({"prm_settlement_id": False})
        self.assertEqual(bill.prm_settlement_id, settlement)

    def test_accrual_attached_by_create(self):
        """An accrual created into a posted settlement would be paid again when
        it is cancelled and closed again."""
        settlement = self._posted().filtered(lambda s: s.partner_id == self.partner_a)
        before = self._snapshot(settlement)
        with self.assertRaises(AccessError):
            self.env["prm.incentive.line"].with_user(self.user_accountant).create(
                {
                    "program_id": self.program.id,
                    "partner_id": self.partner_a.id,
                    "amount": 500.0,
                    "settlement_id": settlement.id,
                }
            )
        self.assertEqual(self._snapshot(settlement), before)


@tagged("post_install", "-at_install")
@freeze_time("2025-07-15")
class TestAccrualIntegrity(PrmIntegrityCommon):
    """Point 2: accruals change only by recomputation; a correction is an
    adjustment with its reason and author."""

    def test_accountant_writes_amount_and_partner(self):
        accrual = self._accruals(self.program, partner_id=self.partner_a.id)
        self.assertEqual(accrual.amount, 50.0)
        Line = accrual.with_user(self.user_accountant)
        for forged in (
            {"amount": 99999.0},
            {"partner_id": self.partner_b.id},
            {"program_id": self.program.copy().id},
            {"date": "2025-01-01"},
            {"base": 1e9},
            {"kind": "manual"},
            {"adjustment_reason": "Forged", "adjusted_by_id": self.user_prm_admin.id},
        ):
            with self.subTest(forged=forged), self.assertRaises(AccessError):
                Line.write(forged)
        self.env.invalidate_all()
        self.assertEqual(
            (accrual.amount, accrual.partner_id, accrual.base),
            (50.0, self.partner_a, 1000.0),
        )
        with self.assertRaises(AccessError):
            Line.create(
                {
                    "program_id": self.program.id,
                    "partner_id": self.partner_a.id,
                    "amount": 99999.0,
                    "name": "Goodwill",
                }
            )
        self.assertEqual(self._amount(self.program, self.partner_a), 50.0)

    def test_adjustment_with_reason_and_author(self):
        accrual = self._accruals(self.program, partner_id=self.partner_a.id)
        action = accrual.with_user(self.user_accountant).action_adjust()
        Wizard = (
            self.env["prm.incentive.adjustment.wizard"]
            .with_user(self.user_accountant)
            .with_context(**action["context"])
        )
        with self.assertRaisesMsg(UserError, "Say why"):
            Wizard.create({"amount": 10.0, "reason": "  "}).action_confirm()
        wizard = Wizard.create(
            {"amount": -20.0, "reason": "Invoice disputed", "date": "2025-06-15"}
        )
        self.assertEqual(
            (wizard.program_id, wizard.partner_id), (self.program, self.partner_a)
        )
        action = wizard.action_confirm()
        adjustment = self.env["prm.incentive.line"].browse(action["res_id"])
        self.assertRecordValues(
            adjustment,
            [
                {
                    "kind": "manual",
                    "amount": -20.0,
                    "partner_id": self.partner_a.id,
                    "adjustment_reason": "Invoice disputed",
                    "adjusted_by_id": self.user_accountant.id,
                    "adjusted_line_id": accrual.id,
                }
            ],
        )
        self.assertEqual(accrual.amount, 50.0, "The accrual itself is unchanged.")
        # The adjustment is settled with the rest.
        settlement = self._close_as(self.user_accountant).filtered(
            lambda s: s.partner_id == self.partner_a
        )
        self.assertEqual(settlement.amount_total, 30.0)
        self.assertIn(adjustment, settlement.line_ids)
        # Adjusting is the accountants' job.
        with self.assertRaises(AccessError):
            self.env["prm.incentive.adjustment.wizard"].with_user(
                self.user_channel_manager
            ).create(
                {
                    "program_id": self.program.id,
                    "partner_id": self.partner_a.id,
                    "amount": 1000.0,
                    "reason": "Mine",
                }
            )


@tagged("post_install", "-at_install")
@freeze_time("2025-07-15")
class TestSegregationOfDuties(PrmIntegrityCommon):
    """Point 4: who approves a settlement does not post it (per company)."""

    def test_approver_cannot_post(self):
        settlements = self._close_as(self.user_accountant)
        settlements.action_approve()
        with self.assertRaisesMsg(UserError, "segregation of duties"):
            settlements.action_post()
        self.assertEqual(set(settlements.mapped("state")), {"approved"})
        self.assertFalse(settlements.move_ids)
        # Nor by naming someone else as the approver.
        with self.assertRaises(AccessError):
            settlements.write({"approved_by_id": self.user_accountant_2.id})
        settlements.with_user(self.user_accountant_2).action_post()
        self.assertRecordValues(
            settlements,
            [
                {
                    "state": "posted",
                    "approved_by_id": self.user_accountant.id,
                    "posted_by_id": self.user_accountant_2.id,
                }
            ]
            * 2,
        )

    def test_switched_off_per_company(self):
        new_company = self.env["res.company"].create({"name": "New company"})
        self.assertTrue(new_company.prm_settlement_segregation, "On by default.")
        settings = self.env["res.config.settings"].create({})
        self.assertTrue(settings.prm_settlement_segregation)
        settings.prm_settlement_segregation = False
        settings.execute()
        self.assertFalse(self.env.company.prm_settlement_segregation)
        settlements = self._close_as(self.user_accountant)
        settlements.action_approve()
        settlements.action_post()
        self.assertEqual(set(settlements.mapped("state")), {"posted"})


@tagged("post_install", "-at_install")
@freeze_time("2025-07-15")
class TestProgramPortalLeak(PrmIntegrityCommon):
    """Point 13 (incentives): a portal user read the ids of other partners'
    accruals through the program."""

    def test_portal_reads_no_accrual_ids_through_the_program(self):
        program = self.program.with_user(self.user_portal_a)
        self.assertEqual(program.name, "Test program")
        for fname in ("line_ids", "settlement_ids"):
            with self.subTest(fname=fname), self.assertRaises(AccessError):
                program.read([fname])
        # Its own accruals stay readable.
        lines = self.env["prm.incentive.line"].with_user(self.user_portal_a).search([])
        self.assertEqual(lines.partner_id, self.partner_a)


@tagged("post_install", "-at_install")
class TestSettlementIntegrityJson2(PrmIntegrityCommon, HttpCase):
    """Point 1 through the external API: the accountant's API key on
    ``/json/2`` gets no further than ``with_user`` does."""

    def _call(self, key, model, method, **payload):
        response = self.url_open(
            f"/json/2/{model}/{method}",
            data=json.dumps(payload),
            headers={
                "Authorization": f"Bearer {key}",
                "Content-Type": "application/json",
                "X-Odoo-Database": self.env.cr.dbname,
            },
        )
        return response

    def test_accountant_pays_twice_over_json2(self):
        # Dates of 2025 are past: the period closes without freezing the clock
        # (the HTTP server runs in another thread).
        settlement = self._posted().filtered(lambda s: s.partner_id == self.partner_a)
        key = (
            self.env["res.users.apikeys"]
            .with_user(self.user_accountant)
            .sudo()
            ._generate(None, "attack", datetime.now() + timedelta(days=1))
        )
        before = self._snapshot(settlement)
        # The key works: reading goes through.
        response = self._call(
            key, "prm.settlement", "read", ids=settlement.ids, fields=["state"]
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()[0]["state"], "posted")
        attacks = [
            ("write", {"ids": settlement.ids, "vals": {"state": "approved"}}),
            ("action_post", {"ids": settlement.ids}),
            ("write", {"ids": settlement.ids, "vals": {"state": "draft"}}),
            ("unlink", {"ids": settlement.ids}),
            (
                "write",
                {
                    "ids": settlement.ids,
                    "vals": {"state": "approved"},
                    "context": {"prm_settlement_internal": True, "active_test": False},
                },
            ),
            (
                "create",
                {
                    "vals_list": [
                        {
                            "program_id": self.program.id,
                            "partner_id": self.partner_a.id,
                            "date_from": "2025-07-01",
                            "date_to": "2025-09-30",
                            "date": "2025-09-30",
                            "state": "posted",
                            "posted_by_id": self.user_accountant_2.id,
                        }
                    ]
                },
            ),
        ]
        with mute_logger("odoo.http"):
            for method, payload in attacks:
                with self.subTest(method=method, payload=payload):
                    response = self._call(key, "prm.settlement", method, **payload)
                    self.assertIn(response.status_code, (403, 422), response.text)
            # The close then finds nothing to pay again.
            response = self._call(
                key,
                "prm.settlement.wizard",
                "create",
                vals_list=[{"program_ids": self.program.ids, "date": "2025-06-30"}],
            )
            self.assertEqual(response.status_code, 200, response.text)
            response = self._call(
                key, "prm.settlement.wizard", "action_close", ids=response.json()
            )
            self.assertEqual(response.status_code, 422, response.text)
            self.assertIn("Nothing to settle", response.text)
        self.assertEqual(self._snapshot(settlement), before)
        self.assertEqual(
            self.env["prm.settlement"].search_count(
                [("state", "in", ("posted", "paid"))]
            ),
            2,
        )


@tagged("post_install", "-at_install")
class TestSelloutAndPointsIntegrity(PrmSelloutCommon):
    """The same rule on sell-out reports and the points ledger: a report with
    errors written straight to validated, a points move forged as a
    settlement's credit."""

    def test_report_validated_by_write(self):
        batch = self._upload(
            self._csv([["2025-02-03", "NOPE-1", "2", "2000", "", "DE", "Acme"]]),
            user=self.user_accountant,
        )
        self.assertEqual(batch.error_count, 1)
        for forged in (
            {"state": "validated"},
            {"validated_by_id": self.user_accountant_2.id},
            {"validated_date": "2025-03-01 10:00:00"},
        ):
            with self.subTest(forged=forged), self.assertRaises(AccessError):
                batch.with_user(self.user_accountant).write(forged)
        self.assertRecordValues(
            batch,
            [{"state": "draft", "validated_by_id": False, "validated_date": False}],
        )

    def test_points_move_forged(self):
        program = self._create_program(kind="points")
        Move = self.env["prm.points.move"].with_user(self.user_accountant)
        base = {
            "partner_id": self.partner_a.id,
            "program_id": program.id,
            "name": "Forged",
        }
        other = Move.create({**base, "points": 10.0})
        for forged in (
            {"kind": "earned", "points": 1000.0},
            {"points": 5.0, "source_move_id": other.id},
            {"points": float("nan")},
            {"points": 1e20},
        ):
            with self.subTest(forged=forged), self.assertRaises(UserError):
                Move.create({**base, **forged})
        self.assertEqual(self.partner_a.prm_points_balance, 10.0)

    def test_row_error_cleared_by_write(self):
        batch = self._upload(
            self._csv([["2025-02-03", "NOPE-1", "2", "2000", "", "DE", "Acme"]]),
            user=self.user_accountant,
        )
        line = batch.line_ids.with_user(self.user_accountant)
        for forged in (
            {"error_message": False},
            {"has_error": False},
            {"amount_company": 1e9},
        ):
            with self.subTest(forged=forged), self.assertRaises(AccessError):
                line.write(forged)
        with self.assertRaisesMsg(UserError, "rows with errors"):
            batch.with_user(self.user_accountant).action_validate()
        # Correcting the value is the way: the check clears the error.
        line.write({"product_id": self.product_server.id})
        self.assertFalse(line.has_error)
        batch.with_user(self.user_accountant).action_validate()
        self.assertEqual(batch.state, "validated")
