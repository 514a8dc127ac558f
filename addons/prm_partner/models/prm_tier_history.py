from odoo import api, fields, models

from ..tools.formatting import format_number


class PrmTierHistory(models.Model):
    """Audit trail of tier changes: who moved, from where to where, why, and the
    metric values that decided it. Rows are never edited nor deleted."""

    _name = "prm.tier.history"
    _description = "Partner Tier History"
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", required=True, ondelete="cascade", index=True, readonly=True
    )
    company_id = fields.Many2one("res.company", index=True, readonly=True)
    old_tier_id = fields.Many2one("prm.tier", readonly=True, ondelete="restrict")
    new_tier_id = fields.Many2one("prm.tier", readonly=True, ondelete="restrict")
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    reason = fields.Text(readonly=True)
    metric_values = fields.Json(
        readonly=True,
        help="Metric values measured when the change was decided, "
        'e.g. {"invoiced_revenue/12": 125000.0}.',
    )
    metric_summary = fields.Text(compute="_compute_metric_summary")
    user_id = fields.Many2one(
        "res.users", default=lambda self: self.env.user, readonly=True
    )
    mode = fields.Selection(
        [("automatic", "Automatic"), ("manual", "Manual")],
        required=True,
        default="manual",
        readonly=True,
    )
    direction = fields.Selection(
        [("up", "Upgrade"), ("down", "Downgrade"), ("same", "Same rank")],
        compute="_compute_direction",
        store=True,
    )

    @api.depends("old_tier_id.sequence", "new_tier_id.sequence")
    def _compute_direction(self):
        for row in self:
            old = row.old_tier_id.sequence if row.old_tier_id else float("-inf")
            new = row.new_tier_id.sequence if row.new_tier_id else float("-inf")
            row.direction = "up" if new > old else "down" if new < old else "same"

    @api.depends("metric_values")
    def _compute_metric_summary(self):
        for row in self:
            row.metric_summary = self._prm_metric_summary(row.metric_values)

    @api.model
    def _prm_metric_summary(self, metric_values):
        """Readable lines for ``{"metric/months": value}``."""
        # The engine's labels: they also name metrics with a parameter
        # (``prm.tier.rule._prm_metric_code``).
        labels = self.env["prm.tier.requalification"]._prm_labels()["metric"]
        lines = []
        for key, value in sorted((metric_values or {}).items()):
            metric, _sep, months = key.partition("/")
            lines.append(
                self.env._(
                    "%(metric)s (%(months)s months): %(value)s",
                    metric=labels.get(metric, metric),
                    months=months,
                    value=format_number(self.env, value),
                )
            )
        return "\n".join(lines)
