from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PrmIncentiveCommon


@tagged("post_install", "-at_install")
@freeze_time("2025-07-15")
class TestIncentiveSettlement(PrmIncentiveCommon):
    """Period close, approval, payout documents, cancellation and carry-forward."""

    def _counts(self):
        self.env.flush_all()
        return (
            self.env["prm.incentive.line"].sudo().search_count([]),
            self.env["prm.settlement"].sudo().search_count([]),
            self.env["account.move"].sudo().search_count([]),
        )

    def test_close_approve_post_bill(self):
        program = self._create_program(payout_grouping="invoice")
        invoice_1 = self._sell(1000, date="2025-04-10")
        invoice_2 = self._sell(3000, date="2025-05-10")
        settlement = self._close(program, "2025-06-30")
        self.assertEqual(len(settlement), 1)
        self.assertEqual(settlement.state, "draft")
        self.assertEqual(settlement.partner_id, self.partner_a)
        self.assertEqual(
            (settlement.date_from, settlement.date_to, settlement.date),
            (
                fields.Date.to_date("2025-04-01"),
                fields.Date.to_date("2025-06-30"),
                fields.Date.to_date("2025-06-30"),
            ),
        )
        self.assertEqual(settlement.amount_total, 200.0)
        self.assertTrue(settlement.name.startswith("INC/2025/"))
        settlement.action_approve()
        settlement.action_post()
        bill = settlement.move_ids
        self.assertEqual(settlement.state, "posted")
        self.assertEqual(bill.move_type, "in_invoice")
        self.assertEqual(bill.state, "posted")
        self.assertEqual(bill.partner_id, self.partner_a)
        self.assertEqual(bill.amount_total, 200.0)
        self.assertEqual(bill.invoice_date, settlement.date)
        self.assertEqual(bill.prm_settlement_id, settlement)
        self.assertEqual(
            sorted(bill.invoice_line_ids.mapped("price_unit")), [50.0, 150.0]
        )
        labels = " ".join(bill.invoice_line_ids.mapped("name"))
        self.assertIn(invoice_1.name, labels)
        self.assertIn(invoice_2.name, labels)
        # Paying the bill, from the settlement, pays the settlement.
        action = settlement.action_register_payment()
        self.assertEqual(action["res_model"], "account.payment.register")
        self.assertLessEqual(
            set(action["context"]["active_ids"]), set(bill.line_ids.ids)
        )
        self._register_payment(bill, payment_date="2025-07-15")
        self.assertEqual(settlement.state, "paid")
        with self.assertRaisesMsg(UserError, "nothing left to pay"):
            settlement.action_register_payment()

    def test_post_twice_pays_once(self):
        program = self._create_program()
        self._sell(1000, date="2025-04-10")
        settlement = self._settle_and_post(program, "2025-06-30")
        with self.assertRaisesMsg(UserError, "is in status “Posted”"):
            settlement.action_post()
        self.assertEqual(len(settlement.move_ids), 1)
        # Closing again: the partner is settled for the period, nothing new.
        with self.assertRaisesMsg(UserError, "Nothing to settle"):
            self.env["prm.settlement.wizard"].create(
                {"program_ids": program.ids, "date": "2025-06-30"}
            ).action_close()

    def test_close_before_period_end_is_refused(self):
        program = self._create_program()
        self._sell(1000, date="2025-07-01")
        counts = self._counts()
        with self.assertRaisesMsg(UserError, "can only be closed after"):
            self._close(program, "2025-07-10")
        self.assertEqual(self._counts(), counts)

    def test_preview_writes_nothing(self):
        program = self._create_program(
            [
                {},
                {
                    "rate_type": "bracket",
                    "bracket_ids": [Command.create({"amount_from": 0, "rate": 1.0})],
                },
            ]
        )
        self._sell(1000, date="2025-07-01")
        # An invoice whose accruals are out of date (rate changed since).
        program.rule_ids[0].rate = 10.0
        counts = self._counts()
        wizard = self.env["prm.settlement.wizard"].new(
            {"program_ids": program.ids, "date": "2025-07-10"}
        )
        rows = self.env["prm.settlement"]._preview_close(
            program, fields.Date.to_date("2025-07-10")
        )
        html = str(wizard.preview_html)
        self.assertEqual(self._counts(), counts, "The preview wrote something.")
        self.assertEqual(len(rows), 1)
        # Current quarter: 1,000 at 10% (not yet recomputed: 50 open + 50
        # pending) + 1% brackets on 1,000 (period result 10).
        self.assertEqual(
            (rows[0]["open"], rows[0]["pending"], rows[0]["period"], rows[0]["total"]),
            (50.0, 50.0, 10.0, 110.0),
        )
        self.assertIn("Alpha Resellers", html)
        # Closing the same period afterwards gives what the preview said.
        with freeze_time("2025-10-02"):
            settlement = self._close(program, "2025-07-10")
        self.assertEqual(settlement.amount_total, 110.0)
        self.assertEqual(settlement.date_from, fields.Date.to_date("2025-07-01"))

    def test_credit_note_payout(self):
        program = self._create_program(
            payout_method="credit_note", journal_id=self.journal_sale.id
        )
        self._sell(2000, date="2025-04-10")
        settlement = self._settle_and_post(program, "2025-06-30")
        credit_note = settlement.move_ids
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(credit_note.partner_id, self.partner_a)
        self.assertEqual(credit_note.amount_total, 100.0)
        # The payout credit note earns nothing itself.
        self.assertFalse(self._accruals(program, move_id=credit_note.id))

    def test_accrual_entry_payout(self):
        program = self._create_program(
            payout_method="entry",
            journal_id=self.journal_misc.id,
            expense_account_id=self.company_data["default_account_expense"].id,
        )
        self._sell(2000, date="2025-04-10")
        settlement = self._settle_and_post(program, "2025-06-30")
        entry = settlement.move_ids
        self.assertEqual(entry.move_type, "entry")
        self.assertEqual(entry.state, "posted")
        payable = entry.line_ids.filtered(
            lambda aml: aml.account_id.account_type == "liability_payable"
        )
        self.assertEqual(payable.balance, -100.0)
        self.assertEqual(payable.partner_id, self.partner_a)
        expense = entry.line_ids - payable
        self.assertEqual(
            expense.account_id, self.company_data["default_account_expense"]
        )
        self.assertEqual(sum(expense.mapped("balance")), 100.0)

    def test_cancel_reverses_and_frees_lines(self):
        program = self._create_program()
        self._sell(1000, date="2025-04-10")
        settlement = self._settle_and_post(program, "2025-06-30")
        bill = settlement.move_ids
        lines = settlement.line_ids
        settlement.action_cancel()
        self.assertEqual(settlement.state, "cancel")
        self.assertEqual(bill.state, "posted", "The bill is reversed, not deleted.")
        self.assertEqual(bill.payment_state, "reversed")
        reversal = bill.reversal_move_ids
        self.assertEqual(reversal.move_type, "in_refund")
        self.assertEqual(reversal.amount_total, 50.0)
        self.assertFalse(lines.settlement_id)
        self.assertEqual(settlement.cancelled_line_ids, lines)
        # The freed lines settle again, once.
        again = self._settle_and_post(program, "2025-06-30")
        self.assertEqual(again.line_ids, lines)
        self.assertEqual(again.move_ids.amount_total, 50.0)

    def test_payment_removed_settlement_posted_again(self):
        program = self._create_program()
        self._sell(1000, date="2025-04-10")
        settlement = self._settle_and_post(program, "2025-06-30")
        self._register_payment(settlement.move_ids, payment_date="2025-07-15")
        self.assertEqual(settlement.state, "paid")
        settlement.move_ids.line_ids.remove_move_reconcile()
        self.assertEqual(settlement.state, "posted")

    def test_paid_settlement_cannot_be_cancelled(self):
        program = self._create_program()
        self._sell(1000, date="2025-04-10")
        settlement = self._settle_and_post(program, "2025-06-30")
        self._register_payment(settlement.move_ids, payment_date="2025-07-15")
        with self.assertRaisesMsg(UserError, "paid"):
            settlement.action_cancel()
        self.assertEqual(settlement.state, "paid")

    def test_payout_document_cannot_be_reset_alone(self):
        program = self._create_program()
        self._sell(1000, date="2025-04-10")
        settlement = self._settle_and_post(program, "2025-06-30")
        with self.assertRaisesMsg(UserError, "cancel the settlement instead"):
            settlement.move_ids.button_draft()
        with self.assertRaisesMsg(UserError, "cancel the settlement instead"):
            settlement.move_ids.button_cancel()

    def test_settled_accrual_is_frozen(self):
        program = self._create_program()
        self._sell(1000, date="2025-04-10")
        settlement = self._close(program, "2025-06-30")
        with self.assertRaisesMsg(UserError, "belongs to settlement"):
            settlement.line_ids.write({"name": "changed"})
        with self.assertRaisesMsg(UserError, "belongs to settlement"):
            settlement.line_ids.unlink()
        with self.assertRaisesMsg(UserError, "set by its action"):
            settlement.line_ids.write({"settlement_id": False})

    def test_clawback_in_later_period_carries_forward(self):
        program = self._create_program()
        invoice = self._sell(1000, date="2025-02-10")
        q1 = self._settle_and_post(program, "2025-03-31")
        self.assertEqual(q1.move_ids.amount_total, 50.0)
        # Q2: the Q1 invoice is refunded, nothing sold.
        self._reverse(invoice, date="2025-05-10")
        q2 = self._settle_and_post(program, "2025-06-30")
        self.assertEqual(q2.amount_total, -50.0)
        self.assertEqual(q2.amount_clawback, -50.0)
        self.assertEqual(q2.amount_to_pay, 0.0)
        self.assertEqual(q2.amount_carried_forward, -50.0)
        self.assertFalse(q2.move_ids, "No negative vendor bill.")
        self.assertEqual(q2.state, "posted")
        carry = q2.carry_line_ids
        self.assertEqual((carry.amount, carry.date.isoformat()), (-50.0, "2025-07-01"))
        # Q3: 2,000 earns 100, minus the 50 carried.
        self._sell(2000, date="2025-08-10")
        with freeze_time("2025-10-05"):
            q3 = self._settle_and_post(program, "2025-09-30")
        self.assertIn(carry, q3.line_ids)
        self.assertEqual(q3.amount_carried_in, -50.0)
        self.assertEqual(q3.move_ids.amount_total, 50.0)
        # Q2 cannot be cancelled while Q3 holds its balance.
        with self.assertRaisesMsg(UserError, "carried into"):
            q2.action_cancel()

    def test_bill_lines_per_rule_by_default(self):
        """One bill line per rule whatever the number of invoices; the
        statement keeps the per-invoice detail (the accruals)."""
        program = self._create_program([{}, {"rate": 1.0}])
        invoices = [self._sell(1000, date=f"2025-0{m}-10") for m in (4, 5, 6)]
        settlement = self._settle_and_post(program, "2025-06-30")
        bill = settlement.move_ids
        self.assertEqual(
            sorted(bill.invoice_line_ids.mapped("price_unit")), [30.0, 150.0]
        )
        self.assertEqual(
            sorted(bill.invoice_line_ids.mapped("name")), ["Rule 1", "Rule 2"]
        )
        self.assertEqual(
            settlement.line_ids.move_id, invoices[0] | invoices[1] | invoices[2]
        )
        self.assertIn("Posted: ", settlement.message_ids[0].body)

    def test_wizard_defaults_skip_open_periods(self):
        """The close wizard preselects the programs whose period ended on its
        default day, says which it left out, and closes the ended ones when
        both kinds are selected."""
        monthly = self._create_program(name="Monthly", period="monthly")
        quarterly = self._create_program(name="Quarterly")
        self._sell(1000, date="2025-07-10")
        with freeze_time("2025-08-15"):
            Wizard = self.env["prm.settlement.wizard"]
            wizard = Wizard.create({})
            self.assertEqual(str(wizard.date), "2025-07-31")
            self.assertIn(monthly, wizard.program_ids)
            self.assertNotIn(quarterly, wizard.program_ids)
            self.assertIn("Quarterly: its period ends on", wizard.skipped_note)
            self.assertNotIn("Monthly", wizard.skipped_note)
            wizard.program_ids = monthly | quarterly
            action = wizard.action_close()
            self.assertEqual(action["tag"], "display_notification")
            self.assertIn("Quarterly", action["params"]["message"])
            settlements = self.env["prm.settlement"].search(
                action["params"]["next"]["domain"]
            )
            self.assertEqual(settlements.program_id, monthly)
            self.assertEqual(settlements.amount_total, 50.0)
            with self.assertRaisesMsg(UserError, "No selected program can be closed"):
                Wizard.create({"program_ids": quarterly.ids}).action_close()
        self.assertFalse(
            self.env["prm.settlement"].search([("program_id", "=", quarterly.id)])
        )

    def test_documents_split_at_line_limit(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "prm_incentive.max_document_lines", "3"
        )
        program = self._create_program(payout_grouping="invoice")
        amounts = [1000, 2000, 3000, 4000, 500, 600, 700]
        invoices = [self._sell(amount, date="2025-04-10") for amount in amounts]
        # Two credit notes (not reversals): clawbacks of 30 and 10.
        self._sell(600, date="2025-04-11", refund=True)
        self._sell(200, date="2025-04-11", refund=True)
        settlement = self._settle_and_post(program, "2025-06-30")
        bills = settlement.move_ids
        self.assertEqual(len(bills), 3)
        self.assertTrue(all(len(bill.invoice_line_ids) <= 3 for bill in bills))
        self.assertTrue(all(bill.amount_total > 0 for bill in bills))
        self.assertEqual(sum(bills.mapped("amount_total")), settlement.amount_total)
        self.assertEqual(settlement.amount_total, 0.05 * sum(amounts) - 40)
        self.assertEqual(len(invoices), 7)

    def test_locked_period(self):
        program = self._create_program()
        self._sell(1000, date="2025-04-10")
        settlement = self._close(program, "2025-06-30")
        settlement.action_approve()
        self.env.company.fiscalyear_lock_date = "2025-06-30"
        counts = self._counts()
        with self.assertRaisesMsg(UserError, "locked"):
            settlement.action_post()
        # A context key sent over RPC does not open the period.
        with self.assertRaisesMsg(UserError, "locked"):
            settlement.with_context(
                bypass_lock=True,
                bypass_lock_check=True,
                ignore_exceptions=True,
                check_move_validity=False,
            ).action_post()
        self.assertEqual(self._counts(), counts)
        self.assertEqual(settlement.state, "approved")
        # Accounted in the open period instead.
        settlement.date = "2025-07-15"
        settlement.action_post()
        self.assertEqual(settlement.move_ids.date, fields.Date.to_date("2025-07-15"))

    def test_purchase_lock_date(self):
        program = self._create_program()
        self._sell(1000, date="2025-04-10")
        settlement = self._close(program, "2025-06-30")
        settlement.action_approve()
        self.env.company.purchase_lock_date = "2025-06-30"
        with self.assertRaisesMsg(UserError, "locked"):
            settlement.action_post()

    def test_points_programs_are_not_paid_out(self):
        """Points programs settle into the points ledger, never into documents."""
        program = self._create_program(kind="points")
        self._sell(1000, date="2025-04-10")
        self.assertEqual(self._amount(program), 1000.0, "Points accrue.")
        settlement = self._settle_and_post(program, "2025-06-30")
        self.assertEqual(settlement.state, "posted")
        self.assertFalse(settlement.move_ids)
        self.assertEqual(self.partner_a.prm_points_balance, 1000.0)

    def test_points_settlement_reads_in_points(self):
        """A points settlement owes no money and says so: its figures are
        points, its payout is the points ledger (issue: "$1,200.00 To pay",
        "Vendor bill to the partner")."""
        cash = self._create_program(name="Cash program")
        program = self._create_program(name="Points program", kind="points")
        self._sell(1200, date="2025-04-10")
        preview = (
            self.env["prm.settlement.wizard"]
            .create({"program_ids": (cash + program).ids, "date": "2025-06-30"})
            .preview_html.replace("\N{NO-BREAK SPACE}", " ")
        )
        self.assertIn("1,200.00 points", preview)
        self.assertRegex(preview, r"\$ <span class=\"oe_currency_value\">60\.00</span>")
        self.assertNotIn(">1,200.00</span>", preview)
        self.assertIn("04/01/2025 - 06/30/2025", preview)
        settlements = self._close(cash + program, "2025-06-30")
        points = settlements.filtered(lambda s: s.program_id == program)
        money = settlements - points
        self.assertEqual(points.amount_to_pay, 0.0, "Nothing is paid in money.")
        self.assertEqual(points.points_total, 1200.0)
        self.assertEqual(
            points.payout_description,
            "Points credited to the partner's points ledger (no accounting document)",
        )
        self.assertEqual(money.amount_to_pay, 60.0)
        self.assertEqual(money.points_total, 0.0)
        self.assertEqual(money.payout_description, "Vendor bill to the partner")
        settlements.action_approve()
        settlements.action_post()
        self.assertEqual(self.partner_a.prm_points_balance, 1200.0)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "prm_incentive.action_report_prm_settlement", points.ids
            )[0]
            .decode()
            .replace("\N{NO-BREAK SPACE}", " ")
        )
        self.assertIn("<span>1,200 points</span>", html, "the line earns points")
        totals = html[html.index("Points earned") :]
        self.assertIn("Points credited to your points balance", totals)
        self.assertIn("1,200 points", totals)
        self.assertNotIn("$", totals)
        self.assertNotIn("To be paid", html)

    def test_amounts_in_labels_are_formatted(self):
        """Period results, the bill lines paying them and the statement print
        amounts with their currency in the reader's language, not raw floats
        ("base 120000.0")."""
        program = self._create_program(
            [
                {
                    "rate_type": "bracket",
                    "bracket_ids": [
                        Command.create(
                            {
                                "sequence": 1,
                                "amount_from": 0,
                                "amount_to": 50000,
                                "rate": 2,
                            }
                        ),
                        Command.create(
                            {"sequence": 2, "amount_from": 50000, "rate": 3.5}
                        ),
                    ],
                }
            ],
            kind="rebate",
        )
        self._sell(60000, date="2025-04-10")
        self._sell(500.5, date="2025-05-10")
        settlement = self._settle_and_post(program, "2025-06-30")
        result = settlement.line_ids.filtered(lambda line: line.kind == "period")
        # 60,500.50 x 3.5 % = 2,117.5175, kept at full precision; paid 2,117.52
        self.assertEqual(result.amount, 2117.5175)
        self.assertEqual(settlement.amount_total, 2117.52)
        label = (
            "Rule 1: period 04/01/2025 to 06/30/2025, base $\N{NO-BREAK SPACE}"
            "60,500.50, Bracket reached: 3.5 % from $\N{NO-BREAK SPACE}50,000.00"
        )
        self.assertEqual(result.name, label)
        self.assertEqual(settlement.move_ids.invoice_line_ids.name, label)
        self.env["res.lang"]._activate_lang("es_ES")
        self.partner_a.lang = "es_ES"
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "prm_incentive.action_report_prm_settlement", settlement.ids
            )[0]
            .decode()
            .replace("\N{NO-BREAK SPACE}", " ")
        )
        for text in ("$ 60.500,50", "3,5 %", "$ 50.000,00", "$ 2.117,52"):
            self.assertIn(text, html, "in the partner's language")

    def test_statement_report(self):
        program = self._create_program()
        invoice = self._sell(1000, date="2025-04-10")
        refund = self._reverse(invoice, date="2025-04-12")
        self._sell(3000, date="2025-04-20")
        settlement = self._settle_and_post(program, "2025-06-30")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "prm_incentive.action_report_prm_settlement", settlement.ids
            )[0]
            .decode()
        )
        for text in (
            settlement.name,
            invoice.name,
            refund.name,
            "Clawback of",
            "Rule 1",
        ):
            self.assertIn(text, html)
        partner_html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "prm_incentive.action_report_prm_partner_statement", self.partner_a.ids
            )[0]
            .decode()
        )
        self.assertIn(settlement.name, partner_html)

    def test_unlink_draft_settlement_frees_lines(self):
        program = self._create_program()
        self._sell(1000, date="2025-04-10")
        settlement = self._close(program, "2025-06-30")
        lines = settlement.line_ids
        settlement.unlink()
        self.assertFalse(lines.settlement_id)
        posted = self._settle_and_post(program, "2025-06-30")
        with self.assertRaisesMsg(UserError, "cancel it instead"):
            posted.unlink()
