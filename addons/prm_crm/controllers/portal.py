from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.fields import Domain
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

# Form fields of the registration page and the lead values they fill; any
# other posted key is ignored (never written).
REGISTRATION_FORM_FIELDS = {
    "partner_name": "partner_name",
    "prm_customer_vat": "prm_customer_vat",
    "contact_name": "contact_name",
    "email_from": "email_from",
    "phone": "phone",
    "country_id": "country_id",
    "expected_revenue": "expected_revenue",
    "date_deadline": "date_deadline",
    "description": "description",
}
DEAL_FILTER_DOMAINS = {
    "all": [],
    "open": [("prm_registration_state", "in", ("submitted", "conflict"))],
    "approved": [("prm_registration_state", "=", "approved")],
    "closed": [
        ("prm_registration_state", "in", ("rejected", "expired", "won", "lost"))
    ],
}
LEAD_FILTER_DOMAINS = {
    "all": [],
    "offered": [("state", "=", "offered")],
    "accepted": [("state", "=", "accepted")],
}
LEAD_FORM_FIELDS = ("stage_id", "expected_revenue", "activity_summary", "activity_date")


class PrmCrmPortal(CustomerPortal):
    """/my/deals (deal registration) and /my/leads (routed leads).

    Access: the contact's program roles first (404 otherwise), reads through
    the user's record rules, ``sudo()`` only on the single record that passed;
    writes go through the crm.lead / prm.lead.offer portal methods."""

    # --- Helpers ---

    def _prm_allows(self, page):
        return request.env.user.partner_id._prm_portal_allows(page)

    def _prm_partner(self):
        return request.env.user.partner_id.commercial_partner_id

    def _prm_deals_domain(self):
        return Domain("prm_partner_id", "=", self._prm_partner().id) & Domain(
            "prm_registration_state", "!=", False
        )

    def _prm_leads_domain(self):
        return Domain("partner_id", "=", self._prm_partner().id) & Domain(
            "state", "in", ("offered", "accepted")
        )

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "prm_deal_count" in counters:
            values["prm_deal_count"] = (
                request.env["crm.lead"]
                .with_context(active_test=False)
                .search_count(self._prm_deals_domain())
                if self._prm_allows("deals")
                else 0
            )
        if "prm_lead_count" in counters:
            values["prm_lead_count"] = (
                request.env["prm.lead.offer"].search_count(self._prm_leads_domain())
                if self._prm_allows("leads")
                else 0
            )
        return values

    def _prm_deal_searchbar(self):
        env = request.env
        return {
            "sortings": {
                "date": {
                    "label": env._("Newest"),
                    "order": "prm_registration_date desc, id desc",
                },
                "name": {"label": env._("Customer"), "order": "partner_name, id"},
                "revenue": {
                    "label": env._("Expected revenue"),
                    "order": "expected_revenue desc, id desc",
                },
                "protection": {
                    "label": env._("Protection end"),
                    "order": "prm_protection_end, id",
                },
            },
            "filters": {
                "all": {"label": env._("All"), "domain": DEAL_FILTER_DOMAINS["all"]},
                "open": {
                    "label": env._("Waiting for a decision"),
                    "domain": DEAL_FILTER_DOMAINS["open"],
                },
                "approved": {
                    "label": env._("Approved"),
                    "domain": DEAL_FILTER_DOMAINS["approved"],
                },
                "closed": {
                    "label": env._("Rejected, expired, won or lost"),
                    "domain": DEAL_FILTER_DOMAINS["closed"],
                },
            },
            "inputs": {
                "all": {"input": "all", "label": env._("Search in all")},
                "customer": {"input": "customer", "label": env._("Search in customer")},
                "name": {"input": "name", "label": env._("Search in opportunity")},
            },
        }

    def _prm_deal_search_domain(self, search_in, search):
        if not search:
            return Domain.TRUE
        domains = {
            "customer": Domain("partner_name", "ilike", search)
            | Domain("prm_customer_vat", "ilike", search),
            "name": Domain("name", "ilike", search),
        }
        if search_in in domains:
            return domains[search_in]
        return domains["customer"] | domains["name"]

    # --- Deals ---

    @http.route(
        ["/my/deals", "/my/deals/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_prm_deals(
        self, page=1, sortby="date", filterby="all", search_in="all", search=None, **kw
    ):
        if not self._prm_allows("deals"):
            return request.not_found()
        Lead = request.env["crm.lead"].with_context(active_test=False)
        bar = self._prm_deal_searchbar()
        sortby = sortby if sortby in bar["sortings"] else "date"
        filterby = filterby if filterby in bar["filters"] else "all"
        search_in = search_in if search_in in bar["inputs"] else "all"
        domain = (
            self._prm_deals_domain()
            & Domain(bar["filters"][filterby]["domain"])
            & self._prm_deal_search_domain(search_in, search)
        )
        pager = portal_pager(
            url="/my/deals",
            url_args={
                "sortby": sortby,
                "filterby": filterby,
                "search_in": search_in,
                "search": search,
            },
            total=Lead.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        deals = Lead.search_fetch(
            domain,
            [
                "name",
                "partner_name",
                "prm_registration_date",
                "expected_revenue",
                "prm_registration_state",
                "prm_protection_end",
            ],
            order=bar["sortings"][sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "prm_deals",
                "default_url": "/my/deals",
                # sudo: reads of the records the user's record rules returned.
                "deals": deals.sudo(),
                "pager": pager,
                "sortby": sortby,
                "filterby": filterby,
                "search_in": search_in,
                "search": search,
                "searchbar_sortings": bar["sortings"],
                "searchbar_filters": bar["filters"],
                "searchbar_inputs": bar["inputs"],
                "registration_states": dict(
                    Lead._fields["prm_registration_state"]._description_selection(
                        request.env
                    )
                ),
                "message": kw.get("message"),
            }
        )
        return request.render("prm_crm.portal_my_deals", values)

    def _prepare_prm_deal_form_values(self, form=None, error=None):
        Lead = request.env["crm.lead"]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "prm_deal_new",
                "form": form or {},
                "error": error,
                "countries": request.env["res.country"].sudo().search([]),
                # sudo: the catalogue of products for sale, names only.
                "products": request.env["product.product"]
                .sudo()
                .search(Lead._prm_portal_product_domain(), limit=500),
                "currency": request.env.company.currency_id,
            }
        )
        return values

    @http.route(
        "/my/deals/new", type="http", auth="user", methods=["GET"], website=True
    )
    def portal_prm_deal_new(self, **kw):
        if not self._prm_allows("deals"):
            return request.not_found()
        return request.render(
            "prm_crm.portal_my_deal_form", self._prepare_prm_deal_form_values()
        )

    def _prm_registration_vals(self, form):
        """Lead values of the whitelisted form fields only."""
        vals = {
            field: form[key].strip()
            for key, field in REGISTRATION_FORM_FIELDS.items()
            if isinstance(form.get(key), str) and form[key].strip()
        }
        products = request.httprequest.form.getlist("product_ids")
        if products:
            vals["prm_product_ids"] = products
        return vals

    @http.route(
        "/my/deals/new", type="http", auth="user", methods=["POST"], website=True
    )
    def portal_prm_deal_create(self, **form):
        if not self._prm_allows("deals"):
            return request.not_found()
        try:
            lead = request.env["crm.lead"]._prm_portal_register_deal(
                self._prm_registration_vals(form)
            )
        except (UserError, ValidationError, AccessError) as error:
            return request.render(
                "prm_crm.portal_my_deal_form",
                self._prepare_prm_deal_form_values(form, error.args[0]),
                status=400,
            )
        return request.redirect(f"/my/deals/{lead.id}?message=registered")

    def _prm_own_lead(self, lead_id, domain):
        """The lead, sudo'd, when the user reads it and it is its partner's
        (``domain``); else None."""
        try:
            lead_sudo = self._document_check_access("crm.lead", lead_id)
        except (AccessError, MissingError):
            return None
        if not lead_sudo.with_context(active_test=False).filtered_domain(domain):
            return None
        return lead_sudo

    @http.route("/my/deals/<int:lead_id>", type="http", auth="user", website=True)
    def portal_prm_deal(self, lead_id, **kw):
        if not self._prm_allows("deals"):
            return request.not_found()
        lead_sudo = self._prm_own_lead(lead_id, self._prm_deals_domain())
        if not lead_sudo:
            return request.not_found()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "prm_deal",
                "deal": lead_sudo,
                "object": lead_sudo,
                "message": kw.get("message"),
                "registration_states": dict(
                    lead_sudo._fields["prm_registration_state"]._description_selection(
                        request.env
                    )
                ),
            }
        )
        return request.render("prm_crm.portal_my_deal", values)

    # --- Routed leads ---

    def _prm_lead_searchbar(self):
        env = request.env
        return {
            "sortings": {
                "date": {"label": env._("Newest"), "order": "offered_at desc, id desc"},
                "deadline": {"label": env._("Deadline"), "order": "deadline, id"},
            },
            "filters": {
                "all": {"label": env._("All"), "domain": LEAD_FILTER_DOMAINS["all"]},
                "offered": {
                    "label": env._("To answer"),
                    "domain": LEAD_FILTER_DOMAINS["offered"],
                },
                "accepted": {
                    "label": env._("Accepted"),
                    "domain": LEAD_FILTER_DOMAINS["accepted"],
                },
            },
        }

    @http.route(
        ["/my/leads", "/my/leads/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_prm_leads(self, page=1, sortby="date", filterby="all", **kw):
        if not self._prm_allows("leads"):
            return request.not_found()
        Offer = request.env["prm.lead.offer"]
        bar = self._prm_lead_searchbar()
        sortby = sortby if sortby in bar["sortings"] else "date"
        filterby = filterby if filterby in bar["filters"] else "all"
        domain = self._prm_leads_domain() & Domain(bar["filters"][filterby]["domain"])
        pager = portal_pager(
            url="/my/leads",
            url_args={"sortby": sortby, "filterby": filterby},
            total=Offer.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        offers = Offer.search_fetch(
            domain,
            ["lead_id", "state", "deadline"],
            order=bar["sortings"][sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "prm_leads",
                "default_url": "/my/leads",
                # sudo: reads of the offers the user's record rules returned.
                "offers": offers.sudo().with_context(active_test=False),
                "pager": pager,
                "sortby": sortby,
                "filterby": filterby,
                "searchbar_sortings": bar["sortings"],
                "searchbar_filters": bar["filters"],
                "decline_reasons": request.env["prm.offer.decline.reason"].search_fetch(
                    [], ["name"]
                ),
                "now": fields.Datetime.now(),
                "message": kw.get("message"),
                "error": kw.get("error"),
            }
        )
        return request.render("prm_crm.portal_my_leads", values)

    def _prm_own_offer(self, offer_id):
        try:
            offer_sudo = self._document_check_access("prm.lead.offer", offer_id)
        except (AccessError, MissingError):
            return None
        if offer_sudo.partner_id != self._prm_partner():
            return None
        return request.env["prm.lead.offer"].browse(offer_sudo.id)

    def _prm_leads_error(self, error):
        response = self.portal_prm_leads(error=error.args[0])
        response.status_code = 400
        return response

    @http.route(
        "/my/leads/offer/<int:offer_id>/accept",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_prm_offer_accept(self, offer_id, **kw):
        offer = self._prm_own_offer(offer_id) if self._prm_allows("leads") else None
        if not offer:
            return request.not_found()
        try:
            offer.action_prm_accept()
        except (UserError, AccessError) as error:
            return self._prm_leads_error(error)
        return request.redirect(f"/my/leads/{offer.sudo().lead_id.id}?message=accepted")

    @http.route(
        "/my/leads/offer/<int:offer_id>/decline",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_prm_offer_decline(self, offer_id, reason_id=None, note=None, **kw):
        offer = self._prm_own_offer(offer_id) if self._prm_allows("leads") else None
        if not offer:
            return request.not_found()
        try:
            offer.action_prm_decline(reason_id, note)
        except (UserError, AccessError, ValidationError) as error:
            return self._prm_leads_error(error)
        return request.redirect("/my/leads?message=declined")

    def _prm_accepted_lead(self, lead_id):
        if not self._prm_allows("leads"):
            return None, None
        lead_sudo = self._prm_own_lead(
            lead_id, Domain("prm_partner_id", "=", self._prm_partner().id)
        )
        if not lead_sudo:
            return None, None
        lead = request.env["crm.lead"].browse(lead_sudo.id)
        try:
            lead._prm_portal_check_routed()
        except AccessError:
            return None, None
        return lead, lead_sudo

    def _prepare_prm_lead_values(self, lead_sudo, **kw):
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "prm_lead",
                "lead": lead_sudo,
                "object": lead_sudo,
                "stages": lead_sudo._prm_portal_stages(lead_sudo),
                "lost_reasons": request.env["crm.lost.reason"].sudo().search([]),
                "message": kw.get("message"),
                "error": kw.get("error"),
            }
        )
        return values

    @http.route("/my/leads/<int:lead_id>", type="http", auth="user", website=True)
    def portal_prm_lead(self, lead_id, **kw):
        lead, lead_sudo = self._prm_accepted_lead(lead_id)
        if not lead:
            return request.not_found()
        return request.render(
            "prm_crm.portal_my_lead", self._prepare_prm_lead_values(lead_sudo, **kw)
        )

    def _prm_lead_action(self, lead_id, action):
        lead, lead_sudo = self._prm_accepted_lead(lead_id)
        if not lead:
            return request.not_found()
        try:
            action(lead)
        except (UserError, AccessError, ValidationError) as error:
            return request.render(
                "prm_crm.portal_my_lead",
                self._prepare_prm_lead_values(lead_sudo, error=error.args[0]),
                status=400,
            )
        return request.redirect(f"/my/leads/{lead_id}?message=saved")

    @http.route(
        "/my/leads/<int:lead_id>/update",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_prm_lead_update(self, lead_id, **form):
        vals = {key: form[key] for key in LEAD_FORM_FIELDS if form.get(key)}
        return self._prm_lead_action(
            lead_id, lambda lead: lead._prm_portal_update_lead(vals)
        )

    @http.route(
        "/my/leads/<int:lead_id>/won",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_prm_lead_won(self, lead_id, **kw):
        return self._prm_lead_action(lead_id, lambda lead: lead._prm_portal_set_won())

    @http.route(
        "/my/leads/<int:lead_id>/lost",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_prm_lead_lost(self, lead_id, lost_reason_id=None, note=None, **kw):
        return self._prm_lead_action(
            lead_id, lambda lead: lead._prm_portal_set_lost(lost_reason_id, note)
        )
