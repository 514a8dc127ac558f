from odoo import api, fields, models

from odoo.addons.prm_partner.models.prm_guarded_mixin import Guard


class PrmIncentiveLine(models.Model):
    """Activation accruals: one per rule, code batch, partner and program
    period (kind ``activation``), like sell-out reports."""

    _inherit = "prm.incentive.line"

    kind = fields.Selection(
        selection_add=[("activation", "Activations")],
        ondelete={"activation": "cascade"},
    )
    activation_batch_id = fields.Many2one(
        "prm.activation.batch",
        string="Code batch",
        index="btree_not_null",
        readonly=True,
        ondelete="restrict",
        help="Activation accruals: the batch whose activations earned.",
    )

    _activation_key_uniq = models.UniqueIndex(
        "(rule_id, activation_batch_id, partner_id, period_start, revision) "
        "WHERE kind = 'activation'",
        "These activations already have this accrual revision.",
    )

    def _prm_guarded_fields(self):
        return {
            **super()._prm_guarded_fields(),
            "activation_batch_id": Guard(self.env._("Recompute the accruals")),
        }

    @api.model
    def _is_clawback_values(self, vals):
        if vals.get("kind") == "activation":
            return bool(vals.get("origin_line_id")) or (
                (vals.get("amount") or 0.0) < 0 or (vals.get("base") or 0.0) < 0
            )
        return super()._is_clawback_values(vals)

    def _compute_rate_display(self):
        activation = self.filtered(lambda line: line.kind == "activation")
        result = super(PrmIncentiveLine, self - activation)._compute_rate_display()
        for line in activation:
            line.rate_display = (
                line.rule_id._describe_rate(line.rate) if line.rule_id else False
            )
        return result
