import base64
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.prm_partner.models.prm_guarded_mixin import Guard


class PrmCampaignActivation(models.Model):
    """A partner running a kit: its co-branded copies of the kit's files, its
    copy of the email, its tracked link (the kit's UTM campaign with the
    partner as UTM source) and what the campaign brought it: leads, won
    opportunities and invoiced revenue."""

    _name = "prm.campaign.activation"
    _description = "Campaign Kit Activation"
    _inherit = ["prm.program.company.mixin", "prm.guarded.mixin", "mail.thread"]
    _order = "date desc, id desc"

    kit_id = fields.Many2one(
        "prm.campaign.kit", required=True, ondelete="restrict", index=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        required=True,
        ondelete="restrict",
        index=True,
        domain=[("prm_is_partner", "=", True), ("is_company", "=", True)],
    )
    date = fields.Datetime(
        string="Activated on", default=fields.Datetime.now, required=True, readonly=True
    )
    activated_by_id = fields.Many2one("res.users", string="Activated by", readonly=True)
    campaign_id = fields.Many2one(related="kit_id.campaign_id", string="UTM campaign")
    source_id = fields.Many2one(
        "utm.source",
        string="UTM source",
        readonly=True,
        ondelete="restrict",
        help="The partner's UTM source: leads and orders arriving with it and "
        "the kit's campaign are the partner's.",
    )
    link_tracker_id = fields.Many2one(
        "link.tracker", string="Tracked link", readonly=True, ondelete="set null"
    )
    tracked_url = fields.Char(related="link_tracker_id.short_url")
    file_ids = fields.Many2many(
        "ir.attachment",
        "prm_campaign_activation_attachment_rel",
        "activation_id",
        "attachment_id",
        string="Co-branded files",
        readonly=True,
    )
    generated_date = fields.Datetime(string="Files made on", readonly=True)
    email_subject = fields.Char(string="Email subject", readonly=True)
    email_body = fields.Html(string="Email", readonly=True, sanitize=True)
    print_order_ids = fields.One2many(
        "prm.campaign.print.order", "activation_id", string="Printed orders"
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    lead_count = fields.Integer(string="Leads", compute="_compute_results")
    opportunity_count = fields.Integer(
        string="Opportunities", compute="_compute_results"
    )
    won_count = fields.Integer(string="Won", compute="_compute_results")
    won_revenue = fields.Monetary(
        string="Won revenue",
        compute="_compute_results",
        help="Expected revenue of the won opportunities.",
    )
    revenue = fields.Monetary(
        string="Invoiced revenue",
        compute="_compute_results",
        help="Untaxed posted customer invoices minus credit notes carrying the "
        "kit's campaign and the partner's source.",
    )

    _kit_partner_uniq = models.Constraint(
        "UNIQUE(kit_id, partner_id)", "A partner activates a kit once."
    )

    # --- Compute ---

    def _compute_display_name(self):
        for activation in self:
            activation.display_name = (
                f"{activation.kit_id.name} - {activation.partner_id.name}"
            )

    def _compute_results(self):
        """Figures of every activation in three grouped queries (superuser:
        sums of the campaign's leads and invoices, whoever may read them)."""
        stats = self._prm_results()
        for activation in self:
            figures = stats.get(activation.id, {})
            activation.lead_count = figures.get("leads", 0)
            activation.opportunity_count = figures.get("opportunities", 0)
            activation.won_count = figures.get("won", 0)
            activation.won_revenue = figures.get("won_revenue", 0.0)
            activation.revenue = figures.get("revenue", 0.0)

    def _prm_results(self):
        """{activation id: {leads, opportunities, won, won_revenue, revenue}}."""
        stats = defaultdict(lambda: defaultdict(float))
        ids = [record_id for record_id in self.ids if record_id]
        if not ids:
            return stats
        Lead = self.env["crm.lead"].sudo().with_context(active_test=False)
        for activation, lead_type, won_status, count, expected in Lead._read_group(
            [("prm_campaign_activation_id", "in", ids)],
            ["prm_campaign_activation_id", "type", "won_status"],
            ["__count", "expected_revenue:sum"],
        ):
            figures = stats[activation.id]
            figures["leads"] += count
            if lead_type == "opportunity":
                figures["opportunities"] += count
            if won_status == "won":
                figures["won"] += count
                figures["won_revenue"] += expected
        keys = {
            (activation.source_id.id, activation.campaign_id.id): activation.id
            for activation in self.browse(ids).sudo()
            if activation.source_id and activation.campaign_id
        }
        if keys:
            for source, campaign, amount in (
                self.env["account.move"]
                .sudo()
                ._read_group(
                    [
                        ("source_id", "in", [key[0] for key in keys]),
                        ("campaign_id", "in", [key[1] for key in keys]),
                        ("state", "=", "posted"),
                        ("move_type", "in", ("out_invoice", "out_refund")),
                    ],
                    ["source_id", "campaign_id"],
                    ["amount_untaxed_signed:sum"],
                )
            ):
                activation_id = keys.get((source.id, campaign.id))
                if activation_id:
                    stats[activation_id]["revenue"] += amount
        return stats

    # --- CRUD ---

    def _prm_guarded_fields(self):
        generate = self.env._("Activate or Regenerate files")
        return {
            **super()._prm_guarded_fields(),
            "activated_by_id": Guard(generate),
            "source_id": Guard(generate),
            "link_tracker_id": Guard(generate),
            "file_ids": Guard(generate),
            "generated_date": Guard(generate),
            "email_subject": Guard(generate),
            "email_body": Guard(generate),
        }

    @api.model_create_multi
    def create(self, vals_list):
        self._prm_refuse_guarded_create(vals_list)
        for vals in vals_list:
            kit = self.env["prm.campaign.kit"].browse(vals.get("kit_id"))
            partner = self.env["res.partner"].browse(vals.get("partner_id"))
            if kit and partner:
                kit.sudo()._prm_check_available_to(partner)
                vals["partner_id"] = partner.commercial_partner_id.id
        activations = super().create(vals_list)
        activations.sudo().write({"activated_by_id": self.env.uid})
        activations.sudo()._prm_setup()
        return activations

    def write(self, vals):
        if {"kit_id", "partner_id"} & vals.keys() and not self.env.su:
            raise UserError(
                self.env._(
                    "The kit and partner of an activation do not change: "
                    "activate the other kit instead."
                )
            )
        return super().write(vals)

    # --- Business ---

    @api.model
    def _prm_activate(self, kit, partner):
        """The partner's activation of ``kit`` (created when missing). Called
        by the portal after its access check; the kit's availability is
        checked on create."""
        partner = partner.commercial_partner_id
        existing = self.sudo().search(
            [("kit_id", "=", kit.id), ("partner_id", "=", partner.id)], limit=1
        )
        if existing:
            return existing
        return self.create({"kit_id": kit.id, "partner_id": partner.id})

    def _prm_setup(self):
        """UTM source, tracked link, co-branded files and email of new
        activations (superuser: the caller's rights were checked before)."""
        for activation in self:
            # A source given at creation (data files, as superuser) becomes
            # the partner's when it has none yet.
            partner = activation.partner_id
            if activation.source_id and not partner.prm_campaign_source_id:
                partner.prm_campaign_source_id = activation.source_id
        self.partner_id._prm_campaign_ensure_source()
        trackers = self._prm_create_trackers()
        for activation in self:
            activation.source_id = activation.partner_id.prm_campaign_source_id
            activation.link_tracker_id = trackers.get(activation.id, False)
        self._prm_generate_files()

    def _prm_create_trackers(self):
        """{activation id: link.tracker} for the kits with a landing URL."""
        medium = self.env.ref("prm_campaign.utm_medium_partner_campaign")
        todo = self.filtered(lambda act: act.kit_id.landing_url)
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        vals_list = []
        for activation in todo:
            url = activation.kit_id.landing_url
            if url.startswith("/"):
                url = base_url + url
            vals_list.append(
                {
                    "url": url,
                    "title": activation.kit_id.name,
                    "campaign_id": activation.kit_id.campaign_id.id,
                    "source_id": activation.partner_id.prm_campaign_source_id.id,
                    "medium_id": medium.id,
                }
            )
        trackers = self.env["link.tracker"].sudo().search_or_create(vals_list)
        return {act.id: tracker for act, tracker in zip(todo, trackers, strict=True)}

    def _prm_generate_files(self):
        """(Re)make each activation's co-branded files and email copy from the
        kit and the partner as they are now; the previous files go."""
        if not self:
            return
        activations = self.sudo()
        old_files = activations.file_ids
        attachment_vals = []
        owners = []
        for activation in activations:
            for asset in activation.kit_id.asset_ids:
                name, mimetype, data = asset._prm_cobrand(activation.partner_id)
                attachment_vals.append(
                    {
                        "name": name,
                        "raw": data,
                        "mimetype": mimetype,
                        "res_model": activations._name,
                        "res_id": activation.id,
                        "description": asset.name,
                    }
                )
                owners.append(activation)
        attachments = activations.env["ir.attachment"].create(attachment_vals)
        by_activation = defaultdict(list)
        for owner, attachment in zip(owners, attachments, strict=True):
            by_activation[owner.id].append(attachment.id)
        emails = activations._prm_render_emails()
        now = fields.Datetime.now()
        for activation in activations:
            subject, body = emails.get(activation.id, (False, False))
            activation.write(
                {
                    "file_ids": [fields.Command.set(by_activation[activation.id])],
                    "generated_date": now,
                    "email_subject": subject,
                    "email_body": body,
                }
            )
        old_files.unlink()

    def _prm_render_emails(self):
        """{activation id: (subject, body)}: the kit's email rendered on the
        partner, its landing URL replaced by the partner's tracked link."""
        result = {}
        for template, activations in self.grouped(
            lambda act: act.kit_id.mail_template_id
        ).items():
            if not template:
                continue
            partner_ids = activations.partner_id.ids
            subjects = template._render_field("subject", partner_ids)
            bodies = template._render_field("body_html", partner_ids)
            for activation in activations:
                body = bodies.get(activation.partner_id.id) or ""
                landing = activation.kit_id.landing_url
                if landing and activation.tracked_url:
                    body = body.replace(landing, activation.tracked_url)
                result[activation.id] = (
                    subjects.get(activation.partner_id.id) or "",
                    body,
                )
        return result

    def _prm_social_posts(self):
        """[(network label, text)] of the kit's posts, for this partner."""
        self.ensure_one()
        labels = dict(
            self.env["prm.campaign.kit.post"]
            ._fields["network"]
            ._description_selection(self.env)
        )
        url = self.tracked_url or self.kit_id.landing_url or ""
        return [
            (labels[post.network], post._prm_render(self.partner_id.name, url))
            for post in self.kit_id.post_ids
        ]

    # --- Actions ---

    def action_regenerate(self):
        """Make the co-branded files again (after a file or area changed)."""
        self.check_access("write")
        if not (
            self.env.user.has_group("prm_partner.group_prm_manager")
            or all(act.partner_id.prm_manager_id == self.env.user for act in self)
        ):
            raise AccessError(
                self.env._(
                    "Only the partner's channel manager or a program "
                    "administrator regenerates its files."
                )
            )
        self.sudo()._prm_generate_files()
        return True

    def action_open_leads(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm.crm_lead_all_leads")
        action["domain"] = [("prm_campaign_activation_id", "=", self.id)]
        action["context"] = {"active_test": False}
        return action

    # --- Portal ---

    def _prm_file_datas(self, attachment_id):
        """The generated file ``attachment_id`` of this activation, or None."""
        self.ensure_one()
        attachment = self.sudo().file_ids.filtered(lambda att: att.id == attachment_id)
        if not attachment:
            return None
        return attachment.name, attachment.mimetype, base64.b64decode(attachment.datas)
