from collections import defaultdict

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain

from ..tools.validation import check_states_in_countries
from .prm_tier_requalification import (
    CANCEL,
    CANCEL_LOCKED,
    DOWNGRADE,
    GRACE,
    PARTNER_FIELDS,
    RETARGET,
    UPGRADE,
)

PRM_STATES = [
    ("prospect", "Prospect"),
    ("applicant", "Applicant"),
    ("onboarding", "Onboarding"),
    ("active", "Active"),
    ("suspended", "Suspended"),
    ("terminated", "Terminated"),
]

# Program fields only administrators may set by hand (requalification writes
# them itself); channel managers see them read-only.
PRM_ADMIN_FIELDS = {"prm_tier_id", "prm_tier_lock_until", "prm_tier_lock_reason"}


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "prm.match.mixin"]

    # --- Program membership ---
    prm_is_partner = fields.Boolean(
        string="Channel partner", tracking=True, index=True, copy=False
    )
    prm_partner_type_id = fields.Many2one(
        "prm.partner.type", string="Partner type", tracking=True, index=True
    )
    prm_state = fields.Selection(
        PRM_STATES,
        string="Program status",
        default="prospect",
        tracking=True,
        index=True,
        copy=False,
    )
    prm_tier_id = fields.Many2one(
        "prm.tier", string="Tier", tracking=True, index=True, copy=False
    )
    prm_manager_id = fields.Many2one(
        "res.users",
        string="Channel manager",
        tracking=True,
        index=True,
        domain=[("share", "=", False)],
    )
    prm_country_ids = fields.Many2many(
        "res.country",
        "res_partner_prm_country_rel",
        "partner_id",
        "country_id",
        string="Territory (countries)",
    )
    prm_country_state_ids = fields.Many2many(
        "res.country.state",
        "res_partner_prm_country_state_rel",
        "partner_id",
        "state_id",
        string="Territory (states)",
    )
    prm_start_date = fields.Date(string="Partner since", tracking=True, copy=False)
    prm_review_date = fields.Date(string="Next review", tracking=True, copy=False)

    # --- Tier lock and pending downgrade (maintained by requalification) ---
    prm_tier_lock_until = fields.Date(
        string="Tier locked until",
        tracking=True,
        copy=False,
        help="While set and not past, requalification leaves the tier as it is.",
    )
    prm_tier_lock_reason = fields.Char(string="Lock reason", copy=False)
    prm_downgrade_tier_id = fields.Many2one(
        "prm.tier", string="Pending downgrade to", copy=False, readonly=True
    )
    prm_downgrade_date = fields.Date(
        string="Downgrade after",
        copy=False,
        readonly=True,
        help="End of the grace period: the partner is downgraded on this date "
        "unless it requalifies before.",
    )
    prm_tier_history_ids = fields.One2many(
        "prm.tier.history", "partner_id", string="Tier history"
    )

    # --- Deals and routing ---
    prm_owner_partner_id = fields.Many2one(
        "res.partner",
        string="Owning channel partner",
        tracking=True,
        index=True,
        domain=[("prm_is_partner", "=", True)],
        help="Channel partner this customer belongs to: registrations of the same "
        "customer by other partners are flagged as conflicts. Set when a "
        "registered deal is won.",
    )
    prm_routing_capacity = fields.Integer(
        string="Max open routed leads",
        help="Routed leads this partner may hold open at once; 0 uses the "
        "tier's limit.",
    )

    # --- Partner 360 ---
    prm_contact_count = fields.Integer(compute="_compute_prm_counts")
    prm_opportunity_count = fields.Integer(compute="_compute_prm_counts")
    prm_sale_count = fields.Integer(compute="_compute_prm_counts")
    prm_invoice_count = fields.Integer(compute="_compute_prm_counts")
    prm_tier_history_count = fields.Integer(compute="_compute_prm_counts")
    prm_application_count = fields.Integer(
        compute="_compute_prm_application_count",
        groups="prm_partner.group_prm_user",
    )

    # --- Identity keys (duplicate detection, see prm.match.mixin) ---

    def _prm_match_depends(self):
        return ["vat", "country_id", "email", "name", "is_company", "phone"]

    def _prm_match_raw(self):
        self.ensure_one()
        return {
            "vat": self.vat,
            "country": self.country_id,
            "email": self.email,
            # Person names are no company identity.
            "company_name": self.name if self.is_company else False,
            "phone": self.phone,
        }

    # --- Constraints ---

    @api.constrains("prm_start_date", "prm_review_date")
    def _check_prm_dates(self):
        for partner in self:
            if (
                partner.prm_start_date
                and partner.prm_review_date
                and partner.prm_review_date < partner.prm_start_date
            ):
                raise ValidationError(
                    self.env._(
                        "The next review of %(partner)s (%(review)s) cannot be before "
                        "the partnership start (%(start)s).",
                        partner=partner.display_name,
                        review=partner.prm_review_date,
                        start=partner.prm_start_date,
                    )
                )

    @api.constrains("prm_routing_capacity", "prm_owner_partner_id")
    def _check_prm_deal_fields(self):
        for partner in self:
            if partner.prm_routing_capacity < 0:
                raise ValidationError(
                    self.env._(
                        "The routed lead capacity of %(partner)s cannot be negative "
                        "(0 uses the tier's limit).",
                        partner=partner.display_name,
                    )
                )
            if partner.prm_owner_partner_id == partner:
                raise ValidationError(
                    self.env._(
                        "%(partner)s cannot be its own owning channel partner.",
                        partner=partner.display_name,
                    )
                )

    @api.constrains("prm_country_ids", "prm_country_state_ids")
    def _check_prm_territory(self):
        check_states_in_countries(self, "prm_country_ids", "prm_country_state_ids")

    # --- Compute ---

    def _compute_prm_counts(self):
        ids = self.ids
        contacts = dict(
            self._read_group([("parent_id", "in", ids)], ["parent_id"], ["__count"])
        )
        leads = dict(
            self.env["crm.lead"]
            .with_context(active_test=False)
            ._read_group(
                [("prm_partner_id", "in", ids)], ["prm_partner_id"], ["__count"]
            )
        )
        sales = dict(
            self.env["sale.order"]._read_group(
                [("prm_partner_id", "in", ids)], ["prm_partner_id"], ["__count"]
            )
        )
        invoices = dict(
            self.env["account.move"]._read_group(
                [
                    ("prm_partner_id", "in", ids),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                ],
                ["prm_partner_id"],
                ["__count"],
            )
        )
        history = dict(
            self.env["prm.tier.history"]._read_group(
                [("partner_id", "in", ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.prm_contact_count = contacts.get(partner, 0)
            partner.prm_opportunity_count = leads.get(partner, 0)
            partner.prm_sale_count = sales.get(partner, 0)
            partner.prm_invoice_count = invoices.get(partner, 0)
            partner.prm_tier_history_count = history.get(partner, 0)

    def _compute_prm_application_count(self):
        counts = dict(
            self.env["prm.application"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.prm_application_count = counts.get(partner, 0)

    # --- CRUD ---

    def write(self, vals):
        self._prm_check_admin_fields(vals)
        if "prm_state" in vals:
            self._prm_check_state_change(vals["prm_state"])
        tier_changes = {}
        if "prm_tier_id" in vals and not self.env.context.get("prm_requalify"):
            tier_changes = {p.id: p.prm_tier_id for p in self}
        res = super().write(vals)
        if vals.get("prm_state") == "active":
            self.filtered(
                lambda p: not p.prm_start_date
            ).prm_start_date = fields.Date.context_today(self)
        if tier_changes:
            self._prm_log_manual_tier_change(tier_changes)
        return res

    def _prm_check_admin_fields(self, vals):
        if self.env.su or not (PRM_ADMIN_FIELDS & vals.keys()):
            return
        if self.env.context.get("prm_requalify"):
            return
        if not self.env.user.has_group("prm_partner.group_prm_manager"):
            raise AccessError(
                self.env._(
                    "Only Partner Program administrators can set a partner's tier or "
                    "lock it by hand."
                )
            )

    def _prm_log_manual_tier_change(self, old_tiers):
        """History rows for tiers set by hand (requalification writes its own)."""
        reason = self.env.context.get("prm_tier_reason") or self.env._("Set by hand")
        self.env["prm.tier.history"].sudo().create(
            [
                {
                    "partner_id": partner.id,
                    "company_id": (partner.company_id or self.env.company).id,
                    "old_tier_id": old_tiers[partner.id].id,
                    "new_tier_id": partner.prm_tier_id.id,
                    "reason": reason,
                    "mode": "manual",
                    "user_id": self.env.uid,
                }
                for partner in self
                if old_tiers[partner.id] != partner.prm_tier_id
            ]
        )

    # --- Program status ---

    @api.model
    def _prm_state_transitions(self):
        """Allowed status changes, ``{from: {to, ...}}``; extend to allow more."""
        return {
            "prospect": {"applicant", "onboarding", "terminated"},
            "applicant": {"prospect", "onboarding", "terminated"},
            "onboarding": {"applicant", "active", "terminated"},
            "active": {"suspended", "terminated"},
            "suspended": {"active", "terminated"},
            "terminated": {"prospect", "onboarding"},
        }

    def _prm_check_state_change(self, new_state):
        labels = dict(PRM_STATES)
        if new_state not in labels:
            raise ValidationError(
                self.env._("Unknown program status %(state)r.", state=new_state)
            )
        transitions = self._prm_state_transitions()
        for partner in self:
            old = partner.prm_state or "prospect"
            if old != new_state and new_state not in transitions.get(old, ()):
                raise UserError(
                    self.env._(
                        "%(partner)s cannot go from %(old)s to %(new)s.",
                        partner=partner.display_name,
                        old=labels[old],
                        new=labels[new_state],
                    )
                )
        if new_state == "active":
            self._prm_check_can_activate()

    def _prm_check_can_activate(self):
        """Hook: raise a UserError naming what keeps partners from being active."""
        not_partners = self.filtered(lambda p: not p.prm_is_partner)
        if not_partners:
            raise UserError(
                self.env._(
                    "Only channel partners can be activated: %(names)s.",
                    names=", ".join(not_partners.mapped("display_name")),
                )
            )

    def _prm_set_state(self, new_state, reason=None):
        """Change the program status, recording why in the tracking message."""
        for partner in self:
            if reason:
                partner._track_set_log_message(
                    Markup("<p>%s</p>")
                    % self.env._("Status change reason: %(reason)s", reason=reason)
                )
        self.write({"prm_state": new_state})
        return True

    def _prm_start_onboarding(self):
        """Put partners into onboarding (from an accepted application, say).

        Hook: the onboarding part extends it to place partners in the first
        onboarding stage and instantiate their checklist.
        """
        to_move = self.filtered(lambda p: p.prm_state != "onboarding")
        to_move.write({"prm_is_partner": True})
        to_move._prm_set_state("onboarding")
        return True

    def action_prm_change_state(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": "prm.partner.state.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_ids": self.ids},
        }

    # --- Tier requalification ---

    @api.model
    def _prm_requalify_domain(self):
        """Partners requalification looks at: active program partners."""
        return Domain([("prm_is_partner", "=", True), ("prm_state", "=", "active")])

    def _prm_check_requalify_access(self):
        if not (self.env.su or self.env.user.has_group("prm_partner.group_prm_user")):
            raise AccessError(
                self.env._("Only channel managers can requalify partner tiers.")
            )

    def action_prm_requalify(self):
        """Requalify the selected partners now (active program partners only)
        and tell the user what changed."""
        self._prm_check_requalify_access()
        partners = self.search_fetch(
            Domain("id", "in", self.ids) & self._prm_requalify_domain(),
            PARTNER_FIELDS,
        )
        summary = self.env["prm.tier.requalification"]._prm_requalify(partners)
        summary["skipped"] = len(self) - len(partners)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Tier requalification"),
                "message": self._prm_requalify_message(summary),
                "type": "success" if len(partners) else "warning",
                "sticky": False,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    @api.model
    def _prm_requalify_message(self, summary):
        texts = {
            UPGRADE: lambda n: self.env._("%(count)s upgraded", count=n),
            DOWNGRADE: lambda n: self.env._("%(count)s downgraded", count=n),
            GRACE: lambda n: self.env._(
                "%(count)s entered a downgrade grace period", count=n
            ),
            RETARGET: lambda n: self.env._(
                "%(count)s pending downgrades retargeted", count=n
            ),
            CANCEL: lambda n: self.env._(
                "%(count)s pending downgrades cancelled", count=n
            ),
            CANCEL_LOCKED: lambda n: self.env._(
                "%(count)s pending downgrades lifted by a tier lock", count=n
            ),
            "unchanged": lambda n: self.env._("%(count)s unchanged", count=n),
            "skipped": lambda n: self.env._(
                "%(count)s skipped (not active program partners)", count=n
            ),
        }
        return ", ".join(
            text(summary[key]) for key, text in texts.items() if summary[key]
        ) or self.env._("Nothing to requalify.")

    @api.model
    def _cron_prm_requalify(self):
        """Daily job: requalify the active program partners of every company.

        :return: the Counter of partners per action (for benchmarks, logs)
        """
        self._prm_check_requalify_access()
        # sudo: the job covers every company, whatever the cron user's companies.
        partners_sudo = self.sudo().search_fetch(
            self._prm_requalify_domain(), PARTNER_FIELDS, order="id"
        )
        # Commit per change group only inside a cron run: ir.cron gives us a
        # progress record then (and tests cannot commit).
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        return self.env["prm.tier.requalification"]._prm_requalify(
            partners_sudo, commit=in_cron
        )

    # --- Tier pricelist ---

    @api.depends(
        "commercial_partner_id.prm_tier_id.pricelist_id",
        "commercial_partner_id.prm_state",
        "commercial_partner_id.prm_is_partner",
    )
    def _compute_product_pricelist(self):
        return super()._compute_product_pricelist()

    def _inverse_product_pricelist(self):
        # The core inverse forgets a pricelist equal to the country default,
        # which would let the tier pricelist win over a choice made by hand.
        # sudo: pricing must not depend on the user's program rights.
        program = self.sudo().commercial_partner_id._prm_program_pricelist()
        with_program = self.filtered(lambda p: p.commercial_partner_id.id in program)
        for partner in with_program:
            chosen = partner.property_product_pricelist
            partner.specific_property_product_pricelist = (
                False if chosen == program[partner.commercial_partner_id.id] else chosen
            )
        return super(ResPartner, self - with_program)._inverse_product_pricelist()

    def _prm_program_pricelist(self):
        """``{partner_id: pricelist}`` the program gives these commercial
        partners and their contacts: the pricelist of their tier while they are
        active program partners. A pricelist set by hand on the partner still
        wins (see ``product.pricelist._get_partner_pricelist_multi``).

        Hook: extend it to let other program benefits (agreements...) win.
        """
        return {
            partner.id: partner.prm_tier_id.pricelist_id
            for partner in self
            if partner.prm_is_partner
            and partner.prm_state == "active"
            and partner.prm_tier_id.pricelist_id
        }

    # --- Metrics (extension point, see prm.tier.rule) ---

    def _prm_compute_metrics(self, specs, date_to=None, company=None):
        """Measure metrics for the whole recordset in grouped queries.

        :param specs: iterable of ``(metric, lookback_months)``
        :return: ``{(metric, months): {partner_id: value}}``
        """
        date_to = date_to or fields.Date.context_today(self)
        company = company or self.env.company
        partners = self.with_company(company)
        result = {}
        for metric, months in set(specs):
            method = getattr(partners, f"_prm_metric_{metric}", None)
            if method is None:
                raise ValidationError(
                    self.env._("No computation is defined for metric %(m)r.", m=metric)
                )
            date_from = date_to - relativedelta(months=months) + relativedelta(days=1)
            result[(metric, months)] = method(date_from, date_to) if self else {}
        return result

    def _prm_invoice_domain(self, date_from, date_to):
        # One definition of the documents that count as revenue, shared with
        # channel analytics (incentive payouts paid as credit notes are no sale).
        return self.env["prm.channel.report"]._prm_revenue_move_domain() & Domain(
            [
                ("company_id", "=", self.env.company.id),
                ("invoice_date", ">=", date_from),
                ("invoice_date", "<=", date_to),
            ]
        )

    def _prm_metric_invoiced_revenue(self, date_from, date_to):
        """Untaxed revenue in company currency (credit notes deducted) of the
        posted customer invoices billed to the partner (resale) or to end
        customers through it (``account.move.prm_partner_id``)."""
        Move = self.env["account.move"]
        base = self._prm_invoice_domain(date_from, date_to)
        values = defaultdict(float)
        for partner, amount in Move._read_group(
            base & Domain("commercial_partner_id", "in", self.ids),
            ["commercial_partner_id"],
            ["amount_untaxed_signed:sum"],
        ):
            values[partner.id] += amount
        # An invoice never carries its own customer as channel partner
        # (account.move constraint), so the two sums do not overlap.
        for partner, amount in Move._read_group(
            base & Domain("prm_partner_id", "in", self.ids),
            ["prm_partner_id"],
            ["amount_untaxed_signed:sum"],
        ):
            values[partner.id] += amount
        return dict(values)

    def _prm_metric_won_opportunities(self, date_from, date_to):
        """Opportunities won in the period with the partner as channel partner."""
        groups = (
            self.env["crm.lead"]
            .with_context(active_test=False)
            ._read_group(
                [
                    ("prm_partner_id", "in", self.ids),
                    ("won_status", "=", "won"),
                    ("date_closed", ">=", fields.Datetime.to_datetime(date_from)),
                    (
                        "date_closed",
                        "<",
                        fields.Datetime.to_datetime(date_to + relativedelta(days=1)),
                    ),
                    ("company_id", "in", [self.env.company.id, False]),
                ],
                ["prm_partner_id"],
                ["__count"],
            )
        )
        return {partner.id: count for partner, count in groups}

    def _prm_metric_active_customers(self, date_from, date_to):
        """Distinct end customers invoiced through the partner in the period."""
        groups = self.env["account.move"]._read_group(
            self._prm_invoice_domain(date_from, date_to)
            & Domain("move_type", "=", "out_invoice")
            & Domain("prm_partner_id", "in", self.ids),
            ["prm_partner_id"],
            ["commercial_partner_id:count_distinct"],
        )
        return {partner.id: count for partner, count in groups}

    # --- Partner 360 actions ---

    def _prm_action(self, xmlid, domain, context=None):
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = domain
        action["context"] = context or {}
        return action

    def action_prm_open_contacts(self):
        self.ensure_one()
        return self._prm_action(
            "contacts.action_contacts",
            [("parent_id", "=", self.id)],
            {"default_parent_id": self.id},
        )

    def action_prm_open_opportunities(self):
        self.ensure_one()
        return self._prm_action(
            "crm.crm_lead_all_leads",
            [("prm_partner_id", "=", self.id)],
            {"default_prm_partner_id": self.id, "active_test": False},
        )

    def action_prm_open_sales(self):
        self.ensure_one()
        return self._prm_action(
            "sale.action_orders", [("prm_partner_id", "=", self.id)]
        )

    def action_prm_open_invoices(self):
        self.ensure_one()
        return self._prm_action(
            "account.action_move_out_invoice_type",
            [
                ("prm_partner_id", "=", self.id),
                ("move_type", "in", ("out_invoice", "out_refund")),
            ],
        )

    def action_prm_open_tier_history(self):
        self.ensure_one()
        return self._prm_action(
            "prm_partner.action_prm_tier_history", [("partner_id", "=", self.id)]
        )

    def action_prm_open_applications(self):
        self.ensure_one()
        return self._prm_action(
            "prm_partner.action_prm_application",
            [("partner_id", "=", self.id)],
            {"default_partner_id": self.id},
        )
