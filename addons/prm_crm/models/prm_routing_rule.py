from collections import Counter, defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain

DISTRIBUTIONS = [
    ("weighted", "Weighted by tier"),
    ("round_robin", "Round-robin"),
    ("conversion", "Best conversion rate"),
]


class PrmRoutingRule(models.Model):
    """Which leads go to which channel partners, and how they are shared.

    Rules are tried by sequence: the first rule whose filters match a lead and
    that still has an eligible partner with free capacity offers the lead.
    """

    _name = "prm.routing.rule"
    _description = "Lead Routing Rule"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, index=True
    )

    # --- Which leads (an empty filter matches every lead) ---
    country_ids = fields.Many2many(
        "res.country", "prm_routing_rule_country_rel", string="Countries"
    )
    country_state_ids = fields.Many2many(
        "res.country.state", "prm_routing_rule_state_rel", string="States"
    )
    zip_prefixes = fields.Char(
        help="Comma-separated zip code prefixes, e.g. '28, 08' for Madrid and "
        "Barcelona."
    )
    team_ids = fields.Many2many("crm.team", string="Sales teams")
    tag_ids = fields.Many2many("crm.tag", string="Tags")
    categ_ids = fields.Many2many(
        "product.category",
        "prm_routing_rule_categ_rel",
        string="Product interest",
        help="Leads interested in these product categories or their subcategories.",
    )

    # --- Which partners ---
    partner_type_ids = fields.Many2many(
        "prm.partner.type", string="Partner types", help="Empty: every type."
    )
    min_tier_id = fields.Many2one(
        "prm.tier",
        string="Minimum tier",
        check_company=True,
        help="Only partners at this tier or above.",
    )
    match_territory = fields.Boolean(
        string="Within the partner's territory",
        default=True,
        help="Only partners whose territory (countries, states) covers the "
        "lead's address; partners without a territory take leads anywhere.",
    )

    # --- How ---
    distribution = fields.Selection(DISTRIBUTIONS, required=True, default="weighted")
    lookback_months = fields.Integer(
        string="History (months)",
        default=6,
        help="Period over which conversion rates and the weighted balance are "
        "measured.",
    )
    sla_hours = fields.Integer(
        string="Acceptance SLA (hours)",
        default=48,
        required=True,
        help="A partner must accept or decline within this time, else the lead "
        "goes to the next partner.",
    )
    offer_ids = fields.One2many("prm.lead.offer", "rule_id", string="Offers")
    offer_count = fields.Integer(compute="_compute_offer_count")

    # --- Compute ---

    def _compute_offer_count(self):
        counts = dict(
            self.env["prm.lead.offer"]._read_group(
                [("rule_id", "in", self.ids)], ["rule_id"], ["__count"]
            )
        )
        for rule in self:
            rule.offer_count = counts.get(rule, 0)

    # --- Constraints ---

    @api.constrains("sla_hours", "lookback_months")
    def _check_figures(self):
        for rule in self:
            if rule.sla_hours <= 0:
                raise ValidationError(
                    self.env._(
                        "The acceptance SLA of routing rule %(rule)s must be a "
                        "positive number of hours.",
                        rule=rule.display_name,
                    )
                )
            if rule.lookback_months <= 0:
                raise ValidationError(
                    self.env._(
                        "The history of routing rule %(rule)s must cover at least "
                        "one month.",
                        rule=rule.display_name,
                    )
                )

    @api.constrains("zip_prefixes")
    def _check_zip_prefixes(self):
        for rule in self:
            bad = [p for p in rule._zip_prefix_list() if not p.isalnum()]
            if bad:
                raise ValidationError(
                    self.env._(
                        "Zip prefixes are letters and digits separated by commas: "
                        "%(bad)s is not one.",
                        bad=bad[0],
                    )
                )

    def _zip_prefix_list(self):
        self.ensure_one()
        return [
            p.replace(" ", "").upper()
            for p in (self.zip_prefixes or "").split(",")
            if p.strip()
        ]

    # --- Actions ---

    def action_open_offers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "prm_crm.action_prm_lead_offer"
        )
        action["domain"] = [("rule_id", "=", self.id)]
        return action

    # --- Hooks ---

    @api.model
    def _prm_routing_certified_partners(self, lead_rule, partners):
        """Partners holding the certification ``lead_rule`` requires.

        Called once per rule with all its candidate partners (never per lead).
        Hook: the training module filters on certifications; here every partner
        qualifies.
        """
        return partners

    @api.model
    def _prm_routing_partner_domain(self):
        """Partners that can receive routed leads at all."""
        return Domain(
            [
                ("prm_is_partner", "=", True),
                ("prm_state", "=", "active"),
                ("prm_tier_id.routing_weight", ">", 0),
            ]
        )

    # --- Business: routing ---

    @api.model
    def _prm_route_leads(self, leads):
        """Offer each routable lead to one channel partner.

        :return: the created ``prm.lead.offer`` records
        """
        return self._prm_route_leads_explained(leads)[0]

    @api.model
    def _prm_route_leads_explained(self, leads):
        """Offer each routable lead to one channel partner, saying why the
        others were not offered.

        Everything the decision needs (leads, rules, partners, their open load,
        previous offers, distribution history, conversion rates) is read with a
        fixed number of grouped queries; the assignment itself runs in memory on
        plain values and the offers are created in one ORM call. Reads do not
        grow with the number of leads (the ORM inserts 100 offers per
        statement); partners are emailed later by the notification job.

        Leads that a rule matched but no partner could take keep the reason in
        ``prm_routing_blocker`` (with a chatter note when it changes).

        :return: ``(offers, {lead id: why it was not offered})``
        """
        Offer = self.env["prm.lead.offer"]
        leads = leads.with_context(active_test=False).exists()
        reasons = {}
        if not leads:
            return Offer, reasons
        fnames = self._prm_lead_fields()
        leads.fetch(fnames)
        rows = self._prm_cached_rows(leads, fnames)
        previous = Offer.search_fetch(
            [("lead_id", "in", leads.ids)], ["lead_id", "partner_id", "state"]
        )
        excluded = defaultdict(set)
        busy = set()
        for offer in previous:
            excluded[offer.lead_id.id].add(offer.partner_id.id)
            if offer.state in ("offered", "accepted"):
                busy.add(offer.lead_id.id)
        routable = []
        for row in rows:
            skip = self._prm_skip_reason(row, busy)
            if skip:
                reasons[row["id"]] = skip
            else:
                routable.append(row)
        rows = routable
        if not rows:
            return Offer, reasons
        rules = self._prm_rules_for(leads.browse([row["id"] for row in rows]))
        plan = self._prm_prepare_routing_plan(rules)
        categs = self.env["product.category"].browse(
            {cid for row in rows for cid in row["prm_interest_categ_ids"]}
        )
        categ_paths = {categ.id: categ.parent_path or "" for categ in categs}
        now = fields.Datetime.now()
        vals_list = []
        blockers = {}
        for row in rows:
            facts = self._prm_lead_facts(row, categ_paths)
            choice = self._prm_choose(plan, facts, excluded[row["id"]])
            if choice:
                rule_id, partner_id = choice
                vals_list.append(
                    self._prepare_offer_vals(
                        facts, plan["rules"][rule_id], partner_id, now
                    )
                )
            else:
                blockers[row["id"]] = reasons[row["id"]] = self._prm_explain_unrouted(
                    plan, facts, excluded[row["id"]]
                )
        offers = Offer.create(vals_list)
        self._prm_store_blockers(rows, blockers)
        notify = self.env.ref(
            "prm_crm.ir_cron_prm_notify_offers", raise_if_not_found=False
        )
        if offers and notify:
            notify.sudo()._trigger()
        return offers, reasons

    @api.model
    def _prm_skip_reason(self, row, busy):
        """Why a lead is not for routing at all, or None."""
        if not row["active"]:
            return self.env._("the lead is archived.")
        if row["won_status"] != "pending":
            return self.env._("the lead is closed.")
        if row["prm_registration_state"]:
            return self.env._("the lead is a deal registration.")
        if row["prm_partner_id"]:
            return self.env._("a channel partner already works the lead.")
        if row["id"] in busy:
            return self.env._(
                "the lead is already offered to or accepted by a partner."
            )
        return None

    @api.model
    def _prm_store_blockers(self, rows, blockers):
        """Keep on each lead why no partner could take it, and say so in its
        chatter when the reason changes (the routing job retries unrouted leads
        every run: an unchanged reason is not repeated). One write per distinct
        reason, one batch of notes; as superuser, routing's own bookkeeping
        (callers checked their rights on the leads)."""
        Lead = self.env["crm.lead"].sudo()
        by_reason = defaultdict(list)
        for row in rows:
            reason = blockers.get(row["id"]) or False
            if reason != (row["prm_routing_blocker"] or False):
                by_reason[reason].append(row["id"])
        for reason, lead_ids in by_reason.items():
            Lead.browse(lead_ids).write({"prm_routing_blocker": reason})
        notes = {
            lead_id: Markup("<p>%s</p>")
            % self.env._(
                "Not offered to any channel partner: %(reason)s", reason=reason
            )
            for reason, lead_ids in by_reason.items()
            if reason
            for lead_id in lead_ids
        }
        if notes:
            Lead.browse(list(notes))._message_log_batch(notes)

    @api.model
    def _prm_explain_unrouted(self, plan, facts, excluded):
        """Why ``_prm_choose`` found nobody for a lead, in a sentence.

        Replays the assignment's filters rule by rule (in memory, only for the
        leads left without a partner) and reports the step the lead got
        furthest to: no rule, no partner of the rule's type/tier/certification,
        none whose territory covers it, all had it already, all at capacity.
        """
        partners, load = plan["partners"], plan["load"]
        country = facts["country"]
        best = (0, None)
        for rule in plan["rules"].values():
            if not self._prm_lead_matches(rule, facts):
                continue
            if not rule["partners"]:
                step = 1
            else:
                step = 2
                for pid in self._prm_rule_partners_in(rule, partners, country):
                    partner = partners[pid]
                    if pid in excluded:
                        step = max(step, 3)
                        continue
                    capacity = partner["capacity"]
                    if capacity and load[pid] >= capacity:
                        step = max(step, 4)
                        continue
                    step = max(step, 5)
            if step > best[0]:
                best = (step, rule)
        step, rule = best
        no_country = not country and any(
            r["countries"] or r["match_territory"] for r in plan["rules"].values()
        )
        if no_country and step in (0, 2):
            return self.env._(
                "the lead has no country, and the routing rules and partner "
                "territories go by country: set the lead's country."
            )
        if step == 0:
            if not plan["rules"]:
                return self.env._("there is no active routing rule.")
            return self.env._(
                "no routing rule matches the lead (country, state, zip, sales "
                "team, tags or product interest)."
            )
        if step == 1:
            return self.env._(
                "no active partner has the type, minimum tier or certification "
                "that rule %(rule)s requires.",
                rule=rule["name"],
            )
        if step == 2:
            return self.env._(
                "no partner of rule %(rule)s has a territory covering %(country)s.",
                rule=rule["name"],
                country=self.env["res.country"].browse(country).name,
            )
        if step == 3:
            return self.env._(
                "every eligible partner of rule %(rule)s already had the lead "
                "(declined it or let it lapse).",
                rule=rule["name"],
            )
        if step == 4:
            return self.env._(
                "every eligible partner of rule %(rule)s is at capacity (open "
                "routed leads).",
                rule=rule["name"],
            )
        return self.env._(
            "no eligible partner of rule %(rule)s covers the lead's state or company.",
            rule=rule["name"],
        )

    @api.model
    def _prm_lead_fields(self):
        return [
            "active",
            "won_status",
            "prm_partner_id",
            "prm_registration_state",
            "company_id",
            "country_id",
            "state_id",
            "zip",
            "team_id",
            "tag_ids",
            "prm_interest_categ_ids",
            "prm_routing_blocker",
        ]

    @api.model
    def _prm_cached_rows(self, records, fnames):
        """``[{"id": id, fname: raw value}]`` of fetched ``records``, straight
        from the ORM cache: ids for relational fields (tuples for x2many), None
        for empty values. Routing looks at a dozen fields of thousands of leads;
        attribute access (a record built per value) cost more than the rest of
        the assignment (11 ms against 1 ms for 1,000 leads)."""
        caches = [
            (name, records._fields[name]._get_cache(records.env)) for name in fnames
        ]
        return [
            {"id": record_id, **{name: cache[record_id] for name, cache in caches}}
            for record_id in records._ids
        ]

    @api.model
    def _prm_lead_facts(self, row, categ_paths):
        """What the rules look at, as plain values.

        :param row: the lead's ``_prm_lead_fields`` (see ``_prm_cached_rows``)
        :param categ_paths: ``{product category id: parent_path}``
        """
        return {
            "id": row["id"],
            "company": row["company_id"] or False,
            "country": row["country_id"] or False,
            "state": row["state_id"] or False,
            "zip": (row["zip"] or "").replace(" ", "").upper(),
            "team": row["team_id"] or False,
            "tags": set(row["tag_ids"]),
            "categ_paths": [categ_paths[cid] for cid in row["prm_interest_categ_ids"]],
        }

    @api.model
    def _prm_rules_for(self, leads):
        domain = Domain("active", "=", True)
        # Leads without a company may go to any company's rule (a recordset is
        # truthy per record: test the leads, not the companies they share).
        if all(lead.company_id for lead in leads):
            domain &= Domain("company_id", "in", [*leads.company_id.ids, False])
        rules = self.search(domain)
        rules.fetch(
            [
                "name",
                "company_id",
                "country_ids",
                "country_state_ids",
                "zip_prefixes",
                "team_ids",
                "tag_ids",
                "categ_ids",
                "partner_type_ids",
                "min_tier_id",
                "match_territory",
                "distribution",
                "lookback_months",
                "sla_hours",
            ]
        )
        return rules

    @api.model
    def _prepare_offer_vals(self, facts, rule_data, partner_id, now):
        return {
            "lead_id": facts["id"],
            "partner_id": partner_id,
            "rule_id": rule_data["id"],
            "state": "offered",
            "offered_at": now,
            "deadline": now + timedelta(hours=rule_data["sla_hours"]),
        }

    @api.model
    def _prm_prepare_routing_plan(self, rules):
        """Prefetch what the assignment needs, in grouped queries, and turn it
        into plain values."""
        partners = self.env["res.partner"].search_fetch(
            self._prm_routing_partner_domain(),
            [
                "company_id",
                "prm_partner_type_id",
                "prm_tier_id",
                "prm_routing_capacity",
                "prm_country_ids",
                "prm_country_state_ids",
            ],
            order="id",
        )
        tiers = partners.prm_tier_id
        tiers.fetch(["sequence", "routing_weight", "routing_capacity"])
        states = partners.prm_country_state_ids
        states.fetch(["country_id"])
        rules.min_tier_id.fetch(["sequence"])
        rules.categ_ids.fetch(["parent_path"])
        tier_rows = {
            row["id"]: row
            for row in self._prm_cached_rows(
                tiers, ["sequence", "routing_weight", "routing_capacity"]
            )
        }
        state_country = {
            row["id"]: row["country_id"]
            for row in self._prm_cached_rows(states, ["country_id"])
        }
        partner_rows = self._prm_cached_rows(
            partners,
            [
                "company_id",
                "prm_partner_type_id",
                "prm_tier_id",
                "prm_routing_capacity",
                "prm_country_ids",
                "prm_country_state_ids",
            ],
        )
        no_tier = {"sequence": 0, "routing_weight": 0.0, "routing_capacity": 0}
        plan = {
            "partners": {
                row["id"]: {
                    "company": row["company_id"] or False,
                    "weight": tier["routing_weight"],
                    "capacity": row["prm_routing_capacity"] or tier["routing_capacity"],
                    "countries": set(row["prm_country_ids"]),
                    "states": set(row["prm_country_state_ids"]),
                    "state_countries": {
                        state_country[sid] for sid in row["prm_country_state_ids"]
                    },
                }
                for row in partner_rows
                for tier in [tier_rows.get(row["prm_tier_id"], no_tier)]
            },
            "rules": {},
            "load": Counter(),
            "counts": defaultdict(Counter),
            "last": defaultdict(dict),
            "rates": {},
            "sequence": 0,
        }
        for rule in rules:
            types = set(rule.partner_type_ids.ids)
            min_rank = rule.min_tier_id.sequence if rule.min_tier_id else None
            company = rule.company_id.id
            eligible = partners.browse(
                row["id"]
                for row in partner_rows
                if (not types or row["prm_partner_type_id"] in types)
                and (
                    min_rank is None
                    or tier_rows.get(row["prm_tier_id"], no_tier)["sequence"]
                    >= min_rank
                )
                and (
                    not company or not row["company_id"] or row["company_id"] == company
                )
            )
            eligible = self._prm_routing_certified_partners(rule, eligible)
            plan["rules"][rule.id] = {
                "id": rule.id,
                "name": rule.display_name,
                "company": rule.company_id.id,
                "countries": set(rule.country_ids.ids),
                "states": set(rule.country_state_ids.ids),
                "zips": rule._zip_prefix_list(),
                "teams": set(rule.team_ids.ids),
                "tags": set(rule.tag_ids.ids),
                "categ_paths": [c.parent_path for c in rule.categ_ids],
                "match_territory": rule.match_territory,
                "distribution": rule.distribution,
                "lookback_months": rule.lookback_months,
                "sla_hours": rule.sla_hours,
                "partners": eligible.ids,
                "by_country": {},
            }
        self._prm_prefetch_load(plan, partners)
        self._prm_prefetch_history(plan, rules)
        return plan

    @api.model
    def _prm_prefetch_load(self, plan, partners):
        """Open routed leads per partner: offers pending an answer, plus
        accepted leads still open."""
        groups = self.env["prm.lead.offer"]._read_group(
            [
                ("partner_id", "in", partners.ids),
                ("state", "in", ("offered", "accepted")),
                ("lead_id.active", "=", True),
                ("lead_id.won_status", "=", "pending"),
            ],
            ["partner_id"],
            ["__count"],
        )
        for partner, count in groups:
            plan["load"][partner.id] = count

    @api.model
    def _prm_prefetch_history(self, plan, rules):
        Offer = self.env["prm.lead.offer"]
        now = fields.Datetime.now()
        balanced = rules.filtered(
            lambda r: r.distribution in ("weighted", "conversion")
        )
        if balanced:
            # Offers per (rule, partner) over each rule's own history window.
            domain = Domain.OR(
                Domain("rule_id", "=", rule.id)
                & Domain(
                    "offered_at", ">=", now - relativedelta(months=rule.lookback_months)
                )
                for rule in balanced
            )
            for rule, partner, count in Offer._read_group(
                domain, ["rule_id", "partner_id"], ["__count"]
            ):
                plan["counts"][rule.id][partner.id] = count
        rotating = rules.filtered(lambda r: r.distribution == "round_robin")
        if rotating:
            for rule, partner, last_id in Offer._read_group(
                [("rule_id", "in", rotating.ids)],
                ["rule_id", "partner_id"],
                ["id:max"],
            ):
                plan["last"][rule.id][partner.id] = last_id
                plan["sequence"] = max(plan["sequence"], last_id)
        for months in set(
            rules.filtered(lambda r: r.distribution == "conversion").mapped(
                "lookback_months"
            )
        ):
            plan["rates"][months] = self._prm_conversion_rates(
                list(plan["partners"]), now - relativedelta(months=months)
            )

    @api.model
    def _prm_conversion_rates(self, partner_ids, since):
        """``{partner_id: won / accepted}`` of the routed leads partners accepted
        since ``since``."""
        Offer = self.env["prm.lead.offer"]
        base = Domain(
            [
                ("partner_id", "in", partner_ids),
                ("state", "=", "accepted"),
                ("offered_at", ">=", since),
            ]
        )
        accepted = dict(Offer._read_group(base, ["partner_id"], ["__count"]))
        won = dict(
            Offer._read_group(
                base & Domain("lead_id.won_status", "=", "won"),
                ["partner_id"],
                ["__count"],
            )
        )
        return {
            partner.id: won.get(partner, 0) / count
            for partner, count in accepted.items()
            if count
        }

    # --- Business: assignment (in memory, on the plan) ---

    @api.model
    def _prm_choose(self, plan, facts, excluded):
        """First rule matching the lead that has a free eligible partner, and
        the partner its distribution picks: ``(rule_id, partner_id)`` or None."""
        partners = plan["partners"]
        load = plan["load"]
        company, country, state = facts["company"], facts["country"], facts["state"]
        for rule in plan["rules"].values():
            if not self._prm_lead_matches(rule, facts):
                continue
            match_territory = rule["match_territory"]
            candidates = []
            # The innermost loop of routing (leads x partners): plain locals.
            for pid in self._prm_rule_partners_in(rule, partners, country):
                if pid in excluded:
                    continue
                partner = partners[pid]
                capacity = partner["capacity"]
                if capacity and load[pid] >= capacity:
                    continue
                if company and partner["company"] and partner["company"] != company:
                    continue
                if (
                    match_territory
                    and partner["states"]
                    and country in partner["state_countries"]
                    and state not in partner["states"]
                ):
                    continue
                candidates.append(pid)
            if not candidates:
                continue
            partner_id = self._prm_pick(plan, rule, candidates)
            load[partner_id] += 1
            plan["counts"][rule["id"]][partner_id] += 1
            plan["sequence"] += 1
            plan["last"][rule["id"]][partner_id] = plan["sequence"]
            excluded.add(partner_id)
            return rule["id"], partner_id
        return None

    @api.model
    def _prm_rule_partners_in(self, rule, partners, country_id):
        """Eligible partners of the rule whose territory covers the country
        (indexed once per country: leads of one country share the list)."""
        if not rule["match_territory"]:
            return rule["partners"]
        by_country = rule["by_country"]
        if country_id not in by_country:
            by_country[country_id] = [
                pid
                for pid in rule["partners"]
                if not partners[pid]["countries"]
                or country_id in partners[pid]["countries"]
            ]
        return by_country[country_id]

    @api.model
    def _prm_lead_matches(self, rule, facts):
        if rule["company"] and facts["company"] and rule["company"] != facts["company"]:
            return False
        if rule["countries"] and facts["country"] not in rule["countries"]:
            return False
        if rule["states"] and facts["state"] not in rule["states"]:
            return False
        if rule["zips"] and not (
            facts["zip"] and any(facts["zip"].startswith(z) for z in rule["zips"])
        ):
            return False
        if rule["teams"] and facts["team"] not in rule["teams"]:
            return False
        if rule["tags"] and not (facts["tags"] & rule["tags"]):
            return False
        return not rule["categ_paths"] or any(
            path.startswith(prefix)
            for path in facts["categ_paths"]
            for prefix in rule["categ_paths"]
        )

    @api.model
    def _prm_pick(self, plan, rule, candidates):
        partners = plan["partners"]
        counts = plan["counts"][rule["id"]]
        if rule["distribution"] == "round_robin":
            # Least recently offered first; never offered ones by id.
            last = plan["last"][rule["id"]]
            return min(candidates, key=lambda pid: (last.get(pid, 0), pid))
        if rule["distribution"] == "conversion":
            rates = plan["rates"].get(rule["lookback_months"], {})
            return min(
                candidates, key=lambda pid: (-rates.get(pid, 0.0), counts[pid], pid)
            )
        # Weighted: the partner furthest below its share (count / weight), which
        # hands out leads in exact proportion to the weights (D'Hondt).
        best, best_key = None, None
        for pid in candidates:
            weight = partners[pid]["weight"]
            key = ((counts[pid] + 1) / weight, -weight, pid)
            if best_key is None or key < best_key:
                best, best_key = pid, key
        return best
