from odoo import fields, models

from ..tools.normalize import DEFAULT_FREE_MAIL_DOMAINS


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    prm_downgrade_grace_days = fields.Integer(
        related="company_id.prm_downgrade_grace_days", readonly=False
    )
    prm_review_months = fields.Integer(
        related="company_id.prm_review_months", readonly=False
    )
    prm_checklist_self_approval = fields.Boolean(
        related="company_id.prm_checklist_self_approval", readonly=False
    )
    prm_free_mail_domains = fields.Char(
        string="Free-mail domains",
        config_parameter="prm_partner.free_mail_domains",
        default=DEFAULT_FREE_MAIL_DOMAINS,
        help="Comma-separated email domains that say nothing about a company "
        "(gmail.com, mail.ru...): ignored when looking for duplicates.",
    )
    prm_agreement_reminder_days = fields.Integer(
        related="company_id.prm_agreement_reminder_days", readonly=False
    )
    prm_application_manager_id = fields.Many2one(
        related="company_id.prm_application_manager_id", readonly=False
    )
    prm_application_pass_score = fields.Integer(
        related="company_id.prm_application_pass_score", readonly=False
    )
    prm_application_reject_score = fields.Integer(
        related="company_id.prm_application_reject_score", readonly=False
    )
