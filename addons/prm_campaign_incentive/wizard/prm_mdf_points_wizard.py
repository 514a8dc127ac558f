from odoo import api, fields, models


class PrmMdfPointsWizard(models.TransientModel):
    _name = "prm.mdf.points.wizard"
    _description = "Convert points into MDF"

    budget_id = fields.Many2one(
        "prm.mdf.budget", required=True, domain=[("state", "=", "open")]
    )
    partner_id = fields.Many2one(related="budget_id.partner_id")
    currency_id = fields.Many2one(related="budget_id.currency_id")
    points_balance = fields.Float(compute="_compute_amount", string="Points available")
    points = fields.Float(required=True, digits=(16, 2))
    amount = fields.Monetary(compute="_compute_amount", string="Funds added")

    @api.depends("points", "budget_id")
    def _compute_amount(self):
        for wizard in self:
            rate = wizard.budget_id.company_id.prm_mdf_points_rate
            wizard.amount = (
                wizard.currency_id.round(wizard.points * rate)
                if wizard.currency_id
                else 0.0
            )
            wizard.points_balance = (
                wizard.partner_id.with_company(wizard.budget_id.company_id)
                .sudo()
                .prm_points_balance
            )

    def action_convert(self):
        self.ensure_one()
        self.budget_id.action_prm_convert_points(self.points)
        return {"type": "ir.actions.act_window_close"}
