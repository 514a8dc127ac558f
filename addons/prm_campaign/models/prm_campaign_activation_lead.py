from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models

# Hours a partner has to accept a lead its campaign brought; the system
# parameter ``prm_campaign.offer_sla_hours`` changes it.
DEFAULT_OFFER_SLA_HOURS = 72


class CrmLead(models.Model):
    _inherit = "crm.lead"

    prm_campaign_activation_id = fields.Many2one(
        "prm.campaign.activation",
        string="Campaign kit activation",
        compute="_compute_prm_campaign_activation_id",
        store=True,
        index="btree_not_null",
        compute_sudo=True,
        readonly=True,
        help="The partner campaign the lead came from (its UTM source is the "
        "partner's and its campaign the kit's).",
    )
    prm_campaign_partner_id = fields.Many2one(
        related="prm_campaign_activation_id.partner_id",
        string="Brought by partner",
    )

    @api.depends("source_id", "campaign_id")
    def _compute_prm_campaign_activation_id(self):
        """One search for all the leads: the activation of the lead's source
        (a partner) and campaign (a kit), else the partner's latest one."""
        Activation = self.env["prm.campaign.activation"]
        sources = self.source_id
        activations = (
            Activation.search([("source_id", "in", sources.ids)], order="date, id")
            if sources
            else Activation
        )
        exact = {}
        latest = {}
        for activation in activations:
            exact[(activation.source_id.id, activation.campaign_id.id)] = activation
            latest[activation.source_id.id] = activation
        for lead in self:
            lead.prm_campaign_activation_id = exact.get(
                (lead.source_id.id, lead.campaign_id.id)
            ) or latest.get(lead.source_id.id, Activation)

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        leads._prm_campaign_route()
        return leads

    def _prm_campaign_route(self):
        """Offer the leads a partner's campaign brought to that partner
        (prm_crm's offers: the partner accepts or declines them on its
        portal, a declined or lapsed offer goes to the normal routing)."""
        leads = self.sudo().filtered(
            lambda lead: (
                lead.prm_campaign_activation_id
                and lead.active
                and not lead.prm_partner_id
                and not lead.prm_registration_state
                and lead.won_status == "pending"
                and not lead.prm_offer_ids
            )
        )
        if not leads:
            return
        now = fields.Datetime.now()
        deadline = now + timedelta(hours=self._prm_campaign_sla_hours())
        offers = (
            self.env["prm.lead.offer"]
            .sudo()
            .create(
                [
                    {
                        "lead_id": lead.id,
                        "partner_id": lead.prm_campaign_activation_id.partner_id.id,
                        "state": "offered",
                        "offered_at": now,
                        "deadline": deadline,
                    }
                    for lead in leads
                ]
            )
        )
        leads.write({"prm_routing_blocker": False})
        leads._message_log_batch(
            bodies={
                lead.id: Markup("<p>%s</p>")
                % self.env._(
                    "Brought by the campaign %(kit)s of %(partner)s: offered to it.",
                    kit=lead.prm_campaign_activation_id.kit_id.name,
                    partner=lead.prm_campaign_activation_id.partner_id.name,
                )
                for lead in leads
            }
        )
        notify = self.env.ref(
            "prm_crm.ir_cron_prm_notify_offers", raise_if_not_found=False
        )
        if offers and notify:
            notify.sudo()._trigger()

    @api.model
    def _prm_campaign_sla_hours(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("prm_campaign.offer_sla_hours")
        )
        try:
            return max(int(value), 1) if value else DEFAULT_OFFER_SLA_HOURS
        except ValueError:
            return DEFAULT_OFFER_SLA_HOURS
