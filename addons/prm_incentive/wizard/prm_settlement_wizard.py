from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date


class PrmSettlementWizard(models.TransientModel):
    """Period close: pick programs and a day of the period to close. The
    preview is computed live and writes nothing; closing creates the draft
    settlements."""

    _name = "prm.settlement.wizard"
    _description = "Close an Incentive Period"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    program_ids = fields.Many2many(
        "prm.incentive.program",
        string="Programs",
        required=True,
        domain="[('company_id', '=', company_id)]",
        default=lambda self: self._default_program_ids(),
    )
    date = fields.Date(
        string="Period of",
        required=True,
        default=lambda self: self._default_date(),
        help="Any day of the period to close; each program closes its own period "
        "(month, quarter or year) holding this day.",
    )
    skipped_note = fields.Text(
        string="Not closed",
        compute="_compute_skipped_note",
        help="Programs of the company whose period holding this day has not "
        "ended yet: they are left out of the close.",
    )
    preview_html = fields.Html(
        string="Preview", compute="_compute_preview_html", sanitize=False
    )

    @api.model
    def _default_date(self):
        """Last day of the previous month."""
        return fields.Date.context_today(self).replace(day=1) - relativedelta(days=1)

    @api.model
    def _default_program_ids(self):
        """The programs whose period holding the default day has ended: a
        quarterly program in the middle of its quarter is not preselected."""
        if self.env.context.get("default_program_ids"):
            return self.env.context["default_program_ids"]
        programs = self.env["prm.incentive.program"].search(
            [("company_id", "=", self.env.company.id)]
        )
        return programs._filter_period_ended(self._default_date())

    @api.depends("company_id", "program_ids", "date")
    def _compute_skipped_note(self):
        Program = self.env["prm.incentive.program"]
        for wizard in self:
            if not wizard.date or not wizard.company_id:
                wizard.skipped_note = False
                continue
            programs = Program.search([("company_id", "=", wizard.company_id.id)])
            programs |= wizard.program_ids._origin
            open_programs = programs - programs._filter_period_ended(wizard.date)
            wizard.skipped_note = (
                "\n".join(
                    wizard._skip_reason(program, wizard.date)
                    for program in open_programs
                )
                or False
            )

    def _skip_reason(self, program, day):
        return self.env._(
            "%(program)s: its period ends on %(end)s, it can be closed the day after.",
            program=program.display_name,
            end=format_date(self.env, program._get_period(day)[1]),
        )

    @api.depends("program_ids", "date")
    def _compute_preview_html(self):
        for wizard in self:
            if not wizard.program_ids or not wizard.date:
                wizard.preview_html = False
                continue
            # In the form the programs are new records: use the stored ones.
            rows = self.env["prm.settlement"]._preview_close(
                wizard.program_ids._origin, wizard.date
            )
            wizard.preview_html = self.env["ir.qweb"]._render(
                "prm_incentive.settlement_close_preview", {"rows": rows}
            )

    def _programs_to_close(self):
        """The selected programs whose period has ended on the wizard's day, and
        why each of the others is skipped; refused when none can be closed."""
        programs = self.program_ids._filter_period_ended(self.date)
        skipped = [
            self._skip_reason(program, self.date)
            for program in self.program_ids - programs
        ]
        if not programs:
            raise UserError(
                self.env._(
                    "No selected program can be closed for this day:\n%(reasons)s",
                    reasons="\n".join(skipped),
                )
            )
        return programs, skipped

    def action_close(self):
        """Close the periods of the selected programs that have ended; the
        others are skipped, and the user is told which and why."""
        self.ensure_one()
        programs, skipped = self._programs_to_close()
        settlements = self.env["prm.settlement"]._close_period(programs, self.date)
        if not settlements:
            raise UserError(
                self.env._(
                    "Nothing to settle: no open accruals in these periods, or every "
                    "partner is already settled."
                )
            )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "prm_incentive.action_prm_settlement"
        )
        action["domain"] = [("id", "in", settlements.ids)]
        if not skipped:
            return action
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning",
                "sticky": True,
                "title": self.env._("Some programs were not closed"),
                "message": "\n".join(skipped),
                "next": action,
            },
        }

    def action_close_background(self):
        """Queue the close of the ended periods as a background job (large
        periods): the user follows its progress and is notified at the end."""
        self.ensure_one()
        programs, skipped = self._programs_to_close()
        job = self.env["prm.settlement.close.job"]._enqueue(programs, self.date)
        message = self.env._(
            "The close runs in the background; you will be notified when it ends."
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "message": "\n".join([message, *skipped]),
                "next": {
                    "type": "ir.actions.act_window",
                    "res_model": job._name,
                    "res_id": job.id,
                    "views": [(False, "form")],
                    "target": "current",
                },
            },
        }

    def action_compute_accruals(self):
        """Recompute the accruals of the selected periods (no settlement)."""
        self.ensure_one()
        engine = self.env["prm.incentive.engine"].sudo()
        for program in self.program_ids:
            date_from, date_to = program._get_period(self.date)
            # Asked for by a user: every invoice, not only those that changed.
            engine._refresh_period_accruals(program, date_from, date_to, full=True)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("Accruals recomputed."),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
