from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.res_partner import PRM_STATES


class PrmPartnerStateWizard(models.TransientModel):
    """Change the program status of partners, saying why."""

    _name = "prm.partner.state.wizard"
    _description = "Change Partner Program Status"

    partner_ids = fields.Many2many("res.partner", required=True)
    new_state = fields.Selection(PRM_STATES, string="New status", required=True)
    reason = fields.Text()
    reason_required = fields.Boolean(compute="_compute_reason_required")

    @api.depends("new_state")
    def _compute_reason_required(self):
        for wizard in self:
            wizard.reason_required = wizard.new_state in ("suspended", "terminated")

    def action_apply(self):
        self.ensure_one()
        if self.reason_required and not (self.reason or "").strip():
            raise UserError(
                self.env._("Say why the partner is suspended or terminated.")
            )
        self.partner_ids._prm_set_state(self.new_state, reason=self.reason)
        return {"type": "ir.actions.act_window_close"}
