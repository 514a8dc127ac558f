from collections import Counter

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date

from ..tools.validation import (
    check_before_insert,
    check_date_order,
    check_state,
    check_states_in_countries,
    check_text_input,
)

AGREEMENT_STATES = [
    ("draft", "Draft"),
    ("active", "Active"),
    ("expired", "Expired"),
    ("terminated", "Terminated"),
]

# Contractual terms: frozen for channel managers once the agreement is active.
TERM_FIELDS = {
    "partner_id",
    "type_id",
    "company_id",
    "date_start",
    "date_end",
    "auto_renew",
    "renewal_months",
    "attachment_ids",
    "pricelist_id",
    "country_ids",
    "country_state_ids",
}


class PrmAgreement(models.Model):
    """A contract with a channel partner: its type, validity, renewal, and
    the commercial terms it grants (pricelist, territory; Sales adds payment
    and delivery terms). Only one agreement of a type is active per partner."""

    _name = "prm.agreement"
    _description = "Partner Agreement"
    _inherit = ["mail.thread", "mail.activity.mixin", "prm.approval.mixin"]
    _order = "date_start desc, id desc"

    # Channel managers prepare drafts; activating, expiring, terminating and
    # reopening are program administrator decisions.
    _prm_manager_moves = {}
    _prm_approval_fields = frozenset({"reminder_sent", "termination_date"})
    _prm_recorded_fields = frozenset(
        {"termination_date", "signature", "signed_by", "signed_on"}
        | {"signed_by_partner_id"}
    )
    _check_company_auto = True

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
        index="trigram",
    )
    partner_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain=[("prm_is_partner", "=", True)],
    )
    type_id = fields.Many2one(
        "prm.agreement.type",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    manager_id = fields.Many2one(
        related="partner_id.prm_manager_id", store=True, string="Channel manager"
    )
    state = fields.Selection(
        AGREEMENT_STATES,
        default="draft",
        required=True,
        tracking=True,
        index=True,
        copy=False,
    )
    date_start = fields.Date(
        string="Start", required=True, default=fields.Date.context_today, tracking=True
    )
    date_end = fields.Date(
        string="End", tracking=True, help="Leave empty for an open-ended agreement."
    )
    auto_renew = fields.Boolean(
        string="Renews automatically",
        tracking=True,
        help="At its end, the agreement is renewed for the renewal term.",
    )
    renewal_months = fields.Integer(
        string="Renewal term (months)",
        compute="_compute_renewal_months",
        store=True,
        readonly=False,
        precompute=True,
    )
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "prm_agreement_attachment_rel",
        "agreement_id",
        "attachment_id",
        string="Signed document",
        copy=False,
    )
    pricelist_id = fields.Many2one(
        "product.pricelist",
        check_company=True,
        help="Prices granted to the partner while the agreement is active; it "
        "takes precedence over the pricelist of the partner's tier.",
    )
    country_ids = fields.Many2many(
        "res.country",
        "prm_agreement_country_rel",
        "agreement_id",
        "country_id",
        string="Territory (countries)",
    )
    country_state_ids = fields.Many2many(
        "res.country.state",
        "prm_agreement_country_state_rel",
        "agreement_id",
        "state_id",
        string="Territory (states)",
    )
    notes = fields.Html()
    renewed_from_id = fields.Many2one(
        "prm.agreement", string="Renewal of", readonly=True, copy=False, index=True
    )
    renewal_id = fields.Many2one(
        "prm.agreement", string="Renewed by", readonly=True, copy=False
    )
    reminder_sent = fields.Boolean(
        readonly=True,
        copy=False,
        help="The channel manager was reminded of the coming end.",
    )
    termination_date = fields.Date(readonly=True, copy=False, tracking=True)
    # Online acceptance on the partner's portal (types with portal_acceptance).
    portal_acceptance = fields.Boolean(related="type_id.portal_acceptance")
    signature = fields.Image(
        copy=False, attachment=True, max_width=1024, max_height=1024, readonly=True
    )
    signed_by = fields.Char(
        string="Signed by", copy=False, readonly=True, tracking=True
    )
    signed_by_partner_id = fields.Many2one(
        "res.partner", string="Signed by (contact)", copy=False, readonly=True
    )
    signed_on = fields.Datetime(
        string="Signed on", copy=False, readonly=True, tracking=True
    )

    _date_order = models.Constraint(
        "CHECK(date_end IS NULL OR date_end >= date_start)",
        "An agreement cannot end before it starts.",
    )
    _renewal_months_positive = models.Constraint(
        "CHECK(renewal_months >= 0)", "The renewal term cannot be negative."
    )
    # The database guarantees what _prm_check_single_active() explains.
    _one_active_per_type = models.UniqueIndex(
        "(partner_id, type_id) WHERE state = 'active'",
        "A partner can only have one active agreement of each type.",
    )

    # --- Compute ---

    @api.depends("type_id")
    def _compute_renewal_months(self):
        for agreement in self:
            if not agreement.renewal_months:
                agreement.renewal_months = agreement.type_id.renewal_months or 12

    @api.depends("name", "type_id", "partner_id")
    def _compute_display_name(self):
        for agreement in self:
            agreement.display_name = (
                f"{agreement.name} – {agreement.type_id.name}"
                if agreement.type_id
                else agreement.name
            )

    # --- Constraints ---

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        check_date_order(self, "date_start", "date_end")

    @api.constrains("auto_renew", "date_end", "renewal_months")
    def _check_auto_renew(self):
        for agreement in self.filtered("auto_renew"):
            if not agreement.date_end or agreement.renewal_months <= 0:
                raise ValidationError(
                    self.env._(
                        "%(agreement)s renews automatically: it needs an end date "
                        "and a renewal term.",
                        agreement=agreement.display_name,
                    )
                )

    @api.constrains("country_ids", "country_state_ids")
    def _check_territory(self):
        check_states_in_countries(self, "country_ids", "country_state_ids")

    # --- CRUD ---

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._prm_check_approval_rights(vals, create=True)
            check_before_insert(
                self, vals, ("type_id", "date_start", "date_end"), "_check_dates"
            )
            if not vals.get("name") or vals["name"] == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "prm.agreement", sequence_date=vals.get("date_start")
                ) or self.env._("New")
        self._prm_check_single_active(
            [
                (vals.get("partner_id"), vals.get("type_id"), None)
                for vals in vals_list
                if vals.get("state") == "active"
            ]
        )
        return super().create(vals_list)

    @api.model
    def _prm_term_fields(self):
        """Contractual terms: frozen for channel managers once the agreement is
        active. Modules adding terms to agreements extend the set."""
        return set(TERM_FIELDS)

    def write(self, vals):
        self._prm_refuse_guarded(vals)
        self._prm_check_approval_rights(vals)
        if not self._prm_is_approver() and self._prm_term_fields() & vals.keys():
            frozen = self.filtered(lambda a: a.state != "draft")
            if frozen:
                raise UserError(
                    self.env._(
                        "Only draft agreements can be changed; renew the agreement "
                        "or ask a program administrator: %(agreements)s.",
                        agreements=", ".join(frozen.mapped("display_name")),
                    )
                )
        if vals.get("state") == "active":
            candidates = self
        elif {"partner_id", "type_id"} & vals.keys():
            candidates = self.filtered(lambda a: a.state == "active")
        else:
            candidates = self.browse()
        self._prm_check_single_active(
            [
                (
                    vals.get("partner_id", agreement.partner_id.id),
                    vals.get("type_id", agreement.type_id.id),
                    agreement.id,
                )
                for agreement in candidates
            ]
        )
        if "date_end" in vals and "reminder_sent" not in vals:
            vals = {**vals, "reminder_sent": False}
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_active(self):
        active = self.filtered(lambda a: a.state == "active")
        if active:
            raise UserError(
                self.env._(
                    "Terminate active agreements instead of deleting them: "
                    "%(agreements)s.",
                    agreements=", ".join(active.mapped("display_name")),
                )
            )

    # --- Business ---

    def _prm_approval_error(self):
        return self.env._(
            "Only Partner Program administrators can activate, expire or "
            "terminate agreements."
        )

    @api.model
    def _prm_check_single_active(self, keys):
        """Explain, before anything is written, why a partner cannot get a
        second active agreement of a type.

        :param keys: ``[(partner_id, type_id, agreement_id or None)]`` of the
            agreements about to be active
        """
        keys = [key for key in keys if key[0] and key[1]]
        if not keys:
            return
        Partner = self.env["res.partner"]
        Type = self.env["prm.agreement.type"]
        counter = Counter((partner_id, type_id) for partner_id, type_id, _id in keys)
        clash = next((pair for pair, count in counter.items() if count > 1), None)
        if clash:
            raise ValidationError(
                self.env._(
                    "%(partner)s can only have one active %(type)s at a time.",
                    partner=Partner.browse(clash[0]).display_name,
                    type=Type.browse(clash[1]).display_name,
                )
            )
        # sudo: the rule holds across companies and record rules.
        existing_sudo = self.sudo().search(
            [
                ("state", "=", "active"),
                ("partner_id", "in", [key[0] for key in keys]),
                ("type_id", "in", [key[1] for key in keys]),
                ("id", "not in", [key[2] for key in keys if key[2]]),
            ]
        )
        for agreement_sudo in existing_sudo:
            if (agreement_sudo.partner_id.id, agreement_sudo.type_id.id) in counter:
                raise ValidationError(
                    self.env._(
                        "%(partner)s already has an active %(type)s (%(agreement)s). "
                        "Terminate it or let it expire before activating another one.",
                        partner=agreement_sudo.partner_id.display_name,
                        type=agreement_sudo.type_id.name,
                        agreement=agreement_sudo.name,
                    )
                )

    def _prm_activate(self):
        """Activate the agreements; a renewal ends the agreement it renews."""
        predecessors = self.renewed_from_id.filtered(lambda a: a.state == "active")
        if predecessors:
            # sudo: ending the renewed agreement is part of activating its renewal.
            predecessors.sudo().write({"state": "expired"})
        self._prm_write_as_action({"state": "active"})

    def _prm_renewal_period(self):
        """(start, end) of the agreement that renews this one."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        start = self.date_end + relativedelta(days=1)
        if self.state != "active" and start < today:
            start = today
        months = self.renewal_months or self.type_id.renewal_months or 12
        return start, start + relativedelta(months=months, days=-1)

    def _prepare_renewal_vals(self):
        self.ensure_one()
        start, end = self._prm_renewal_period()
        return {
            "partner_id": self.partner_id.id,
            "type_id": self.type_id.id,
            "company_id": self.company_id.id,
            "date_start": start,
            "date_end": end,
            "auto_renew": self.auto_renew,
            "renewal_months": self.renewal_months,
            "pricelist_id": self.pricelist_id.id,
            "country_ids": [fields.Command.set(self.country_ids.ids)],
            "country_state_ids": [fields.Command.set(self.country_state_ids.ids)],
            "notes": self.notes,
            "renewed_from_id": self.id,
        }

    def _prm_create_renewals(self):
        """Draft agreements renewing these ones, linked both ways."""
        already = self.filtered("renewal_id")
        if already:
            raise UserError(
                self.env._(
                    "Already renewed: %(agreements)s.",
                    agreements=", ".join(
                        f"{a.display_name} → {a.renewal_id.name}" for a in already
                    ),
                )
            )
        open_ended = self.filtered(lambda a: not a.date_end)
        if open_ended:
            raise UserError(
                self.env._(
                    "Open-ended agreements have nothing to renew: %(agreements)s.",
                    agreements=", ".join(open_ended.mapped("display_name")),
                )
            )
        renewals = self.create(
            [agreement._prepare_renewal_vals() for agreement in self]
        )
        for agreement, renewal in zip(self, renewals, strict=True):
            # renewal_id is readonly in the UI and not a contractual term.
            agreement.renewal_id = renewal
        return renewals

    def _prm_activity_user(self):
        self.ensure_one()
        return self.partner_id.prm_manager_id or self.create_uid

    # --- Actions ---

    def action_activate(self):
        self._prm_check_approval_rights({"state": "active"})
        check_state(self, ("draft",))
        today = fields.Date.context_today(self)
        past = self.filtered(lambda a: a.date_end and a.date_end < today)
        if past:
            raise UserError(
                self.env._(
                    "These agreements ended already: %(agreements)s.",
                    agreements=", ".join(past.mapped("display_name")),
                )
            )
        self._prm_activate()
        return True

    def action_terminate(self):
        self._prm_check_approval_rights({"state": "terminated"})
        check_state(self, ("active",))
        self._prm_write_as_action(
            {
                "state": "terminated",
                "termination_date": fields.Date.context_today(self),
            }
        )
        return True

    def action_draft(self):
        self._prm_check_approval_rights({"state": "draft"})
        check_state(self, ("terminated",))
        self._prm_write_as_action({"state": "draft", "termination_date": False})
        return True

    def action_renew(self):
        """Prepare the next agreement (draft) for the renewal term."""
        self.ensure_one()
        check_state(self, ("active", "expired"))
        renewal = self._prm_create_renewals()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": renewal.id,
            "view_mode": "form",
        }

    # --- Cron ---

    @api.model
    def _cron_prm_agreement_expiry(self):
        """Remind channel managers of ending agreements, expire the ended ones
        and renew those that renew automatically."""
        today = fields.Date.context_today(self)
        self._prm_send_reminders(today)
        # A renewal can itself be past when the job did not run for a while:
        # renew again until every active agreement is current.
        for _round in range(100):
            ended = self.search([("state", "=", "active"), ("date_end", "<", today)])
            if not ended:
                break
            # Renewals are prepared while their predecessor is still active, so
            # that they start the day after it ends.
            renewals = ended.filtered(
                lambda a: a.auto_renew and not a.renewal_id
            )._prm_create_renewals()
            ended.sudo().write({"state": "expired"})
            renewals._prm_activate()
        return True

    @api.model
    def _prm_send_reminders(self, today):
        [[horizon]] = self.env["res.company"]._read_group(
            [], [], ["prm_agreement_reminder_days:max"]
        )
        horizon = horizon or 0
        candidates = self.search(
            [
                ("state", "=", "active"),
                ("reminder_sent", "=", False),
                ("date_end", ">=", today),
                ("date_end", "<=", today + relativedelta(days=horizon)),
            ]
        )
        due = candidates.filtered(
            lambda a: (
                (a.date_end - today).days <= a.company_id.prm_agreement_reminder_days
            )
        )
        if not due:
            return
        due._prm_schedule_reminders("date_end")
        due.write({"reminder_sent": True})

    def _prm_reminder_texts(self):
        return {"summary": self._prm_reminder_summary()}

    def _prm_reminder_summary(self):
        self.ensure_one()
        values = {
            "agreement": self.display_name,
            "partner": self.partner_id.display_name,
            "date": format_date(self.env, self.date_end),
        }
        if self.auto_renew:
            return self.env._(
                "%(agreement)s of %(partner)s renews automatically on %(date)s",
                **values,
            )
        return self.env._("%(agreement)s of %(partner)s ends on %(date)s", **values)

    # --- Portal ---

    def _prm_portal_to_accept(self):
        """The agreements still waiting for the partner's online acceptance."""
        return self.filtered(
            lambda a: (
                a.type_id.portal_acceptance
                and not a.signed_on
                and a.state in ("draft", "active")
            )
        )

    def _prm_portal_accept(self, name, signature):
        """Accept the agreement on the partner's behalf from the portal
        (Odoo's portal signature): the current user must be a contact of the
        agreement's partner allowed on the onboarding page.

        :param name: the name the signer typed
        :param signature: the signature image, base64
        """
        self.ensure_one()
        self.check_access("read")
        contact = self.env.user.partner_id
        if (
            self.sudo().partner_id != contact.commercial_partner_id
            or not contact._prm_portal_allows("onboarding")
        ):
            raise AccessError(self.env._("This agreement belongs to another partner."))
        if not self._prm_portal_to_accept():
            raise UserError(
                self.env._(
                    "%(agreement)s does not wait for an online acceptance.",
                    agreement=self.display_name,
                )
            )
        name = (name or "").strip()
        check_text_input(self, {"signed_by": name}, {"signed_by": 128})
        if not name or not signature:
            raise UserError(self.env._("Type your name and sign to accept."))
        # sudo: portal users cannot write agreements; the signer passed the
        # owner check above and only the acceptance fields are written.
        agreement_sudo = self.sudo()
        agreement_sudo.write(
            {
                "signature": signature,
                "signed_by": name,
                "signed_by_partner_id": contact.id,
                "signed_on": fields.Datetime.now(),
            }
        )
        agreement_sudo.message_post(
            body=self.env._("Accepted online by %(name)s.", name=name),
            author_id=contact.id,
            subtype_xmlid="mail.mt_note",
        )
        return True
