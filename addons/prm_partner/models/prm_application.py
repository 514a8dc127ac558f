from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.normalize import is_valid_email, is_valid_vat
from .prm_territory_assignment import OPEN_APPLICATION_STATES

APPLICATION_STATES = [
    ("new", "New"),
    ("review", "In review"),
    ("accepted", "Accepted"),
    ("rejected", "Rejected"),
    ("merged", "Merged"),
]
APPLICATION_SOURCES = [
    ("web", "Web form"),
    ("email", "Email"),
    ("import", "Import"),
    ("manual", "Manual"),
]
PROPOSALS = [("pass", "Accept"), ("review", "Review"), ("reject", "Reject")]
REVIEW_ACTIVITY = "prm_partner.mail_activity_prm_application_review"
# Fields whose change makes the automatic checks stale.
CHECKED_FIELDS = {
    "country_id",
    "country_ids",
    "declared_revenue",
    "headcount",
    "partner_type_id",
    "website",
    "vat",
}


class PrmApplication(models.Model):
    """A company asking to join the partner program.

    Created through ``_prm_intake`` (web form, imports, the email alias) or by
    hand; every creation goes through the same pipeline: duplicate detection,
    automatic checks and assignment to a channel manager (see
    ``prm_application_intake.py``).
    """

    _name = "prm.application"
    _description = "Partner Application"
    _inherit = ["mail.thread", "mail.activity.mixin", "utm.mixin", "prm.match.mixin"]
    _order = "date_received desc, id desc"
    _primary_email = "email"
    _check_company_auto = True

    # --- Applicant ---
    name = fields.Char(string="Company name", required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    vat = fields.Char(string="Tax ID", tracking=True)
    country_id = fields.Many2one("res.country", tracking=True)
    # Not "State": translations would confuse it with the status fields.
    state_id = fields.Many2one(
        "res.country.state",
        string="Region",
        domain="[('country_id', '=?', country_id)]",
    )
    city = fields.Char()
    website = fields.Char()
    contact_name = fields.Char(string="Contact name")
    email = fields.Char(tracking=True)
    phone = fields.Char()
    lang = fields.Selection(
        "_selection_lang",
        string="Language",
        help="Language of the emails sent to the applicant.",
    )
    partner_type_id = fields.Many2one(
        "prm.partner.type", string="Requested partner type", tracking=True
    )
    declared_revenue = fields.Monetary(
        string="Declared yearly revenue",
        currency_field="currency_id",
        aggregator="avg",
    )
    headcount = fields.Integer(aggregator="avg")
    country_ids = fields.Many2many(
        "res.country",
        "prm_application_country_rel",
        "application_id",
        "country_id",
        string="Served countries",
    )
    country_state_ids = fields.Many2many(
        "res.country.state",
        "prm_application_country_state_rel",
        "application_id",
        "state_id",
        string="Served states",
    )
    description = fields.Text(string="Message")

    # --- Pipeline ---
    source = fields.Selection(
        APPLICATION_SOURCES,
        string="Received via",
        required=True,
        default="manual",
        index=True,
    )
    state = fields.Selection(
        APPLICATION_STATES,
        string="Status",
        required=True,
        default="new",
        index=True,
        tracking=True,
        copy=False,
        group_expand="_group_expand_states",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Channel manager",
        index=True,
        tracking=True,
        domain=[("share", "=", False)],
        check_company=True,
    )
    partner_id = fields.Many2one(
        "res.partner",
        index=True,
        tracking=True,
        copy=False,
        help="The company this application is from: an existing partner found by "
        "the duplicate check, or the partner created on acceptance.",
    )
    contact_id = fields.Many2one(
        "res.partner", string="Contact person", copy=False, readonly=True
    )
    color = fields.Integer()

    # --- Automatic checks ---
    score = fields.Integer(readonly=True, copy=False, aggregator="avg")
    proposal = fields.Selection(PROPOSALS, readonly=True, copy=False, index=True)
    check_ids = fields.One2many(
        "prm.application.check", "application_id", string="Checks", readonly=True
    )

    # --- Duplicates ---
    duplicate_status = fields.Selection(
        [
            ("none", "No duplicate"),
            ("probable", "Probable duplicate"),
            ("certain", "Known company"),
        ],
        string="Duplicate check",
        default="none",
        required=True,
        index=True,
        copy=False,
        readonly=True,
    )
    duplicate_ids = fields.One2many(
        "prm.application.duplicate",
        "application_id",
        string="Duplicate candidates",
        readonly=True,
    )
    duplicate_note = fields.Text(string="Duplicate reasons", readonly=True, copy=False)
    merged_into_id = fields.Many2one(
        "prm.application",
        string="Merged into",
        index="btree_not_null",
        readonly=True,
        copy=False,
    )
    merged_ids = fields.One2many(
        "prm.application", "merged_into_id", string="Merged applications"
    )
    merged_count = fields.Integer(compute="_compute_merged_count")

    # --- Decision ---
    reject_reason_id = fields.Many2one(
        "prm.application.reject.reason",
        string="Rejection reason",
        index=True,
        tracking=True,
        copy=False,
    )
    reject_note = fields.Text(string="Rejection note", copy=False)
    date_received = fields.Datetime(
        string="Received", required=True, index=True, default=fields.Datetime.now
    )
    date_decided = fields.Datetime(string="Decided", readonly=True, copy=False)
    date_partner_active = fields.Date(
        string="Partner active since",
        compute="_compute_dates",
        store=True,
        precompute=True,
        help="Day the partner created or linked on acceptance became active.",
    )
    days_to_decision = fields.Integer(
        compute="_compute_dates", store=True, precompute=True, aggregator="avg"
    )
    days_to_active = fields.Integer(
        string="Days to active partner",
        compute="_compute_dates",
        store=True,
        precompute=True,
        aggregator="avg",
        help="Days from the application to the partner's activation.",
    )

    # Computed before the insert: no second UPDATE of every row on imports.
    prm_vat_key = fields.Char(
        compute="_compute_prm_match_keys", store=True, precompute=True
    )
    prm_email_domain = fields.Char(
        compute="_compute_prm_match_keys", store=True, precompute=True
    )
    prm_name_key = fields.Char(
        compute="_compute_prm_match_keys", store=True, precompute=True
    )
    prm_phone_key = fields.Char(
        compute="_compute_prm_match_keys", store=True, precompute=True
    )

    _revenue_positive = models.Constraint(
        "CHECK(declared_revenue IS NULL OR declared_revenue >= 0)",
        "The declared revenue cannot be negative.",
    )
    _headcount_positive = models.Constraint(
        "CHECK(headcount IS NULL OR headcount >= 0)",
        "The headcount cannot be negative.",
    )
    _score_range = models.Constraint(
        "CHECK(score >= 0 AND score <= 100)", "The score is between 0 and 100."
    )

    @api.model
    def _selection_lang(self):
        return self.env["res.lang"].get_installed()

    @api.model
    def _group_expand_states(self, states, domain):
        # Merged applications only show up when the filter asks for them.
        return [key for key, _label in APPLICATION_STATES if key != "merged"]

    # --- Identity keys (prm.match.mixin) ---

    def _prm_match_depends(self):
        return ["vat", "country_id", "email", "name", "phone"]

    def _prm_match_raw(self):
        self.ensure_one()
        return {
            "vat": self.vat,
            "country": self.country_id,
            "email": self.email,
            "company_name": self.name,
            "phone": self.phone,
        }

    # --- Constraints ---

    @api.constrains("email")
    def _check_email(self):
        for application in self:
            if application.email and not is_valid_email(application.email):
                raise ValidationError(
                    self.env._(
                        "%(email)r is not a valid email address.",
                        email=application.email,
                    )
                )

    @api.constrains("vat", "country_id")
    def _check_vat(self):
        for application in self:
            if (
                application.vat
                and is_valid_vat(application.vat, application.country_id.code) is False
            ):
                raise ValidationError(
                    self.env._(
                        "The VAT number %(vat)s is not valid (country: %(country)s).",
                        vat=application.vat,
                        country=application.country_id.name or "-",
                    )
                )

    @api.constrains("state_id", "country_id", "country_state_ids", "country_ids")
    def _check_territory(self):
        for application in self:
            state = application.state_id
            if (
                state
                and application.country_id
                and state.country_id != application.country_id
            ):
                raise ValidationError(
                    self.env._(
                        "%(state)s is not in %(country)s.",
                        state=state.name,
                        country=application.country_id.name,
                    )
                )

    # --- Compute ---

    @api.depends("state", "date_received", "date_decided", "partner_id.prm_start_date")
    def _compute_dates(self):
        for application in self:
            received = application.date_received and application.date_received.date()
            decided = application.date_decided and application.date_decided.date()
            application.days_to_decision = (
                (decided - received).days if received and decided else 0
            )
            start = application.partner_id.prm_start_date
            # A partner active before it applied (a linked existing partner) says
            # nothing about how long the application took.
            if (
                application.state == "accepted"
                and start
                and received
                and start >= received
            ):
                application.date_partner_active = start
                application.days_to_active = (start - received).days
            else:
                application.date_partner_active = False
                application.days_to_active = 0

    def _compute_merged_count(self):
        counts = dict(
            self._read_group(
                [("merged_into_id", "in", self.ids)], ["merged_into_id"], ["__count"]
            )
        )
        for application in self:
            application.merged_count = counts.get(application, 0)

    # --- CRUD ---

    @api.model_create_multi
    def create(self, vals_list):
        default_source = "import" if self.env.context.get("import_file") else None
        for vals in vals_list:
            if default_source and "source" not in vals:
                vals["source"] = default_source
        # No creation message or initial tracking: the intake posts its own
        # note on single applications, and imports stay light.
        applications = super(
            PrmApplication,
            self.with_context(
                tracking_disable=True,
                mail_create_nolog=True,
                mail_create_nosubscribe=True,
            ),
        ).create(vals_list)
        if not self.env.context.get("prm_intake_skip"):
            # Dedup, checks and assignment read and write other applications
            # and partners the creator may not see: the pipeline runs as
            # superuser on the records the caller was allowed to create.
            applications.sudo()._prm_intake_process()
        return applications.with_env(self.env)

    def write(self, vals):
        res = super().write(vals)
        if CHECKED_FIELDS & vals.keys() and not self.env.context.get("prm_no_recheck"):
            self.filtered(
                lambda a: a.state in OPEN_APPLICATION_STATES
            )._prm_run_checks()
        return res

    # --- Actions ---

    def action_start_review(self):
        self._prm_check_state(("new",), self.env._("start reviewing"))
        self.write({"state": "review"})
        return True

    def action_accept(self):
        """Accept: create (or link) the partner and start its onboarding."""
        self._prm_check_state(OPEN_APPLICATION_STATES, self.env._("accept"))
        self.check_access("write")
        self._prm_accept()
        if len(self) == 1:
            return self.action_open_partner()
        return True

    def action_reject(self):
        self._prm_check_state(OPEN_APPLICATION_STATES, self.env._("reject"))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reject application"),
            "res_model": "prm.application.reject.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_application_ids": self.ids},
        }

    def action_reopen(self):
        """Back to review: a rejected or wrongly merged application."""
        self._prm_check_state(("rejected", "merged"), self.env._("reopen"))
        self.check_access("write")
        merged = self.filtered(lambda a: a.state == "merged")
        for application in merged:
            application.merged_into_id._message_log(
                body=self.env._(
                    "%(application)s was taken out of this application.",
                    application=application._get_html_link(),
                )
            )
        self.write(
            {
                "state": "review",
                "reject_reason_id": False,
                "date_decided": False,
                "merged_into_id": False,
            }
        )
        self._prm_run_checks()
        return True

    def action_run_checks(self):
        self._prm_check_state(OPEN_APPLICATION_STATES, self.env._("check"))
        self._prm_run_checks()
        return True

    def action_check_duplicates(self):
        """Look for duplicates again (partners created since, edited data);
        flags and links only, merging is left to the reviewer."""
        self._prm_check_state(OPEN_APPLICATION_STATES, self.env._("check"))
        self.check_access("write")
        self.sudo()._prm_deduplicate(merge=False)
        return True

    def action_open_partner(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
        }

    def action_open_merged(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "prm_partner.action_prm_application"
        )
        action["domain"] = [("merged_into_id", "=", self.id)]
        action["context"] = {}
        return action

    # --- Business ---

    def _prm_check_state(self, allowed, verb):
        wrong = self.filtered(lambda a: a.state not in allowed)
        if wrong:
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "You cannot %(verb)s these applications in their current status: "
                    "%(apps)s.",
                    verb=verb,
                    apps=", ".join(
                        f"{a.display_name} ({labels[a.state]})" for a in wrong
                    ),
                )
            )

    def _prm_accept(self):
        """Create the partners of the applications that have none, link the
        others, and start their onboarding (``res.partner._prm_start_onboarding``).

        Runs the partner side as superuser: the caller passed the write check on
        the applications, and channel managers usually cannot create companies.
        """
        partners_sudo = self.partner_id.sudo()
        blocked = partners_sudo.filtered(
            lambda p: p.prm_state in ("active", "suspended")
        )
        if blocked:
            raise UserError(
                self.env._(
                    "These companies are already channel partners: %(partners)s. "
                    "Reject their applications as duplicates or link another partner.",
                    partners=", ".join(blocked.mapped("display_name")),
                )
            )
        to_create = self.filtered(lambda a: not a.partner_id)
        if to_create:
            new_partners_sudo = (
                self.env["res.partner"]
                .sudo()
                .create([a._prepare_partner_vals() for a in to_create])
            )
            for application, partner_sudo in zip(
                to_create, new_partners_sudo, strict=True
            ):
                application.partner_id = partner_sudo.id
        for application in self - to_create:
            vals = application._prepare_linked_partner_vals()
            if vals:
                application.partner_id.sudo().write(vals)
        needs_contact = self.filtered(
            lambda a: (
                a.contact_name
                and not a.contact_id
                and not a.partner_id.child_ids.filtered(
                    lambda c, a=a: a.email and c.email == a.email
                )
            )
        )
        contacts_sudo = (
            self.env["res.partner"]
            .sudo()
            .create([a._prepare_contact_vals() for a in needs_contact])
        )
        for application, contact_sudo in zip(needs_contact, contacts_sudo, strict=True):
            application.contact_id = contact_sudo.id
        self.partner_id.sudo()._prm_start_onboarding()
        self.write({"state": "accepted", "date_decided": fields.Datetime.now()})
        self.activity_feedback([REVIEW_ACTIVITY])
        for application in self:
            application.message_post(
                body=self.env._(
                    "Accepted: %(partner)s starts onboarding.",
                    partner=application.partner_id._get_html_link(),
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _prepare_partner_vals(self):
        """Values of the company partner created on acceptance."""
        self.ensure_one()
        countries = self.country_ids | self.country_state_ids.country_id
        if not countries and self.country_id:
            countries = self.country_id
        return {
            "name": self.name,
            "is_company": True,
            "vat": self.vat,
            "country_id": self.country_id.id,
            "state_id": self.state_id.id,
            "city": self.city,
            "website": self.website,
            "email": self.email,
            "phone": self.phone,
            "lang": self.lang or False,
            "company_id": self.company_id.id,
            "prm_is_partner": True,
            "prm_partner_type_id": self.partner_type_id.id,
            "prm_manager_id": (self.user_id or self.env.user).id,
            "prm_country_ids": [fields.Command.set(countries.ids)],
            "prm_country_state_ids": [fields.Command.set(self.country_state_ids.ids)],
        }

    def _prepare_linked_partner_vals(self):
        """Program values filled on an existing partner (never overwritten)."""
        self.ensure_one()
        partner = self.partner_id.sudo()
        vals = {}
        if not partner.prm_partner_type_id and self.partner_type_id:
            vals["prm_partner_type_id"] = self.partner_type_id.id
        if not partner.prm_manager_id:
            vals["prm_manager_id"] = (self.user_id or self.env.user).id
        if not partner.vat and self.vat:
            vals["vat"] = self.vat
        if not partner.prm_country_ids and not partner.prm_country_state_ids:
            countries = self.country_ids | self.country_state_ids.country_id
            if countries or self.country_state_ids:
                vals["prm_country_ids"] = [fields.Command.set(countries.ids)]
                vals["prm_country_state_ids"] = [
                    fields.Command.set(self.country_state_ids.ids)
                ]
        return vals

    def _prepare_contact_vals(self):
        self.ensure_one()
        return {
            "name": self.contact_name,
            "parent_id": self.partner_id.id,
            "type": "contact",
            "email": self.email,
            "phone": self.phone,
            "lang": self.lang or False,
            "company_id": self.partner_id.company_id.id,
        }

    def _prm_reject(self, reason, note=False, send_email=True, template=None):
        """Reject with a reason; the applicants get the (translated) rejection
        email unless ``send_email`` is False. Nothing is deleted."""
        if isinstance(reason, int):
            reason = self.env["prm.application.reject.reason"].browse(reason)
        if not reason:
            raise UserError(self.env._("Give a reason to reject an application."))
        self._prm_check_state(OPEN_APPLICATION_STATES, self.env._("reject"))
        self.check_access("write")
        self.write(
            {
                "state": "rejected",
                "reject_reason_id": reason.id,
                "reject_note": note or False,
                "date_decided": fields.Datetime.now(),
            }
        )
        self.activity_feedback([REVIEW_ACTIVITY])
        if send_email:
            template = template or self.env.ref(
                "prm_partner.mail_template_prm_application_rejected"
            )
            with_email = self.filtered("email")
            if with_email:
                template.send_mail_batch(with_email.ids)
            for application in with_email:
                application._message_log(
                    body=self.env._(
                        "Rejection email queued for %(email)s.",
                        email=application.email,
                    )
                )
        return True
