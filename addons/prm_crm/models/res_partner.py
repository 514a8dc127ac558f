from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.prm_partner.models.res_partner_360 import (
    prm_360_action,
    prm_360_figure,
)

# Registrations still in play: waiting for a decision, or protected.
OPEN_REGISTRATION_STATES = ("submitted", "conflict", "approved")


class ResPartner(models.Model):
    """The CRM side of a channel partner: the customers it owns, how many
    routed leads it takes, its channel deals, and the won-opportunities metric."""

    _inherit = "res.partner"

    prm_owner_partner_id = fields.Many2one(
        "res.partner",
        string="Owning channel partner",
        tracking=True,
        index=True,
        domain=[("prm_is_partner", "=", True)],
        help="Channel partner this customer belongs to: registrations of the same "
        "customer by other partners are flagged as conflicts. Set when a "
        "registered deal is won.",
    )
    prm_routing_capacity = fields.Integer(
        string="Max open routed leads",
        help="Routed leads this partner may hold open at once; 0 uses the "
        "tier's limit.",
    )
    prm_opportunity_count = fields.Integer(compute="_compute_prm_opportunity_count")

    # --- Constraints ---

    @api.constrains("prm_routing_capacity", "prm_owner_partner_id")
    def _check_prm_deal_fields(self):
        for partner in self:
            if partner.prm_routing_capacity < 0:
                raise ValidationError(
                    self.env._(
                        "The routed lead capacity of %(partner)s cannot be negative "
                        "(0 uses the tier's limit).",
                        partner=partner.display_name,
                    )
                )
            if partner.prm_owner_partner_id == partner:
                raise ValidationError(
                    self.env._(
                        "%(partner)s cannot be its own owning channel partner.",
                        partner=partner.display_name,
                    )
                )

    # --- Compute ---

    def _compute_prm_opportunity_count(self):
        counts = dict(
            self.env["crm.lead"]
            .with_context(active_test=False)
            ._read_group(
                [("prm_partner_id", "in", self.ids)], ["prm_partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.prm_opportunity_count = counts.get(partner, 0)

    # --- Metrics (see prm.tier.rule) ---

    def _prm_metric_won_opportunities(self, date_from, date_to):
        """Opportunities won in the period with the partner as channel partner."""
        groups = (
            self.env["crm.lead"]
            .with_context(active_test=False)
            ._read_group(
                [
                    ("prm_partner_id", "in", self.ids),
                    ("won_status", "=", "won"),
                    ("date_closed", ">=", fields.Datetime.to_datetime(date_from)),
                    (
                        "date_closed",
                        "<",
                        fields.Datetime.to_datetime(date_to + relativedelta(days=1)),
                    ),
                    ("company_id", "in", [self.env.company.id, False]),
                ],
                ["prm_partner_id"],
                ["__count"],
            )
        )
        return {partner.id: count for partner, count in groups}

    # --- Actions ---

    def action_prm_open_opportunities(self):
        self.ensure_one()
        return self._prm_action(
            "crm.crm_lead_all_leads",
            [("prm_partner_id", "=", self.id)],
            {"default_prm_partner_id": self.id, "active_test": False},
        )

    # --- Partner 360 ---

    def _prm_partner_360_data(self):
        """Add the pipeline: open deal registrations, offered and accepted leads."""
        data = super()._prm_partner_360_data()
        partners = self.filtered("prm_is_partner")
        if partners:
            partners._prm_360_pipeline(data)
        return data

    def _prm_360_metric_actions(self):
        return {
            **super()._prm_360_metric_actions(),
            "won_opportunities": "action_prm_open_opportunities",
        }

    def _prm_360_pipeline(self, data):
        registrations = dict(
            self.env["crm.lead"]
            .with_context(active_test=False)
            ._read_group(
                [
                    ("prm_registration_partner_id", "in", self.ids),
                    ("prm_registration_state", "in", OPEN_REGISTRATION_STATES),
                ],
                ["prm_registration_partner_id"],
                ["__count"],
            )
        )
        offers = {
            (partner.id, state): count
            for partner, state, count in self.env["prm.lead.offer"]._read_group(
                [
                    ("partner_id", "in", self.ids),
                    ("state", "in", ("offered", "accepted")),
                ],
                ["partner_id", "state"],
                ["__count"],
            )
        }
        for partner in self:
            figures = [
                prm_360_figure(
                    "registrations",
                    self.env._("Open deal registrations"),
                    str(registrations.get(partner, 0)),
                    prm_360_action("action_prm_open_registrations"),
                ),
                prm_360_figure(
                    "offered",
                    self.env._("Leads offered, awaiting an answer"),
                    str(offers.get((partner.id, "offered"), 0)),
                    prm_360_action("action_prm_open_lead_offers", state="offered"),
                ),
                prm_360_figure(
                    "accepted",
                    self.env._("Leads accepted"),
                    str(offers.get((partner.id, "accepted"), 0)),
                    prm_360_action("action_prm_open_lead_offers", state="accepted"),
                ),
            ]
            self._prm_360_add(
                data,
                partner.id,
                {
                    "key": "pipeline",
                    "sequence": 20,
                    "title": self.env._("Pipeline"),
                    "figures": figures,
                },
            )

    def action_prm_open_registrations(self):
        """The partner's open deal registrations (submitted, in conflict, approved)."""
        self.ensure_one()
        return self._prm_action(
            "prm_crm.action_prm_deal_registration",
            [
                ("prm_registration_partner_id", "=", self.id),
                ("prm_registration_state", "in", OPEN_REGISTRATION_STATES),
            ],
            {"active_test": False},
        )

    def action_prm_open_lead_offers(self, state=None):
        """The leads routed to the partner, in ``state`` when given."""
        self.ensure_one()
        domain = [("partner_id", "=", self.id)]
        if state:
            domain.append(("state", "=", state))
        return self._prm_action("prm_crm.action_prm_lead_offer", domain)
