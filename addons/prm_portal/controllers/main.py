"""Public website pages of the partner program: the “Become a partner” form
and the “Find a partner” directory. Both live under ``/partner-program/`` so
that ``website_crm_partner_assign``'s ``/partners/…`` routes keep theirs."""

from odoo import http
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.http import request

from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.addons.prm_partner.tools.normalize import email_domain

# Fields of the form passed to prm.application._prm_portal_submit, which keeps
# only its own whitelist anyway.
APPLY_FIELDS = (
    "name",
    "vat",
    "country_id",
    "city",
    "website",
    "contact_name",
    "email",
    "phone",
    "partner_type_id",
    "declared_revenue",
    "headcount",
    "description",
)
APPLY_INT_FIELDS = ("country_id", "partner_type_id")
# A field people never see (hidden by CSS): robots filling every input fill it.
HONEYPOT = "company_fax"
DIRECTORY_STEP = 20


class PrmWebsite(http.Controller):
    # --- Become a partner ---

    def _prm_apply_values(self, values=None, error=None):
        return {
            "countries": request.env["res.country"].sudo().search([]),
            "partner_types": request.env["prm.partner.type"].sudo().search([]),
            "values": values or {},
            "error": error,
            "honeypot": HONEYPOT,
        }

    @http.route(
        "/partner-program/apply",
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
        sitemap=True,
    )
    def prm_apply(self, **kw):
        return request.render("prm_portal.prm_apply", self._prm_apply_values())

    def _prm_throttle_keys(self, email):
        """(scope, key) the submission counts against: the client address, and
        the email domain (the whole address for free-mail providers, which
        thousands of unrelated applicants share)."""
        Application = request.env["prm.application"]
        address = (email or "").strip().lower()
        domain = email_domain(address, Application._prm_free_mail_domains())
        return [
            ("ip", request.httprequest.remote_addr),
            ("email", domain or address or False),
        ]

    def _prm_apply_vals(self, post):
        vals = {key: post.get(key) for key in APPLY_FIELDS if post.get(key)}
        for key in APPLY_INT_FIELDS:
            if key in vals:
                vals[key] = int(vals[key]) if str(vals[key]).isdigit() else vals[key]
        return vals

    @http.route(
        "/partner-program/apply",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        sitemap=False,
    )
    def prm_apply_submit(self, **post):
        if post.get(HONEYPOT):
            # Answer as if accepted: a robot learns nothing; nothing is stored.
            return request.redirect("/partner-program/apply/thanks")
        exceeded = request.env["prm.portal.throttle"]._prm_hit(
            self._prm_throttle_keys(post.get("email"))
        )
        if exceeded:
            return request.render(
                "prm_portal.prm_apply_rate_limited",
                {"scopes": exceeded},
                status=429,
                headers={"Retry-After": "3600"},
            )
        vals = self._prm_apply_vals(post)
        Application = request.env["prm.application"].with_company(
            request.website.company_id
        )
        try:
            with request.env.cr.savepoint():
                Application._prm_portal_submit(vals)
        except ValidationError as error:
            return request.render(
                "prm_portal.prm_apply",
                self._prm_apply_values(post, error=str(error)),
                status=400,
            )
        return request.redirect("/partner-program/apply/thanks")

    @http.route(
        "/partner-program/apply/thanks",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
    )
    def prm_apply_thanks(self, **kw):
        return request.render("prm_portal.prm_apply_thanks", {})

    # --- Find a partner ---

    def _prm_directory_filters(self, partner_type=None, tier=None, country=None):
        """Domain of the filters a visitor chose (ids of the query string)."""
        domain = Domain.TRUE
        for fname, value in (
            ("prm_partner_type_id", partner_type),
            ("prm_tier_id", tier),
        ):
            if value and str(value).isdigit():
                domain &= Domain(fname, "=", int(value))
        if country and str(country).isdigit():
            # Where the partner is, or a country of its territory.
            domain &= Domain("country_id", "=", int(country)) | Domain(
                "prm_country_ids", "in", [int(country)]
            )
        return domain

    def _prm_directory_extra_filters(self, kw):
        """Hook for modules adding filters to the directory: ``(domain,
        {query key: value kept in the pager links and the form},
        {template values})`` from the query string ``kw``. Each filter
        must cost the same queries whatever the number of partners."""
        return Domain.TRUE, {}, {}

    @http.route(
        [
            "/partner-program/directory",
            "/partner-program/directory/page/<int:page>",
        ],
        type="http",
        auth="public",
        website=True,
        sitemap=True,
    )
    def prm_directory(
        self, page=1, partner_type=None, tier=None, country=None, search=None, **kw
    ):
        # sudo: visitors read only the published partners of this domain, and
        # only what the page shows.
        Partner = request.env["res.partner"].sudo()
        base = Partner._prm_directory_domain()
        domain = base & self._prm_directory_filters(partner_type, tier, country)
        extra_domain, extra_args, extra_values = self._prm_directory_extra_filters(kw)
        domain &= extra_domain
        if search:
            domain &= Domain("name", "ilike", search)
        total = Partner.search_count(domain)
        url_args = {
            key: value
            for key, value in (
                ("partner_type", partner_type),
                ("tier", tier),
                ("country", country),
                ("search", search),
            )
            if value
        }
        url_args.update({key: value for key, value in extra_args.items() if value})
        pager = portal_pager(
            url="/partner-program/directory",
            url_args=url_args,
            total=total,
            page=page,
            step=DIRECTORY_STEP,
        )
        partners = Partner.search(
            domain,
            order="name, id",
            limit=DIRECTORY_STEP,
            offset=pager["offset"],
        )
        # Where listed partners are, and the countries of their territories.
        country_ids = {
            country.id
            for fname in ("country_id", "prm_country_ids")
            for (country,) in Partner._read_group(base, [fname])
            if country
        }
        countries = request.env["res.country"].sudo().browse(country_ids)
        values = {
            "partners": partners,
            "pager": pager,
            "total": total,
            "partner_types": request.env["prm.partner.type"].sudo().search([]),
            "tiers": request.env["prm.tier"]
            .sudo()
            .search([("company_id", "in", [False, request.website.company_id.id])]),
            "countries": countries.sorted("name"),
            "filters": {
                "partner_type": partner_type,
                "tier": tier,
                "country": country,
                "search": search or "",
                **extra_args,
            },
            **extra_values,
        }
        return request.render("prm_portal.prm_directory", values)

    @http.route(
        "/partner-program/partner/<string:partner_slug>",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
    )
    def prm_directory_partner(self, partner_slug, **kw):
        _name, partner_id = request.env["ir.http"]._unslug(partner_slug)
        if not partner_id:
            raise request.not_found()
        Partner = request.env["res.partner"].sudo()
        partner_sudo = Partner.search(
            Partner._prm_directory_domain() & Domain("id", "=", partner_id), limit=1
        )
        if not partner_sudo:
            raise request.not_found()
        return request.render(
            "prm_portal.prm_directory_partner",
            self._prm_directory_partner_values(partner_sudo),
        )

    def _prm_directory_partner_values(self, partner_sudo):
        """Hook: values of a listed partner's public page."""
        return {"partner": partner_sudo}
