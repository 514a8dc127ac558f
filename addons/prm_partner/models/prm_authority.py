from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from ..tools.validation import check_before_insert, check_date_order, check_state

AUTHORITY_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("expired", "Expired"),
]

# What the approval covered: frozen once approved.
APPROVED_FIELDS = {
    "partner_id",
    "contact_id",
    "kind",
    "scope",
    "attachment_ids",
    "date_from",
    "date_to",
}


class PrmAuthority(models.Model):
    """A document empowering a representative to act for its partner
    company (power of attorney, signing authority...), valid for a period."""

    _name = "prm.authority"
    _description = "Representative Authority Document"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "prm.approval.mixin",
        "prm.program.company.mixin",
    ]
    _order = "date_to desc, id desc"

    # Channel managers submit and take rejected documents back to draft.
    _prm_manager_moves = {"submitted": ("draft", "rejected"), "draft": ("rejected",)}
    _prm_approval_fields = frozenset(
        {"approver_id", "approval_date", "rejection_reason", "expiry_warned"}
    )
    _prm_recorded_fields = frozenset(
        {"approver_id", "approval_date", "rejection_reason"}
    )

    # Days before the end of validity the channel manager is warned.
    _prm_warning_days = 30

    name = fields.Char(string="Title", required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        ondelete="cascade",
        tracking=True,
        domain=[("is_company", "=", True)],
    )
    contact_id = fields.Many2one(
        "res.partner",
        string="Representative",
        index=True,
        tracking=True,
        domain="[('parent_id', '=', partner_id)]",
        help="The contact the document empowers.",
    )
    manager_id = fields.Many2one(
        related="partner_id.prm_manager_id", store=True, string="Channel manager"
    )
    kind = fields.Selection(
        [
            ("power_of_attorney", "Power of attorney"),
            ("signing_authority", "Signing authority"),
            ("board_resolution", "Board resolution"),
            ("registry_extract", "Company registry extract"),
            ("other", "Other"),
        ],
        required=True,
        default="power_of_attorney",
        tracking=True,
    )
    scope = fields.Text(help="What the representative may do under this document.")
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "prm_authority_attachment_rel",
        "authority_id",
        "attachment_id",
        string="Documents",
        copy=False,
    )
    date_from = fields.Date(
        string="Valid from",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
    )
    date_to = fields.Date(
        string="Valid to", tracking=True, help="Leave empty for no end of validity."
    )
    state = fields.Selection(
        AUTHORITY_STATES,
        default="draft",
        required=True,
        tracking=True,
        index=True,
        copy=False,
    )
    approver_id = fields.Many2one("res.users", readonly=True, copy=False)
    approval_date = fields.Datetime(readonly=True, copy=False)
    rejection_reason = fields.Text(readonly=True, copy=False, tracking=True)
    expiry_warned = fields.Boolean(
        readonly=True,
        copy=False,
        help="The channel manager was warned of the coming end of validity.",
    )

    _date_order = models.Constraint(
        "CHECK(date_to IS NULL OR date_to >= date_from)",
        "An authority document cannot end before it starts.",
    )

    # --- Compute ---

    # --- Constraints ---

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        check_date_order(self, "date_from", "date_to")

    @api.constrains("partner_id", "contact_id")
    def _check_contact(self):
        for authority in self:
            contact = authority.contact_id
            if contact and contact.commercial_partner_id != authority.partner_id:
                raise ValidationError(
                    self.env._(
                        "%(contact)s is not a contact of %(partner)s.",
                        contact=contact.display_name,
                        partner=authority.partner_id.display_name,
                    )
                )

    # --- CRUD ---

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._prm_check_approval_rights(vals, create=True)
            check_before_insert(
                self, vals, ("name", "date_from", "date_to"), "_check_dates"
            )
        return super().create(vals_list)

    def write(self, vals):
        self._prm_check_approval_rights(vals)
        if not self._prm_is_approver() and APPROVED_FIELDS & vals.keys():
            frozen = self.filtered(lambda a: a.state in ("approved", "expired"))
            if frozen:
                raise UserError(
                    self.env._(
                        "Approved authority documents cannot be changed; submit a "
                        "new one instead: %(docs)s.",
                        docs=", ".join(frozen.mapped("display_name")),
                    )
                )
        if "date_to" in vals and "expiry_warned" not in vals:
            vals = {**vals, "expiry_warned": False}
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        if self._prm_is_approver():
            return
        approved = self.filtered(lambda a: a.state in ("approved", "expired"))
        if approved:
            raise UserError(
                self.env._(
                    "Approved authority documents are kept as evidence: %(docs)s.",
                    docs=", ".join(approved.mapped("display_name")),
                )
            )

    # --- Business ---

    def _prm_approval_error(self):
        return self.env._(
            "Only Partner Program administrators can approve authority documents."
        )

    def _prm_check_document(self):
        missing = self.filtered(lambda a: not a.attachment_ids)
        if missing:
            raise UserError(
                self.env._(
                    "Attach the signed document first: %(docs)s.",
                    docs=", ".join(missing.mapped("display_name")),
                )
            )

    def _prm_reject(self, reason):
        """Reject the documents, saying why (called by the rejection wizard)."""
        if not (reason or "").strip():
            raise UserError(self.env._("Say why the document is rejected."))
        self._prm_check_approval_rights({"state": "rejected"})
        check_state(self, ("submitted",))
        self._prm_write_as_action(
            {
                "state": "rejected",
                "rejection_reason": reason.strip(),
                "approver_id": self.env.uid,
                "approval_date": fields.Datetime.now(),
            }
        )
        return True

    def _prm_activity_user(self):
        """Who is warned: the channel manager, else whoever approved it."""
        self.ensure_one()
        return self.partner_id.prm_manager_id or self.approver_id or self.create_uid

    # --- Actions ---

    def action_submit(self):
        check_state(self, ("draft", "rejected"))
        self._prm_check_document()
        self._prm_write_as_action({"state": "submitted"})
        return True

    def action_approve(self):
        self._prm_check_approval_rights({"state": "approved"})
        check_state(self, ("submitted",))
        self._prm_check_document()
        today = fields.Date.context_today(self)
        outdated = self.filtered(lambda a: a.date_to and a.date_to < today)
        if outdated:
            raise UserError(
                self.env._(
                    "These documents are no longer valid: %(docs)s.",
                    docs=", ".join(outdated.mapped("display_name")),
                )
            )
        self._prm_write_as_action(
            {
                "state": "approved",
                "approver_id": self.env.uid,
                "approval_date": fields.Datetime.now(),
                "rejection_reason": False,
            }
        )
        return True

    def action_draft(self):
        check_state(self, ("rejected",))
        self._prm_write_as_action({"state": "draft"})
        return True

    # --- Cron ---

    @api.model
    def _cron_prm_authority_expiry(self):
        """Warn channel managers of approved documents ending within the
        warning period (once per document), expire those past their end."""
        today = fields.Date.context_today(self)
        to_warn = self.search(
            [
                ("state", "=", "approved"),
                ("expiry_warned", "=", False),
                ("date_to", ">=", today),
                ("date_to", "<=", today + relativedelta(days=self._prm_warning_days)),
            ]
        )
        to_warn._prm_warn_expiry()
        expired = self.search([("state", "=", "approved"), ("date_to", "<", today)])
        # sudo: the expiry is the system's, whoever runs the job.
        expired.sudo().write({"state": "expired"})
        return True

    def _prm_warn_expiry(self):
        self._prm_schedule_reminders("date_to")
        self.write({"expiry_warned": True})

    def _prm_reminder_texts(self):
        self.ensure_one()
        return {
            "summary": self.env._(
                "Authority of %(partner)s ends on %(date)s",
                partner=self.partner_id.display_name,
                date=format_date(self.env, self.date_to),
            ),
            "note": self.env._(
                "Ask %(partner)s for a renewed document before %(doc)s expires.",
                partner=self.partner_id.display_name,
                doc=self.display_name,
            ),
        }
