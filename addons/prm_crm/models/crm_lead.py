from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain

from odoo.addons.prm_partner.models.prm_guarded_mixin import Guard
from odoo.addons.prm_partner.tools.lookup import RegionLookup
from odoo.addons.prm_partner.tools.normalize import is_valid_email, is_valid_vat
from odoo.addons.prm_partner.tools.validation import check_number, check_text_input

REGISTRATION_STATES = [
    ("submitted", "Submitted"),
    ("conflict", "Conflict"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("expired", "Expired"),
    ("won", "Won"),
    ("lost", "Lost"),
]
# Registrations that still claim their end customer.
OPEN_REGISTRATION_STATES = ("submitted", "conflict", "approved")
# Once decided, partners may only change the whitelisted fields.
LOCKED_REGISTRATION_STATES = ("approved", "rejected", "expired", "won", "lost")
DEFAULT_REGISTRATION_DAYS = 90
# The routing job looks at leads created this many days ago at most.
ROUTING_CRON_DAYS = 30


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = ["crm.lead", "prm.match.mixin", "prm.guarded.mixin"]

    prm_partner_id = fields.Many2one(
        "res.partner",
        string="Channel partner",
        tracking=True,
        index=True,
        domain=[("prm_is_partner", "=", True)],
        help="The channel partner working this lead or opportunity "
        "(registered it, or had it routed).",
    )

    # --- Deal registration ---
    prm_registration_state = fields.Selection(
        REGISTRATION_STATES,
        string="Deal registration",
        index=True,
        tracking=True,
        copy=False,
        readonly=True,
        help="Empty when the lead is no deal registration.",
    )
    prm_registration_date = fields.Datetime(
        string="Registered on", copy=False, readonly=True
    )
    prm_registration_contact_id = fields.Many2one(
        "res.partner",
        string="Registered by",
        copy=False,
        readonly=True,
        help="Contact of the channel partner who registered the deal.",
    )
    prm_protection_end = fields.Date(
        string="Protected until",
        copy=False,
        tracking=True,
        help="Approved registrations protect the end customer for the partner "
        "until this date (days set per tier).",
    )
    prm_registration_notify_id = fields.Many2one(
        "res.partner",
        string="Told of decisions",
        compute="_compute_prm_registration_notify_id",
        help="Who the emails about the deal registration go to: the contact who "
        "registered it, else the channel partner.",
    )
    prm_approver_id = fields.Many2one(
        "res.users", string="Decided by", copy=False, readonly=True
    )
    prm_decision_date = fields.Datetime(string="Decided on", copy=False, readonly=True)
    prm_decision_reason = fields.Text(string="Decision reason", copy=False)
    prm_conflict_ids = fields.One2many(
        "prm.deal.conflict", "lead_id", string="Registration conflicts", copy=False
    )
    prm_conflict_count = fields.Integer(compute="_compute_prm_conflict_count")
    prm_customer_vat = fields.Char(
        string="Customer VAT",
        compute="_compute_prm_customer_vat",
        store=True,
        readonly=False,
        help="Tax identification of the end customer, used to detect "
        "registration conflicts.",
    )

    prm_registration_partner_id = fields.Many2one(
        "res.partner",
        string="Registering partner",
        compute="_compute_prm_registration_partner_id",
        store=True,
        index="btree_not_null",
        copy=False,
        help="Channel partner that registered the deal. Unlike the channel partner, "
        "it stays when the registration expires and the customer is released: "
        "channel analytics count the registration for it.",
    )

    # Channel analytics (prm.channel.report) filter each source on the month of
    # its date; these expression indexes match the report's month columns.
    _prm_registration_month_idx = models.Index(
        "(((date_trunc('month', prm_registration_date))::date)) "
        "WHERE prm_registration_state IS NOT NULL"
    )
    _prm_won_month_idx = models.Index(
        "(((date_trunc('month', date_closed))::date)) "
        "WHERE won_status = 'won' AND prm_partner_id IS NOT NULL"
    )

    # --- Lead routing ---
    prm_interest_categ_ids = fields.Many2many(
        "product.category",
        "crm_lead_prm_interest_categ_rel",
        "lead_id",
        "categ_id",
        string="Product interest",
        help="Product categories the lead asked about; routing rules can "
        "filter on them.",
    )
    prm_offer_ids = fields.One2many(
        "prm.lead.offer", "lead_id", string="Partner offers", copy=False
    )
    prm_offer_count = fields.Integer(compute="_compute_prm_offer_count")
    prm_routing_blocker = fields.Char(
        string="Not routed because",
        readonly=True,
        copy=False,
        help="Set by lead routing when no channel partner could be offered the "
        "lead (no country, no partner of the required tier or certification, "
        "all at capacity...); cleared once it is offered.",
    )

    # --- Identity keys (prm.match.mixin: the end customer) ---

    def _prm_match_depends(self):
        return ["prm_customer_vat", "partner_name", "email_from", "phone", "country_id"]

    def _prm_match_raw(self):
        self.ensure_one()
        return {
            "vat": self.prm_customer_vat,
            "country": self.country_id,
            "email": self.email_from,
            "company_name": self.partner_name,
            "phone": self.phone,
        }

    # --- Compute ---

    @api.depends("partner_id")
    def _compute_prm_customer_vat(self):
        for lead in self:
            lead.prm_customer_vat = (
                lead.partner_id.commercial_partner_id.vat or lead.prm_customer_vat
            )

    @api.depends("prm_registration_state", "prm_partner_id")
    def _compute_prm_registration_partner_id(self):
        for lead in self:
            if not lead.prm_registration_state:
                lead.prm_registration_partner_id = False
            else:
                # An expired registration releases its customer (no channel
                # partner any more): keep who registered it.
                lead.prm_registration_partner_id = (
                    lead.prm_partner_id or lead.prm_registration_partner_id
                )

    @api.depends("prm_registration_contact_id", "prm_partner_id")
    def _compute_prm_registration_notify_id(self):
        for lead in self:
            lead.prm_registration_notify_id = (
                lead.prm_registration_contact_id or lead.prm_partner_id
            )

    # Counted as the user: a count says no more than the list it opens.
    def _compute_prm_conflict_count(self):
        Conflict = self.env["prm.deal.conflict"]
        counts = (
            dict(
                Conflict._read_group(
                    [("lead_id", "in", self.ids)], ["lead_id"], ["__count"]
                )
            )
            if Conflict.has_access("read")
            else {}
        )
        for lead in self:
            lead.prm_conflict_count = counts.get(lead, 0)

    def _compute_prm_offer_count(self):
        Offer = self.env["prm.lead.offer"]
        counts = (
            dict(
                Offer._read_group(
                    [("lead_id", "in", self.ids)], ["lead_id"], ["__count"]
                )
            )
            if Offer.has_access("read")
            else {}
        )
        for lead in self:
            lead.prm_offer_count = counts.get(lead, 0)

    # --- CRUD ---

    def _prm_guarded_fields(self):
        submit = self.env._("Register deal")
        decide = self.env._("Approve or Reject registration")
        return {
            **super()._prm_guarded_fields(),
            "prm_registration_state": Guard(submit),
            "prm_registration_date": Guard(submit),
            "prm_registration_contact_id": Guard(submit),
            "prm_protection_end": Guard(decide),
            "prm_approver_id": Guard(decide),
            "prm_decision_date": Guard(decide),
            "prm_decision_reason": Guard(decide),
        }

    def write(self, vals):
        self._prm_check_partner_user_write(vals)
        res = super().write(vals)
        if {"stage_id", "active", "probability"} & vals.keys():
            self._prm_sync_registration_outcome()
        return res

    # --- Registration: partner-side edits ---

    @api.model
    def _prm_registration_fields(self):
        """Fields a partner fills in when registering a deal."""
        return {
            "name",
            "partner_name",
            "prm_customer_vat",
            "contact_name",
            "email_from",
            "phone",
            "website",
            "street",
            "street2",
            "city",
            "zip",
            "state_id",
            "country_id",
            "description",
            "expected_revenue",
            "date_deadline",
        }

    @api.model
    def _prm_registration_locked_fields(self):
        """Whitelist of what partners may still change once a registration is
        decided (approved, rejected, expired, won or lost)."""
        return {"date_deadline", "description"}

    def _prm_is_partner_user(self):
        user = self.env.user
        return user.share or user.commercial_partner_id.prm_is_partner

    def _prm_check_partner_user_write(self, vals):
        """Partner users (portal, or internal users of a channel partner) may
        only touch the whitelisted fields of a decided registration."""
        if self.env.su or not self._prm_is_partner_user():
            return
        locked = self.filtered(
            lambda lead: lead.prm_registration_state in LOCKED_REGISTRATION_STATES
        )
        forbidden = set(vals) - self._prm_registration_locked_fields()
        if locked and forbidden:
            raise AccessError(
                self.env._(
                    "Registration %(lead)s is %(state)s: you can only change "
                    "%(allowed)s, not %(fields)s.",
                    lead=locked[0].display_name,
                    state=dict(
                        self._fields["prm_registration_state"]._description_selection(
                            self.env
                        )
                    )[locked[0].prm_registration_state],
                    allowed=self._prm_field_labels(
                        self._prm_registration_locked_fields()
                    ),
                    fields=self._prm_field_labels(forbidden),
                )
            )

    def _prm_field_labels(self, names):
        return ", ".join(
            sorted(
                self._fields[name]._description_string(self.env)
                if name in self._fields
                else name
                for name in names
            )
        )

    # --- Registration: validation ---

    @api.model
    def _prm_validate_registration_vals(self, vals, allowed, require_identity=True):
        """Check and normalise partner input before anything is written.

        :param vals: raw values from the partner (portal form, API)
        :param allowed: field names the partner may set
        :return: cleaned values, ready for create/write
        """
        unknown = set(vals) - set(allowed)
        if unknown:
            raise UserError(
                self.env._(
                    "These fields cannot be set on a deal registration: %(fields)s.",
                    fields=", ".join(sorted(unknown)),
                )
            )
        clean = dict(vals)
        check_text_input(self, clean, {"prm_customer_vat": 64, "email_from": 254})
        for name in ("name", "partner_name", "prm_customer_vat", "email_from"):
            if isinstance(clean.get(name), str):
                clean[name] = clean[name].strip()
        if (require_identity or "partner_name" in clean) and not clean.get(
            "partner_name"
        ):
            raise ValidationError(
                self.env._(
                    "Say who the end customer is: the company name is required "
                    "to register a deal."
                )
            )
        if clean.get("email_from") and not is_valid_email(clean["email_from"]):
            raise ValidationError(
                self.env._(
                    "“%(email)s” is not a valid email address.",
                    email=clean["email_from"],
                )
            )
        country = self._prm_clean_region(clean)
        vat = clean.get("prm_customer_vat")
        if vat and is_valid_vat(vat, country.code if country else None) is False:
            if country:
                message = self.env._(
                    "“%(vat)s” is not a valid VAT number for %(country)s.",
                    vat=vat,
                    country=country.name,
                )
            else:
                message = self.env._("“%(vat)s” is not a valid VAT number.", vat=vat)
            raise ValidationError(message)
        if clean.get("expected_revenue") not in (None, False, ""):
            clean["expected_revenue"] = check_number(
                self.env,
                clean["expected_revenue"],
                self._fields["expected_revenue"]._description_string(self.env),
            )
        if clean.get("date_deadline"):
            try:
                clean["date_deadline"] = fields.Date.to_date(clean["date_deadline"])
            except (TypeError, ValueError):
                raise ValidationError(
                    self.env._(
                        "“%(date)s” is not a valid expected closing date.",
                        date=clean["date_deadline"],
                    )
                ) from None
        if require_identity and not clean.get("name"):
            clean["name"] = clean["partner_name"]
        return clean

    @api.model
    def _prm_clean_region(self, clean):
        """Resolve the country (id, ISO code or name) and the state (id, code
        or name, of that country) of ``clean`` in place; unknown ones are
        refused. Returns the country."""
        Country = self.env["res.country"]
        lookup = RegionLookup(self.env)
        value = clean.get("country_id")
        country = Country
        if value:
            country = Country.browse(lookup.country(value))
            if not country:
                raise ValidationError(
                    self.env._("Unknown country “%(country)s”.", country=value)
                )
            clean["country_id"] = country.id
        value = clean.get("state_id")
        if value:
            if country:
                state_id = lookup.state(value, country.id)
                if not state_id:
                    raise ValidationError(
                        self.env._(
                            "Unknown state “%(state)s” in %(country)s.",
                            state=value,
                            country=country.name,
                        )
                    )
            else:
                # No country to narrow it down: an id, or a code or name that
                # only one state in the world has.
                text = str(value).strip()
                states = (
                    self.env["res.country.state"]
                    .sudo()
                    .search(
                        Domain("id", "=", int(text))
                        if text.isdigit()
                        else Domain("code", "=ilike", text)
                        | Domain("name", "=ilike", text),
                        limit=2,
                    )
                )
                state_id = len(states) == 1 and states.id
                if not state_id:
                    raise ValidationError(
                        self.env._("Unknown state “%(state)s”.", state=value)
                    )
            clean["state_id"] = state_id
        return country

    def _prm_check_registration_identity(self):
        missing = self.filtered(lambda lead: not (lead.partner_name or "").strip())
        if missing:
            raise UserError(
                self.env._(
                    "Say who the end customer is: %(leads)s has no company name.",
                    leads=", ".join(missing.mapped("display_name")),
                )
            )
        bad_email = self.filtered(
            lambda lead: lead.email_from and not is_valid_email(lead.email_from)
        )
        if bad_email:
            raise UserError(
                self.env._(
                    "%(email)s is not a valid email address.",
                    email=bad_email[0].email_from,
                )
            )

    # --- Registration: business ---

    def _prm_registration_days(self):
        """Protection length of the registration: the tier's, else the
        configured default."""
        self.ensure_one()
        days = self.prm_partner_id.prm_tier_id.registration_days
        if not days:
            param = (
                self.env["ir.config_parameter"]
                .sudo()
                .get_param("prm_crm.registration_days")
            )
            days = int(param) if param and param.isdigit() else 0
        return days or DEFAULT_REGISTRATION_DAYS

    def _prm_submit_registration(self):
        """Mark leads as submitted registrations and look for conflicts.

        Runs as whoever calls it: callers sudo() after their own checks.
        """
        not_partner = self.filtered(lambda lead: not lead.prm_partner_id.prm_is_partner)
        if not_partner:
            raise UserError(
                self.env._(
                    "Set the channel partner registering %(leads)s.",
                    leads=", ".join(not_partner.mapped("display_name")),
                )
            )
        self._prm_check_registration_identity()
        self.filtered(lambda lead: not lead.prm_registration_date).write(
            {"prm_registration_date": fields.Datetime.now()}
        )
        self.write({"prm_registration_state": "submitted"})
        self._prm_detect_conflicts()
        return True

    def _prm_detect_conflicts(self):
        """(Re)compute the conflict lines of submitted registrations and move
        them between *submitted* and *conflict*. Batched: see
        ``prm.deal.conflict._prm_find_conflicts``."""
        leads = self.filtered(
            lambda lead: lead.prm_registration_state in ("submitted", "conflict")
        )
        if not leads:
            return
        Conflict = self.env["prm.deal.conflict"].sudo()
        found = Conflict._prm_find_conflicts(leads)
        Conflict.search([("lead_id", "in", leads.ids)]).unlink()
        Conflict.create([vals for lead in leads for vals in found.get(lead.id, [])])
        conflicted = leads.filtered(lambda lead: found.get(lead.id))
        conflicted.filtered(
            lambda lead: lead.prm_registration_state != "conflict"
        ).write({"prm_registration_state": "conflict"})
        (leads - conflicted).filtered(
            lambda lead: lead.prm_registration_state == "conflict"
        ).write({"prm_registration_state": "submitted"})

    def _prm_check_can_decide(self):
        """Channel managers decide on the registrations of the partners they
        manage; program administrators on every registration."""
        user = self.env.user
        if self.env.su or user.has_group("prm_partner.group_prm_manager"):
            return
        if not user.has_group("prm_partner.group_prm_user"):
            raise AccessError(
                self.env._(
                    "Only channel managers and program administrators decide on "
                    "deal registrations."
                )
            )
        others = self.filtered(lambda lead: lead.prm_partner_id.prm_manager_id != user)
        if others:
            raise AccessError(
                self.env._(
                    "You are not the channel manager of %(partners)s: only its "
                    "channel manager or a program administrator can decide on "
                    "its registrations.",
                    partners=", ".join(others.prm_partner_id.mapped("display_name")),
                )
            )

    def _prm_check_decidable(self):
        undecidable = self.filtered(
            lambda lead: lead.prm_registration_state not in ("submitted", "conflict")
        )
        if undecidable:
            raise UserError(
                self.env._(
                    "Only submitted registrations or registrations in conflict can "
                    "be approved or rejected: %(leads)s.",
                    leads=", ".join(undecidable.mapped("display_name")),
                )
            )

    def action_prm_submit_registration(self):
        """Register leads on behalf of their channel partner (backend)."""
        self.check_access("write")
        already = self.filtered("prm_registration_state")
        if already:
            raise UserError(
                self.env._(
                    "%(leads)s is already registered.",
                    leads=", ".join(already.mapped("display_name")),
                )
            )
        self.sudo()._prm_submit_registration()
        return True

    def action_prm_check_conflicts(self):
        self._prm_check_can_decide()
        self.sudo()._prm_detect_conflicts()
        return True

    def action_prm_approve_registration(self, reason=None, force=False):
        """Approve registrations; one in conflict needs ``force`` and a reason
        (the manager approves it anyway)."""
        self._prm_check_can_decide()
        self._prm_check_decidable()
        reason = (reason or "").strip()
        leads_sudo = self.sudo()
        if not force:
            # A conflict may have gone away (the other registration was rejected).
            leads_sudo.filtered(
                lambda lead: lead.prm_registration_state == "conflict"
            )._prm_detect_conflicts()
        conflicted = leads_sudo.filtered(
            lambda lead: lead.prm_registration_state == "conflict"
        )
        if conflicted and not (force and reason):
            raise UserError(
                self.env._(
                    "%(leads)s conflicts with other deals or customers: resolve the "
                    "conflict first (approve it anyway, saying why, or reject it).",
                    leads=", ".join(conflicted.mapped("display_name")),
                )
            )
        today = fields.Date.context_today(self)
        by_days = defaultdict(list)
        for lead in leads_sudo:
            by_days[lead._prm_registration_days()].append(lead.id)
        for days, lead_ids in by_days.items():
            leads_sudo.browse(lead_ids).write(
                {
                    **self._prepare_prm_decision_vals(reason),
                    "prm_registration_state": "approved",
                    "prm_protection_end": today + timedelta(days=days),
                }
            )
        leads_sudo._prm_notify_registration(
            "prm_crm.mail_template_prm_registration_approved"
        )
        return True

    def action_prm_reject_registration(self, reason):
        """Reject registrations, saying why; the lead is closed as lost."""
        self._prm_check_can_decide()
        self._prm_check_decidable()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Say why the registration is rejected."))
        leads_sudo = self.sudo()
        leads_sudo.write(
            {
                **self._prepare_prm_decision_vals(reason),
                "prm_registration_state": "rejected",
            }
        )
        leads_sudo._prm_notify_registration(
            "prm_crm.mail_template_prm_registration_rejected"
        )
        # A rejected registration claims nothing and is not worked: close it.
        leads_sudo.action_set_lost()
        return True

    def _prepare_prm_decision_vals(self, reason):
        return {
            "prm_approver_id": self.env.uid,
            "prm_decision_date": fields.Datetime.now(),
            "prm_decision_reason": reason or False,
        }

    def _prm_notify_registration(self, template_xmlid):
        """Post the decision on the lead for the partner's contacts."""
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        if not template:
            return
        for lead in self:
            lead.message_post_with_source(
                template,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )

    @api.model
    def _cron_prm_expire_registrations(self):
        today = fields.Date.context_today(self)
        leads = self.search(
            [
                ("prm_registration_state", "=", "approved"),
                ("prm_protection_end", "<", today),
            ]
        )
        leads._prm_expire_registrations()
        return True

    def _prm_expire_registrations(self):
        """End the protection of approved registrations.

        Rule: an expired registration is released to the vendor, so
        ``prm_partner_id`` is cleared (a later sale must not credit the partner);
        the chatter keeps who held it, and the partner is told by email.
        """
        if not self:
            return
        # sudo: the expiry is the system's (daily job), not a user's edit.
        leads_sudo = self.sudo()
        template = self.env.ref(
            "prm_crm.mail_template_prm_registration_expired",
            raise_if_not_found=False,
        )
        if template:
            template.send_mail_batch(self.ids)
        bodies = {
            lead.id: Markup("<p>%s</p>")
            % self.env._(
                "Registration by %(partner)s expired on %(date)s: the customer is "
                "released.",
                partner=lead.prm_partner_id.display_name,
                date=lead.prm_protection_end,
            )
            for lead in leads_sudo
        }
        leads_sudo.write({"prm_registration_state": "expired", "prm_partner_id": False})
        leads_sudo._message_log_batch(bodies)

    def _prm_sync_registration_outcome(self):
        """Follow the lead's outcome: an approved registration that is won is
        *won* (its partner stays the source of the deal and becomes the
        customer's owner), one that is lost is *lost* (the customer is released);
        a lost registration restored goes back to *approved*."""
        regs = self.filtered(
            lambda lead: lead.prm_registration_state in ("approved", "won", "lost")
        )
        if not regs:
            return
        won = regs.filtered(
            lambda lead: (
                lead.won_status == "won" and lead.prm_registration_state != "won"
            )
        )
        lost = regs.filtered(
            lambda lead: (
                lead.won_status == "lost" and lead.prm_registration_state != "lost"
            )
        )
        reopened = regs.filtered(
            lambda lead: (
                lead.won_status == "pending"
                and lead.prm_registration_state in ("won", "lost")
            )
        )
        won.sudo().write({"prm_registration_state": "won"})
        lost.sudo().write({"prm_registration_state": "lost"})
        reopened.sudo().write({"prm_registration_state": "approved"})
        for lead in won.sudo():
            customer = lead.partner_id.commercial_partner_id
            if (
                customer
                and not customer.prm_owner_partner_id
                and customer != lead.prm_partner_id
            ):
                customer.prm_owner_partner_id = lead.prm_partner_id

    # --- Registration: portal entry points ---

    @api.model
    def _prm_portal_partner(self):
        """The active program partner of the current user, else AccessError."""
        partner = self.env.user.commercial_partner_id
        if not (partner.prm_is_partner and partner.prm_state == "active"):
            raise AccessError(
                self.env._("Only active channel partners can register deals.")
            )
        return partner

    @api.model
    def _prm_portal_register_deal(self, vals):
        """Register a deal for the current portal user's partner.

        Checks who calls and what is sent, then creates the lead as superuser
        (portal users cannot create leads) and looks for conflicts.

        :return: the registration, readable by the calling user
        """
        partner = self._prm_portal_partner()
        clean = self._prm_validate_registration_vals(
            vals or {}, self._prm_registration_fields()
        )
        lead_sudo = self.sudo().create(
            self._prepare_prm_registration_vals(partner, clean)
        )
        lead_sudo._prm_submit_registration()
        lead_sudo.message_subscribe(partner_ids=self.env.user.partner_id.ids)
        return lead_sudo.with_env(self.env)

    @api.model
    def _prm_register_deal_for(self, partner, vals, contact=None):
        """Register a deal on a channel partner's behalf (a channel manager
        from the backend): the partner's own checks, then created as superuser
        (channel managers need not have CRM creation rights) and looked at for
        conflicts.

        :param partner: the active channel partner (company)
        :param vals: the partner-side fields (see ``_prm_registration_fields``)
        :param contact: the partner's contact who asked for it, if any
        :return: the registration
        """
        if not self.env.user.has_group("prm_partner.group_prm_user"):
            raise AccessError(
                self.env._("Only channel managers register deals for partners.")
            )
        partner = partner.commercial_partner_id
        if not (partner.prm_is_partner and partner.prm_state == "active"):
            raise UserError(
                self.env._(
                    "%(partner)s is not an active channel partner: only active "
                    "partners can register deals.",
                    partner=partner.display_name,
                )
            )
        if contact and contact.commercial_partner_id != partner:
            raise UserError(
                self.env._(
                    "%(contact)s is not a contact of %(partner)s.",
                    contact=contact.display_name,
                    partner=partner.display_name,
                )
            )
        clean = self._prm_validate_registration_vals(
            vals or {}, self._prm_registration_fields()
        )
        lead_sudo = self.sudo().create(
            {
                **self._prepare_prm_registration_vals(partner, clean),
                "prm_registration_contact_id": contact.id if contact else False,
            }
        )
        lead_sudo._prm_submit_registration()
        lead_sudo._message_log(
            body=Markup("<p>%s</p>")
            % self.env._(
                "Deal registered for %(partner)s by %(user)s.",
                partner=partner.display_name,
                user=self.env.user.name,
            )
        )
        return lead_sudo.with_env(self.env)

    def _prepare_prm_registration_vals(self, partner, clean):
        return {
            **clean,
            "type": "opportunity",
            "prm_partner_id": partner.id,
            "prm_registration_contact_id": self.env.user.partner_id.id,
            # The channel manager follows the deal on the vendor side.
            "user_id": partner.prm_manager_id.id,
            "company_id": (partner.company_id or self.env.company).id,
        }

    def _prm_portal_update_registration(self, vals):
        """Update the current user's registration from the portal.

        Before the decision the registration fields can change (conflicts are
        looked for again when the customer's identity changes); afterwards only
        the whitelisted ones.
        """
        self.ensure_one()
        partner = self._prm_portal_partner()
        self.check_access("read")
        if not self.prm_registration_state or self.prm_partner_id != partner:
            raise AccessError(
                self.env._("This registration does not belong to your company.")
            )
        if self.prm_registration_state in LOCKED_REGISTRATION_STATES:
            allowed = self._prm_registration_locked_fields()
        else:
            allowed = self._prm_registration_fields()
        clean = self._prm_validate_registration_vals(
            vals or {}, allowed, require_identity=False
        )
        lead_sudo = self.sudo()
        lead_sudo.write(clean)
        identity = set(self._prm_match_depends())
        if identity & clean.keys():
            lead_sudo._prm_detect_conflicts()
        return True

    # --- Routing ---

    @api.model
    def _prm_routing_candidate_domain(self):
        """Leads the routing job offers to partners: nobody works them (no
        salesperson, no channel partner), they are open, no registration, and no
        offer is pending."""
        return Domain(
            [
                ("prm_partner_id", "=", False),
                ("user_id", "=", False),
                ("won_status", "=", "pending"),
                ("prm_registration_state", "=", False),
                (
                    "prm_offer_ids",
                    "not any",
                    [("state", "in", ("offered", "accepted"))],
                ),
            ]
        )

    def action_prm_route(self):
        """Offer the selected leads to channel partners along the routing rules."""
        self.check_access("write")
        offers, reasons = (
            self.env["prm.routing.rule"].sudo()._prm_route_leads_explained(self.sudo())
        )
        counts = {"count": len(offers), "total": len(self)}
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if not reasons else "warning",
                # The notification puts a full stop after its title.
                "title": self.env._(
                    "%(count)s of %(total)s leads offered to channel partners",
                    **counts,
                )
                if reasons
                else False,
                "message": self._prm_routing_summary(reasons)
                if reasons
                else self.env._(
                    "%(count)s of %(total)s leads offered to channel partners.",
                    **counts,
                ),
                "sticky": bool(reasons),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _prm_routing_summary(self, reasons, limit=5):
        """``Lead: why it was not offered`` for the first ``limit`` leads."""
        names = dict(
            self.browse(list(reasons))
            .sudo()
            .with_context(active_test=False)
            .mapped(lambda lead: (lead.id, lead.display_name))
        )
        lines = [
            self.env._("%(lead)s: %(reason)s", lead=names[lead_id], reason=reason)
            for lead_id, reason in list(reasons.items())[:limit]
        ]
        if len(reasons) > limit:
            lines.append(
                self.env._(
                    "%(count)s more leads not offered: see their Routing tab.",
                    count=len(reasons) - limit,
                )
            )
        return " ".join(lines)

    @api.model
    def _cron_prm_route_leads(self):
        """Route the new leads (created in the last ``ROUTING_CRON_DAYS`` days):
        older leads nobody took stay where they are, *Route to partner* still
        routes them on demand."""
        since = fields.Datetime.now() - timedelta(days=ROUTING_CRON_DAYS)
        leads = self.search(
            self._prm_routing_candidate_domain() & Domain("create_date", ">=", since)
        )
        self.env["prm.routing.rule"]._prm_route_leads(leads)
        return True

    def action_prm_open_offers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "prm_crm.action_prm_lead_offer"
        )
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {"search_default_lead_id": self.id}
        return action

    def action_prm_open_registration_wizard(self):
        decision = self.env.context.get("prm_decision", "approve")
        return {
            "type": "ir.actions.act_window",
            "res_model": "prm.registration.decision.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_lead_ids": self.ids,
                "default_decision": decision,
            },
        }
