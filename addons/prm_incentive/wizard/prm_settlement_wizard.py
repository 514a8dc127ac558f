from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError


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
        default=lambda self: (
            fields.Date.context_today(self).replace(day=1) - relativedelta(days=1)
        ),
        help="Any day of the period to close; each program closes its own period "
        "(month, quarter or year) holding this day.",
    )
    preview_html = fields.Html(
        string="Preview", compute="_compute_preview_html", sanitize=False
    )

    @api.model
    def _default_program_ids(self):
        if self.env.context.get("default_program_ids"):
            return self.env.context["default_program_ids"]
        return self.env["prm.incentive.program"].search(
            [("company_id", "=", self.env.company.id)]
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

    def action_close(self):
        self.ensure_one()
        settlements = self.env["prm.settlement"]._close_period(
            self.program_ids, self.date
        )
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
        return action

    def action_compute_accruals(self):
        """Recompute the accruals of the selected periods (no settlement)."""
        self.ensure_one()
        engine = self.env["prm.incentive.engine"].sudo()
        for program in self.program_ids:
            date_from, date_to = program._get_period(self.date)
            engine._refresh_period_accruals(program, date_from, date_to)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("Accruals recomputed."),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
