from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain


class PrmMdfAllocateWizard(models.TransientModel):
    """Create the MDF budgets of a period by tier for the active partners."""

    _name = "prm.mdf.allocate.wizard"
    _description = "Allocate MDF budgets"

    day = fields.Date(
        string="Period of",
        required=True,
        default=fields.Date.context_today,
        help="Budgets are created for the period (quarter or year, see the "
        "settings) holding this day.",
    )
    tier_ids = fields.Many2many("prm.tier", string="Tiers")
    partner_type_ids = fields.Many2many("prm.partner.type", string="Partner types")
    open_budgets = fields.Boolean(string="Open them at once", default=True)

    @api.model
    def _prm_partner_domain(self, tiers, types):
        domain = Domain([("prm_is_partner", "=", True), ("prm_state", "=", "active")])
        domain &= Domain("company_id", "in", [False, self.env.company.id])
        if tiers:
            domain &= Domain("prm_tier_id", "in", tiers.ids)
        else:
            domain &= Domain("prm_tier_id.mdf_percent", ">", 0)
        if types:
            domain &= Domain("prm_partner_type_id", "in", types.ids)
        return domain

    def action_allocate(self):
        self.ensure_one()
        partners = self.env["res.partner"].search(
            self._prm_partner_domain(self.tier_ids, self.partner_type_ids)
        )
        budgets = self.env["prm.mdf.budget"]._prm_allocate(
            partners, self.day, open_budgets=self.open_budgets
        )
        if not budgets:
            raise UserError(
                self.env._(
                    "Every selected partner already has a budget for this period."
                )
            )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "prm_campaign.action_prm_mdf_budget"
        )
        action["domain"] = [("id", "in", budgets.ids)]
        return action
