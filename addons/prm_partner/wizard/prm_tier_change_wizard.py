from odoo import api, fields, models


class PrmTierChangeWizard(models.TransientModel):
    """Set partners' tier and tier lock by hand (program administrators),
    saying why: the only way a tier changes outside requalification."""

    _name = "prm.tier.change.wizard"
    _description = "Change Partner Tier"

    partner_ids = fields.Many2many("res.partner", required=True)
    tier_id = fields.Many2one("prm.tier", string="New tier", required=True)
    lock_until = fields.Date(
        string="Lock until",
        help="Requalification leaves the tier as it is until this date.",
    )
    lock_reason = fields.Char(string="Lock reason")
    reason = fields.Text(required=True)

    @api.model
    def default_get(self, fields):
        values = super().default_get(fields)
        partners = self.env["res.partner"].browse(
            self.env.context.get("default_partner_ids") or []
        )
        if len(partners) == 1:
            values.setdefault("tier_id", partners.prm_tier_id.id)
            values.setdefault("lock_until", partners.prm_tier_lock_until)
            values.setdefault("lock_reason", partners.prm_tier_lock_reason)
        return values

    def action_apply(self):
        self.ensure_one()
        self.partner_ids._prm_change_tier(
            self.tier_id,
            self.reason,
            lock_until=self.lock_until,
            lock_reason=self.lock_reason,
        )
        return {"type": "ir.actions.act_window_close"}
