from odoo import fields, models

from .prm_checklist_template import CHECKLIST_KINDS


class PrmChecklistTemplateLine(models.Model):
    _name = "prm.checklist.template.line"
    _description = "Onboarding Checklist Template Line"
    _order = "template_id, sequence, id"

    template_id = fields.Many2one(
        "prm.checklist.template", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    kind = fields.Selection(CHECKLIST_KINDS, required=True, default="document")
    required = fields.Boolean(
        default=True,
        help="A partner cannot be activated until this item is approved.",
    )
    instructions = fields.Html(
        translate=True,
        help="What the partner has to provide, or what the reviewer has to check.",
    )
    company_id = fields.Many2one(related="template_id.company_id", store=True)
