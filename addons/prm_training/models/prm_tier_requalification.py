from odoo import api, models

from .prm_tier_rule import CERTIFICATION_PREFIX


class PrmTierRequalification(models.AbstractModel):
    _inherit = "prm.tier.requalification"

    @api.model
    def _prm_labels(self):
        """Name the per-certification metrics after their certification."""
        labels = super()._prm_labels()
        # Only certifications some tier rule measures need a label.
        certifications = (
            self.env["prm.tier.rule"]
            .sudo()
            .search_fetch([("metric", "=", "certification")], ["certification_id"])
            .certification_id
        )
        for certification in certifications:
            labels["metric"][f"{CERTIFICATION_PREFIX}{certification.id}"] = self.env._(
                "Certified: %(name)s", name=certification.name
            )
        return labels
