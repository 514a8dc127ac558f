import psycopg2
from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import PrmIncentiveCommon


@tagged("post_install", "-at_install")
class TestIncentiveAccrual(PrmIncentiveCommon):
    """Accruals follow the invoices: once per key, clawed back by credit notes,
    earned as paid on paid-basis programs, converted and rounded per line."""

    def _engine(self):
        return self.env["prm.incentive.engine"].sudo()

    def test_recompute_is_idempotent(self):
        program = self._create_program()
        invoice = self._sell(1000)
        before = self._accruals(program)
        self.assertEqual(len(before), 1)
        self.assertFalse(self._engine()._build_plan(invoice), "Nothing left to do.")
        self._engine()._refresh_move_accruals(invoice)
        self._engine()._refresh_period_accruals(
            program, invoice.invoice_date, invoice.invoice_date
        )
        self.assertEqual(self._accruals(program), before)
        self.assertEqual(before.amount, 50.0)

    def test_refresh_jobs(self):
        """The daily job and the wizard's *Recompute accruals* catch up with
        invoices whose accruals are out of date."""
        program = self._create_program()
        invoice = self._sell(1000, date="2025-02-10")
        program.rule_ids.rate = 7.0
        with freeze_time("2025-04-20"):
            self.env["prm.incentive.line"]._refresh_open_periods(program)
        self.assertEqual(self._amount(program), 70.0)
        program.rule_ids.rate = 8.0
        wizard = self.env["prm.settlement.wizard"].create(
            {"program_ids": program.ids, "date": "2025-03-31"}
        )
        wizard.action_compute_accruals()
        self.assertEqual(self._accruals(program).amount, 80.0)
        self.assertEqual(self._accruals(program).move_id, invoice)

    def test_unique_key_in_database(self):
        program = self._create_program()
        self._sell(1000)
        line = self._accruals(program)
        duplicate = {
            "kind": "line",
            "program_id": program.id,
            "rule_id": line.rule_id.id,
            "partner_id": line.partner_id.id,
            "move_id": line.move_id.id,
            "move_line_id": line.move_line_id.id,
            "date": line.date,
            "amount": 50.0,
        }
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.IntegrityError):
            self.env["prm.incentive.line"].sudo().create(duplicate)
            self.env.flush_all()

    def test_rate_change_updates_open_accruals_only(self):
        program = self._create_program()
        invoice = self._sell(1000)
        program.rule_ids.rate = 6.0
        self._engine()._refresh_move_accruals(invoice)
        line = self._accruals(program)
        self.assertEqual((len(line), line.amount, line.rate), (1, 60.0, 6.0))

    def test_credit_note_claws_back_same_period(self):
        program = self._create_program()
        invoice = self._sell(1000)
        refund = self._reverse(invoice)
        clawback = self._accruals(program, move_id=refund.id)
        original = self._accruals(program, move_id=invoice.id)
        self.assertEqual(clawback.amount, -50.0)
        self.assertEqual(clawback.base, -1000.0)
        self.assertEqual(clawback.origin_line_id, original)
        self.assertTrue(clawback.is_clawback)
        self.assertEqual(self._amount(program), 0.0)

    def test_partial_credit_note(self):
        program = self._create_program()
        invoice = self._sell(1000)
        refund = self._invoice(
            self.partner_a, [(self.product_prm, 1, 300.0)], refund=True
        )
        refund_line = self._accruals(program, move_id=refund.id)
        self.assertEqual(refund_line.amount, -15.0)
        self.assertFalse(refund_line.origin_line_id, "Not a reversal: no link.")
        self.assertEqual(self._amount(program), 35.0)
        self.assertEqual(self._accruals(program, move_id=invoice.id).amount, 50.0)

    def test_credit_note_follows_original_terms(self):
        """The reversal claws back from whoever earned, on the terms of the
        invoice, even if the partner left the program meanwhile."""
        program = self._create_program()
        invoice = self._sell(
            1000, customer=self.customer_x, channel_partner=self.partner_b
        )
        self.partner_b.sudo().prm_state = "suspended"
        program.rule_ids.rate = 10.0
        refund = self._reverse(invoice)
        self.assertEqual(self._accruals(program, move_id=refund.id).amount, -50.0)

    def test_reset_to_draft_before_settlement(self):
        program = self._create_program()
        invoice = self._sell(1000)
        invoice.button_draft()
        self.assertFalse(self._accruals(program))
        invoice.action_post()
        line = self._accruals(program)
        self.assertEqual((line.amount, line.revision), (50.0, 0))

    @freeze_time("2025-04-15")
    def test_reset_to_draft_after_settlement_claws_back(self):
        program = self._create_program()
        invoice = self._sell(1000)
        settlement = self._close(program, "2025-03-31")
        invoice.button_draft()
        lines = self._accruals(program)
        self.assertEqual(lines.mapped("amount"), [50.0, -50.0])
        self.assertEqual(lines[0].settlement_id, settlement)
        self.assertFalse(lines[1].settlement_id)
        # Posted again: the open clawback is not needed any more.
        invoice.action_post()
        self.assertEqual(self._accruals(program).mapped("amount"), [50.0])
        # Cancelled: the clawback stays, for the next settlement.
        invoice.button_draft()
        invoice.button_cancel()
        self.assertEqual(self._amount(program), 0.0)
        self.assertEqual(self._amount(program, settlement_id=False), -50.0)

    def test_paid_basis_partial_payments(self):
        program = self._create_program(basis="paid")
        invoice = self._sell(1000)
        self.assertEqual(self._amount(program), 0.0, "Nothing paid, nothing earned.")
        self._register_payment(invoice, amount=400.0, payment_date="2025-03-01")
        self.assertEqual(self._amount(program), 20.0)
        self.assertAlmostEqual(self._accruals(program).paid_ratio, 0.4)
        self._register_payment(invoice, amount=600.0, payment_date="2025-03-05")
        self.assertEqual(self._amount(program), 50.0)
        self.assertEqual(len(self._accruals(program)), 1, "One open line, updated.")

    @freeze_time("2025-07-15")
    def test_paid_basis_after_settlement(self):
        program = self._create_program(basis="paid")
        invoice = self._sell(1000)
        self._register_payment(invoice, amount=400.0, payment_date="2025-03-01")
        settlement = self._close(program, "2025-03-31")
        self.assertEqual(settlement.amount_total, 20.0)
        self._register_payment(invoice, amount=600.0, payment_date="2025-05-01")
        lines = self._accruals(program)
        self.assertEqual(lines.mapped("amount"), [20.0, 30.0])
        self.assertEqual(lines.mapped("revision"), [0, 1])
        self.assertFalse(lines[1].settlement_id)
        # Unreconciling the second payment takes the increment back.
        payment_lines = invoice.line_ids.filtered(
            lambda aml: aml.account_id.account_type == "asset_receivable"
        ).matched_credit_ids.sorted("id")
        payment_lines[-1].unlink()
        self.assertEqual(self._accruals(program).mapped("amount"), [20.0])

    def test_paid_basis_credit_note(self):
        """A credit note pays an invoice 'by reversal': both earn fully, net 0."""
        program = self._create_program(basis="paid")
        invoice = self._sell(1000)
        self._reverse(invoice)
        self.assertEqual(self._amount(program), 0.0)
        self.assertEqual(len(self._accruals(program)), 2)

    def test_multi_currency_invoice_date_rate(self):
        usd = self.env.company.currency_id
        eur = self.setup_other_currency(
            "EUR", rates=[("2025-01-01", 2.0), ("2025-02-01", 4.0)]
        )
        program = self._create_program()
        invoice = self._sell(1000, currency=eur, date="2025-02-10")
        line = self._accruals(program)
        expected_base = eur._convert(
            1000.0, usd, self.env.company, invoice.invoice_date
        )
        self.assertEqual(line.base, expected_base)
        self.assertEqual(line.currency_id, usd)
        self.assertEqual(line.amount, usd.round(expected_base * 0.05))
        # A later rate does not change what was earned at the invoice date.
        eur.rate_ids = [Command.create({"name": "2025-03-01", "rate": 8.0})]
        self._engine()._refresh_move_accruals(invoice)
        self.assertEqual(self._accruals(program).base, expected_base)

    def test_program_in_foreign_currency(self):
        eur = self.setup_other_currency("EUR", rates=[("2025-01-01", 0.9)])
        program = self._create_program(currency_id=eur.id)
        self._sell(1000, date="2025-02-10")
        line = self._accruals(program)
        self.assertEqual(line.currency_id, eur)
        self.assertEqual(line.base, 900.0)
        self.assertEqual(line.amount, 45.0)

    def test_currency_without_decimals(self):
        jpy = self.setup_other_currency(
            "JPY", rates=[("2025-01-01", 150.0)], rounding=1.0
        )
        program = self._create_program([{"rate": 3.3}], currency_id=jpy.id)
        self._sell(10.33)
        line = self._accruals(program)
        # 10.33 x 150 = 1,549.5 -> 1,550 JPY; 3.3% = 51.15 -> 51 JPY
        self.assertEqual(line.base, 1550.0)
        self.assertEqual(line.amount, 51.0)

    def test_currency_with_three_decimals(self):
        kwd = self.setup_other_currency(
            "KWD", rates=[("2025-01-01", 0.307)], rounding=0.001
        )
        program = self._create_program([{"rate": 1.2345}], currency_id=kwd.id)
        self._sell(1000)
        line = self._accruals(program)
        # 307.000 KWD x 1.2345% = 3.789915 -> 3.790
        self.assertEqual(line.base, 307.0)
        self.assertEqual(line.amount, 3.79)
        self.assertEqual(kwd.round(line.amount), 3.790)

    def test_other_company_invoice_does_not_earn(self):
        program = self._create_program()
        shared_reseller = self._create_program_partner(
            "Shared Reseller", company_id=False
        )
        other = self.setup_other_company()["company"]
        self.env.user.company_ids |= other
        self._sell(1000, customer=shared_reseller)
        invoice = (
            self.env["account.move"]
            .with_company(other)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": shared_reseller.id,
                    "invoice_date": "2025-02-10",
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Widget",
                                "quantity": 1,
                                "price_unit": 1000.0,
                                "tax_ids": [],
                            }
                        )
                    ],
                }
            )
        )
        invoice.action_post()
        self.assertEqual(self._accruals(program).move_id.company_id, self.env.company)

    @freeze_time("2025-04-15")
    def test_per_line_rounding_of_a_thousand_half_cents(self):
        """1,000 lines each earning 0.005 round one by one (half up) to 0.01: the
        partner is paid 10.00, exactly the sum of the statement lines."""
        program = self._create_program()
        invoice = self._invoice(
            self.partner_a, [(self.product_prm, 1, 0.10)] * 1000, post=True
        )
        lines = self._accruals(program)
        self.assertEqual(len(lines), 1000)
        self.assertEqual(set(lines.mapped("amount")), {0.01})
        settlement = self._close(program, "2025-03-31")
        self.assertEqual(settlement.amount_total, 10.0)
        settlement.action_approve()
        settlement.action_post()
        bill = settlement.move_ids
        self.assertEqual(bill.amount_total, 10.0)
        self.assertEqual(
            len(bill.invoice_line_ids), 1, "One line per invoice and rule."
        )
        self.assertEqual(lines.move_id, invoice, "every accrual comes from the invoice")

    def test_batch_query_count(self):
        """Planning the accruals of a big batch takes a fixed number of queries;
        writing them is one INSERT per 100 rows."""
        program = self._create_program(
            [{}, {"rate": 1.0, "pay_resale": False, "pay_referral": True}],
            basis="paid",
        )
        self.customer_x.prm_referrer_id = self.partner_referrer
        invoices = self.env["account.move"]
        for customer in (self.partner_a, self.customer_x):
            invoices |= self._invoice(
                customer, [(self.product_prm, 1, 10.0 + i) for i in range(150)]
            )
        engine = self._engine()
        Line = self.env["prm.incentive.line"].sudo()
        Line.search([("program_id", "=", program.id)]).unlink()
        for invoice in invoices:
            self._register_payment(invoice, payment_date="2025-03-01")
        Line.search([("program_id", "=", program.id)]).unlink()
        self.env.flush_all()
        self.env.invalidate_all()
        cr = self.env.cr
        start = cr.sql_log_count
        plan = engine._build_plan(invoices)
        planning = cr.sql_log_count - start
        self.assertEqual(len(plan.creates), 300)
        self.assertLessEqual(planning, 50, "Planning queries do not grow with lines.")
        start = cr.sql_log_count
        engine._apply_plan(plan)
        self.env.flush_all()
        writing = cr.sql_log_count - start
        self.assertLessEqual(writing, 15, "Inserts are batched.")
        self.assertEqual(len(self._accruals(program)), 300)
        self.env.invalidate_all()
        start = cr.sql_log_count
        engine._refresh_move_accruals(invoices)
        self.env.flush_all()
        self.assertLessEqual(cr.sql_log_count - start, 50, "Unchanged: no write.")
        self.assertEqual(len(self._accruals(program)), 300)
        # A rate fixed on open accruals: 300 updates, batched too.
        program.rule_ids[0].rate = 6.0
        self.env.flush_all()
        self.env.invalidate_all()
        start = cr.sql_log_count
        engine._refresh_move_accruals(invoices)
        self.env.flush_all()
        self.assertLessEqual(cr.sql_log_count - start, 50, "Updates are batched.")
        self.assertEqual(
            self._amount(program, self.partner_a),
            round(0.06 * 150 * 10 + 0.06 * sum(range(150)), 2),
        )
