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
