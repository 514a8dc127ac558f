from odoo import api, fields, models


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    prm_partner_id = fields.Many2one(
        "res.partner",
        string="Channel partner",
        compute="_compute_prm_partner",
        store=True,
        index="btree_not_null",
        help="The program partner whose representative answers.",
    )
    prm_tier_id = fields.Many2one(
        "prm.tier",
        string="Partner tier",
        compute="_compute_prm_partner",
        store=True,
        index="btree_not_null",
        help="The partner's tier when the survey was sent.",
    )
    prm_partner_type_id = fields.Many2one(
        "prm.partner.type",
        string="Partner type",
        compute="_compute_prm_partner",
        store=True,
    )

    @api.depends("partner_id")
    def _compute_prm_partner(self):
        # Kept from when the answer was created: the tier the partner had then
        # (only the contact triggers a recompute, not later tier changes).
        for answer in self:
            partner = answer.partner_id.commercial_partner_id
            if partner.prm_is_partner:
                answer.prm_partner_id = partner
                answer.prm_tier_id = partner.prm_tier_id
                answer.prm_partner_type_id = partner.prm_partner_type_id
            else:
                answer.prm_partner_id = False
                answer.prm_tier_id = False
                answer.prm_partner_type_id = False
