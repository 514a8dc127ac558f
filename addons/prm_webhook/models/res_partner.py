from odoo import api, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _prm_portal_page_roles(self):
        # Only the partner's admins connect its systems.
        return {**super()._prm_portal_page_roles(), "webhooks": ("admin",)}
