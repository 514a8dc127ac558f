from datetime import date

from odoo import api, fields, models
from odoo.tools import formatLang

from odoo.addons.prm_partner.tools.validation import selection_labels


class ResPartner(models.Model):
    _inherit = "res.partner"

    # --- Portal ---

    @api.model
    def _prm_portal_page_roles(self):
        """The Incentives pages are for the partner's finance people."""
        return {**super()._prm_portal_page_roles(), "incentives": ("finance",)}

    def _prm_portal_home_cards(self):
        cards = super()._prm_portal_home_cards()
        if not self._prm_portal_allows("incentives"):
            return cards
        earned = self._prm_portal_earned_totals()
        settlements = self._prm_portal_open_settlements()
        points = self._prm_points_balances().get(self.commercial_partner_id.id, 0.0)
        lines = [
            self.env._("Earned this period: %(amount)s", amount=amount)
            for amount in earned
        ] or [self.env._("Nothing earned yet this period")]
        lines.extend(
            self.env._(
                "%(count)s open settlements: %(amount)s to be paid",
                count=count,
                amount=formatLang(self.env, amount, currency_obj=currency),
            )
            for currency, count, amount in settlements
        )
        if points:
            lines.append(
                self.env._(
                    "Points balance: %(points)s",
                    points=formatLang(self.env, points, digits=0),
                )
            )
        cards.append(
            {
                "key": "incentives",
                "sequence": 40,
                "title": self.env._("Incentives"),
                "url": "/my/incentives",
                "icon": "fa-money",
                "count": sum(count for _currency, count, _amount in settlements),
                "lines": lines,
            }
        )
        return cards

    def _prm_portal_open_settlements(self):
        """``[(currency, count, amount to pay)]`` of the settlements posted but
        not paid yet, read with the caller's rights."""
        self.ensure_one()
        return self.env["prm.settlement"]._read_group(
            [
                ("partner_id", "=", self.commercial_partner_id.id),
                ("state", "=", "posted"),
            ],
            ["currency_id"],
            ["__count", "amount_to_pay:sum"],
        )

    def _prm_portal_earned(self, day=None):
        """What the partner earned in the current period of each program, by
        program and rule: a list of dicts (program, rule name, kind, currency,
        amount, count, period start and end), in one grouped read of the
        accruals (with the caller's rights: a portal user reads its own)."""
        self.ensure_one()
        day = day or fields.Date.context_today(self)
        Line = self.env["prm.incentive.line"]
        # A yearly period, the longest, starts on January 1st.
        groups = Line._read_group(
            [
                ("partner_id", "=", self.commercial_partner_id.id),
                ("period_start", ">=", date(day.year, 1, 1)),
                ("period_start", "<=", day),
            ],
            ["program_id", "rule_id", "kind", "period_start:day", "currency_id"],
            ["amount:sum", "__count"],
            order="program_id, rule_id, kind",
        )
        kinds = selection_labels(Line, "kind")
        # The rules' names only: the accruals read above passed the record rules.
        rules = self.env["prm.incentive.rule"].union(*(group[1] for group in groups))
        rule_names = {rule_sudo.id: rule_sudo.name for rule_sudo in rules.sudo()}
        result = []
        for program, rule, kind, period_start, currency, amount, count in groups:
            start, end = program._get_period(day)
            if period_start != start:
                continue
            result.append(
                {
                    "program": program,
                    "rule": rule_names.get(rule.id) or kinds[kind],
                    "kind": kind,
                    "currency": currency,
                    "points": program.kind == "points",
                    "amount": amount,
                    "count": count,
                    "date_from": start,
                    "date_to": end,
                }
            )
        return result

    def _prm_portal_earned_totals(self, earned=None):
        """The amounts earned this period, one formatted text per currency
        (points apart)."""
        totals = {}
        for row in self._prm_portal_earned() if earned is None else earned:
            # Points are counted apart from money, whatever the program currency.
            key = None if row["points"] else row["currency"]
            totals[key] = totals.get(key, 0.0) + row["amount"]
        return [
            formatLang(self.env, amount, currency_obj=currency)
            if currency is not None
            else self.env._(
                "%(points)s points", points=formatLang(self.env, amount, digits=0)
            )
            for currency, amount in totals.items()
        ]
