from odoo import fields, models


class PrmSelloutMapping(models.Model):
    """The file format of one partner's sell-out reports, remembered by the
    upload wizard so that each distributor's next file imports without mapping
    it again."""

    _name = "prm.sellout.mapping"
    _inherit = ["prm.sellout.mapping.mixin"]
    _description = "Sell-out File Mapping"
    _order = "partner_id, id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        ondelete="cascade",
        domain=[("prm_is_partner", "=", True), ("parent_id", "=", False)],
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    _partner_uniq = models.UniqueIndex(
        "(partner_id, company_id)",
        "This partner already has a sell-out mapping in this company.",
    )
    _skip_rows_positive = models.Constraint(
        "CHECK(skip_rows >= 0)", "The rows before the header cannot be negative."
    )

    def _compute_display_name(self):
        for mapping in self:
            mapping.display_name = mapping.partner_id.display_name
