from odoo import api, fields, models

CHECKLIST_KINDS = [
    ("document", "Document to collect"),
    ("criterion", "Vetting criterion to confirm"),
]


class PrmChecklistTemplate(models.Model):
    """Onboarding checklist for one or more partner types.

    When a partner enters onboarding, every line of the templates matching
    its type (and company) becomes a checklist item on the partner.
    """

    _name = "prm.checklist.template"
    _description = "Onboarding Checklist Template"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        index=True,
        help="Leave empty to use the template in every company.",
    )
    partner_type_ids = fields.Many2many(
        "prm.partner.type",
        string="Partner types",
        help="Partner types that get this checklist; leave empty for every type.",
    )
    line_ids = fields.One2many(
        "prm.checklist.template.line", "template_id", string="Lines", copy=True
    )
    line_count = fields.Integer(compute="_compute_line_count")
    description = fields.Text(translate=True)

    @api.depends("line_ids")
    def _compute_line_count(self):
        for template in self:
            template.line_count = len(template.line_ids)

    def _prm_applies_to(self, partner):
        """Whether this template's lines belong on ``partner`` (type, company)."""
        self.ensure_one()
        company = partner.company_id or self.env.company
        return (
            not self.partner_type_ids
            or partner.prm_partner_type_id in self.partner_type_ids
        ) and (not self.company_id or self.company_id == company)
