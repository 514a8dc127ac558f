from odoo import api, fields, models


class PrmRegistrationDecisionWizard(models.TransientModel):
    """Approve or reject deal registrations, saying why."""

    _name = "prm.registration.decision.wizard"
    _description = "Deal Registration Decision"

    lead_ids = fields.Many2many("crm.lead", string="Registrations", required=True)
    decision = fields.Selection(
        [("approve", "Approve"), ("reject", "Reject")], required=True, default="approve"
    )
    reason = fields.Text()
    has_conflict = fields.Boolean(compute="_compute_has_conflict")
    conflict_ids = fields.Many2many(
        "prm.deal.conflict", compute="_compute_has_conflict", string="Conflicts"
    )
    reason_required = fields.Boolean(compute="_compute_has_conflict")

    @api.depends("lead_ids", "decision")
    def _compute_has_conflict(self):
        for wizard in self:
            conflicted = wizard.lead_ids.filtered(
                lambda lead: lead.prm_registration_state == "conflict"
            )
            wizard.has_conflict = bool(conflicted)
            wizard.conflict_ids = conflicted.sudo().prm_conflict_ids
            wizard.reason_required = wizard.decision == "reject" or bool(conflicted)

    def action_apply(self):
        self.ensure_one()
        if self.decision == "reject":
            self.lead_ids.action_prm_reject_registration(self.reason)
        else:
            # Approving a conflict from here is the manager's explicit override.
            self.lead_ids.action_prm_approve_registration(
                reason=self.reason, force=self.has_conflict
            )
        return {"type": "ir.actions.act_window_close"}
