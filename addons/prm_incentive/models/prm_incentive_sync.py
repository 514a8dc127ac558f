from odoo import api, fields, models
from odoo.tools import SQL


class PrmIncentiveSync(models.Model):
    """When the invoice accruals of a program's period were last brought up to
    date as a whole (``prm.incentive.engine._refresh_period_accruals``).

    A later refresh of that period (the period close) re-plans only the
    invoices whose data changed after that moment, and the whole period when
    the program's rules, their currencies' rates or the program itself changed
    (``prm.incentive.engine._get_period_moves``). Written by the engine only.
    """

    _name = "prm.incentive.sync"
    _description = "Incentive Accruals Refresh Mark"
    _order = "program_id, period_start"

    program_id = fields.Many2one(
        "prm.incentive.program", required=True, ondelete="cascade", index=True
    )
    period_start = fields.Date(required=True)
    synced_at = fields.Datetime(
        required=True,
        help="Data written after this moment may have changed the accruals.",
    )

    _program_period_uniq = models.UniqueIndex("(program_id, period_start)")

    @api.model
    def _now(self):
        """The moment a refresh reading the database now sees everything
        before: this transaction's start, or the start of the oldest other
        transaction still open on the database (what it writes is not visible
        here yet, and it stamps its rows with its own start)."""
        return self.env.execute_query(
            SQL(
                """
                SELECT LEAST(
                    now(),
                    (SELECT min(xact_start) - interval '1 microsecond'
                       FROM pg_stat_activity
                      WHERE datname = current_database()
                        AND pid != pg_backend_pid()
                        AND xact_start IS NOT NULL)
                ) AT TIME ZONE 'UTC'
                """
            )
        )[0][0]

    @api.model
    def _get_mark(self, programs, period_start):
        """The moment up to which every program of ``programs`` had the
        accruals of its period starting on ``period_start`` up to date (the
        oldest of theirs), or None when one of them never had."""
        marks = self.search_fetch(
            [("program_id", "in", programs.ids), ("period_start", "=", period_start)],
            ["program_id", "synced_at"],
        )
        if not programs or len(marks) < len(programs):
            return None
        return min(marks.mapped("synced_at"))

    @api.model
    def _mark(self, programs, period_starts, moment):
        """Record that the accruals of ``programs`` for the periods starting on
        ``period_starts`` were up to date at ``moment``."""
        existing = self.search(
            [("program_id", "in", programs.ids), ("period_start", "in", period_starts)]
        )
        existing.write({"synced_at": moment})
        done = {(mark.program_id.id, mark.period_start) for mark in existing}
        self.create(
            [
                {"program_id": pid, "period_start": start, "synced_at": moment}
                for pid in programs.ids
                for start in period_starts
                if (pid, start) not in done
            ]
        )

    @api.model
    def _forget(self, programs):
        """The next refresh of ``programs`` re-plans whole periods (their
        settled accruals were freed: they follow the current rules again)."""
        self.search([("program_id", "in", programs.ids)]).unlink()
