from odoo import api, fields, models
from odoo.exceptions import ValidationError

CERTIFICATION_PREFIX = "certification_"


class PrmTierRule(models.Model):
    _inherit = "prm.tier.rule"

    metric = fields.Selection(
        selection_add=[
            ("certified_people", "Certified people"),
            ("certification", "Valid certificates of a certification"),
        ],
        ondelete={"certified_people": "cascade", "certification": "cascade"},
    )
    certification_id = fields.Many2one(
        "prm.certification",
        ondelete="cascade",
        help="For the metric *Valid certificates of a certification*: the "
        "certification whose valid certificates count.",
    )

    @api.constrains("metric", "certification_id")
    def _check_certification(self):
        for rule in self:
            if rule.metric == "certification" and not rule.certification_id:
                raise ValidationError(
                    self.env._(
                        "A tier rule on valid certificates names its certification."
                    )
                )

    def _prm_metric_code(self):
        """One metric per certification: the engine keys values by this code."""
        self.ensure_one()
        if self.metric == "certification" and self.certification_id:
            return f"{CERTIFICATION_PREFIX}{self.certification_id.id}"
        return super()._prm_metric_code()
