from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.upload import check_upload
from ..tools.validation import check_state
from .prm_checklist_template import CHECKLIST_KINDS

ITEM_STATES = [
    ("open", "To do"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
]

# Fields that make up the evidence a reviewer approved.
EVIDENCE_FIELDS = {"attachment_ids", "confirmed", "confirmation_note", "name", "kind"}


class PrmChecklistItem(models.Model):
    """One document or vetting criterion of a partner's onboarding checklist.

    Channel managers collect the evidence and submit the item; program
    administrators approve or reject it. Required items must be approved
    before the partner can be activated.
    """

    _name = "prm.checklist.item"
    _description = "Onboarding Checklist Item"
    _inherit = ["mail.thread", "prm.approval.mixin", "prm.program.company.mixin"]
    _order = "partner_id, sequence, id"

    _prm_initial_state = "open"
    # Channel managers submit; reviewing (approve, reject, reopen) is for
    # program administrators.
    _prm_manager_moves = {"submitted": ("open", "rejected")}
    _prm_approval_fields = frozenset(
        {"reviewer_id", "review_date", "rejection_reason", "required"}
    )
    _prm_recorded_fields = frozenset(
        {"submitted_by_id", "submit_date", "reviewer_id", "review_date"}
        | {"rejection_reason"}
    )

    partner_id = fields.Many2one(
        "res.partner",
        required=True,
        ondelete="cascade",
        index=True,
        domain=[("prm_is_partner", "=", True)],
    )
    manager_id = fields.Many2one(
        related="partner_id.prm_manager_id", store=True, string="Channel manager"
    )
    partner_state = fields.Selection(
        related="partner_id.prm_state", string="Program status"
    )
    template_line_id = fields.Many2one(
        "prm.checklist.template.line",
        string="Template line",
        ondelete="set null",
        index=True,
        readonly=True,
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, tracking=True)
    kind = fields.Selection(CHECKLIST_KINDS, required=True, default="document")
    required = fields.Boolean(default=True, tracking=True)
    instructions = fields.Html()
    state = fields.Selection(
        ITEM_STATES,
        default="open",
        required=True,
        tracking=True,
        index=True,
        copy=False,
    )
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "prm_checklist_item_attachment_rel",
        "item_id",
        "attachment_id",
        string="Documents",
        copy=False,
    )
    confirmed = fields.Boolean(
        tracking=True,
        copy=False,
        help="The criterion was checked and holds for this partner.",
    )
    confirmation_note = fields.Text(
        copy=False, help="How the criterion was checked (source, reference...)."
    )
    submitted_by_id = fields.Many2one(
        "res.users", string="Submitted by", readonly=True, copy=False
    )
    submit_date = fields.Datetime(string="Submitted on", readonly=True, copy=False)
    reviewer_id = fields.Many2one("res.users", readonly=True, copy=False, tracking=True)
    review_date = fields.Datetime(string="Reviewed on", readonly=True, copy=False)
    rejection_reason = fields.Text(readonly=True, copy=False, tracking=True)

    # Each template line becomes at most one item per partner, whatever the
    # number of times onboarding is (re)started.
    _template_line_uniq = models.UniqueIndex(
        "(partner_id, template_line_id) WHERE template_line_id IS NOT NULL",
        "This checklist line is already on the partner.",
    )

    # --- CRUD ---

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._prm_check_approval_rights(vals, create=True)
        return super().create(vals_list)

    def write(self, vals):
        self._prm_check_approval_rights(vals)
        self._prm_check_partner_kept(vals)
        if vals.get("state") == "approved":
            self._prm_check_four_eyes()
        if not self._prm_is_approver() and EVIDENCE_FIELDS & vals.keys():
            approved = self.filtered(lambda i: i.state == "approved")
            if approved:
                raise UserError(
                    self.env._(
                        "Approved items cannot be changed; ask a program administrator "
                        "to reopen them: %(items)s.",
                        items=", ".join(approved.mapped("display_name")),
                    )
                )
        return super().write(vals)

    def _prm_check_partner_kept(self, vals):
        """An item stays on the partner it was made for: moved to another
        partner, a required item would leave a gap in the first one's
        onboarding checklist."""
        if (
            "partner_id" in vals
            and not self.env.su
            and not self._prm_is_noop("partner_id", vals["partner_id"])
        ):
            raise AccessError(
                self.env._(
                    "An onboarding item cannot be moved to another partner: "
                    "create a new item there instead."
                )
            )

    # --- Compute ---

    @api.depends("partner_id", "name")
    def _compute_display_name(self):
        for item in self:
            item.display_name = (
                f"{item.partner_id.name} – {item.name}"
                if item.partner_id
                else item.name
            )

    # --- Business ---

    def _prm_approval_error(self):
        return self.env._(
            "Only Partner Program administrators can review onboarding items."
        )

    def _prm_missing_evidence(self):
        """Items that lack what their kind needs: a document or a confirmation."""
        return self.filtered(
            lambda i: (
                (i.kind == "document" and not i.attachment_ids)
                or (i.kind == "criterion" and not i.confirmed)
            )
        )

    def _prm_check_evidence(self):
        missing = self._prm_missing_evidence()
        if not missing:
            return
        documents = missing.filtered(lambda i: i.kind == "document")
        criteria = missing - documents
        parts = []
        if documents:
            parts.append(
                self.env._(
                    "attach the document to %(items)s",
                    items=", ".join(documents.mapped("display_name")),
                )
            )
        if criteria:
            parts.append(
                self.env._(
                    "confirm %(items)s",
                    items=", ".join(criteria.mapped("display_name")),
                )
            )
        raise UserError(
            self.env._("Evidence is missing: %(what)s.", what="; ".join(parts))
        )

    def _prm_check_four_eyes(self):
        """Refuse that a user approves the items they submitted, unless their
        company allows self-approval."""
        if self.env.su:
            return
        own = self.filtered(
            lambda i: (
                i.submitted_by_id == self.env.user
                and not (i.company_id or self.env.company).prm_checklist_self_approval
            )
        )
        if own:
            raise UserError(
                self.env._(
                    "You submitted these checklist items: another program "
                    "administrator must approve them (four eyes): %(items)s.",
                    items=", ".join(own.mapped("display_name")),
                )
            )

    def _prm_reject(self, reason):
        """Reject the items, saying why (called by the rejection wizard)."""
        if not (reason or "").strip():
            raise UserError(self.env._("Say why the item is rejected."))
        self._prm_check_approval_rights({"state": "rejected"})
        check_state(self, ("submitted", "approved"))
        self._prm_write_as_action(
            {
                "state": "rejected",
                "rejection_reason": reason.strip(),
                "reviewer_id": self.env.uid,
                "review_date": fields.Datetime.now(),
            }
        )
        return True

    # --- Actions ---

    def action_submit(self):
        """Channel manager: hand the collected evidence over for review."""
        check_state(self, ("open", "rejected"))
        self._prm_check_evidence()
        self._prm_write_as_action(
            {
                "state": "submitted",
                "submitted_by_id": self.env.uid,
                "submit_date": fields.Datetime.now(),
            }
        )
        return True

    def action_approve(self):
        """Program administrator: accept the evidence."""
        self._prm_check_approval_rights({"state": "approved"})
        check_state(self, ("open", "submitted", "rejected"))
        self._prm_check_four_eyes()
        self._prm_check_evidence()
        self._prm_write_as_action(
            {
                "state": "approved",
                "reviewer_id": self.env.uid,
                "review_date": fields.Datetime.now(),
                "rejection_reason": False,
            }
        )
        return True

    def action_reopen(self):
        """Program administrator: send a reviewed item back to the channel manager."""
        self._prm_check_approval_rights({"state": "open", "reviewer_id": False})
        check_state(self, ("approved", "rejected"))
        self._prm_write_as_action(
            {"state": "open", "reviewer_id": False, "review_date": False}
        )
        return True

    # --- Portal ---

    def _prm_portal_check_owner(self):
        """The current portal user may act on these items: readable through the
        record rules and of the user's own commercial partner, on a page its
        roles open. Raises AccessError otherwise."""
        self.check_access("read")
        contact = self.env.user.partner_id
        partner = contact.commercial_partner_id
        if not contact._prm_portal_allows("onboarding") or any(
            item.partner_id != partner for item in self.sudo()
        ):
            raise AccessError(
                self.env._("These onboarding items belong to another partner.")
            )

    def _prm_portal_upload(self, files):
        """Attach the partner's documents to the item and hand it over for
        review, from the portal.

        :param files: list of ``(filename, content bytes)``, each checked on
            its content (size, real type; SVG refused) before anything is saved
        :return: the attachments created
        """
        self.ensure_one()
        self._prm_portal_check_owner()
        if self.kind != "document":
            raise UserError(self.env._("%(item)s needs no document.", item=self.name))
        check_state(self, ("open", "rejected"))
        if not files:
            raise UserError(self.env._("Choose the file to upload."))
        checked = [
            (name, content, check_upload(self.env, name, content))
            for name, content in files
        ]
        # sudo: portal users cannot create attachments on program rows; the
        # item passed the owner check above.
        item_sudo = self.sudo()
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": name,
                        "raw": content,
                        "mimetype": mimetype,
                        "res_model": self._name,
                        "res_id": self.id,
                    }
                    for name, content, mimetype in checked
                ]
            )
        )
        item_sudo.write(
            {
                "attachment_ids": [Command.link(a.id) for a in attachments],
                "state": "submitted",
                "submitted_by_id": self.env.uid,
                "submit_date": fields.Datetime.now(),
            }
        )
        item_sudo.message_post(
            body=self.env._("Document uploaded by the partner from the portal."),
            author_id=self.env.user.partner_id.id,
            attachment_ids=attachments.ids,
            subtype_xmlid="mail.mt_note",
        )
        return attachments.with_env(self.env)
