"""Partner 360: what a channel manager opens a partner for, in one payload.

``_prm_partner_360_data()`` returns, for a whole recordset and in a constant
number of queries, the sections the *Partner 360* tab draws (widget
``prm_partner_360``). Modules add their sections by extending it (``prm_crm``
the pipeline, ``prm_incentive`` the earnings).

A section is ``{"key", "sequence", "title", "subtitle", "figures", "bars_title",
"bars"}``:
``bars`` are progress bars ``{"label", "value", "threshold", "percent", "met",
"action"}``, ``figures`` are ``{"key", "label", "display", "warning",
"action"}``. An ``action`` is ``{"method": "action_prm_...", "kwargs": {}}``, a
method of ``res.partner`` returning the window action that lists the records
behind the figure.
"""

from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import format_date

from .prm_tier_rule import OPERATORS


def prm_360_action(method, **kwargs):
    return {"method": method, "kwargs": kwargs}


def prm_360_figure(key, label, display, action=None, warning=False):
    return {
        "key": key,
        "label": label,
        "display": display,
        "action": action,
        "warning": warning,
    }


class ResPartner(models.Model):
    _inherit = "res.partner"

    prm_360_data = fields.Json(
        string="Partner 360 figures",
        compute="_compute_prm_360_data",
        groups="prm_partner.group_prm_user",
    )

    def _compute_prm_360_data(self):
        saved = self.filtered("id")
        data = saved._prm_partner_360_data() if saved else {}
        for partner in self:
            partner.prm_360_data = data.get(partner.id) or {"sections": []}

    # --- Business ---

    def _prm_partner_360_data(self):
        """``{partner_id: {"sections": [section]}}`` for the program partners of
        ``self``. Hook: call super, then add sections with ``_prm_360_add``."""
        partners = self.filtered("prm_is_partner")
        data = {partner.id: {"sections": []} for partner in partners}
        if partners:
            partners._prm_360_tier(data)
            partners._prm_360_onboarding(data)
            partners._prm_360_documents(data)
        return data

    @api.model
    def _prm_360_add(self, data, partner_id, section):
        data[partner_id]["sections"].append(
            {
                "subtitle": False,
                "bars_title": False,
                "bars": [],
                "figures": [],
                **section,
            }
        )

    def _prm_360_metric_actions(self):
        """``{metric: method}`` opening the records a tier metric counts. Hook."""
        return {"representatives": "action_prm_open_contacts"}

    def _prm_360_tier(self, data):
        """Current tier and, per rule of the next tier, value against threshold."""
        Engine = self.env["prm.tier.requalification"]
        labels = Engine._prm_labels()
        fmt = labels["format"]
        metric_actions = self._prm_360_metric_actions()
        today = fields.Date.context_today(self)
        for company, partners in Engine._prm_split_by_company(self):
            ladder = Engine._prm_ladder(company)
            ascending = ladder[::-1]
            targets = {
                partner.id: self._prm_360_next_rung(ascending, partner.prm_tier_id.id)
                for partner in partners
            }
            specs = {
                (rule.metric, rule.months)
                for rung in targets.values()
                if rung
                for rule in rung.rules
            }
            # sudo: the same figures as requalification, whatever the user may
            # read (see prm.tier.requalification._prm_evaluate).
            metrics = partners.sudo()._prm_compute_metrics(specs, today, company)
            names = {
                tier.id: tier.name
                for tier in self.env["prm.tier"]
                .sudo()
                .browse([rung.tier_id for rung in ladder])
            }
            for partner in partners.with_env(self.env):
                self._prm_360_add(
                    data,
                    partner.id,
                    partner._prm_360_tier_section(
                        targets[partner.id], metrics, names, labels, fmt, metric_actions
                    ),
                )

    @api.model
    def _prm_360_next_rung(self, ascending, tier_id):
        """The rung above ``tier_id`` (the lowest one without a tier), or the
        partner's own rung at the top of the ladder."""
        ranks = [rung.tier_id for rung in ascending]
        if tier_id not in ranks:
            return ascending[0] if ascending else None
        index = ranks.index(tier_id)
        return ascending[min(index + 1, len(ascending) - 1)]

    def _prm_360_tier_section(self, rung, metrics, names, labels, fmt, actions):
        self.ensure_one()
        tier = self.prm_tier_id
        figures = [
            prm_360_figure(
                "tier",
                self.env._("Current tier"),
                tier.name or self.env._("No tier"),
                prm_360_action("action_prm_open_tier_history"),
            )
        ]
        if self.prm_downgrade_tier_id:
            figures.append(
                prm_360_figure(
                    "downgrade",
                    self.env._("Pending downgrade"),
                    self.env._(
                        "%(tier)s on %(date)s",
                        tier=self.prm_downgrade_tier_id.name,
                        date=format_date(self.env, self.prm_downgrade_date),
                    ),
                    prm_360_action("action_prm_open_tier_history"),
                    warning=True,
                )
            )
        if self.prm_tier_lock_until and self.prm_tier_lock_until >= fields.Date.today():
            figures.append(
                prm_360_figure(
                    "lock",
                    self.env._("Tier locked until"),
                    format_date(self.env, self.prm_tier_lock_until),
                )
            )
        bars = []
        subtitle = False
        if rung:
            target = names.get(rung.tier_id, "")
            if rung.tier_id == tier.id:
                subtitle = self.env._("Top tier: %(tier)s's rules", tier=target)
            elif rung.rules:
                subtitle = self.env._("Next tier: %(tier)s", tier=target)
            else:
                subtitle = self.env._(
                    "Next tier: %(tier)s (no qualification rule)", tier=target
                )
            for rule in rung.rules:
                value = metrics[(rule.metric, rule.months)].get(self.id, 0.0)
                bars.append(
                    self._prm_360_bar(
                        rule, value, labels, fmt, actions.get(rule.metric)
                    )
                )
        return {
            "key": "tier",
            "sequence": 10,
            "title": self.env._("Tier"),
            "bars_title": subtitle,
            "bars": bars,
            "figures": figures,
        }

    @api.model
    def _prm_360_bar(self, rule, value, labels, fmt, method):
        met = OPERATORS[rule.operator](value, rule.threshold)
        if rule.operator in (">=", ">") and rule.threshold > 0:
            percent = min(100, max(0, round(100.0 * value / rule.threshold)))
        else:
            percent = 100 if met else 0
        return {
            "label": self.env._(
                "%(metric)s, %(months)s months",
                metric=labels["metric"].get(rule.metric, rule.metric),
                months=rule.months,
            ),
            "value": fmt(value),
            "threshold": f"{labels['operator'].get(rule.operator, rule.operator)} "
            f"{fmt(rule.threshold)}",
            "percent": percent,
            "met": met,
            "action": prm_360_action(method) if method else None,
        }

    def _prm_360_onboarding(self, data):
        """Checklist progress of partners being onboarded (or with a checklist)."""
        for partner in self:
            required = partner.prm_checklist_required_count
            if partner.prm_state != "onboarding" and not required:
                continue
            figures = []
            if partner.prm_state == "onboarding":
                figures.append(
                    prm_360_figure(
                        "stage",
                        self.env._("Stage"),
                        self.env._(
                            "%(stage)s, %(days)s days",
                            stage=partner.prm_onboarding_stage_id.name or "",
                            days=partner.prm_onboarding_stage_days,
                        ),
                        prm_360_action("action_prm_open_checklist"),
                    )
                )
            figures.append(
                prm_360_figure(
                    "to_review",
                    self.env._("Items to review"),
                    str(partner.prm_checklist_review_count),
                    prm_360_action("action_prm_open_checklist"),
                    warning=bool(partner.prm_checklist_review_count),
                )
            )
            self._prm_360_add(
                data,
                partner.id,
                {
                    "key": "onboarding",
                    "sequence": 40,
                    "title": self.env._("Onboarding"),
                    "bars": [
                        {
                            "label": self.env._("Required items approved"),
                            "value": str(partner.prm_checklist_approved_count),
                            "threshold": str(required),
                            "percent": round(partner.prm_checklist_progress),
                            "met": bool(required)
                            and partner.prm_checklist_approved_count == required,
                            "action": prm_360_action("action_prm_open_checklist"),
                        }
                    ],
                    "figures": figures,
                },
            )

    def _prm_360_expiry_limit(self):
        """Agreements and documents ending before this date count as expiring."""
        return fields.Date.context_today(self) + relativedelta(
            days=self.env.company.prm_agreement_reminder_days
        )

    def _prm_360_documents(self, data):
        """Active agreements, and agreements and authority documents expiring."""
        limit = self._prm_360_expiry_limit()
        agreements = defaultdict(lambda: [0, 0])
        for partner, expiring, count in self.env["prm.agreement"]._read_group(
            [("partner_id", "in", self.ids), ("state", "=", "active")],
            ["partner_id", "date_end:day"],
            ["__count"],
        ):
            agreements[partner.id][0] += count
            if expiring and expiring <= limit:
                agreements[partner.id][1] += count
        authorities = dict(
            self.env["prm.authority"]._read_group(
                self._prm_360_expiring_authority_domain(limit),
                ["partner_id"],
                ["__count"],
            )
        )
        days = self.env.company.prm_agreement_reminder_days
        for partner in self:
            active, expiring = agreements[partner.id]
            documents = authorities.get(partner, 0)
            self._prm_360_add(
                data,
                partner.id,
                {
                    "key": "documents",
                    "sequence": 50,
                    "title": self.env._("Agreements and documents"),
                    "subtitle": self.env._("Expiring: within %(days)s days", days=days),
                    "figures": [
                        prm_360_figure(
                            "agreements",
                            self.env._("Active agreements"),
                            str(active),
                            prm_360_action("action_prm_open_agreements"),
                        ),
                        prm_360_figure(
                            "agreements_expiring",
                            self.env._("Agreements expiring"),
                            str(expiring),
                            prm_360_action("action_prm_open_expiring_agreements"),
                            warning=bool(expiring),
                        ),
                        prm_360_figure(
                            "authorities_expiring",
                            self.env._("Authority documents expiring"),
                            str(documents),
                            prm_360_action("action_prm_open_expiring_authorities"),
                            warning=bool(documents),
                        ),
                    ],
                },
            )

    def _prm_360_expiring_agreement_domain(self, limit):
        return [
            ("partner_id", "in", self.ids),
            ("state", "=", "active"),
            ("date_end", "!=", False),
            ("date_end", "<=", limit),
        ]

    def _prm_360_expiring_authority_domain(self, limit):
        return [
            ("partner_id", "in", self.ids),
            ("state", "=", "approved"),
            ("date_to", "!=", False),
            ("date_to", "<=", limit),
        ]

    # --- Actions ---

    def action_prm_open_expiring_agreements(self):
        self.ensure_one()
        action = self.action_prm_open_agreements()
        action["domain"] = self._prm_360_expiring_agreement_domain(
            self._prm_360_expiry_limit()
        )
        return action

    def action_prm_open_expiring_authorities(self):
        self.ensure_one()
        action = self.action_prm_open_authorities()
        action["domain"] = self._prm_360_expiring_authority_domain(
            self._prm_360_expiry_limit()
        )
        return action
