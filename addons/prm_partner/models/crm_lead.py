from odoo import fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    prm_partner_id = fields.Many2one(
        "res.partner",
        string="Channel partner",
        tracking=True,
        index=True,
        domain=[("prm_is_partner", "=", True)],
        help="The channel partner working this lead or opportunity "
        "(registered it, or had it routed).",
    )

    def _prepare_opportunity_quotation_context(self):
        context = super()._prepare_opportunity_quotation_context()
        if self.prm_partner_id:
            context["default_prm_partner_id"] = self.prm_partner_id.id
        return context
