from collections import defaultdict

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain

from ..tools.validation import check_states_in_countries
from .prm_guarded_mixin import Guard
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


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "prm.match.mixin", "prm.guarded.mixin"]

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

    # --- Onboarding ---
    prm_onboarding_stage_id = fields.Many2one(
        "prm.onboarding.stage",
        string="Onboarding stage",
        group_expand="_read_group_prm_onboarding_stage_ids",
        tracking=True,
        index=True,
        copy=False,
        ondelete="restrict",
    )
    prm_onboarding_date = fields.Datetime(
        string="Onboarding started", readonly=True, copy=False
    )
    prm_onboarding_done_date = fields.Datetime(
        string="Onboarding completed", readonly=True, copy=False
    )
    prm_onboarding_days = fields.Float(
        string="Days to onboard",
        compute="_compute_prm_onboarding_days",
        store=True,
        copy=False,
        aggregator="avg",
        digits=(16, 1),
        help="From the start of onboarding to activation.",
    )
    prm_checklist_item_ids = fields.One2many(
        "prm.checklist.item", "partner_id", string="Onboarding checklist"
    )
    prm_stage_log_ids = fields.One2many(
        "prm.onboarding.stage.log", "partner_id", string="Stage history"
    )
    prm_checklist_required_count = fields.Integer(
        compute="_compute_prm_checklist_counts"
    )
    prm_checklist_approved_count = fields.Integer(
        compute="_compute_prm_checklist_counts"
    )
    prm_checklist_review_count = fields.Integer(
        string="Items to review", compute="_compute_prm_checklist_counts"
    )
    prm_checklist_progress = fields.Float(
        string="Checklist progress",
        compute="_compute_prm_checklist_counts",
        help="Share of the required items already approved.",
    )
    prm_onboarding_stage_days = fields.Integer(
        string="Days in current stage", compute="_compute_prm_onboarding_stage_days"
    )

    # --- Representatives and authority documents ---
    prm_role_ids = fields.Many2many(
        "prm.role",
        "res_partner_prm_role_rel",
        "partner_id",
        "role_id",
        string="Program roles",
        help="What this contact does for its company in the partner program.",
    )
    prm_representative_ids = fields.One2many(
        "res.partner",
        "parent_id",
        string="Representatives",
        domain=[("prm_role_ids", "!=", False)],
    )
    prm_authority_ids = fields.One2many(
        "prm.authority", "partner_id", string="Authority documents"
    )
    prm_authority_count = fields.Integer(compute="_compute_prm_authority_count")

    # --- Agreements ---
    prm_agreement_ids = fields.One2many(
        "prm.agreement", "partner_id", string="Agreements"
    )
    prm_agreement_count = fields.Integer(compute="_compute_prm_agreement_count")

    # --- Partner 360 ---
    prm_contact_count = fields.Integer(compute="_compute_prm_counts")
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

    @api.constrains("prm_country_ids", "prm_country_state_ids")
    def _check_prm_territory(self):
        check_states_in_countries(self, "prm_country_ids", "prm_country_state_ids")

    # --- Compute ---

    def _compute_prm_counts(self):
        ids = self.ids
        contacts = dict(
            self._read_group([("parent_id", "in", ids)], ["parent_id"], ["__count"])
        )
        history = dict(
            self.env["prm.tier.history"]._read_group(
                [("partner_id", "in", ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.prm_contact_count = contacts.get(partner, 0)
            partner.prm_tier_history_count = history.get(partner, 0)

    def _compute_prm_application_count(self):
        counts = dict(
            self.env["prm.application"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.prm_application_count = counts.get(partner, 0)

    @api.model
    def _read_group_prm_onboarding_stage_ids(self, stages, domain):
        # Every stage is a column of the pipeline, even an empty one.
        return stages.search([("active", "=", True)])

    @api.depends("prm_checklist_item_ids.state", "prm_checklist_item_ids.required")
    def _compute_prm_checklist_counts(self):
        required = defaultdict(int)
        approved = defaultdict(int)
        review = {}
        if self.ids:
            Item = self.env["prm.checklist.item"]
            for partner, state, count in Item._read_group(
                [("partner_id", "in", self.ids), ("required", "=", True)],
                ["partner_id", "state"],
                ["__count"],
            ):
                required[partner] += count
                if state == "approved":
                    approved[partner] += count
            review = dict(
                Item._read_group(
                    [("partner_id", "in", self.ids), ("state", "=", "submitted")],
                    ["partner_id"],
                    ["__count"],
                )
            )
        for partner in self:
            partner.prm_checklist_required_count = required[partner]
            partner.prm_checklist_approved_count = approved[partner]
            partner.prm_checklist_review_count = review.get(partner, 0)
            partner.prm_checklist_progress = (
                100.0 * approved[partner] / required[partner]
                if required[partner]
                else 0.0
            )

    @api.depends("prm_onboarding_date", "prm_onboarding_done_date")
    def _compute_prm_onboarding_days(self):
        for partner in self:
            start, done = partner.prm_onboarding_date, partner.prm_onboarding_done_date
            partner.prm_onboarding_days = (
                round((done - start).total_seconds() / 86400.0, 1)
                if start and done
                else 0.0
            )

    @api.depends("prm_onboarding_stage_id")
    def _compute_prm_onboarding_stage_days(self):
        opened = {}
        if self.ids:
            logs = self.env["prm.onboarding.stage.log"].search_fetch(
                [("partner_id", "in", self.ids), ("date_out", "=", False)],
                ["partner_id", "date_in"],
            )
            opened = {log.partner_id.id: log.date_in for log in logs}
        now = fields.Datetime.now()
        for partner in self:
            date_in = opened.get(partner.id)
            partner.prm_onboarding_stage_days = (now - date_in).days if date_in else 0

    @api.depends("prm_authority_ids")
    def _compute_prm_authority_count(self):
        counts = {}
        if self.ids:
            counts = dict(
                self.env["prm.authority"]._read_group(
                    [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
                )
            )
        for partner in self:
            partner.prm_authority_count = counts.get(partner, 0)

    @api.depends("prm_agreement_ids")
    def _compute_prm_agreement_count(self):
        counts = {}
        if self.ids:
            counts = dict(
                self.env["prm.agreement"]._read_group(
                    [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
                )
            )
        for partner in self:
            partner.prm_agreement_count = counts.get(partner, 0)

    # --- CRUD ---

    def _prm_guarded_fields(self):
        change_tier = self.env._("Change tier")
        # Labels apart from the tuples: Odoo's term extractor would also take
        # a tuple's strings for terms when they share a call with ``_()``.
        change_status = self.env._("Change status")
        return {
            **super()._prm_guarded_fields(),
            # New partners start anywhere before activation (the onboarding
            # pipeline creates them in onboarding); later only *Change status*.
            "prm_state": Guard(change_status, ("prospect", "applicant", "onboarding")),
            "prm_tier_id": Guard(change_tier),
            "prm_tier_lock_until": Guard(change_tier),
            "prm_tier_lock_reason": Guard(change_tier),
            "prm_downgrade_tier_id": Guard(self.env._("Requalify tier")),
            "prm_downgrade_date": Guard(self.env._("Requalify tier")),
            "prm_onboarding_date": Guard(change_status),
            "prm_onboarding_done_date": Guard(change_status),
        }

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._prm_check_program_fields(vals, creating=True)
        partners = super().create(vals_list)
        partners.filtered(
            lambda p: p.prm_is_partner and p.prm_state == "onboarding"
        )._prm_enter_onboarding()
        return partners

    def write(self, vals):
        self._prm_refuse_guarded(vals)
        self._prm_check_program_fields(vals)
        if "prm_state" in vals:
            self._prm_check_state_change(vals["prm_state"])
        entering = leaving = self.browse()
        if "prm_state" in vals:
            entering = self.filtered(
                lambda p: (
                    p.prm_state != "onboarding" and vals["prm_state"] == "onboarding"
                )
            )
            leaving = self.filtered(
                lambda p: (
                    p.prm_state == "onboarding" and vals["prm_state"] != "onboarding"
                )
            )
        activating = self.browse()
        if vals.get("prm_state") == "active":
            activating = self.filtered(lambda p: p.prm_state != "active")
        # The system places partners in the first stage (as superuser).
        if vals.get("prm_onboarding_stage_id") and not self.env.su:
            self._prm_check_stage_entry(vals["prm_onboarding_stage_id"])
        res = super().write(vals)
        if vals.get("prm_state") == "active":
            self.filtered(
                lambda p: not p.prm_start_date
            ).prm_start_date = fields.Date.context_today(self)
        if activating:
            activating._prm_after_activation()
        if entering:
            entering._prm_enter_onboarding(restart=True)
        if leaving:
            leaving._prm_leave_onboarding()
        if "prm_onboarding_stage_id" in vals and not (entering or leaving):
            self._prm_sync_stage_log()
        return res

    def _prm_check_program_fields(self, vals, creating=False):
        """Who may make a contact a channel partner and give it a channel
        manager: the manager is what grants edit rights on the partner's deals,
        agreements and checklist, so only program administrators assign it; a
        channel manager may only take a new partner himself."""
        if self.env.su or not ({"prm_is_partner", "prm_manager_id"} & vals.keys()):
            return
        user = self.env.user
        if user.has_group("prm_partner.group_prm_manager"):
            return
        is_user = user.has_group("prm_partner.group_prm_user")
        changed = {
            name
            for name in ("prm_is_partner", "prm_manager_id")
            if name in vals
            and (vals[name] if creating else not self._prm_is_noop(name, vals[name]))
        }
        if not changed:
            return
        manager = vals.get("prm_manager_id")
        manager = manager.id if isinstance(manager, models.BaseModel) else manager
        self_assigned = "prm_manager_id" not in changed or (
            manager == user.id and (creating or not self.prm_manager_id)
        )
        if is_user and self_assigned:
            return
        raise AccessError(
            self.env._(
                "Only Partner Program administrators make contacts channel partners "
                "and assign their channel manager (a channel manager may take a "
                "new partner himself): %(fields)s cannot be set.",
                fields=", ".join(
                    self._fields[name]._description_string(self.env)
                    for name in sorted(changed)
                ),
            )
        )

    def _prm_check_program_rights(self, admin=False):
        """The caller may run a program action on these partners: a channel
        manager (an administrator when ``admin``) who may edit them."""
        if self.env.su:
            return
        group = (
            "prm_partner.group_prm_manager" if admin else "prm_partner.group_prm_user"
        )
        if not self.env.user.has_group(group):
            raise AccessError(
                self.env._("Only Partner Program administrators can do this.")
                if admin
                else self.env._("Only channel managers can do this.")
            )
        self.check_access("write")

    def _prm_check_writable(self):
        """``check_access('write')`` in one query whatever the number of
        partners (requalification takes thousands at once)."""
        if self.env.su:
            return
        self.browse().check_access("write")
        rules = self.env["ir.rule"]._compute_domain(self._name, "write")
        ids = set(self.ids)
        writable = (
            self.sudo()
            .with_context(active_test=False)
            .search_count(Domain("id", "in", list(ids)) & rules)
        )
        if writable < len(ids):
            raise AccessError(
                self.env._(
                    "You may only requalify the partners you manage: "
                    "%(count)s of the selected partners are not yours to edit.",
                    count=len(ids) - writable,
                )
            )

    # --- Tier set by hand ---

    def _prm_change_tier(self, tier, reason, lock_until=False, lock_reason=False):
        """Set the tier and the tier lock by hand (program administrators),
        saying why: a history row per partner whose tier changes, a note on
        the others."""
        self._prm_check_program_rights(admin=True)
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Say why the tier is changed by hand."))
        lock_reason = (lock_reason or "").strip()
        if lock_until and not lock_reason:
            raise UserError(self.env._("Say why the tier is locked."))
        old_tiers = {partner.id: partner.prm_tier_id for partner in self}
        self.sudo().write(
            {
                "prm_tier_id": tier.id,
                "prm_tier_lock_until": lock_until or False,
                "prm_tier_lock_reason": lock_reason if lock_until else False,
                # A tier set by hand replaces any pending downgrade.
                "prm_downgrade_tier_id": False,
                "prm_downgrade_date": False,
            }
        )
        self._prm_log_manual_tier_change(old_tiers, reason)
        return True

    def _prm_log_manual_tier_change(self, old_tiers, reason):
        """History rows for tiers set by hand (requalification writes its own)."""
        self.env["prm.tier.history"].sudo().create(
            [
                {
                    "partner_id": partner.id,
                    "company_id": partner._prm_program_company().id,
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

    def _prm_program_company(self):
        """The company whose program the partner is in: its own, else (a
        partner shared between companies) its tier's, its channel manager's,
        else the main company. Never the caller's context companies."""
        if not self:
            return self.env["res.company"]
        self.ensure_one()
        # sudo: the tier and the manager may be out of the caller's companies.
        partner_sudo = self.sudo()
        company = (
            partner_sudo.company_id
            or partner_sudo.prm_tier_id.company_id
            or partner_sudo.prm_manager_id.company_id
            or self.env.ref("base.main_company", raise_if_not_found=False)
            or self.env["res.company"].sudo().search([], limit=1, order="id")
        )
        return company.with_env(self.env)

    def action_prm_change_tier(self):
        self._prm_check_program_rights(admin=True)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Change tier"),
            "res_model": "prm.tier.change.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_ids": self.ids},
        }

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
                self.env._("Unknown program status “%(state)s”.", state=new_state)
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
        """Raise a UserError naming what keeps partners from being active: not a
        channel partner, required onboarding items not approved. Hook."""
        not_partners = self.filtered(lambda p: not p.prm_is_partner)
        if not_partners:
            raise UserError(
                self.env._(
                    "Only channel partners can be activated: %(names)s.",
                    names=", ".join(not_partners.mapped("display_name")),
                )
            )
        # sudo: a gate must see every item, whatever the caller's record rules.
        items_sudo = (
            self.env["prm.checklist.item"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", self.ids),
                    ("required", "=", True),
                    ("state", "!=", "approved"),
                ]
            )
        )
        if items_sudo:
            by_partner = defaultdict(list)
            for item in items_sudo:
                by_partner[item.partner_id].append(item.name)
            raise UserError(
                self.env._(
                    "These required onboarding items are not approved yet:\n%(items)s",
                    items="\n".join(
                        f"- {partner.display_name}: {', '.join(names)}"
                        for partner, names in by_partner.items()
                    ),
                )
            )

    def _prm_set_state(self, new_state, reason=None):
        """Change the program status, recording why in the tracking message.
        The caller must be a channel manager who may edit the partners."""
        self._prm_check_program_rights()
        for partner in self:
            if reason:
                partner._track_set_log_message(
                    Markup("<p>%s</p>")
                    % self.env._("Status change reason: %(reason)s", reason=reason)
                )
        self.sudo().write({"prm_state": new_state})
        return True

    def _prm_start_onboarding(self):
        """Put partners into onboarding (from an accepted application, say):
        place them in the pipeline and build their checklist.

        Also on partners already in onboarding, to add the items of checklist
        templates created since (items already there are kept as they are).
        """
        to_move = self.filtered(lambda p: p.prm_state != "onboarding")
        to_move.write({"prm_is_partner": True})
        to_move._prm_set_state("onboarding")
        self._prm_enter_onboarding()
        return True

    def _prm_after_activation(self):
        """Activated partners get their tier and their next review now rather
        than at the nightly requalification. Hook."""
        today = fields.Date.context_today(self)
        for company, partners in (
            self.filtered(lambda p: not p.prm_review_date)
            .grouped(lambda p: p.company_id or self.env.company)
            .items()
        ):
            partners.prm_review_date = today + relativedelta(
                months=company.sudo().prm_review_months or 12
            )
        # sudo: the caller was allowed to activate them; their tier follows
        # from their figures, whoever clicked (the engine writes as superuser).
        partners_sudo = self.sudo().search_fetch(
            Domain("id", "in", self.ids) & self._prm_requalify_domain(),
            PARTNER_FIELDS,
        )
        return self.env["prm.tier.requalification"]._prm_requalify(partners_sudo)

    def action_prm_change_state(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": "prm.partner.state.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_ids": self.ids},
        }

    # --- Onboarding ---

    def _prm_first_onboarding_stage(self):
        return self.env["prm.onboarding.stage"].search([], limit=1)

    def _prm_enter_onboarding(self, restart=False):
        """Put partners in the first onboarding stage and instantiate their
        checklist. ``restart`` (status changed to onboarding) starts the
        pipeline over; otherwise partners keep the stage they are in."""
        partners = self.filtered(
            lambda p: p.prm_is_partner and p.prm_state == "onboarding"
        )
        if not partners:
            return
        to_place = (
            partners
            if restart
            else partners.filtered(lambda p: not p.prm_onboarding_stage_id)
        )
        vals = {"prm_onboarding_stage_id": self._prm_first_onboarding_stage().id}
        if restart:
            vals.update(
                prm_onboarding_date=fields.Datetime.now(),
                prm_onboarding_done_date=False,
            )
        # sudo: bookkeeping of the status change that brought the partners
        # here, which was checked.
        partners_sudo = self.sudo()
        if to_place:
            partners_sudo.browse(to_place.ids).write(vals)
        not_started = partners.filtered(lambda p: not p.prm_onboarding_date)
        if not_started:
            partners_sudo.browse(not_started.ids).write(
                {"prm_onboarding_date": fields.Datetime.now()}
            )
        partners._prm_sync_stage_log()
        partners._prm_instantiate_checklist()

    def _prm_check_stage_entry(self, stage_id):
        """Refuse to move partners into an onboarding stage whose entry
        conditions they do not meet, naming the items still to approve."""
        stage = self.env["prm.onboarding.stage"].browse(stage_id)
        moving = self.filtered(lambda p: p.prm_onboarding_stage_id != stage)
        blocking = stage._prm_entry_blocking_items(moving)
        if not blocking:
            return
        by_partner = defaultdict(list)
        for item in blocking:
            by_partner[item.partner_id].append(item.name)
        raise UserError(
            self.env._(
                "%(stage)s can only be entered once these checklist items are "
                "approved:\n%(items)s",
                stage=stage.name,
                items="\n".join(
                    f"- {partner.display_name}: {', '.join(names)}"
                    for partner, names in by_partner.items()
                ),
            )
        )

    def _prm_leave_onboarding(self):
        """Close the stage history; activated partners record their onboarding time."""
        activated = self.filtered(lambda p: p.prm_state == "active")
        if activated:
            activated.sudo().write({"prm_onboarding_done_date": fields.Datetime.now()})
        self._prm_sync_stage_log()

    def _prm_sync_stage_log(self):
        """Make the open stage-history row of each partner match its position:
        close the row of a stage it left, open one for the stage it is in."""
        # sudo: the history is an audit trail written by the system; channel
        # managers only read it.
        Log_sudo = self.env["prm.onboarding.stage.log"].sudo()
        open_logs_sudo = Log_sudo.search(
            [("partner_id", "in", self.ids), ("date_out", "=", False)]
        )
        open_by_partner = {log.partner_id.id: log for log in open_logs_sudo}
        now = fields.Datetime.now()
        to_close = Log_sudo
        to_open = []
        for partner in self:
            log = open_by_partner.get(partner.id)
            stage = (
                partner.prm_onboarding_stage_id
                if partner.prm_state == "onboarding"
                else self.env["prm.onboarding.stage"]
            )
            if log and log.stage_id == stage:
                continue
            if log:
                to_close |= log
            if stage:
                to_open.append(
                    {
                        "partner_id": partner.id,
                        "stage_id": stage.id,
                        "date_in": now,
                        "user_id": self.env.uid,
                    }
                )
        if to_close:
            to_close.write({"date_out": now})
            # The one-open-stay index checks the insert below against the rows
            # in the database: close the old stays there first.
            to_close.flush_recordset(["date_out"])
        if to_open:
            Log_sudo.create(to_open)

    def _prm_instantiate_checklist(self):
        """Create the checklist items of the templates matching each partner,
        skipping template lines already instantiated on it."""
        Item = self.env["prm.checklist.item"]
        if not self:
            return Item
        companies = self.company_id | self.env.company
        templates = self.env["prm.checklist.template"].search(
            [("company_id", "in", [*companies.ids, False])]
        )
        if not templates:
            return Item
        existing = {
            (item.partner_id.id, item.template_line_id.id)
            for item in Item.with_context(active_test=False).search_fetch(
                [
                    ("partner_id", "in", self.ids),
                    ("template_line_id", "!=", False),
                ],
                ["partner_id", "template_line_id"],
            )
        }
        vals_list = []
        for partner in self:
            for template in templates:
                if not template._prm_applies_to(partner):
                    continue
                for line in template.line_ids:
                    if (partner.id, line.id) in existing:
                        continue
                    existing.add((partner.id, line.id))
                    vals_list.append(
                        self._prepare_prm_checklist_item_vals(partner, line)
                    )
        # Created by the system: no "created" message on each item.
        return Item.with_context(mail_create_nolog=True).create(vals_list)

    @api.model
    def _prepare_prm_checklist_item_vals(self, partner, line):
        return {
            "partner_id": partner.id,
            "template_line_id": line.id,
            "name": line.name,
            "kind": line.kind,
            "required": line.required,
            "instructions": line.instructions,
            "sequence": line.template_id.sequence * 1000 + line.sequence,
        }

    def action_prm_update_checklist(self):
        """Add the items of templates that match the partner now (type changed,
        template added); items already there are left as they are."""
        self._prm_instantiate_checklist()
        return True

    def action_prm_open_checklist(self):
        self.ensure_one()
        return self._prm_action(
            "prm_partner.action_prm_checklist_item",
            [("partner_id", "=", self.id)],
            {"default_partner_id": self.id},
        )

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
        # Channel managers requalify the partners they manage, administrators
        # every partner: the caller must be allowed to edit each of them.
        self._prm_check_writable()
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

    @api.model
    def _prm_demo_requalify(self, module):
        """Demo data: requalify the demo partners on their demo figures.

        Every module of the suite calls it at the end of its demo data; only the
        last ``prm_*`` module of an installation run does the work, once every
        metric and every demo figure is there (an earlier run would move
        partners up and down on partial figures).
        """
        pending = (
            self.env["ir.module.module"]
            .sudo()
            .search_count(
                [
                    ("name", "=like", "prm\\_%"),
                    ("name", "!=", module),
                    ("state", "in", ("to install", "to upgrade")),
                ]
            )
        )
        if not pending:
            self.sudo()._cron_prm_requalify()

    # --- Tier pricelist ---

    @api.depends(
        "commercial_partner_id.prm_tier_id.pricelist_id",
        "commercial_partner_id.prm_state",
        "commercial_partner_id.prm_is_partner",
        "commercial_partner_id.prm_agreement_ids.state",
        "commercial_partner_id.prm_agreement_ids.pricelist_id",
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
        partners and their contacts: the pricelist of an active agreement
        (negotiated for that partner), else the pricelist of their tier while
        they are active program partners. A pricelist set by hand on the
        partner still wins (see ``product.pricelist._get_partner_pricelist_multi``).

        Hook: extend it to let other program benefits win.
        """
        result = {
            partner.id: partner.prm_tier_id.pricelist_id
            for partner in self
            if partner.prm_is_partner
            and partner.prm_state == "active"
            and partner.prm_tier_id.pricelist_id
        }
        result.update(self._prm_agreement_pricelist())
        return result

    def _prm_agreement_pricelist(self):
        """Pricelists granted by the partners' active agreements.

        :return: ``{partner_id: product.pricelist}`` for the partners of
            ``self`` with an active agreement carrying a pricelist; when several
            do, the agreement type with the lowest sequence wins.
        """
        if not self:
            return {}
        # sudo: prices are computed for salespeople and portal users who may
        # not read agreements; only the pricelist leaves this method.
        agreements_sudo = (
            self.env["prm.agreement"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", self.ids),
                    ("state", "=", "active"),
                    ("pricelist_id", "!=", False),
                ]
            )
            .sorted(lambda a: (a.type_id.sequence, a.type_id.id, -a.id))
        )
        result = {}
        for agreement_sudo in agreements_sudo:
            result.setdefault(
                agreement_sudo.partner_id.id,
                agreement_sudo.pricelist_id.with_env(self.env),
            )
        return result

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
                    self.env._(
                        "No computation is defined for metric “%(m)s”.", m=metric
                    )
                )
            date_from = date_to - relativedelta(months=months) + relativedelta(days=1)
            result[(metric, months)] = method(date_from, date_to) if self else {}
        return result

    def _prm_metric_representatives(self, date_from, date_to):
        """Contacts of the partner holding a program role. A head count of
        today: the period does not apply (roles keep no history)."""
        groups = self._read_group(
            [
                ("commercial_partner_id", "in", self.ids),
                ("id", "not in", self.ids),
                ("prm_role_ids", "!=", False),
            ],
            ["commercial_partner_id"],
            ["__count"],
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

    def action_prm_open_authorities(self):
        self.ensure_one()
        return self._prm_action(
            "prm_partner.action_prm_authority",
            [("partner_id", "=", self.id)],
            {"default_partner_id": self.id},
        )

    def action_prm_open_agreements(self):
        self.ensure_one()
        return self._prm_action(
            "prm_partner.action_prm_agreement",
            [("partner_id", "=", self.id)],
            {"default_partner_id": self.id},
        )
