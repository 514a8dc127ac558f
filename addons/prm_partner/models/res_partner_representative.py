from odoo import api, fields, models


class ResPartner(models.Model):
    """Representatives: contacts of a partner with a role in the program, and
    the authority documents that empower them."""

    _inherit = "res.partner"

    prm_role_ids = fields.Many2many(
        "prm.role",
        "res_partner_prm_role_rel",
        "partner_id",
        "role_id",
        string="Program roles",
        help="What this contact does for its company in the partner program.",
    )
    prm_representative_ids = fields.One2many(
        "res.partner",
        "parent_id",
        string="Representatives",
        domain=[("prm_role_ids", "!=", False)],
    )
    prm_authority_ids = fields.One2many(
        "prm.authority", "partner_id", string="Authority documents"
    )
    prm_authority_count = fields.Integer(compute="_compute_prm_authority_count")

    @api.depends("prm_authority_ids")
    def _compute_prm_authority_count(self):
        counts = {}
        if self.ids:
            counts = dict(
                self.env["prm.authority"]._read_group(
                    [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
                )
            )
        for partner in self:
            partner.prm_authority_count = counts.get(partner, 0)

    def action_prm_open_authorities(self):
        self.ensure_one()
        return self._prm_action(
            "prm_partner.action_prm_authority",
            [("partner_id", "=", self.id)],
            {"default_partner_id": self.id},
        )
