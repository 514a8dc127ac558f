import contextlib

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import tagged
from odoo.tools import SQL

from .common import PrmIncentiveCommon

# Columns the ORM and the set-based paths both write, compared row by row.
SKIPPED_COLUMNS = {"id", "create_date", "write_date"}


@tagged("post_install", "-at_install")
@freeze_time("2025-07-15")
class TestCloseAtScale(PrmIncentiveCommon):
    """The set-based paths of the engine and the close write the rows the ORM
    writes."""

    def _engine(self):
        return self.env["prm.incentive.engine"].sudo()

    def _rows(self, lines):
        self.env.flush_all()
        Line = self.env["prm.incentive.line"]
        columns = [
            name
            for name, field in Line._fields.items()
            if field.store and field.column_type and name not in SKIPPED_COLUMNS
        ]
        rows = self.env.execute_query(
            SQL(
                "SELECT %s FROM prm_incentive_line WHERE id = ANY(%s)",
                SQL(", ").join(SQL.identifier(name) for name in columns),
                lines.ids,
            )
        )
        return sorted(
            (dict(zip(columns, row, strict=True)) for row in rows),
            key=lambda row: tuple(str(row[name]) for name in columns),
        )

    def test_insert_lines_matches_the_orm(self):
        """Invoices with two rules, a referral and a partial credit note
        (clawback): the INSERT writes the rows ``create`` writes."""
        customer = self._create_program_partner(
            "Referred customer", prm_referrer_id=self.partner_referrer.id
        )
        invoices = self._invoice(
            customer,
            [(self.product_server, 2, 1000.0), (self.product_service, 3, 99.99)],
            date="2025-04-10",
            channel_partner=self.partner_a,
        )
        invoices |= self._invoice(
            customer,
            [(self.product_server, 1, 1000.0)],
            date="2025-05-20",
            channel_partner=self.partner_a,
            refund=True,
        )
        # The program comes after the invoices: nothing accrued yet.
        self._create_program(
            [
                {"pay_deal": True},
                {"rate": 1.5, "categ_ids": [Command.set(self.categ_hardware.ids)]},
                {"rate": 2.0, "pay_resale": False, "pay_referral": True},
            ],
            period="monthly",
        )
        plan = self._engine()._build_plan(invoices)
        self.assertGreaterEqual(len(plan.creates), 5)
        Line = self.env["prm.incentive.line"].sudo()
        by_orm = Line.create([dict(vals) for vals in plan.creates])
        orm_rows = self._rows(by_orm)
        self.assertTrue(any(row["is_clawback"] for row in orm_rows))
        by_orm.unlink()
        by_sql = self._engine()._insert_lines([dict(vals) for vals in plan.creates])
        self.assertEqual(self._rows(by_sql), orm_rows)
        # The cache was invalidated: the invoices see their accruals.
        self.assertEqual(invoices.prm_incentive_line_ids.sorted("id"), by_sql)

    def test_close_many_partners(self):
        """One create and one attachment for every partner: names follow the
        sequence, each settlement holds its partner's accruals and totals."""
        program = self._create_program()
        partners = [self.partner_a] + [
            self._create_program_partner(f"Scale partner {index}") for index in range(3)
        ]
        for index, partner in enumerate(partners, 1):
            self._sell(100.0 * index, customer=partner, date="2025-05-10")
            self._sell(10.0, customer=partner, date="2025-05-10", refund=True)
        settlements = self._close(program, "2025-06-30").sorted("id")
        self.assertEqual(len(settlements), 4)
        numbers = [int(name.rsplit("/", 1)[1]) for name in settlements.mapped("name")]
        self.assertEqual(numbers, list(range(numbers[0], numbers[0] + 4)))
        self.assertTrue(
            all(name.startswith("INC/2025/") for name in settlements.mapped("name"))
        )
        for settlement in settlements:
            lines = settlement.line_ids
            self.assertEqual(lines.partner_id, settlement.partner_id)
            self.assertEqual(settlement.line_count, 2)
            self.assertEqual(
                settlement.amount_total,
                round(sum(lines.mapped("amount")), 2),
            )
            self.assertEqual(settlement.amount_clawback, -0.5)
            self.assertEqual(settlement.amount_earned, settlement.amount_total + 0.5)
        open_lines = self.env["prm.incentive.line"].search(
            [("program_id", "=", program.id), ("settlement_id", "=", False)]
        )
        self.assertFalse(open_lines)
        # Closing again settles nothing twice.
        self.assertFalse(self._close(program, "2025-06-30"))

    def test_background_close_resumes_where_it_stopped(self):
        """A close job killed right after committing its first batch resumes
        at the next run and ends with the settlements an uninterrupted close
        makes, none twice."""
        self.env["ir.config_parameter"].sudo().set_param(
            "prm_incentive.close_batch_size", "2"
        )
        program = self._create_program()
        partners = [self.partner_a] + [
            self._create_program_partner(f"Job partner {index}") for index in range(4)
        ]
        for index, partner in enumerate(partners, 1):
            self._sell(100.0 * index, customer=partner, date="2025-05-10")
        self._sell(10.0, customer=partners[2], date="2025-05-11", refund=True)
        job = self.env["prm.settlement.close.job"]._enqueue(
            program, fields.Date.to_date("2025-06-30")
        )
        self.assertEqual(job.state, "queued")

        class Killed(Exception):
            pass

        calls = []

        def killed_after_first_batch(processed, remaining=None):
            calls.append((processed, remaining))
            if processed:
                raise Killed
            return 60.0

        with contextlib.suppress(Killed):
            job._run(killed_after_first_batch)
        self.assertEqual(calls, [(0, 5), (2, 3)])
        self.assertEqual(job.state, "running")
        self.assertEqual(len(job.settlement_ids), 2)

        resumed_calls = []

        def progress(processed, remaining=None):
            resumed_calls.append((processed, remaining))
            return 60.0

        job._run(progress)
        self.assertEqual(resumed_calls, [(2, 1), (1, 0), (0, 0)])
        self.assertEqual(job.state, "done")
        self.assertEqual(job.partners_done, 5)
        settlements = self.env["prm.settlement"].search(
            [("program_id", "=", program.id)]
        )
        self.assertEqual(settlements, job.settlement_ids)

        def summary(records):
            return {
                s.partner_id.id: (s.amount_total, s.line_count, s.date_from)
                for s in records
            }

        resumed = summary(settlements)
        self.assertEqual(len(resumed), 5)
        settlements.action_cancel()
        uninterrupted = self._close(program, "2025-06-30")
        self.assertEqual(summary(uninterrupted), resumed)


@tagged("post_install", "-at_install")
@freeze_time("2025-07-15")
class TestIncrementalClose(PrmIncentiveCommon):
    """A period close re-plans only the invoices whose data changed since the
    period's accruals were last brought up to date as a whole (``since``, the
    mark of ``prm.incentive.sync``): an unchanged period costs the same few
    queries at any size. Rows written by a later transaction carry a later
    ``write_date``; the tests write one by SQL to play that transaction."""

    def _engine(self):
        return self.env["prm.incentive.engine"].sudo()

    def _later(self, records):
        """Stamp ``records`` as written after the period's mark."""
        self.env.flush_all()
        self.env.execute_query(
            SQL(
                "UPDATE %s SET write_date = write_date + interval '1 minute' "
                "WHERE id = ANY(%s)",
                SQL.identifier(records._table),
                records.ids,
            )
        )
        records.invalidate_recordset(["write_date"])

    def _period_moves(self, program, month):
        return self._engine()._get_period_moves(
            program, *program._get_period(fields.Date.to_date(month))
        )

    def _sales(self, month, count):
        partners = self.partner_a | self.partner_b
        return self.env["account.move"].concat(
            *(
                self._invoice(
                    self.customer_x,
                    [(self.product_server, 1, 100.0 + index)] * 5,
                    date=month,
                    channel_partner=partners[index % 2],
                )
                for index in range(count)
            )
        )

    def test_close_queries_do_not_grow(self):
        """Closing a period refreshed before costs the same queries for 10 and
        100 invoice lines, well under 200 (a first close warms the caches)."""
        program = self._create_program(period="monthly")
        counts = {}
        for month, count in (("2025-01-10", 2), ("2025-02-10", 2), ("2025-03-10", 20)):
            invoices = self._sales(month, count)
            day = fields.Date.to_date(month)
            self._engine()._refresh_period_accruals(
                program, *program._get_period(day), full=True
            )
            self.assertFalse(self._period_moves(program, month))
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            settlements = self._close(program, program._get_period(day)[1])
            self.env.flush_all()
            counts[count] = self.env.cr.sql_log_count - start
            self.assertEqual(len(settlements), 2)
            self.assertEqual(
                sum(settlements.mapped("line_count")), len(invoices.invoice_line_ids)
            )
        self.assertEqual(counts[2], counts[20], "Same queries for 10 and 100 lines.")
        self.assertLessEqual(counts[20], 200)

    def test_only_changed_invoices_are_replanned(self):
        program = self._create_program(period="monthly")
        invoices = self._sales("2025-02-10", 3)
        refund = self._reverse(invoices[0])
        self._engine()._refresh_period_accruals(
            program, *program._get_period(invoices[0].invoice_date), full=True
        )
        self.assertFalse(self._period_moves(program, "2025-02-10"))
        # An invoice, a customer, a product written later: their invoices.
        self._later(invoices[1])
        self.assertEqual(self._period_moves(program, "2025-02-10"), invoices[1])
        self._later(self.partner_b)
        self.assertEqual(
            self._period_moves(program, "2025-02-10"),
            invoices[1]
            | invoices.filtered(lambda m: m.prm_partner_id == self.partner_b),
        )
        # The accruals of a reversed invoice changed: its credit note mirrors them.
        self._later(invoices[0].prm_incentive_line_ids)
        self.assertIn(refund, self._period_moves(program, "2025-02-10"))
        # A rule written later: every invoice of the period again.
        self._later(program.rule_ids)
        self.assertEqual(self._period_moves(program, "2025-02-10"), invoices | refund)

    def test_rule_changed_later_is_applied_by_the_close(self):
        program = self._create_program(period="monthly")
        invoice = self._sell(1000, date="2025-02-10")
        self._engine()._refresh_period_accruals(
            program, *program._get_period(invoice.invoice_date), full=True
        )
        program.rule_ids.rate = 7.0
        self._later(program.rule_ids)
        settlement = self._close(program, "2025-02-28")
        self.assertEqual(settlement.amount_total, 70.0)
        # Settled, then cancelled: the next close re-plans the whole period.
        settlement.action_cancel()
        self.assertFalse(
            self.env["prm.incentive.sync"].search([("program_id", "=", program.id)])
        )
        self.assertEqual(self._close(program, "2025-02-28").amount_total, 70.0)


@tagged("post_install", "-at_install")
@freeze_time("2025-07-15")
class TestPostingFloor(PrmIncentiveCommon):
    """Posting settlements costs what Odoo's own ``create`` and
    ``action_post`` of the same bills cost, plus a fixed number of queries:
    one batched create, one post, one batch of notes, nothing per bill."""

    def _settlements(self, count):
        partners = self.partner_a | self.partner_b
        partners |= self.env["res.partner"].concat(
            *(
                self._create_program_partner(f"Floor partner {count}-{index}")
                for index in range(count - 2)
            )
        )
        month = {2: "2025-01-10", 3: "2025-02-10", 9: "2025-03-10"}[count]
        for partner in partners:
            self._invoice(
                partner,
                [(self.product_server, 1, 100.0), (self.product_service, 2, 50.0)],
                date=month,
            )
        settlements = self._close(
            self.program, self.program._get_period(fields.Date.to_date(month))[1]
        )
        settlements.action_approve()
        self.assertEqual(len(settlements), count)
        return settlements

    def _queries(self, function):
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.env.cr.sql_log_count
        function()
        self.env.flush_all()
        return self.env.cr.sql_log_count - start

    def _floor(self, settlements):
        """Queries of Odoo creating and posting the same bills, rolled back."""

        class Rollback(Exception):
            pass

        vals_list = [
            vals
            for settlement in settlements
            for vals in settlement._prepare_payout_moves_vals()
        ]
        for vals in vals_list:
            # Odoo's bills: no link to a settlement.
            del vals["prm_settlement_id"]
        queries = {}
        # As superuser, like posting settlements.
        Move = self.env["account.move"].sudo()
        with contextlib.suppress(Rollback), self.env.cr.savepoint():
            queries["floor"] = self._queries(
                lambda: Move.create(vals_list).action_post()
            )
            raise Rollback
        self.env.invalidate_all(flush=False)
        return queries["floor"]

    def test_posting_is_at_odoos_floor(self):
        self.program = self._create_program(
            [{}, {"rate": 1.0, "categ_ids": [Command.set(self.categ_hardware.ids)]}],
            period="monthly",
        )
        extra = {}
        # The first (2 partners) warms the caches.
        for count in (2, 3, 9):
            settlements = self._settlements(count)
            floor = self._floor(settlements)
            ours = self._queries(settlements.action_post)
            self.assertEqual(len(settlements.move_ids), count)
            # Lines per rule by default: two rules, two bill lines.
            self.assertEqual(len(settlements.move_ids.invoice_line_ids), 2 * count)
            extra[count] = ours - floor
        self.assertEqual(extra[3], extra[9], "Nothing per bill beyond Odoo's own.")
        self.assertLessEqual(ours, floor * 1.2)
