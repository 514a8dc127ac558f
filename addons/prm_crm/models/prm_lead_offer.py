from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, LockError, UserError

from odoo.addons.prm_partner.models.prm_guarded_mixin import Guard
from odoo.addons.prm_partner.tools.validation import check_text_input

OFFER_STATES = [
    ("offered", "Offered"),
    ("accepted", "Accepted"),
    ("declined", "Declined"),
    ("expired", "Expired"),
]


class PrmLeadOffer(models.Model):
    """A lead offered to one channel partner by the routing, waiting for the
    partner to accept or decline it before its deadline (the rule's SLA)."""

    _name = "prm.lead.offer"
    _description = "Routed Lead Offer"
    _order = "offered_at desc, id desc"
    _inherit = ["prm.guarded.mixin"]

    # No index of its own: the (lead, partner) unique index leads with it.
    lead_id = fields.Many2one("crm.lead", required=True, ondelete="cascade")
    partner_id = fields.Many2one(
        "res.partner",
        string="Channel partner",
        required=True,
        index=True,
        ondelete="cascade",
        domain=[("prm_is_partner", "=", True)],
    )
    rule_id = fields.Many2one(
        "prm.routing.rule", string="Routing rule", index=True, ondelete="set null"
    )
    company_id = fields.Many2one(
        "res.company",
        compute="_compute_company_id",
        store=True,
        precompute=True,
        index=True,
        help="The lead's company, else the routing rule's, else the partner's.",
    )
    state = fields.Selection(
        OFFER_STATES, default="offered", required=True, index=True, readonly=True
    )
    offered_at = fields.Datetime(
        default=fields.Datetime.now, required=True, readonly=True
    )
    deadline = fields.Datetime(
        readonly=True, help="The offer expires when not answered by then."
    )
    responded_at = fields.Datetime(readonly=True)
    responded_by_id = fields.Many2one("res.users", string="Answered by", readonly=True)
    decline_reason_id = fields.Many2one(
        "prm.offer.decline.reason", readonly=True, ondelete="restrict"
    )
    decline_note = fields.Text(readonly=True)
    partner_notified = fields.Boolean(
        copy=False,
        readonly=True,
        help="The partner was emailed about this offer (by the notification job).",
    )
    partner_manager_id = fields.Many2one(
        related="partner_id.prm_manager_id", string="Channel manager"
    )

    # What the partner sees of the lead before accepting it (read as superuser
    # like any related field: the lead itself stays unreadable until accepted).
    lead_name = fields.Char(related="lead_id.name", string="Lead title")
    lead_city = fields.Char(related="lead_id.city", string="City")
    lead_zip = fields.Char(related="lead_id.zip", string="Zip")
    lead_state_id = fields.Many2one(related="lead_id.state_id", string="Lead state")
    lead_country_id = fields.Many2one(
        related="lead_id.country_id", string="Lead country"
    )
    lead_expected_revenue = fields.Monetary(
        related="lead_id.expected_revenue",
        string="Expected revenue",
        currency_field="company_currency",
    )
    company_currency = fields.Many2one(related="lead_id.company_currency")
    lead_interest = fields.Char(
        compute="_compute_lead_interest", string="Product interest", compute_sudo=True
    )

    # A partner that had a lead once (declined, let it lapse, or took it) never
    # gets it again; a lead is open to one partner at a time.
    _lead_partner_uniq = models.Constraint(
        "UNIQUE(lead_id, partner_id)",
        "A lead is offered to the same partner only once.",
    )
    _one_open_offer = models.UniqueIndex(
        "(lead_id) WHERE state = 'offered'",
        "A lead can be offered to one partner at a time.",
    )
    # Channel analytics (prm.channel.report) filter offers on this month.
    _prm_offered_month_idx = models.Index("(((date_trunc('month', offered_at))::date))")

    # --- Compute ---

    @api.depends("lead_id.company_id", "rule_id.company_id", "partner_id.company_id")
    def _compute_company_id(self):
        for offer in self:
            offer.company_id = (
                offer.lead_id.company_id
                or offer.rule_id.company_id
                or offer.partner_id.company_id
                or self.env.company
            )

    # --- CRUD ---

    def _prm_guarded_fields(self):
        answer = self.env._("Accept or Decline")
        return {
            **super()._prm_guarded_fields(),
            "state": Guard(answer, ("offered",)),
            "responded_at": Guard(answer),
            "responded_by_id": Guard(answer),
            "decline_reason_id": Guard(answer),
            "decline_note": Guard(answer),
            "partner_notified": Guard(self.env._("Offer notification")),
        }

    @api.depends("lead_id.prm_interest_categ_ids")
    def _compute_lead_interest(self):
        for offer in self:
            offer.lead_interest = ", ".join(
                offer.lead_id.prm_interest_categ_ids.mapped("display_name")
            )

    @api.depends("lead_id.name", "partner_id")
    def _compute_display_name(self):
        for offer in self.sudo():
            offer.display_name = f"{offer.lead_id.name} → {offer.partner_id.name}"

    # --- Business ---

    # --- Access ---

    def _prm_check_respond_access(self):
        """Channel managers answer for any partner of their companies; partner
        users only for their own company's offers. An offer never moves a lead
        to a partner of another company."""
        user = self.env.user
        if self.env.su:
            return
        self.check_access("read")
        offers_sudo = self.sudo()
        foreign_company = offers_sudo.filtered(
            lambda offer: (
                offer.company_id not in user.company_ids
                or (
                    offer.partner_id.company_id
                    and offer.company_id != offer.partner_id.company_id
                )
                or (
                    offer.lead_id.company_id
                    and offer.lead_id.company_id != offer.company_id
                )
            )
        )
        if foreign_company:
            raise AccessError(
                self.env._(
                    "The offer of %(lead)s belongs to another company: it can only "
                    "be answered there, for a partner of that company.",
                    lead=foreign_company[0].lead_name,
                )
            )
        if user.has_group("prm_partner.group_prm_user"):
            return
        partner = self.env["crm.lead"]._prm_portal_partner()
        foreign = self.sudo().filtered(
            lambda offer: offer.partner_id.commercial_partner_id != partner
        )
        if foreign:
            raise AccessError(
                self.env._("You can only answer your own company's lead offers.")
            )

    def _prm_lock_open(self):
        """Lock the offers and make sure each is still open and in time.

        The row lock serialises a partner's answer with the SLA job and a second
        click: whoever comes second is told, and sees the offer's new state
        once the first answer is saved.
        """
        try:
            self.lock_for_update()
        except LockError:
            raise UserError(
                self.env._(
                    "Someone is answering the offer of %(lead)s right now: reload "
                    "the page in a moment to see the answer.",
                    lead=self[0].lead_name,
                )
            ) from None
        self.invalidate_recordset(["state", "deadline"])
        closed = self.filtered(lambda offer: offer.state != "offered")
        if closed:
            raise UserError(
                self.env._(
                    "The offer of %(lead)s was already answered or has expired.",
                    lead=closed[0].lead_name,
                )
            )
        now = fields.Datetime.now()
        late = self.filtered(lambda offer: offer.deadline and offer.deadline < now)
        if late:
            raise UserError(
                self.env._(
                    "The offer of %(lead)s expired on %(deadline)s.",
                    lead=late[0].lead_name,
                    deadline=late[0].deadline,
                )
            )

    # --- Actions (partner portal and backend) ---

    def action_prm_accept(self):
        """Take the leads: they become the partner's, its channel manager gets a
        follow-up activity."""
        self._prm_check_respond_access()
        offers_sudo = self.sudo()
        offers_sudo._prm_lock_open()
        taken = offers_sudo.filtered(
            lambda offer: (
                offer.lead_id.prm_partner_id
                and offer.lead_id.prm_partner_id != offer.partner_id
            )
        )
        if taken:
            raise UserError(
                self.env._(
                    "%(lead)s has been assigned to another partner meanwhile.",
                    lead=taken[0].lead_name,
                )
            )
        offers_sudo.write(self._prepare_prm_answer_vals("accepted"))
        user = self.env.user
        for offer in offers_sudo:
            lead = offer.lead_id
            lead.prm_partner_id = offer.partner_id
            if user.share:
                lead.message_subscribe(partner_ids=user.partner_id.ids)
            lead._message_log(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "Routed lead accepted by %(partner)s.",
                    partner=offer.partner_id.display_name,
                )
            )
            manager = offer.partner_id.prm_manager_id or lead.user_id
            if manager:
                lead.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=manager.id,
                    summary=self.env._(
                        "Follow up: %(partner)s accepted this lead",
                        partner=offer.partner_id.display_name,
                    ),
                )
        return True

    def action_prm_decline(self, reason_id, note=None):
        """Turn the leads down with a reason; they go to the next partner."""
        self._prm_check_respond_access()
        try:
            reason = (
                self.env["prm.offer.decline.reason"].sudo().browse(int(reason_id or 0))
            ).exists()
        except (TypeError, ValueError):
            reason = self.env["prm.offer.decline.reason"]
        if not reason or not reason.active:
            raise UserError(self.env._("Choose why you decline the lead."))
        note = (note or "").strip()
        check_text_input(self, {"decline_note": note})
        if reason.note_required and not note:
            raise UserError(
                self.env._(
                    "Explain why you decline the lead (%(reason)s).",
                    reason=reason.name,
                )
            )
        offers_sudo = self.sudo()
        offers_sudo._prm_lock_open()
        offers_sudo.write(
            {
                **self._prepare_prm_answer_vals("declined"),
                "decline_reason_id": reason.id,
                "decline_note": note or False,
            }
        )
        offers_sudo._prm_log_on_leads(
            lambda offer: self.env._(
                "%(partner)s declined the lead: %(reason)s",
                partner=offer.partner_id.display_name,
                reason=reason.name + (f" ({note})" if note else ""),
            )
        )
        offers_sudo._prm_reroute()
        return True

    def _prepare_prm_answer_vals(self, state):
        return {
            "state": state,
            "responded_at": fields.Datetime.now(),
            "responded_by_id": self.env.uid,
        }

    def _prm_log_on_leads(self, message):
        """One chatter note per lead, written in one batch."""
        bodies = {
            offer.lead_id.id: Markup("<p>%s</p>") % message(offer) for offer in self
        }
        self.lead_id._message_log_batch(bodies)

    def action_prm_open_decline_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": "prm.offer.decline.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_offer_ids": self.ids},
        }

    # --- Notification ---

    @api.model
    def _cron_prm_notify_offers(self):
        self.search(
            [("state", "=", "offered"), ("partner_notified", "=", False)]
        )._prm_notify_partners()
        return True

    def _prm_notify_partners(self):
        """One email per partner listing its new offers, created in one batch;
        routing triggers this job instead of emailing while it assigns."""
        if not self:
            return
        mails = []
        for partner, offers in self.grouped("partner_id").items():
            if not partner.email:
                continue
            items = Markup("").join(
                Markup("<li>%s</li>")
                % self.env._(
                    "%(lead)s (%(place)s), answer before %(deadline)s",
                    lead=offer.lead_name,
                    place=", ".join(
                        filter(None, [offer.lead_city, offer.lead_country_id.name])
                    ),
                    deadline=offer.deadline,
                )
                for offer in offers
            )
            mails.append(
                {
                    "subject": self.env._(
                        "%(count)s new lead(s) offered to %(partner)s",
                        count=len(offers),
                        partner=partner.name,
                    ),
                    "body_html": Markup("<p>%s</p><ul>%s</ul>")
                    % (
                        self.env._(
                            "Accept or decline these leads in your partner portal "
                            "before their deadline:"
                        ),
                        items,
                    ),
                    "email_to": partner.email_formatted,
                    "auto_delete": True,
                }
            )
        self.env["mail.mail"].sudo().create(mails)
        self.sudo().write({"partner_notified": True})

    # --- SLA ---

    @api.model
    def _cron_prm_expire_offers(self):
        offers = self.search(
            [("state", "=", "offered"), ("deadline", "<", fields.Datetime.now())]
        )
        offers._prm_expire()
        return True

    def _prm_expire(self):
        """Close offers whose SLA lapsed and route their leads again."""
        if not self:
            return
        # sudo: the SLA job closes offers, whoever runs it.
        self.sudo().write({"state": "expired"})
        self._prm_log_on_leads(
            lambda offer: self.env._(
                "%(partner)s did not answer in time: the lead goes to another partner.",
                partner=offer.partner_id.display_name,
            )
        )
        self._prm_reroute()

    # --- Re-routing ---

    def _prm_reroute(self):
        """Offer the leads of these closed offers to the next partner; the
        leads no partner is left for go back to a person (see
        ``_prm_hand_back``) instead of waiting unassigned."""
        leads = self.lead_id
        offers = self.env["prm.routing.rule"].sudo()._prm_route_leads(leads)
        stranded = (leads - offers.lead_id).filtered("prm_routing_blocker")
        if stranded:
            self.filtered(lambda offer: offer.lead_id in stranded)._prm_hand_back()
        return offers

    def _prepare_prm_hand_back_user(self):
        """Who takes the lead back: the channel manager of the partner that
        had it last, else the lead's salesperson, else its sales team leader."""
        self.ensure_one()
        lead = self.lead_id
        return self.partner_id.prm_manager_id or lead.user_id or lead.team_id.user_id

    def _prm_hand_back(self):
        """Give leads no partner is left for back to their channel manager (or
        sales team): they become the manager's, with an activity saying why."""
        for lead, offers in self.sudo().grouped("lead_id").items():
            last = offers.sorted(lambda o: (o.responded_at or o.offered_at, o.id))[-1]
            user = last._prepare_prm_hand_back_user()
            if not user:
                continue
            if not lead.user_id:
                lead.user_id = user
            lead.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=user.id,
                summary=self.env._("Routed lead back: no channel partner left"),
                note=self.env._(
                    "%(partner)s was the last partner offered this lead and did not "
                    "take it; no other partner can: %(reason)s Work it with the "
                    "direct team or route it again later.",
                    partner=last.partner_id.display_name,
                    reason=lead.prm_routing_blocker,
                ),
            )
