import secrets

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.prm_partner.models.prm_guarded_mixin import Guard

# A certificate turns "expiring" this many days before its expiry date.
REMINDER_DAYS = 30
LIVE_STATES = ("valid", "expiring")


class PrmCertificate(models.Model):
    """A person's certificate: earned by passing the certification exam, renewed
    by passing it (or the renewal exam) again, expired by the daily job, revoked
    by a program administrator. Every field here is decided by those actions."""

    _name = "prm.certificate"
    _description = "Partner Certificate"
    _inherit = ["mail.thread", "mail.activity.mixin", "prm.guarded.mixin"]
    _order = "expiry_date desc, id desc"
    _rec_name = "number"

    number = fields.Char(readonly=True, copy=False, index="trigram", default="/")
    certification_id = fields.Many2one(
        "prm.certification", required=True, ondelete="restrict", index=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Holder",
        required=True,
        ondelete="cascade",
        index=True,
        help="The representative holding the certificate.",
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        string="Partner",
        store=True,
        index=True,
    )
    company_id = fields.Many2one(
        "res.company",
        compute="_compute_company_id",
        store=True,
        precompute=True,
        index=True,
    )
    issue_date = fields.Date(readonly=True)
    renewal_date = fields.Date(string="Last renewed", readonly=True)
    expiry_date = fields.Date(readonly=True, index=True)
    state = fields.Selection(
        [
            ("valid", "Valid"),
            ("expiring", "Expiring"),
            ("expired", "Expired"),
            ("revoked", "Revoked"),
        ],
        default="valid",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    user_input_id = fields.Many2one(
        "survey.user_input",
        string="Exam attempt",
        readonly=True,
        ondelete="set null",
        help="The passed exam attempt that issued or last renewed it.",
    )
    revoke_reason = fields.Text(readonly=True, tracking=True)
    revoked_by_id = fields.Many2one("res.users", string="Revoked by", readonly=True)
    reminder_date = fields.Date(
        string="Reminder sent on",
        readonly=True,
        help="Date of the expiry reminder for the current validity period.",
    )
    verification_token = fields.Char(
        readonly=True,
        copy=False,
        groups="prm_partner.group_prm_user",
        default=lambda self: secrets.token_urlsafe(16),
    )
    verification_url = fields.Char(compute="_compute_verification_url")

    _holder_certification_uniq = models.Constraint(
        "UNIQUE(partner_id, certification_id)",
        "A person holds one certificate per certification; renew it instead.",
    )
    _number_uniq = models.Constraint(
        "UNIQUE(number)", "Another certificate already has this number."
    )

    # --- Guards ---

    def _prm_guarded_fields(self):
        issue = Guard(self.env._("Pass the certification exam"))
        return {
            **super()._prm_guarded_fields(),
            "number": Guard(issue.action, ("/",)),
            "certification_id": issue,
            "partner_id": issue,
            "issue_date": issue,
            "renewal_date": issue,
            "expiry_date": issue,
            "state": Guard(self.env._("Revoke"), ("valid",)),
            "user_input_id": issue,
            "revoke_reason": Guard(self.env._("Revoke")),
            "revoked_by_id": Guard(self.env._("Revoke")),
            "reminder_date": Guard(self.env._("Daily certificate job")),
            "verification_token": issue,
        }

    # --- Compute ---

    @api.depends("partner_id.commercial_partner_id.company_id")
    def _compute_company_id(self):
        for certificate in self:
            certificate.company_id = (
                certificate.partner_id.commercial_partner_id._prm_program_company()
            )

    @api.depends("number")
    def _compute_verification_url(self):
        base = self.get_base_url()
        for certificate in self:
            token = certificate.sudo().verification_token
            certificate.verification_url = (
                f"{base}/prm/certificate/{certificate.number}/{token}"
                if certificate.number and token
                else False
            )

    # --- Business: issue and renew ---

    @api.model
    def _prm_state_on(self, expiry_date, today):
        if expiry_date < today:
            return "expired"
        if expiry_date <= today + relativedelta(days=REMINDER_DAYS):
            return "expiring"
        return "valid"

    @api.model
    def _prm_issue_from_inputs(self, user_inputs):
        """Issue or renew the certificates earned by ``user_inputs``: passed
        (``scoring_success``), finished attempts of a certification or renewal
        exam, by a representative of a program partner. Failed attempts and
        other surveys are ignored. Runs as superuser: the survey controller
        calls ``_mark_done`` on the attempt that the token identified."""
        passed = user_inputs.filtered(
            lambda i: (
                i.state == "done"
                and i.scoring_success
                and not i.test_entry
                and i.partner_id
                and i.partner_id.commercial_partner_id.prm_is_partner
            )
        )
        if not passed:
            return self.browse()
        Certification = self.env["prm.certification"]
        by_survey = Certification._prm_for_surveys(passed.survey_id)
        certifications = Certification.browse(
            {c.id for pair in by_survey.values() for c in (pair[0] | pair[1])}
        )
        existing = self.sudo().search(
            [
                ("partner_id", "in", passed.partner_id.ids),
                ("certification_id", "in", certifications.ids),
            ]
        )
        by_key = {(c.partner_id.id, c.certification_id.id): c for c in existing}
        today = fields.Date.context_today(self)
        to_create, touched, pending = [], self.browse(), set()
        for user_input in passed:
            certify, renew = by_survey.get(user_input.survey_id, ((), ()))
            for certification in certify | renew:
                key = (user_input.partner_id.id, certification.id)
                certificate = by_key.get(key)
                if key in pending:
                    continue
                if certificate:
                    if certificate.state == "revoked":
                        continue  # only an administrator's new decision lifts it
                    certificate._prm_renew(user_input, today)
                    touched |= certificate
                elif certification in certify:
                    to_create.append(
                        self._prepare_certificate_vals(certification, user_input, today)
                    )
                    pending.add(key)
        created = self.sudo().create(to_create) if to_create else self.browse()
        for certificate in created:
            certificate.message_post(
                body=self.env._(
                    "Issued on passing the exam %(exam)s.",
                    exam=certificate.user_input_id.survey_id.title,
                )
            )
        return created | touched

    @api.model
    def _prepare_certificate_vals(self, certification, user_input, today):
        return {
            "number": self.env["ir.sequence"].sudo().next_by_code("prm.certificate")
            or "/",
            "certification_id": certification.id,
            "partner_id": user_input.partner_id.id,
            "issue_date": today,
            "expiry_date": today + relativedelta(months=certification.validity_months),
            "state": self._prm_state_on(
                today + relativedelta(months=certification.validity_months), today
            ),
            "user_input_id": user_input.id,
        }

    def _prm_renew(self, user_input, today):
        """Extend from the old expiry when still running (renewing early loses
        nothing), else from today."""
        self.ensure_one()
        start = max(self.expiry_date or today, today)
        expiry = start + relativedelta(months=self.certification_id.validity_months)
        self.sudo().write(
            {
                "renewal_date": today,
                "expiry_date": expiry,
                "state": self._prm_state_on(expiry, today),
                "user_input_id": user_input.id,
                "reminder_date": False,
            }
        )
        self.message_post(
            body=self.env._(
                "Renewed until %(date)s on passing the exam %(exam)s.",
                date=fields.Date.to_string(expiry),
                exam=user_input.survey_id.title,
            )
        )

    # --- Business: revocation ---

    def action_open_revoke(self):
        self._prm_check_can_revoke()
        return {
            "type": "ir.actions.act_window",
            "res_model": "prm.certificate.revoke",
            "view_mode": "form",
            "target": "new",
            "context": {"active_ids": self.ids, "active_model": self._name},
        }

    def _prm_check_can_revoke(self):
        if not self.env.user.has_group("prm_partner.group_prm_manager"):
            raise AccessError(
                self.env._("Only program administrators revoke certificates.")
            )
        self.check_access("write")

    def _prm_revoke(self, reason):
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason for revoking the certificate."))
        self._prm_check_can_revoke()
        live = self.filtered(lambda c: c.state != "revoked")
        live.sudo().write(
            {
                "state": "revoked",
                "revoke_reason": reason,
                "revoked_by_id": self.env.user.id,
            }
        )
        for certificate in live:
            certificate.message_post(
                body=self.env._("Revoked: %(reason)s", reason=reason)
            )
        return True

    # --- Business: daily job ---

    @api.model
    def _cron_prm_certificates(self):
        """Daily: certificates entering their last 30 days turn expiring and
        remind the holder and their partner's administrators; those past their
        expiry date turn expired."""
        self._prm_refresh_states(fields.Date.context_today(self))

    @api.model
    def _prm_refresh_states(self, today):
        Certificate = self.sudo()
        expired = Certificate.search(
            [("state", "in", LIVE_STATES), ("expiry_date", "<", today)]
        )
        expired.write({"state": "expired"})
        for certificate in expired:
            certificate.message_post(body=self.env._("Expired."))
        expiring = Certificate.search(
            [
                ("state", "in", LIVE_STATES),
                ("expiry_date", "<=", today + relativedelta(days=REMINDER_DAYS)),
                ("reminder_date", "=", False),
            ]
        )
        expiring.write({"state": "expiring", "reminder_date": today})
        expiring._prm_send_reminders()
        return expired, expiring

    def _prm_reminder_recipients(self):
        """The holder and the administrators (role *admin*) of their partner."""
        self.ensure_one()
        admins = self.commercial_partner_id.child_ids.filtered(
            lambda c: "admin" in c.prm_role_ids.mapped("code")
        )
        return (self.partner_id | admins).filtered("email")

    def _prm_send_reminders(self):
        template = self.env.ref(
            "prm_training.mail_template_prm_certificate_expiring",
            raise_if_not_found=False,
        )
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        activities = []
        for certificate in self:
            recipients = certificate._prm_reminder_recipients()
            if template and recipients:
                template.send_mail(
                    certificate.id,
                    email_values={"recipient_ids": [(6, 0, recipients.ids)]},
                    email_layout_xmlid="mail.mail_notification_light",
                )
            manager = certificate.commercial_partner_id.prm_manager_id
            if manager:
                activities.append(
                    {
                        "res_model_id": self.env["ir.model"]._get_id(self._name),
                        "res_id": certificate.id,
                        "activity_type_id": activity_type.id,
                        "user_id": manager.id,
                        "date_deadline": certificate.expiry_date,
                        "summary": self.env._(
                            "Certificate %(number)s of %(holder)s expires on %(date)s",
                            number=certificate.number,
                            holder=certificate.partner_id.name,
                            date=fields.Date.to_string(certificate.expiry_date),
                        ),
                    }
                )
        if activities:
            self.env["mail.activity"].sudo().create(activities)

    # --- Public verification ---

    @api.model
    def _prm_verify(self, number, token):
        """The certificate with ``number`` whose token is ``token`` (compared in
        constant time), as superuser, or an empty recordset."""
        certificate_sudo = self.sudo().search([("number", "=", number)], limit=1)
        if not certificate_sudo or not token:
            return self.sudo().browse()
        if not secrets.compare_digest(
            certificate_sudo.verification_token or "", str(token)
        ):
            return self.sudo().browse()
        return certificate_sudo

    def _get_report_base_filename(self):
        # The portal's PDF route names the file with it (CustomerPortal._show_report).
        self.ensure_one()
        return f"Certificate-{self.number}"
