from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from odoo.addons.prm_partner.tools.validation import check_date_order


class PrmCampaignKit(models.Model):
    """A ready campaign the vendor hands its partners: files they co-brand
    with their own logo and contact details, an email and social posts they
    send to their own contacts, a landing page and printed material."""

    _name = "prm.campaign.kit"
    _description = "Campaign Kit"
    _inherit = ["mail.thread"]
    _order = "date_start desc, id desc"

    name = fields.Char(required=True, translate=True, tracking=True)
    active = fields.Boolean(default=True)
    description = fields.Html(translate=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    date_start = fields.Date(string="Start", required=True, tracking=True)
    date_end = fields.Date(
        string="End", tracking=True, help="Empty: the kit stays available."
    )
    partner_type_ids = fields.Many2many(
        "prm.partner.type",
        string="Partner types",
        help="Partners of these types see the kit; empty: every type.",
    )
    tier_ids = fields.Many2many(
        "prm.tier",
        string="Tiers",
        help="Partners of these tiers see the kit; empty: every tier.",
    )
    asset_ids = fields.One2many("prm.campaign.asset", "kit_id", string="Files")
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email to customers",
        domain=[("model", "=", "res.partner")],
        help="The email partners send to their own contacts, rendered on the "
        "partner (object = the partner): each partner gets its own copy, with "
        "its name, where the landing URL points to its tracked link.",
    )
    post_ids = fields.One2many(
        "prm.campaign.kit.post", "kit_id", string="Suggested social posts"
    )
    landing_url = fields.Char(
        string="Landing URL",
        help="The page the campaign sends people to; each partner gets a tracked "
        "link to it carrying the campaign and the partner as UTM source.",
    )
    campaign_id = fields.Many2one(
        "utm.campaign",
        string="UTM campaign",
        ondelete="restrict",
        help="Leads, orders and invoices carrying this campaign and a partner's "
        "source are that partner's (created with the kit when empty).",
    )
    print_item_ids = fields.One2many(
        "prm.campaign.print.item", "kit_id", string="Printed materials"
    )
    activation_ids = fields.One2many(
        "prm.campaign.activation", "kit_id", string="Activations"
    )
    activation_count = fields.Integer(compute="_compute_activation_count")

    # --- Constraints ---

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        check_date_order(self, "date_start", "date_end")

    @api.constrains("landing_url")
    def _check_landing_url(self):
        for kit in self:
            if kit.landing_url and not kit.landing_url.startswith(
                ("https://", "http://", "/")
            ):
                raise UserError(
                    self.env._(
                        "%(kit)s: the landing URL must start with https://, "
                        "http:// or /.",
                        kit=kit.display_name,
                    )
                )

    # --- Compute ---

    def _compute_activation_count(self):
        counts = dict(
            self.env["prm.campaign.activation"]._read_group(
                [("kit_id", "in", self.ids)], ["kit_id"], ["__count"]
            )
        )
        for kit in self:
            kit.activation_count = counts.get(kit, 0)

    # --- CRUD ---

    @api.model_create_multi
    def create(self, vals_list):
        kits = super().create(vals_list)
        kits.filtered(lambda kit: not kit.campaign_id)._prm_create_campaigns()
        return kits

    def _prm_create_campaigns(self):
        campaigns = (
            self.env["utm.campaign"]
            .sudo()
            .create([{"title": kit.name} for kit in self])
        )
        for kit, campaign in zip(self, campaigns, strict=True):
            kit.campaign_id = campaign

    # --- Business ---

    @api.model
    def _prm_available_domain(self, partner, today=None):
        """Kits a program partner may activate today: running, of its
        program's company, open to its type and tier."""
        today = today or fields.Date.context_today(self)
        partner = partner.commercial_partner_id
        return Domain(
            [
                ("company_id", "=", partner._prm_program_company().id),
                ("date_start", "<=", today),
                "|",
                ("date_end", "=", False),
                ("date_end", ">=", today),
                "|",
                ("partner_type_ids", "=", False),
                ("partner_type_ids", "in", partner.prm_partner_type_id.ids),
                "|",
                ("tier_ids", "=", False),
                ("tier_ids", "in", partner.prm_tier_id.ids),
            ]
        )

    def _prm_check_available_to(self, partner):
        self.ensure_one()
        partner = partner.commercial_partner_id
        if not (partner.prm_is_partner and partner.prm_state == "active"):
            raise UserError(
                self.env._("Only active program partners can activate campaign kits.")
            )
        if not self.filtered_domain(self._prm_available_domain(partner)):
            raise UserError(
                self.env._(
                    "%(kit)s is not available to %(partner)s (its period, "
                    "partner types or tiers).",
                    kit=self.name,
                    partner=partner.display_name,
                )
            )

    # --- Actions ---

    def action_open_activations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "prm_campaign.action_prm_campaign_activation"
        )
        action["domain"] = [("kit_id", "=", self.id)]
        action["context"] = {"default_kit_id": self.id}
        return action
