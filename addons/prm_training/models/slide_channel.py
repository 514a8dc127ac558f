from odoo import fields, models
from odoo.exceptions import UserError


class SlideChannel(models.Model):
    """Enrolment rules: a course may be kept for program partners of some types
    or tiers, and followed automatically by the representatives of some roles."""

    _inherit = "slide.channel"

    prm_restricted = fields.Boolean(
        string="Program partners only",
        help="Only representatives of program partners matching the types and "
        "tiers below may join (employees still may).",
    )
    prm_partner_type_ids = fields.Many2many(
        "prm.partner.type", string="Partner types", help="Empty: every type."
    )
    prm_tier_ids = fields.Many2many(
        "prm.tier", string="Partner tiers", help="Empty: every tier."
    )
    prm_auto_role_ids = fields.Many2many(
        "prm.role",
        string="Enrol automatically",
        help="Representatives receiving one of these program roles are enrolled "
        "in this course.",
    )
    prm_certification_ids = fields.Many2many(
        "prm.certification",
        "prm_certification_slide_channel_rel",
        string="Certifications",
    )

    def _prm_allows_partner(self, partner):
        """Whether the enrolment rules let contact ``partner`` join."""
        self.ensure_one()
        if not self.prm_restricted:
            return True
        if partner.user_ids and all(u._is_internal() for u in partner.user_ids):
            return True
        company = partner.commercial_partner_id
        return bool(
            company.prm_is_partner
            and company.prm_state == "active"
            and (
                not self.prm_partner_type_ids
                or company.prm_partner_type_id in self.prm_partner_type_ids
            )
            and (not self.prm_tier_ids or company.prm_tier_id in self.prm_tier_ids)
        )

    def _action_add_members(
        self, target_partners, member_status="joined", raise_on_access=False
    ):
        """Members refused by the enrolment rules are left out; a user joining
        by themselves is told why."""
        allowed = {}
        for channel in self:
            allowed[channel] = target_partners.filtered(channel._prm_allows_partner)
        refused = any(allowed[c] != target_partners for c in self)
        if refused and raise_on_access:
            raise UserError(
                self.env._(
                    "This course is reserved for program partners of some types or "
                    "tiers."
                )
            )
        if not refused:
            return super()._action_add_members(
                target_partners,
                member_status=member_status,
                raise_on_access=raise_on_access,
            )
        result = self.env["slide.channel.partner"].sudo()
        for channel, partners in allowed.items():
            if partners:
                result |= super(SlideChannel, channel)._action_add_members(
                    partners,
                    member_status=member_status,
                    raise_on_access=raise_on_access,
                )
        return result
