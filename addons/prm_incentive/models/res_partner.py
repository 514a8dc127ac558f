from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResPartner(models.Model):
    _inherit = "res.partner"

    prm_referrer_id = fields.Many2one(
        "res.partner",
        string="Referred by",
        index="btree_not_null",
        tracking=True,
        domain=[("prm_is_partner", "=", True)],
        help="Channel partner who referred this customer: referral programs pay it "
        "on the customer's invoices.",
    )
    prm_settlement_ids = fields.One2many("prm.settlement", "partner_id")
    prm_settlement_count = fields.Integer(compute="_compute_prm_incentive_counts")
    prm_incentive_line_count = fields.Integer(compute="_compute_prm_incentive_counts")

    @api.constrains("prm_referrer_id")
    def _check_prm_referrer(self):
        for partner in self:
            if partner.prm_referrer_id and (
                partner.prm_referrer_id.commercial_partner_id
                == partner.commercial_partner_id
            ):
                raise ValidationError(
                    self.env._(
                        "%(partner)s cannot be its own referrer.",
                        partner=partner.display_name,
                    )
                )

    def _compute_prm_incentive_counts(self):
        settlements = dict(
            self.env["prm.settlement"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        lines = dict(
            self.env["prm.incentive.line"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.prm_settlement_count = settlements.get(partner, 0)
            partner.prm_incentive_line_count = lines.get(partner, 0)

    def action_prm_open_settlements(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "prm_incentive.action_prm_settlement"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_prm_open_incentive_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "prm_incentive.action_prm_incentive_line"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {}
        return action

    def _prm_statement_settlements(self):
        """Settlements printed on the partner's incentive statement."""
        self.ensure_one()
        return self.env["prm.settlement"].search(
            [("partner_id", "=", self.id), ("state", "!=", "cancel")],
            order="date_to desc, id desc",
        )
