from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare, format_date, formatLang

from odoo.addons.prm_partner.models.res_partner_360 import (
    prm_360_action,
    prm_360_figure,
)
from odoo.addons.prm_partner.tools.formatting import format_number


class ResPartner(models.Model):
    _inherit = "res.partner"

    prm_referrer_id = fields.Many2one(
        "res.partner",
        string="Referred by",
        index="btree_not_null",
        tracking=True,
        domain=[("prm_is_partner", "=", True)],
        help="Channel partner who referred this customer: referral programs pay it "
        "on the customer's invoices.",
    )
    prm_settlement_ids = fields.One2many("prm.settlement", "partner_id")
    prm_settlement_count = fields.Integer(compute="_compute_prm_incentive_counts")
    prm_incentive_line_count = fields.Integer(compute="_compute_prm_incentive_counts")
    prm_sellout_batch_count = fields.Integer(
        string="Sell-out reports", compute="_compute_prm_sellout_batch_count"
    )
    prm_points_balance = fields.Float(
        string="Points balance",
        digits=(16, 2),
        compute="_compute_prm_points_balance",
        help="Loyalty points the partner can spend (earned, minus spent and "
        "expired), in the companies you work in.",
    )

    @api.constrains("prm_referrer_id")
    def _check_prm_referrer(self):
        for partner in self:
            if partner.prm_referrer_id and (
                partner.prm_referrer_id.commercial_partner_id
                == partner.commercial_partner_id
            ):
                raise ValidationError(
                    self.env._(
                        "%(partner)s cannot be its own referrer.",
                        partner=partner.display_name,
                    )
                )

    def _compute_prm_incentive_counts(self):
        settlements = dict(
            self.env["prm.settlement"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        lines = dict(
            self.env["prm.incentive.line"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.prm_settlement_count = settlements.get(partner, 0)
            partner.prm_incentive_line_count = lines.get(partner, 0)

    def _compute_prm_sellout_batch_count(self):
        counts = dict(
            self.env["prm.sellout.batch"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.prm_sellout_batch_count = counts.get(
                partner.commercial_partner_id, 0
            )

    def _compute_prm_points_balance(self):
        balances = self._prm_points_balances()
        for partner in self:
            partner.prm_points_balance = balances.get(
                partner.commercial_partner_id.id, 0.0
            )

    def _prm_points_balances(self, company=None):
        """``{commercial partner id: points balance}`` in one grouped query, in
        ``company`` (default: the companies of the environment)."""
        companies = company or self.env.companies
        return {
            partner.id: points
            for partner, points in self.env["prm.points.move"]._read_group(
                [
                    ("partner_id", "in", self.commercial_partner_id.ids),
                    ("company_id", "in", companies.ids),
                ],
                ["partner_id"],
                ["points:sum"],
            )
        }

    # --- Points (API for other modules) ---

    def _prm_spend_points(self, points, origin=None, description=None, date=None):
        """Spend ``points`` of this partner's balance in the current company and
        return the ``prm.points.move`` written.

        The oldest points (first to expire) are used first. Raises a
        ``UserError`` when the balance is too low. Safe under concurrency: the
        partner's unspent points are locked while they are consumed, and a
        database constraint keeps every remainder at or above zero, so two
        concurrent spends of the same points cannot both succeed (the second
        waits, then fails to serialize and is retried against the new balance).

        Runs with the caller's rights: a module letting portal users spend
        points checks what they may spend, then calls this on ``sudo()``.

        :param origin: the record the points pay for (a campaign fund request...)
        """
        self.ensure_one()
        if float_compare(points, 0.0, precision_digits=2) <= 0:
            raise UserError(
                self.env._(
                    "Points to spend must be positive (got %(points)s).",
                    points=format_number(self.env, points, 2),
                )
            )
        values = {
            "kind": "spent",
            "partner_id": self.commercial_partner_id.id,
            "company_id": self.env.company.id,
            "points": -points,
            "name": description
            or (origin.display_name if origin else self.env._("Points spent")),
        }
        if date:
            values["date"] = date
        if origin:
            values.update(
                {
                    "res_model": origin._name,
                    "res_id": origin.id,
                    "origin": origin.display_name,
                }
            )
        return self.env["prm.points.move"].create(values)

    # --- Tier metric (see prm.tier.rule) ---

    def _prm_metric_sellout_revenue(self, date_from, date_to):
        """Sell-out amount in company currency of the partners' validated
        sell-out reports, rows dated in the period (one grouped query)."""
        groups = self.env["prm.sellout.line"]._read_group(
            [
                ("partner_id", "in", self.ids),
                ("batch_id.state", "=", "validated"),
                ("company_id", "=", self.env.company.id),
                ("date", ">=", date_from),
                ("date", "<=", date_to),
            ],
            ["partner_id"],
            ["amount_company:sum"],
        )
        return {partner.id: amount for partner, amount in groups}

    # --- Actions ---

    def action_prm_open_sellout_batches(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "prm_incentive.action_prm_sellout_batch"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    def action_prm_open_points(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "prm_incentive.action_prm_points_move"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    def action_prm_open_settlements(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "prm_incentive.action_prm_settlement"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_prm_open_incentive_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "prm_incentive.action_prm_incentive_line"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {}
        return action

    def _prm_statement_settlements(self):
        """Settlements printed on the partner's incentive statement."""
        self.ensure_one()
        return self.env["prm.settlement"].search(
            [("partner_id", "=", self.id), ("state", "!=", "cancel")],
            order="date_to desc, id desc",
        )

    # --- Partner 360 ---

    def _prm_partner_360_data(self):
        """Add the earnings: accrued and not settled yet, the last settlement."""
        data = super()._prm_partner_360_data()
        partners = self.filtered("prm_is_partner")
        if partners:
            partners._prm_360_earnings(data)
        return data

    def _prm_360_metric_actions(self):
        return {
            **super()._prm_360_metric_actions(),
            "sellout_revenue": "action_prm_open_sellout_batches",
        }

    def _prm_360_earnings(self, data):
        earned = defaultdict(list)
        for partner, currency, amount in self.env["prm.incentive.line"]._read_group(
            [
                ("partner_id", "in", self.ids),
                ("settlement_id", "=", False),
                ("program_id.kind", "!=", "points"),
            ],
            ["partner_id", "currency_id"],
            ["amount:sum"],
        ):
            earned[partner.id].append(
                formatLang(self.env, amount, currency_obj=currency)
            )
        Settlement = self.env["prm.settlement"]
        last_ids = [
            last_id
            for _partner, last_id in Settlement._read_group(
                [("partner_id", "in", self.ids), ("state", "!=", "cancel")],
                ["partner_id"],
                ["id:max"],
            )
        ]
        states = dict(Settlement._fields["state"]._description_selection(self.env))
        last = {
            settlement.partner_id.id: settlement
            for settlement in Settlement.browse(last_ids)
        }
        for partner in self:
            settlement = last.get(partner.id)
            if settlement:
                amount = (
                    self.env._(
                        "%(points)s points",
                        points=formatLang(self.env, settlement.amount_total, digits=0),
                    )
                    if settlement.program_kind == "points"
                    else formatLang(
                        self.env,
                        settlement.amount_total,
                        currency_obj=settlement.currency_id,
                    )
                )
                last_display = self.env._(
                    "%(amount)s, %(period)s (%(state)s)",
                    amount=amount,
                    period=format_date(self.env, settlement.date_to),
                    state=states.get(settlement.state),
                )
            else:
                last_display = self.env._("None yet")
            self._prm_360_add(
                data,
                partner.id,
                {
                    "key": "earnings",
                    "sequence": 30,
                    "title": self.env._("Incentives"),
                    "figures": [
                        prm_360_figure(
                            "earned",
                            self.env._("Earned, not settled yet"),
                            " + ".join(earned[partner.id])
                            or formatLang(
                                self.env, 0.0, currency_obj=self.env.company.currency_id
                            ),
                            prm_360_action("action_prm_open_unsettled_lines"),
                        ),
                        prm_360_figure(
                            "last_settlement",
                            self.env._("Last settlement"),
                            last_display,
                            prm_360_action("action_prm_open_settlements"),
                        ),
                        prm_360_figure(
                            "points",
                            self.env._("Points balance"),
                            formatLang(self.env, partner.prm_points_balance, digits=0),
                            prm_360_action("action_prm_open_points"),
                        ),
                    ],
                },
            )

    def action_prm_open_unsettled_lines(self):
        """The partner's accruals no settlement holds yet."""
        action = self.action_prm_open_incentive_lines()
        action["domain"] = [("partner_id", "=", self.id), ("settlement_id", "=", False)]
        return action
