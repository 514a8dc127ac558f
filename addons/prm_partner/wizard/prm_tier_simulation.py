from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain

from ..models.prm_tier_requalification import PARTNER_FIELDS, RuleSpec, metric_key

DIRECTIONS = [("up", "Moves up"), ("same", "Stays"), ("down", "Moves down")]


class PrmTierSimulation(models.TransientModel):
    """What-if: evaluate draft tier thresholds against today's figures.

    Uses the requalification engine's evaluation, so it sees exactly what the
    daily job would, and writes nothing but its own result lines.
    """

    _name = "prm.tier.simulation"
    _description = "Tier What-if Simulation"

    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda s: s.env.company
    )
    rule_ids = fields.One2many(
        "prm.tier.simulation.rule",
        "simulation_id",
        string="Draft thresholds",
        default=lambda s: s._default_rule_ids(),
    )
    result_ids = fields.One2many(
        "prm.tier.simulation.result", "simulation_id", string="Results", readonly=True
    )
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Simulated")], default="draft", readonly=True
    )
    partner_count = fields.Integer(string="Partners evaluated", readonly=True)
    up_count = fields.Integer(string="Move up", readonly=True)
    same_count = fields.Integer(string="Stay", readonly=True)
    down_count = fields.Integer(string="Move down", readonly=True)

    @api.model
    def _default_rule_ids(self):
        rules = self.env["prm.tier.rule"].search(
            [
                ("tier_id.active", "=", True),
                ("tier_id.company_id", "in", [self.env.company.id, False]),
            ]
        )
        return [
            Command.create(self._prepare_simulation_rule_vals(rule))
            for rule in rules.sorted(lambda r: (-r.tier_id.sequence, r.sequence, r.id))
        ]

    @api.model
    def _prepare_simulation_rule_vals(self, rule):
        """Draft threshold copied from the tier rule ``rule``; modules adding
        a parameter to a metric copy it too."""
        return {
            "tier_id": rule.tier_id.id,
            "metric": rule.metric,
            "operator": rule.operator,
            "threshold": rule.threshold,
            "lookback_months": rule.lookback_months,
        }

    # --- Actions ---

    def action_simulate(self):
        self.ensure_one()
        if not self.env.user.has_group("prm_partner.group_prm_user"):
            raise AccessError(self.env._("Only channel managers can simulate tiers."))
        Engine = self.env["prm.tier.requalification"]
        company = self.company_id
        rules_by_tier = defaultdict(list)
        for rule in self.rule_ids:
            rules_by_tier[rule.tier_id.id].append(
                RuleSpec(
                    rule._prm_metric_code(),
                    rule.operator,
                    rule.threshold,
                    rule.lookback_months,
                )
            )
        ladder = Engine._prm_ladder(company, rules_by_tier=rules_by_tier)
        stray = self.rule_ids.tier_id.filtered(
            lambda t: t.id not in {rung.tier_id for rung in ladder}
        )
        if stray:
            raise UserError(
                self.env._(
                    "Draft thresholds refer to tiers outside the program of %(company)s:"
                    " %(tiers)s.",
                    company=company.display_name,
                    tiers=", ".join(stray.mapped("display_name")),
                )
            )
        partners = self.env["res.partner"].search_fetch(
            self.env["res.partner"]._prm_requalify_domain()
            & Domain("company_id", "in", [company.id, False]),
            PARTNER_FIELDS,
        )
        evaluation = Engine._prm_evaluate(
            partners, company, ladder, fields.Date.context_today(self)
        )
        self.result_ids.unlink()
        lines = [
            self._prepare_result_vals(decision) for decision in evaluation.decisions
        ]
        self.env["prm.tier.simulation.result"].create(lines)
        counts = defaultdict(int)
        for line in lines:
            counts[line["direction"]] += 1
        self.write(
            {
                "state": "done",
                "partner_count": len(lines),
                "up_count": counts["up"],
                "same_count": counts["same"],
                "down_count": counts["down"],
            }
        )
        return self._action_reopen()

    def _prepare_result_vals(self, decision):
        return {
            "simulation_id": self.id,
            "partner_id": decision.partner_id,
            "current_tier_id": decision.old_tier_id,
            "simulated_tier_id": decision.old_tier_id
            if decision.locked_until
            else decision.qualified_tier_id,
            "direction": decision.direction,
            "locked": bool(decision.locked_until),
            "metric_values": {
                metric_key(*spec): value for spec, value in decision.values.items()
            },
        }

    def action_reset(self):
        """Back to the current tier rules."""
        self.ensure_one()
        self.result_ids.unlink()
        self.rule_ids.unlink()
        self.write(
            {
                "rule_ids": self._default_rule_ids(),
                "state": "draft",
                "partner_count": 0,
                "up_count": 0,
                "same_count": 0,
                "down_count": 0,
            }
        )
        return self._action_reopen()

    def action_open_partners(self):
        """Partners of the results, optionally of one direction
        (``prm_direction`` in the context)."""
        self.ensure_one()
        direction = self.env.context.get("prm_direction")
        results = self.result_ids.filtered(
            lambda r: not direction or r.direction == direction
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "prm_partner.action_prm_partner"
        )
        action["domain"] = [("id", "in", results.partner_id.ids)]
        action["context"] = {}
        action["target"] = "current"
        return action

    def _action_reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Tier what-if simulation"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }


class PrmTierSimulationRule(models.TransientModel):
    _name = "prm.tier.simulation.rule"
    _description = "Tier What-if Draft Threshold"
    _order = "simulation_id, id"

    simulation_id = fields.Many2one(
        "prm.tier.simulation", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="simulation_id.company_id")
    tier_id = fields.Many2one(
        "prm.tier",
        required=True,
        ondelete="cascade",
        domain="[('company_id', 'in', [company_id, False])]",
    )
    tier_sequence = fields.Integer(related="tier_id.sequence", string="Rank")
    metric = fields.Selection(selection="_selection_metric", required=True)
    operator = fields.Selection(
        selection="_selection_operator", required=True, default=">="
    )
    threshold = fields.Float(required=True, default=0.0)
    lookback_months = fields.Integer(
        string="Look-back (months)", required=True, default=12
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

    def _prm_metric_code(self):
        """See ``prm.tier.rule._prm_metric_code``."""
        self.ensure_one()
        return self.metric

    @api.model
    def _selection_metric(self):
        return (
            self.env["prm.tier.rule"]._fields["metric"]._description_selection(self.env)
        )

    @api.model
    def _selection_operator(self):
        return (
            self.env["prm.tier.rule"]
            ._fields["operator"]
            ._description_selection(self.env)
        )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self.env["prm.tier.rule"]._check_rule_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        self.env["prm.tier.rule"]._check_rule_vals(vals)
        return super().write(vals)


class PrmTierSimulationResult(models.TransientModel):
    _name = "prm.tier.simulation.result"
    _description = "Tier What-if Result"
    _order = "simulation_id, direction_order, partner_id"

    simulation_id = fields.Many2one(
        "prm.tier.simulation", required=True, ondelete="cascade", index=True
    )
    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade")
    current_tier_id = fields.Many2one("prm.tier", ondelete="cascade")
    simulated_tier_id = fields.Many2one("prm.tier", ondelete="cascade")
    direction = fields.Selection(DIRECTIONS, required=True)
    direction_order = fields.Integer(compute="_compute_direction_order", store=True)
    locked = fields.Boolean(help="The tier is locked by hand: it stays.")
    metric_values = fields.Json()
    metric_summary = fields.Text(compute="_compute_metric_summary")

    @api.depends("direction")
    def _compute_direction_order(self):
        order = {"up": 0, "down": 1, "same": 2}
        for line in self:
            line.direction_order = order.get(line.direction, 3)

    @api.depends("metric_values")
    def _compute_metric_summary(self):
        History = self.env["prm.tier.history"]
        for line in self:
            line.metric_summary = History._prm_metric_summary(line.metric_values)
