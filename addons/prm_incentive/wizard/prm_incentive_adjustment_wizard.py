from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.prm_partner.tools.bounds import check_number, check_vals_finite


class PrmIncentiveAdjustmentWizard(models.TransientModel):
    """Correct what a partner earns: accruals themselves change only by
    recomputation, a correction is a separate adjustment accrual carrying its
    reason and its author, settled and paid like the others."""

    _name = "prm.incentive.adjustment.wizard"
    _description = "Adjust Incentive Accruals"

    adjusted_line_id = fields.Many2one(
        "prm.incentive.line", string="Corrects", readonly=True
    )
    program_id = fields.Many2one("prm.incentive.program", required=True)
    company_id = fields.Many2one(related="program_id.company_id")
    currency_id = fields.Many2one(related="program_id.currency_id")
    partner_id = fields.Many2one(
        "res.partner",
        required=True,
        domain=[("prm_is_partner", "=", True), ("parent_id", "=", False)],
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    amount = fields.Monetary(
        required=True, help="Added to what the partner earns (negative: deducted)."
    )
    name = fields.Char(string="Description")
    reason = fields.Text(required=True)

    @api.model_create_multi
    def create(self, vals_list):
        check_vals_finite(self, vals_list)
        return super().create(vals_list)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        line = self.env["prm.incentive.line"].browse(values.get("adjusted_line_id"))
        if line:
            values.setdefault("program_id", line.program_id.id)
            values.setdefault("partner_id", line.partner_id.id)
        return values

    def action_confirm(self):
        """Create the adjustment: the caller's rights on accruals are checked,
        then the accrual is written as superuser (no one creates accruals
        directly)."""
        self.ensure_one()
        Line = self.env["prm.incentive.line"]
        Line.check_access("create")
        self.program_id.check_access("read")
        self.adjusted_line_id.check_access("read")
        self._check_values()
        line = Line.sudo().create(self._prepare_line_vals()).sudo(False)
        return line._get_records_action()

    def _check_values(self):
        reason = (self.reason or "").strip()
        if not reason:
            raise UserError(self.env._("Say why the accruals are adjusted."))
        check_number(self.env, self.amount, self._fields["amount"].string)
        if self.currency_id.is_zero(self.amount):
            raise UserError(self.env._("An adjustment adjusts some amount."))
        partner = self.partner_id.commercial_partner_id
        if partner.company_id and partner.company_id != self.program_id.company_id:
            raise UserError(
                self.env._(
                    "%(partner)s belongs to another company than program %(program)s.",
                    partner=partner.display_name,
                    program=self.program_id.display_name,
                )
            )
        if self.adjusted_line_id and (
            self.adjusted_line_id.program_id != self.program_id
            or self.adjusted_line_id.partner_id != partner
        ):
            raise UserError(
                self.env._(
                    "An adjustment corrects an accrual of the same program and partner."
                )
            )

    def _prepare_line_vals(self):
        self.ensure_one()
        return {
            "kind": "manual",
            "program_id": self.program_id.id,
            "partner_id": self.partner_id.commercial_partner_id.id,
            "date": self.date,
            "amount": self.currency_id.round(self.amount),
            "name": self.name or self.env._("Adjustment"),
            "adjustment_reason": self.reason.strip(),
            "adjusted_by_id": self.env.user.id,
            "adjusted_line_id": self.adjusted_line_id.id,
        }
