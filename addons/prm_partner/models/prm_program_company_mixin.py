"""Rows of a partner's program (checklist items, stage history, authority
documents) belong to the company of that program, so that the multi-company
record rules keep them inside it."""

from odoo import api, fields, models


class PrmProgramCompanyMixin(models.AbstractModel):
    _name = "prm.program.company.mixin"
    _description = "Row of a partner's program"

    company_id = fields.Many2one(
        "res.company",
        compute="_compute_company_id",
        store=True,
        precompute=True,
        index=True,
        help="The company of the partner's program.",
    )

    @api.depends("partner_id.company_id")
    def _compute_company_id(self):
        for record in self:
            record.company_id = record.partner_id._prm_program_company()
