from odoo import models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    def _prepare_opportunity_quotation_context(self):
        """Quotations made from a partner's deal carry its channel partner."""
        context = super()._prepare_opportunity_quotation_context()
        if self.prm_partner_id:
            context["default_prm_partner_id"] = self.prm_partner_id.id
        return context
