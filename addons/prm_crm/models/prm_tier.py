from odoo import api, fields, models
from odoo.exceptions import ValidationError


class PrmTier(models.Model):
    """What a tier gives on the CRM side: a share of the routed leads, a cap
    on the leads held open, and how long an approved deal registration
    protects the customer."""

    _inherit = "prm.tier"

    routing_weight = fields.Float(
        default=1.0,
        help="Relative share of routed leads: a tier weighing 3 receives three times "
        "the leads of a tier weighing 1.",
    )
    registration_days = fields.Integer(
        string="Deal protection (days)",
        default=90,
        help="How long an approved deal registration protects the end customer "
        "for partners at this tier.",
    )
    routing_capacity = fields.Integer(
        string="Max open routed leads",
        default=0,
        help="Routed leads a partner at this tier may hold open at once (offered "
        "or accepted, not yet won or lost); 0 means no limit. A partner's own "
        "limit wins.",
    )

    _routing_weight_positive = models.Constraint(
        "CHECK(routing_weight >= 0)", "The lead routing weight cannot be negative."
    )

    @api.constrains("registration_days", "routing_capacity")
    def _check_deal_figures(self):
        for tier in self:
            if tier.registration_days <= 0:
                raise ValidationError(
                    self.env._(
                        "The deal protection of tier %(tier)s must be a positive "
                        "number of days.",
                        tier=tier.display_name,
                    )
                )
            if tier.routing_capacity < 0:
                raise ValidationError(
                    self.env._(
                        "The routed lead capacity of tier %(tier)s cannot be "
                        "negative (0 means no limit).",
                        tier=tier.display_name,
                    )
                )
