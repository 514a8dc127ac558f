from odoo import fields, models
from odoo.fields import Domain


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
    entry_all_required = fields.Boolean(
        string="Required items approved to enter",
        help="Partners enter this stage only once every required item of their "
        "checklist is approved.",
    )
    entry_line_ids = fields.Many2many(
        "prm.checklist.template.line",
        "prm_onboarding_stage_entry_line_rel",
        "stage_id",
        "line_id",
        string="Items approved to enter",
        help="Checklist items that must be approved before a partner enters this "
        "stage (those on the partner's checklist).",
    )
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

    # --- Business ---

    def _prm_entry_blocking_items(self, partners):
        """The checklist items of ``partners`` that keep them out of this stage:
        the ones its entry conditions name and that are not approved yet."""
        self.ensure_one()
        Item = self.env["prm.checklist.item"]
        conditions = []
        if self.entry_all_required:
            conditions.append(Domain("required", "=", True))
        if self.entry_line_ids:
            conditions.append(Domain("template_line_id", "in", self.entry_line_ids.ids))
        if not conditions or not partners:
            return Item
        # sudo: a gate must see every item, whatever the caller's record rules.
        return Item.sudo().search(
            Domain("partner_id", "in", partners.ids)
            & Domain("state", "!=", "approved")
            & Domain.OR(conditions)
        )
