import re
from collections import defaultdict

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import html2plaintext, parse_contact_from_email

from ..tools import email_parsing
from ..tools.lookup import RegionLookup
from ..tools.normalize import email_domain, is_valid_email, is_valid_vat
from ..tools.validation import check_number, check_state, check_text_input
from .prm_guarded_mixin import Guard
from .prm_match_mixin import MATCH_KEYS
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
# What the website form may set; anything else in its input is ignored.
PORTAL_FIELDS = frozenset(
    {
        "name",
        "vat",
        "country",
        "country_id",
        "country_state",
        "state_id",
        "city",
        "website",
        "contact_name",
        "email",
        "phone",
        "lang",
        "partner_type",
        "partner_type_id",
        "declared_revenue",
        "headcount",
        "served_countries",
        "served_states",
        "description",
    }
)
PORTAL_REQUIRED = ("name", "contact_name", "email")
# Longest texts an applicant or an import may send (other texts: TEXT_LIMITS).
TEXT_LIMITS = {"website": 2048, "email": 254, "phone": 64, "vat": 64}
# Figures an applicant declares: (minimum, maximum excluded).
NUMBER_BOUNDS = {"declared_revenue": (0.0, 1e15), "headcount": (0, 10_000_000)}
# Candidate applications listed per application at most: in an import where
# hundreds of rows share an email domain, the best ten say enough.
MAX_CANDIDATES = 10
# Keys other than the VAT number; two of them shared make a certain match.
SOFT_KEYS = {"name", "email_domain", "phone"}
# Values a merged application gives the application it is merged into, when
# that one has none.
MERGE_FILL_FIELDS = (
    "vat",
    "country_id",
    "state_id",
    "city",
    "website",
    "contact_name",
    "email",
    "phone",
    "lang",
    "partner_type_id",
    "declared_revenue",
    "headcount",
    "partner_id",
)


def is_certain_match(reasons, vat_key, other_vat_key):
    """Certain when the VAT numbers are equal, or when two of company name,
    email domain and phone are shared and the VAT numbers do not contradict
    it (two different VAT numbers are two legal entities, e.g. subsidiaries)."""
    if "vat" in reasons:
        return True
    if vat_key and other_vat_key and vat_key != other_vat_key:
        return False
    return len(reasons & SOFT_KEYS) >= 2


class PrmApplication(models.Model):
    """A company asking to join the partner program.

    Created through ``_prm_intake`` (web form, imports, the email alias) or by
    hand; every creation goes through the same pipeline: duplicate detection,
    automatic checks and assignment to a channel manager (``_prm_intake_process``).
    """

    _name = "prm.application"
    _description = "Partner Application"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "utm.mixin",
        "prm.match.mixin",
        "prm.guarded.mixin",
    ]
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
                        "“%(email)s” is not a valid email address.",
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

    @api.model
    def _prm_check_input(self, vals):
        """Texts and figures a user, a file or the web form sends: no NUL
        character, no text beyond its limit, finite figures within bounds
        (refused with the field named, before the database sees them)."""
        check_text_input(self, vals, TEXT_LIMITS)
        for fname, (minimum, maximum) in NUMBER_BOUNDS.items():
            if vals.get(fname) not in (None, False, ""):
                check_number(
                    self.env,
                    vals[fname],
                    self._fields[fname]._description_string(self.env),
                    minimum,
                    maximum,
                )

    @api.model_create_multi
    def create(self, vals_list):
        default_source = "import" if self.env.context.get("import_file") else None
        for vals in vals_list:
            self._prm_check_input(vals)
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
        # Dedup, checks and assignment read and write other applications and
        # partners the creator may not see: the pipeline runs as superuser on
        # the records the caller was allowed to create.
        applications.sudo()._prm_intake_process()
        return applications.with_env(self.env)

    def _prm_guarded_fields(self):
        decide = self.env._("Accept, Reject or Reopen")
        pipeline = self.env._("Run checks or Check duplicates")
        review = self.env._("Start review, Accept, Reject or Reopen")
        return {
            **super()._prm_guarded_fields(),
            "state": Guard(review, ("new",)),
            "date_decided": Guard(decide),
            "reject_reason_id": Guard(decide),
            "contact_id": Guard(decide),
            "score": Guard(pipeline),
            "proposal": Guard(pipeline),
            "duplicate_status": Guard(pipeline, ("none",)),
            "duplicate_note": Guard(pipeline),
            "merged_into_id": Guard(pipeline),
        }

    def write(self, vals):
        self._prm_check_input(vals)
        res = super().write(vals)
        # A user's edit makes the checks stale; the pipeline's own writes (as
        # superuser) run the checks themselves.
        if CHECKED_FIELDS & vals.keys() and not self.env.su:
            self.filtered(
                lambda a: a.state in OPEN_APPLICATION_STATES
            )._prm_run_checks()
        return res

    # --- Actions ---

    def action_start_review(self):
        check_state(self, ("new",))
        self.check_access("write")
        self.sudo().write({"state": "review"})
        return True

    def action_accept(self):
        """Accept: create (or link) the partner and start its onboarding.

        A probable duplicate is not accepted blindly: a single one opens the
        accept wizard (create a new partner, or link the existing one); in a
        batch they are refused, named.
        """
        check_state(self, OPEN_APPLICATION_STATES)
        self.check_access("write")
        probable = self.filtered(lambda a: a.duplicate_status == "probable")
        if probable:
            if len(self) == 1:
                return self.action_open_accept_wizard()
            raise UserError(
                self.env._(
                    "These applications are probable duplicates: accept them one "
                    "by one, creating a new partner or linking the existing one: "
                    "%(applications)s.",
                    applications=", ".join(probable.mapped("display_name")),
                )
            )
        self._prm_accept()
        if len(self) == 1:
            return self.action_open_partner()
        return True

    def action_open_accept_wizard(self):
        """Accept with a choice of outcome: a new partner, or an existing one
        (the *Link to existing partner* button opens it on that outcome)."""
        self.ensure_one()
        check_state(self, OPEN_APPLICATION_STATES)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Accept application"),
            "res_model": "prm.application.accept.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_application_id": self.id,
                "prm_accept_outcome": self.env.context.get("prm_accept_outcome"),
            },
        }

    def _prm_accept_as(self, partner):
        """Accept with the reviewer's outcome: link ``partner`` (an existing
        company), or create a new partner when ``partner`` is False."""
        self.ensure_one()
        check_state(self, OPEN_APPLICATION_STATES)
        self.check_access("write")
        if partner:
            partner = partner.sudo().commercial_partner_id
            if not partner.is_company:
                raise UserError(
                    self.env._(
                        "%(partner)s is no company: link the application to a company.",
                        partner=partner.display_name,
                    )
                )
        if partner != self.partner_id:
            # The reviewer's decision, rights checked above.
            self.sudo().partner_id = partner.id if partner else False
            if partner:
                body = self.env._(
                    "Linked to the existing partner %(partner)s on acceptance.",
                    partner=partner.display_name,
                )
            else:
                body = self.env._(
                    "Accepted as a new partner despite the duplicate check."
                )
            self.message_post(body=body, subtype_xmlid="mail.mt_note")
        self._prm_accept()

    def action_reject(self):
        check_state(self, OPEN_APPLICATION_STATES)
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
        check_state(self, ("rejected", "merged"))
        self.check_access("write")
        merged = self.filtered(lambda a: a.state == "merged")
        for application in merged:
            application.merged_into_id._message_log(
                body=self.env._(
                    "%(application)s was taken out of this application.",
                    application=application._get_html_link(),
                )
            )
        self.sudo().write(
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
        check_state(self, OPEN_APPLICATION_STATES)
        self._prm_run_checks()
        return True

    def action_check_duplicates(self):
        """Look for duplicates again (partners created since, edited data);
        flags and links only, merging is left to the reviewer."""
        check_state(self, OPEN_APPLICATION_STATES)
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

    def _prm_accept(self):
        """Create the partners of the applications that have none, link the
        others, and start their onboarding (``res.partner._prm_start_onboarding``).

        Runs the partner side as superuser: the caller passed the write check on
        the applications, and channel managers usually cannot create companies.
        Existing partners are only moved into onboarding when the caller may
        edit them (``_prm_check_partners_access``).
        """
        self._prm_check_partners_access()
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
                application.sudo().partner_id = partner_sudo.id
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
            application.sudo().contact_id = contact_sudo.id
        self.partner_id.sudo()._prm_start_onboarding()
        self.sudo().write({"state": "accepted", "date_decided": fields.Datetime.now()})
        self.activity_feedback([REVIEW_ACTIVITY])
        for application in self:
            application.message_post(
                body=self.env._(
                    "Accepted: %(partner)s starts onboarding.",
                    partner=application.partner_id._get_html_link(),
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _prm_check_partners_access(self):
        """Acceptance moves existing partners into onboarding as superuser:
        first make sure the caller may edit each of them (record rules:
        company, channel manager), whatever partner the application links."""
        if self.env.su:
            return
        partners = self.sudo().partner_id.with_env(self.env)
        if not partners:
            return
        try:
            partners.check_access("write")
        except AccessError:
            raise AccessError(
                self.env._(
                    "You may not edit the partner linked to one of these "
                    "applications (another channel manager's or another "
                    "company's): a program administrator must accept it."
                )
            ) from None
        terminated = partners.filtered(lambda p: p.prm_state == "terminated")
        if terminated and not self.env.user.has_group("prm_partner.group_prm_manager"):
            raise AccessError(
                self.env._(
                    "%(partners)s left the program: only a program administrator "
                    "can take it back into onboarding.",
                    partners=", ".join(terminated.mapped("display_name")),
                )
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
        check_state(self, OPEN_APPLICATION_STATES)
        self.check_access("write")
        self.sudo().write(
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

    # --- Intake API ---

    @api.model
    def _prm_intake(self, vals_list, source=None):
        """Validate raw applications and create them in one batch.

        Used by the web form, imports and the email alias; creation runs the
        pipeline (duplicates, checks, assignment). Besides the model's fields,
        rows may carry ``country`` / ``country_state`` (code or name),
        ``partner_type`` (code or name), ``served_countries`` /
        ``served_states`` (lists or comma-separated codes or names) and
        ``utm_campaign`` / ``utm_source`` / ``utm_medium`` (names).

        :param vals_list: a dict or a list of dicts
        :param source: default source (``web``, ``email``, ``import``, ``manual``)
        :raise ValidationError: naming the row and field of every bad value;
            nothing is created then
        :return: the applications, in the order of ``vals_list`` (merged
            duplicates included)
        """
        if isinstance(vals_list, dict):
            vals_list = [vals_list]
        self.check_access("create")
        clean = self._prm_intake_prepare(vals_list, source=source)
        return self.create(clean)

    @api.model
    def _prm_portal_submit(self, vals):
        """Intake of the public application form, callable by anyone.

        Only the fields of ``PORTAL_FIELDS`` are taken; the rest (channel
        manager, partner, status...) is dropped. After validation the intake
        runs as superuser: visitors have no access to applications.

        :return: the application, as superuser (for the thank-you page only)
        """
        clean = {
            key: value
            for key, value in (vals or {}).items()
            if key in PORTAL_FIELDS and value not in (None, "")
        }
        missing = [
            self._fields[key]._description_string(self.env)
            for key in PORTAL_REQUIRED
            if not str(clean.get(key) or "").strip()
        ]
        if missing:
            raise ValidationError(
                self.env._("Please fill in: %(fields)s.", fields=", ".join(missing))
            )
        for key in ("country_id", "state_id", "partner_type_id"):
            if key in clean and not isinstance(clean[key], int):
                clean[key] = str(clean[key])
        clean["source"] = "web"
        # The form validated nothing itself: _prm_intake_prepare does, before
        # anything is written.
        prepared = self._prm_intake_prepare([clean], source="web")
        application_sudo = self.sudo().create(prepared)
        return application_sudo

    # --- Validation and normalisation ---

    @api.model
    def _prm_intake_prepare(self, vals_list, source=None):
        """Create values of raw rows, or a ValidationError listing every
        problem (row and field named). A fixed number of queries: countries,
        states and partner types are loaded once for the batch."""
        rows, row_errors = self._prm_intake_check(vals_list, source=source)
        errors = []
        for index, messages in sorted(row_errors.items()):
            for message in messages:
                if len(rows) > 1:
                    message = self.env._(
                        "Row %(row)s (%(name)s): %(message)s",
                        row=index + 1,
                        name=rows[index].get("name") or "?",
                        message=message,
                    )
                errors.append(message)
        if errors:
            raise ValidationError("\n".join(errors))
        self._prm_prepare_utm(rows)
        return rows

    @api.model
    def _prm_intake_check(self, vals_list, source=None):
        """The checks of ``_prm_intake_prepare``, row by row: ``(rows,
        {index: [message, ...]})`` for the rows with problems (imports keep
        the good rows and report the bad ones)."""
        lookup = RegionLookup(self.env)
        rows = [dict(raw or {}) for raw in vals_list]
        errors = defaultdict(list)

        def error(index, row, message):
            errors[index].append(message)

        for index, row in enumerate(rows):
            for key, value in list(row.items()):
                if isinstance(value, str):
                    row[key] = value.strip() or False
            if "company_name" in row and not row.get("name"):
                row["name"] = row.pop("company_name")
            row.pop("company_name", None)
            if not row.get("name"):
                error(index, row, self.env._("the company name is required."))
            if source and not row.get("source"):
                row["source"] = source
            self._prm_prepare_country(index, row, lookup, error)
        lookup.load_states({row.get("country_id") for row in rows} - {False, None})
        for index, row in enumerate(rows):
            self._prm_prepare_state(index, row, lookup, error)
            self._prm_prepare_other(index, row, lookup, error)
        return rows, dict(errors)

    def _prm_label(self, fname):
        return self._fields[fname]._description_string(self.env)

    def _prm_resolved(self, index, row, error, fname, value, found, message):
        """``found``; when it is empty, an error on the row naming ``fname``.

        :param message: ``message(field=label, value=value)``, translated
        """
        if not found:
            error(index, row, message(field=self._prm_label(fname), value=value))
        return found

    @api.model
    def _prm_prepare_country(self, index, row, lookup, error):
        def unknown(**values):
            return self.env._("%(field)s: unknown country “%(value)s”.", **values)

        raw = row.pop("country", None) or row.get("country_id")
        if raw:
            row["country_id"] = self._prm_resolved(
                index, row, error, "country_id", raw, lookup.country(raw), unknown
            )
        served = _pop_served(row, "served_countries", "country_ids")
        if served:
            ids = [
                self._prm_resolved(
                    index,
                    row,
                    error,
                    "country_ids",
                    value,
                    lookup.country(value),
                    unknown,
                )
                for value in served
            ]
            row["country_ids"] = [fields.Command.set([i for i in ids if i])]

    @api.model
    def _prm_prepare_state(self, index, row, lookup, error):
        raw = row.pop("country_state", None) or row.get("state_id")
        if raw:
            row["state_id"] = self._prm_resolved(
                index,
                row,
                error,
                "state_id",
                raw,
                lookup.state(raw, row.get("country_id")),
                lambda **values: self.env._(
                    "%(field)s: unknown state “%(value)s” for this country.", **values
                ),
            )
        served = _pop_served(row, "served_states", "country_state_ids")
        if served:
            country_ids = [
                cid
                for command in row.get("country_ids") or []
                if command[0] == fields.Command.SET
                for cid in command[2]
            ]
            ids = [
                self._prm_resolved(
                    index,
                    row,
                    error,
                    "country_state_ids",
                    value,
                    lookup.state(value, None, country_ids),
                    lambda **values: self.env._(
                        "%(field)s: unknown state “%(value)s”.", **values
                    ),
                )
                for value in served
            ]
            row["country_state_ids"] = [fields.Command.set([i for i in ids if i])]

    @api.model
    def _prm_prepare_other(self, index, row, lookup, error):
        email = row.get("email")
        if email and not is_valid_email(email):
            error(
                index,
                row,
                self.env._(
                    "%(field)s: “%(value)s” is not a valid email address.",
                    field=self._prm_label("email"),
                    value=email,
                ),
            )
        vat = row.get("vat")
        if vat:
            country_code = lookup.country_code(row.get("country_id"))
            if is_valid_vat(vat, country_code) is False:
                if country_code:
                    message = self.env._(
                        "%(field)s: “%(value)s” is not a valid VAT number for "
                        "%(country)s.",
                        field=self._prm_label("vat"),
                        value=vat,
                        country=country_code,
                    )
                else:
                    message = self.env._(
                        "%(field)s: “%(value)s” is not a valid VAT number.",
                        field=self._prm_label("vat"),
                        value=vat,
                    )
                error(index, row, message)
        for fname, cast in (("declared_revenue", float), ("headcount", int)):
            value = row.get(fname)
            if value in (None, False, ""):
                continue
            try:
                number = (
                    cast(str(value).replace(" ", ""))
                    if isinstance(value, str)
                    else cast(value)
                )
            except (TypeError, ValueError):
                error(
                    index,
                    row,
                    self.env._(
                        "%(field)s: “%(value)s” is not a number.",
                        field=self._prm_label(fname),
                        value=value,
                    ),
                )
                continue
            if number < 0:
                error(
                    index,
                    row,
                    self.env._(
                        "%(field)s cannot be negative (%(value)s).",
                        field=self._prm_label(fname),
                        value=value,
                    ),
                )
            row[fname] = number
        raw_type = row.pop("partner_type", None) or row.get("partner_type_id")
        if raw_type:
            partner_type = lookup.partner_type(raw_type)
            if not partner_type:
                error(
                    index,
                    row,
                    self.env._(
                        "%(field)s: unknown partner type “%(value)s”.",
                        field=self._prm_label("partner_type_id"),
                        value=raw_type,
                    ),
                )
            row["partner_type_id"] = partner_type
        if row.get("lang") and row["lang"] not in lookup.langs:
            row.pop("lang")  # a language we cannot write in: the default applies
        website = row.get("website")
        if website and not re.match(r"^[a-z][a-z0-9+.-]*://", website, re.I):
            row["website"] = f"https://{website}"
        source = row.get("source")
        if source and source not in dict(self._fields["source"].selection):
            error(
                index,
                row,
                self.env._(
                    "%(field)s: unknown source “%(value)s”.",
                    field=self._prm_label("source"),
                    value=source,
                ),
            )

    @api.model
    def _prm_prepare_utm(self, rows):
        """UTM names to records, one find-or-create per distinct name."""
        Mixin = self.env["utm.mixin"]
        for key, fname in (
            ("utm_campaign", "campaign_id"),
            ("utm_source", "source_id"),
            ("utm_medium", "medium_id"),
        ):
            names = {row.get(key) for row in rows} - {None, False, ""}
            comodel = self._fields[fname].comodel_name
            records = {
                name: Mixin.sudo()._find_or_create_record(comodel, name).id
                for name in names
            }
            for row in rows:
                name = row.pop(key, None)
                if name and not row.get(fname):
                    row[fname] = records[name]

    # --- Email alias ---

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """An email to the applications alias becomes an application: contact
        from the From header, company from the signature or the sender's
        domain (best effort), through the same intake as the web form.

        Returns the application the email belongs to: when the email is a
        certain duplicate of an open application, the one it was merged into,
        so the gateway posts the email there.
        """
        vals = self._prm_vals_from_email(msg_dict)
        vals.update(custom_values or {})
        application = self._prm_intake([vals], source="email")
        return application.merged_into_id or application

    @api.model
    def _prm_vals_from_email(self, msg_dict):
        sender = msg_dict.get("email_from") or msg_dict.get("from") or ""
        contact_name, email = parse_contact_from_email(sender)
        if not is_valid_email(email):
            contact_name, email = contact_name or email, ""
        body = html2plaintext(msg_dict.get("body") or "")
        signature = email_parsing.signature_lines(body)
        free_mail = self._prm_free_mail_domains()
        domain = email_domain(email)
        company = email_parsing.company_from_signature(signature) or (
            email_parsing.company_from_domain(domain)
            if domain and domain not in free_mail
            else False
        )
        subject = msg_dict.get("subject") or ""
        vals = {
            "name": company or contact_name or email,
            "contact_name": contact_name or False,
            "email": email or False,
            "description": "\n\n".join(v for v in (subject, body) if v) or False,
        }
        phone = email_parsing.first_match(email_parsing.PHONE, signature)
        if phone:
            vals["phone"] = phone.strip(" .:")
        url = email_parsing.first_match(email_parsing.URL, signature)
        if url:
            vals["website"] = url.rstrip(".,;)")
        elif domain and domain not in free_mail:
            vals["website"] = domain
        vat = email_parsing.first_match(email_parsing.VAT_LINE, signature, group=1)
        # An unreadable VAT in a signature must not bounce the email.
        if vat and is_valid_vat(vat.strip()) is not False:
            vals["vat"] = vat.strip()
        if msg_dict.get("author_id"):
            author = self.env["res.partner"].browse(msg_dict["author_id"])
            if author.lang:
                vals["lang"] = author.lang
        return vals

    # --- Pipeline ---

    def _prm_intake_process(self):
        """Deduplicate, check, assign and ask for a review of new applications.

        Called on creation (as superuser, see ``create``). Certain duplicates of
        an open application are merged into it; the others go on with checks,
        assignment and a *Review application* activity.
        """
        new = self.filtered(lambda a: a.state == "new").with_context(
            tracking_disable=True
        )
        if not new:
            return
        merged, targets = new._prm_deduplicate(merge=True)
        kept = new - merged
        (kept | targets)._prm_run_checks()
        kept.filtered(lambda a: not a.user_id)._prm_assign()
        # One application (web form, email) gets the usual assignment
        # notification and an intake note; imports skip both, their fields say
        # it all and thousands of notes or emails help nobody.
        single = len(new) == 1
        kept._prm_schedule_review(notify=single)
        if single:
            new._prm_log_intake()

    def _prm_stored_keys(self):
        self.ensure_one()
        return {key_field: self[key_field] for key_field, _reason in MATCH_KEYS}

    def _prm_deduplicate(self, merge=True):
        """Match against partners and open applications (this batch included).

        Certain matches (``is_certain_match``): with an older open application,
        the application is merged into it when ``merge`` is set; with a partner,
        the application is linked to it. Everything else found is a probable
        duplicate, listed with its reasons for the reviewer.

        :return: (merged applications, applications they were merged into)
        """
        Partner = self.env["res.partner"]
        Duplicate = self.env["prm.application.duplicate"]
        apps = self.sorted("id")
        companies = apps.company_id
        keys_list = [app._prm_stored_keys() for app in apps]
        partner_hits = Partner._prm_find_matches(
            keys_list, [("company_id", "in", [False, *companies.ids])]
        )
        app_hits = self._prm_find_matches(
            keys_list,
            [
                ("state", "in", OPEN_APPLICATION_STATES),
                ("company_id", "in", companies.ids),
            ],
        )
        # Prefetch what the loop reads, in one query per model.
        matched_partners = Partner.browse(
            {pid for hits in partner_hits for pid in hits}
        )
        matched_partners.fetch(["commercial_partner_id", "company_id"])
        matched_partners.commercial_partner_id.fetch(
            ["prm_vat_key", "prm_is_partner", "prm_state", "name"]
        )
        matched_apps = self.browse({aid for hits in app_hits for aid in hits})
        matched_apps.fetch(["prm_vat_key", "company_id", "state", "name"])
        # Plain dicts: rows sharing a key compare pairwise, keep that cheap.
        company_of = {a.id: a.company_id.id for a in matched_apps | apps}
        vat_of = {a.id: a.prm_vat_key for a in matched_apps | apps}

        def same_company(app, other_id):
            return company_of[other_id] == company_of[app.id]

        def certain(app, other_id, reasons):
            return is_certain_match(reasons, vat_of[app.id], vat_of[other_id])

        # Pass 1, oldest first: which application each certain duplicate is
        # merged into (the oldest open one of its group).
        merged_into = {}
        if merge:
            for app, ahits in zip(apps, app_hits, strict=True):
                targets = {
                    self._prm_root(other_id, merged_into)
                    for other_id, reasons in ahits.items()
                    if other_id < app.id
                    and same_company(app, other_id)
                    and certain(app, other_id, reasons)
                }
                if targets:
                    merged_into[app.id] = min(targets)

        # Pass 2: candidate lines and readable reasons.
        plans = {}
        line_vals = []
        for app, phits, ahits in zip(apps, partner_hits, app_hits, strict=True):
            plan = plans[app] = {"notes": [], "to_review": False, "certain": False}
            target_id = merged_into.get(app.id)
            candidates = defaultdict(lambda: [set(), False])
            for other_id, reasons in ahits.items():
                if other_id == app.id or not same_company(app, other_id):
                    continue
                root_id = self._prm_root(other_id, merged_into)
                if root_id in (app.id, target_id):
                    continue  # same group: merged together
                candidate = candidates[root_id]
                candidate[0] |= reasons
                candidate[1] |= certain(app, other_id, reasons)
            if target_id:
                target = self.browse(target_id)
                reasons = set().union(
                    *(
                        r
                        for o, r in ahits.items()
                        if o != app.id and self._prm_root(o, merged_into) == target_id
                    )
                )
                line_vals.append(app._prm_duplicate_line(reasons, True, target))
                plan["merged_into"] = target
                plan["certain"] = True
                plan["notes"].append(
                    app._prm_duplicate_note(target, reasons, True, merged=True)
                )
            ranked = sorted(
                candidates.items(), key=lambda c: (not c[1][1], -len(c[1][0]), c[0])
            )
            for other_id, (reasons, is_certain) in ranked[:MAX_CANDIDATES]:
                other = self.browse(other_id)
                plan["to_review"] = True
                line_vals.append(app._prm_duplicate_line(reasons, is_certain, other))
                plan["notes"].append(
                    app._prm_duplicate_note(other, reasons, is_certain)
                )
            if len(ranked) > MAX_CANDIDATES:
                plan["notes"].append(
                    self.env._(
                        "%(count)s more applications share a key with this one.",
                        count=len(ranked) - MAX_CANDIDATES,
                    )
                )
            partner_plan = app._prm_partner_matches(phits)
            linked = app.partner_id
            if not linked and partner_plan and partner_plan[0][2]:
                linked = partner_plan[0][0]  # best certain match, see sort
                plan["partner"] = linked
            for partner, reasons, is_certain in partner_plan[:MAX_CANDIDATES]:
                line_vals.append(
                    app._prm_duplicate_line(reasons, is_certain, partner=partner)
                )
                if partner == linked and is_certain:
                    plan["certain"] = True
                    plan["notes"].insert(
                        0, app._prm_duplicate_note(partner, reasons, True, linked=True)
                    )
                else:
                    plan["to_review"] = True
                    plan["notes"].append(
                        app._prm_duplicate_note(partner, reasons, is_certain)
                    )

        if not merge:
            self.duplicate_ids.unlink()
        Duplicate.create(line_vals)
        now = fields.Datetime.now()
        to_write = defaultdict(list)
        for app, plan in plans.items():
            if plan["to_review"]:
                status = "probable"
            else:
                status = "certain" if plan["certain"] else "none"
            vals = {
                "duplicate_note": "\n".join(plan["notes"]) or False,
                "duplicate_status": status,
            }
            if plan.get("partner"):
                vals["partner_id"] = plan["partner"].id
            if plan.get("merged_into"):
                vals.update(
                    state="merged",
                    merged_into_id=plan["merged_into"].id,
                    date_decided=now,
                    duplicate_status="certain",
                )
            to_write[tuple(sorted(vals.items()))].append(app.id)
        # Most rows have nothing to report: one write for all of them.
        for vals, ids in to_write.items():
            self.browse(ids).write(dict(vals))
        merged = self.browse(merged_into)
        targets = self.browse(set(merged_into.values()))
        if merged:
            merged._prm_merge_into_targets()
        return merged, targets

    @staticmethod
    def _prm_root(app_id, merged_into):
        while app_id in merged_into:
            app_id = merged_into[app_id]
        return app_id

    def _prm_partner_matches(self, hits):
        """``[(commercial partner, reasons, certain)]`` for one application,
        best link candidate first: program partners, then the oldest."""
        self.ensure_one()
        by_commercial = defaultdict(set)
        for partner_id, reasons in hits.items():
            partner = self.env["res.partner"].browse(partner_id)
            by_commercial[partner.commercial_partner_id] |= reasons
        result = [
            (
                partner,
                reasons,
                is_certain_match(reasons, self.prm_vat_key, partner.prm_vat_key),
            )
            for partner, reasons in by_commercial.items()
        ]
        result.sort(key=lambda r: (not r[2], not r[0].prm_is_partner, r[0].id))
        return result

    def _prm_duplicate_line(self, reasons, certain, candidate=None, partner=None):
        """Values of one ``prm.application.duplicate`` line."""
        return {
            "application_id": self.id,
            "candidate_id": candidate.id if candidate else False,
            "partner_id": partner.id if partner else False,
            "certainty": "certain" if certain else "probable",
            "reason_codes": ",".join(r for _k, r in MATCH_KEYS if r in reasons),
        }

    def _prm_duplicate_note(self, other, reasons, certain, merged=False, linked=False):
        """One readable line of the duplicate reasons of an application."""
        labels = self.env["prm.application.duplicate"]._prm_reason_labels()
        why = ", ".join(labels[r] for _k, r in MATCH_KEYS if r in reasons)
        if other._name == "res.partner":
            what = self.env._("partner %(name)s", name=other.name)
            if other.prm_is_partner and other.prm_state:
                states = dict(
                    other._fields["prm_state"]._description_selection(self.env)
                )
                what = self.env._(
                    "%(what)s (program status: %(state)s)",
                    what=what,
                    state=states[other.prm_state],
                )
        else:
            what = self.env._(
                "application %(name)s (#%(id)s)", name=other.name, id=other.id
            )
        if merged:
            return self.env._(
                "Same company as %(what)s (%(why)s): merged into it.",
                what=what,
                why=why,
            )
        if linked:
            return self.env._(
                "Same company as %(what)s (%(why)s): linked to it.", what=what, why=why
            )
        if certain:
            return self.env._(
                "Same company as %(what)s (%(why)s): to be checked.", what=what, why=why
            )
        return self.env._(
            "Probable duplicate of %(what)s: %(why)s.", what=what, why=why
        )

    def _prm_merge_into_targets(self):
        """Fold merged applications into the applications they duplicate: the
        kept one gets the missing values, the served territories, the
        attachments and a note with the merged application's content. Nothing
        is deleted: the merged application stays, in state *Merged*."""
        # Ids in lists, not recordsets grown one by one (quadratic on imports).
        by_target = defaultdict(list)
        for app in self:
            by_target[app.merged_into_id].append(app.id)
        territory_groups = defaultdict(list)
        bodies = {}
        for target, merged_ids in by_target.items():
            merged = self.browse(merged_ids)
            vals = {}
            for fname in MERGE_FILL_FIELDS:
                if not target[fname]:
                    value = next((m[fname] for m in merged if m[fname]), False)
                    if value:
                        vals[fname] = (
                            value.id if isinstance(value, models.BaseModel) else value
                        )
            if vals:
                target.write(vals)
            countries = target.country_ids | merged.country_ids
            states = target.country_state_ids | merged.country_state_ids
            if countries != target.country_ids or states != target.country_state_ids:
                territory_groups[(countries, states)].append(target.id)
            bodies[target.id] = Markup("<br/>").join(
                m._prm_merge_summary() for m in merged
            )
        # One write per distinct territory, not per application.
        for (countries, states), target_ids in territory_groups.items():
            self.browse(target_ids).write(
                {
                    "country_ids": [fields.Command.set(countries.ids)],
                    "country_state_ids": [fields.Command.set(states.ids)],
                }
            )
        self.browse(bodies)._message_log_batch(bodies=bodies)
        self._prm_copy_attachments_to_targets()

    def _prm_merge_summary(self):
        self.ensure_one()
        sources = dict(self._fields["source"]._description_selection(self.env))
        parts = [
            self.env._(
                "Merged application %(link)s received via %(channel)s",
                link=self._get_html_link(),
                channel=sources[self.source],
            ),
            escape(
                " · ".join(v for v in (self.contact_name, self.email, self.phone) if v)
            ),
        ]
        if self.description:
            parts.append(escape(self.description))
        return Markup("<p>%s</p>") % Markup("<br/>").join(p for p in parts if p)

    def _prm_copy_attachments_to_targets(self):
        Attachment = self.env["ir.attachment"]
        attachments = Attachment.search(
            [("res_model", "=", self._name), ("res_id", "in", self.ids)]
        )
        if not attachments:
            return
        target_of = {app.id: app.merged_into_id.id for app in self}
        vals_list = attachments.copy_data()
        for attachment, vals in zip(attachments, vals_list, strict=True):
            vals["res_id"] = target_of[attachment.res_id]
        Attachment.create(vals_list)

    # --- Checks ---

    def _prm_run_checks(self):
        """Evaluate the active criteria of each application's company and store
        the results, the score and the proposal. Derived data written as
        superuser: reviewers read check results, they never write them."""
        apps = self.sudo().with_context(tracking_disable=True)
        if not apps:
            return
        Criterion = self.env["prm.application.criterion"].sudo()
        criteria = Criterion.search(
            [("company_id", "in", [False, *apps.company_id.ids])]
        )
        if apps.check_ids:
            apps.check_ids.unlink()
        by_company = {
            company: criteria.filtered(
                lambda c, co=company: c.company_id in (co, c.browse())
            )
            for company in apps.company_id
        }
        line_vals = []
        results = defaultdict(list)
        for app in apps:
            company_criteria = by_company[app.company_id]
            score = proposal = False
            if company_criteria:
                total = passed_weight = 0
                mandatory_failed = False
                for criterion in company_criteria:
                    passed, detail = criterion._prm_evaluate(app)
                    total += criterion.weight
                    passed_weight += criterion.weight if passed else 0
                    mandatory_failed |= criterion.mandatory and not passed
                    line_vals.append(
                        {
                            "application_id": app.id,
                            "criterion_id": criterion.id,
                            "sequence": criterion.sequence,
                            "mandatory": criterion.mandatory,
                            "weight": criterion.weight,
                            "passed": passed,
                            "detail": detail,
                        }
                    )
                score = round(100 * passed_weight / total) if total else 100
                proposal = app._prm_proposal(score, mandatory_failed)
            results[(score, proposal)].append(app.id)
        self.env["prm.application.check"].sudo().create(line_vals)
        for (score, proposal), ids in results.items():
            apps.browse(ids).write({"score": score or 0, "proposal": proposal})

    def _prm_proposal(self, score, mandatory_failed):
        self.ensure_one()
        company = self.company_id
        if mandatory_failed or score < company.prm_application_reject_score:
            return "reject"
        if score >= company.prm_application_pass_score:
            # A probable duplicate needs a human look whatever its score.
            return "review" if self.duplicate_status == "probable" else "pass"
        return "review"

    # --- Assignment ---

    def _prm_assign(self):
        """Give each application a channel manager by territory (see
        ``prm.territory.assignment._prm_pick_managers``)."""
        picks = self.env["prm.territory.assignment"].sudo()._prm_pick_managers(self)
        by_user = defaultdict(list)
        for app in self:
            if app.id in picks:
                by_user[picks[app.id]].append(app.id)
        for user, ids in by_user.items():
            self.browse(ids).write({"user_id": user.id})

    def _prm_schedule_review(self, notify=True):
        """A *Review application* activity for each assignee, one batch per
        assignee. Imports skip the per-activity notification email (``notify``
        False): assignees find the activities in their to-do list."""
        activity_type = self.env.ref(REVIEW_ACTIVITY)
        deadline = activity_type._get_date_deadline()
        apps = self.with_context(mail_activity_quick_update=not notify)
        by_user = defaultdict(list)
        for app in apps.filtered("user_id"):
            by_user[app.user_id].append(app.id)
        for user, ids in by_user.items():
            apps.browse(ids).activity_schedule(
                REVIEW_ACTIVITY, date_deadline=deadline, user_id=user.id
            )

    def _prm_log_intake(self):
        """One chatter note per application saying what the intake did."""
        sources = dict(self._fields["source"]._description_selection(self.env))
        proposals = dict(self._fields["proposal"]._description_selection(self.env))
        bodies = {}
        for app in self:
            lines = [
                self.env._("Received via %(channel)s.", channel=sources[app.source])
            ]
            if app.state == "merged":
                lines.append(
                    self.env._(
                        "Merged into %(application)s.",
                        application=app.merged_into_id._get_html_link(),
                    )
                )
            else:
                if app.proposal:
                    lines.append(
                        self.env._(
                            "Score %(score)s/100, proposal: %(proposal)s.",
                            score=app.score,
                            proposal=proposals[app.proposal],
                        )
                    )
                if app.user_id:
                    lines.append(
                        self.env._("Assigned to %(user)s.", user=app.user_id.name)
                    )
            if app.duplicate_note:
                lines.extend(app.duplicate_note.split("\n"))
            bodies[app.id] = Markup("<p>%s</p>") % Markup("<br/>").join(
                escape(line) if not isinstance(line, Markup) else line for line in lines
            )
        self._message_log_batch(bodies=bodies)


def _as_list(value):
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return list(value or [])


def _is_commands(value):
    return bool(value) and all(isinstance(v, (list, tuple)) for v in value)


def _pop_served(row, alias, fname):
    """The served territory values of a row, given as ``alias`` or as
    ``fname`` (unless ``fname`` already holds ORM commands), as a list."""
    served = row.pop(alias, None)
    if served is None and not _is_commands(row.get(fname)):
        served = row.pop(fname, None)
    return _as_list(served) if served else []
