from odoo import fields, models


class PrmOfferDeclineWizard(models.TransientModel):
    """Decline routed lead offers on a partner's behalf, with a reason."""

    _name = "prm.offer.decline.wizard"
    _description = "Decline Routed Lead"

    offer_ids = fields.Many2many("prm.lead.offer", string="Offers", required=True)
    reason_id = fields.Many2one("prm.offer.decline.reason", required=True)
    note_required = fields.Boolean(related="reason_id.note_required")
    note = fields.Text()

    def action_apply(self):
        self.ensure_one()
        self.offer_ids.action_prm_decline(self.reason_id.id, self.note)
        return {"type": "ir.actions.act_window_close"}
