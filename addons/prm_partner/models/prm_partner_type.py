from odoo import api, fields, models


class PrmPartnerType(models.Model):
    """Kind of channel partner (reseller, distributor, referral agent...)."""

    _name = "prm.partner.type"
    _description = "Partner Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        help="Short technical code, stable across translations (used in imports "
        "and integrations).",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    description = fields.Text(translate=True)
    partner_ids = fields.One2many("res.partner", "prm_partner_type_id")
    partner_count = fields.Integer(compute="_compute_partner_count")

    _code_uniq = models.Constraint(
        "UNIQUE(code)", "Another partner type already uses this code."
    )

    @api.depends("partner_ids")
    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [
                    ("prm_partner_type_id", "in", self.ids),
                    ("prm_is_partner", "=", True),
                ],
                ["prm_partner_type_id"],
                ["__count"],
            )
        )
        for partner_type in self:
            partner_type.partner_count = counts.get(partner_type, 0)

    def action_open_partners(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "prm_partner.action_prm_partner"
        )
        action["domain"] = [("prm_partner_type_id", "=", self.id)]
        action["context"] = {"default_prm_partner_type_id": self.id}
        return action
