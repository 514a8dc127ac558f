from odoo import fields, models


class PrmOnboardingStage(models.Model):
    """A column of the onboarding pipeline (Application review, Contracting...)."""

    _name = "prm.onboarding.stage"
    _description = "Onboarding Stage"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10, help="Used to order stages; lower first.")
    fold = fields.Boolean(
        string="Folded in pipeline",
        help="Shown as a folded column in the pipeline (for stages that need no "
        "attention, like a parking stage).",
    )
    description = fields.Text(
        translate=True,
        help="What has to happen in this stage; shown as a tooltip on the column.",
    )
    active = fields.Boolean(default=True)
    partner_count = fields.Integer(compute="_compute_partner_count")

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [
                    ("prm_onboarding_stage_id", "in", self.ids),
                    ("prm_state", "=", "onboarding"),
                ],
                ["prm_onboarding_stage_id"],
                ["__count"],
            )
        )
        for stage in self:
            stage.partner_count = counts.get(stage, 0)
