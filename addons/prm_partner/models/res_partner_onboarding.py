from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError


class ResPartner(models.Model):
    """Onboarding pipeline: stage, checklist and stage history of a partner."""

    _inherit = "res.partner"

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

    # --- Compute ---

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

    # --- CRUD ---

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        partners.filtered(
            lambda p: p.prm_is_partner and p.prm_state == "onboarding"
        )._prm_enter_onboarding()
        return partners

    def write(self, vals):
        if self.env.context.get("prm_onboarding_internal"):
            return super().write(vals)
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
        res = super().write(vals)
        if entering:
            entering._prm_enter_onboarding(restart=True)
        if leaving:
            leaving._prm_leave_onboarding()
        if "prm_onboarding_stage_id" in vals and not (entering or leaving):
            self._prm_sync_stage_log()
        return res

    # --- Business ---

    def _prm_check_can_activate(self):
        """Extended: required checklist items must all be approved."""
        res = super()._prm_check_can_activate()
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
        return res

    def _prm_start_onboarding(self):
        """Extended: place partners in the pipeline and build their checklist.

        Also on partners already in onboarding, to add the items of checklist
        templates created since (items already there are kept as they are).
        """
        res = super()._prm_start_onboarding()
        self._prm_enter_onboarding()
        return res

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
        # The context keeps write() from syncing the history once per call.
        internal = self.with_context(prm_onboarding_internal=True)
        if to_place:
            internal.browse(to_place.ids).write(vals)
        not_started = partners.filtered(lambda p: not p.prm_onboarding_date)
        if not_started:
            internal.browse(not_started.ids).write(
                {"prm_onboarding_date": fields.Datetime.now()}
            )
        partners._prm_sync_stage_log()
        partners._prm_instantiate_checklist()

    def _prm_leave_onboarding(self):
        """Close the stage history; activated partners record their onboarding time."""
        activated = self.filtered(lambda p: p.prm_state == "active")
        if activated:
            activated.with_context(prm_onboarding_internal=True).write(
                {"prm_onboarding_done_date": fields.Datetime.now()}
            )
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

    # --- Actions ---

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
