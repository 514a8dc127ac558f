from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare

from ..tools.validation import check_number

OPERATORS = {
    ">=": lambda value, threshold: float_compare(value, threshold, 6) >= 0,
    ">": lambda value, threshold: float_compare(value, threshold, 6) > 0,
    "<=": lambda value, threshold: float_compare(value, threshold, 6) <= 0,
    "<": lambda value, threshold: float_compare(value, threshold, 6) < 0,
}


class PrmTierRule(models.Model):
    """One qualification condition of a tier: ``metric operator threshold``
    measured over the last ``lookback_months`` months.

    **Extension point for metrics.** A module adds a metric in two steps:

    1. extend the selection of ``metric``::

           metric = fields.Selection(
               selection_add=[("sellout_revenue", "Sell-out revenue")],
               ondelete={"sellout_revenue": "cascade"},
           )

    2. implement ``res.partner._prm_metric_<code>(date_from, date_to)``: called
       once on the whole recordset of partners being evaluated, it returns
       ``{partner_id: value}`` (missing partners count as 0) and must use
       grouped queries (``_read_group``), never one query per partner.
    """

    _name = "prm.tier.rule"
    _description = "Tier Qualification Rule"
    _order = "tier_id, sequence, id"

    tier_id = fields.Many2one("prm.tier", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="tier_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    metric = fields.Selection(
        [("representatives", "Representatives")],
        required=True,
        default="representatives",
        help="Representatives: contacts of the partner with a program role. "
        "Other modules add metrics (revenue with Sales, won opportunities with "
        "CRM...).",
    )
    operator = fields.Selection(
        [(">=", "at least"), (">", "more than"), ("<=", "at most"), ("<", "less than")],
        required=True,
        default=">=",
    )
    threshold = fields.Float(required=True, default=0.0)
    lookback_months = fields.Integer(
        string="Look-back (months)",
        required=True,
        default=12,
        help="The metric is measured over this many months up to the evaluation date.",
    )

    # NaN passes ``>= 0`` in PostgreSQL, not ``< 1e15``.
    _threshold_positive = models.Constraint(
        "CHECK(threshold >= 0 AND threshold < 1e15)",
        "A tier rule threshold is a number from 0 to less than 1e15.",
    )
    _lookback_range = models.Constraint(
        "CHECK(lookback_months BETWEEN 1 AND 120)",
        "The look-back period must be between 1 and 120 months.",
    )

    # --- CRUD ---

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_rule_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_rule_vals(vals)
        return super().write(vals)

    @api.model
    def _check_rule_vals(self, vals):
        """Turn bad input into readable errors before the ORM casts it.

        The ORM would raise a bare ValueError on an unknown selection value or a
        threshold that is not a number; users get a ValidationError naming the
        field instead.
        """
        if "metric" in vals:
            known = dict(self._fields["metric"]._description_selection(self.env))
            if vals["metric"] not in known:
                raise ValidationError(
                    self.env._(
                        "Unknown tier metric “%(metric)s”. Known metrics: %(known)s.",
                        metric=vals["metric"],
                        known=", ".join(sorted(known.values())),
                    )
                )
        if "operator" in vals and vals["operator"] not in OPERATORS:
            raise ValidationError(
                self.env._(
                    "Unknown comparison “%(op)s” in a tier rule; use one of %(ops)s.",
                    op=vals["operator"],
                    ops=", ".join(OPERATORS),
                )
            )
        if "threshold" in vals:
            check_number(
                self.env,
                vals["threshold"],
                self._fields["threshold"]._description_string(self.env),
            )
        if "lookback_months" in vals:
            try:
                months = float(vals["lookback_months"])
            except (TypeError, ValueError):
                months = 0
            if not (1 <= months <= 120):
                raise ValidationError(
                    self.env._("The look-back period must be between 1 and 120 months.")
                )

    @api.constrains("metric", "operator", "threshold", "lookback_months", "tier_id")
    def _check_tier_ladder(self):
        self.tier_id._check_no_overlap()

    # --- Business ---

    def _prm_metric_code(self):
        """Key of this rule's metric in the engine (``_prm_metric_<code>``).
        Hook for metrics with a parameter (a certification, a product line):
        a module returns one code per parameter and measures it in
        ``res.partner._prm_compute_metrics``."""
        self.ensure_one()
        return self.metric

    def _metric_label(self):
        self.ensure_one()
        return dict(self._fields["metric"]._description_selection(self.env))[
            self.metric
        ]

    def _compute_display_name(self):
        operators = dict(self._fields["operator"]._description_selection(self.env))
        for rule in self:
            if not rule.metric:
                rule.display_name = False
                continue
            rule.display_name = self.env._(
                "%(metric)s %(op)s %(threshold)s over %(months)s months",
                metric=rule._metric_label(),
                op=operators.get(rule.operator, ""),
                threshold=rule.threshold,
                months=rule.lookback_months,
            )
