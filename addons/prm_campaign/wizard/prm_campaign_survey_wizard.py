from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain


class PrmCampaignSurveyWizard(models.TransientModel):
    """Send a survey to the representatives of the partners selected by type,
    tier and territory (Survey's own invitation: one answer and access token
    per representative, linked to its partner)."""

    _name = "prm.campaign.survey.wizard"
    _description = "Send a survey to partners"

    survey_id = fields.Many2one("survey.survey", required=True)
    partner_type_ids = fields.Many2many("prm.partner.type", string="Partner types")
    tier_ids = fields.Many2many("prm.tier", string="Tiers")
    country_ids = fields.Many2many("res.country", string="Territory (countries)")
    role_ids = fields.Many2many(
        "prm.role",
        string="Roles",
        help="Only representatives with one of these roles; every representative when empty.",
    )
    recipient_ids = fields.Many2many(
        "res.partner", string="Recipients", compute="_compute_recipient_ids"
    )
    recipient_count = fields.Integer(compute="_compute_recipient_ids")

    @api.depends("partner_type_ids", "tier_ids", "country_ids", "role_ids")
    def _compute_recipient_ids(self):
        for wizard in self:
            wizard.recipient_ids = wizard._prm_recipients()
            wizard.recipient_count = len(wizard.recipient_ids)

    def _prm_partner_domain(self):
        domain = Domain([("prm_is_partner", "=", True), ("prm_state", "=", "active")])
        if self.partner_type_ids:
            domain &= Domain("prm_partner_type_id", "in", self.partner_type_ids.ids)
        if self.tier_ids:
            domain &= Domain("prm_tier_id", "in", self.tier_ids.ids)
        if self.country_ids:
            domain &= Domain("prm_country_ids", "in", self.country_ids.ids) | Domain(
                "country_id", "in", self.country_ids.ids
            )
        return domain

    def _prm_recipients(self):
        """Representatives (contacts with a program role and an email) of the
        selected partners, in one search."""
        domain = Domain(
            [
                ("parent_id", "any", self._prm_partner_domain()),
                ("prm_role_ids", "!=", False),
                ("email", "!=", False),
            ]
        )
        if self.role_ids:
            domain &= Domain("prm_role_ids", "in", self.role_ids.ids)
        return self.env["res.partner"].search(domain)

    def _prm_check_sendable(self, recipients):
        """The checks of Survey's own *Share* button, which this wizard
        replaces: a survey without questions or closed is refused, and one that
        requires a login is sent only to representatives who have an account
        (Survey checks that in the form only, the server checks it here)."""
        if not recipients:
            raise UserError(
                self.env._("No representative with an email matches this selection.")
            )
        survey = self.survey_id
        survey.check_validity()
        if survey.users_login_required and not survey.users_can_signup:
            # sudo: whether a contact has a user account, not the account itself.
            without_login_sudo = recipients.sudo().filtered(lambda p: not p.user_ids)
            if without_login_sudo:
                raise UserError(
                    self.env._(
                        "Survey %(survey)s requires a login and these representatives "
                        "have no user account: %(names)s. Give them portal access or "
                        "let the survey be answered without login.",
                        survey=survey.display_name,
                        names=", ".join(without_login_sudo.mapped("display_name")),
                    )
                )

    def action_send(self):
        self.ensure_one()
        recipients = self._prm_recipients()
        self._prm_check_sendable(recipients)
        template = (
            self.env.ref(
                "survey.mail_template_user_input_invite", raise_if_not_found=False
            )
            or self.env["mail.template"]
        )
        invite = (
            self.env["survey.invite"]
            .with_context(default_survey_id=self.survey_id.id)
            .create(
                {
                    "survey_id": self.survey_id.id,
                    "template_id": template.id,
                    "partner_ids": [Command.set(recipients.ids)],
                }
            )
        )
        invite.action_invite()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "Survey sent to %(count)s representatives.", count=len(recipients)
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
