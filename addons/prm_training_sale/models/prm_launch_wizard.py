from odoo import models


class PrmLaunchWizard(models.TransientModel):
    _inherit = "prm.launch.wizard"

    def _prm_launch_certified_partners(self, partners):
        """Only partners certified for the launched products' categories (and
        the categories chosen for the ranking) are candidates."""
        partners = super()._prm_launch_certified_partners(partners)
        categories = self.categ_ids | self.product_tmpl_ids.categ_id
        if not categories:
            return partners
        certifications = (
            self.env["prm.certification"]
            .sudo()
            .search([("categ_ids", "parent_of", categories.ids)])
        )
        return partners._prm_training_certified_among(certifications)
