from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.addons.prm_partner.tools.portal import portal_contact, portal_count

PAGE_SIZE = 80
REQUEST_FIELDS = (
    "customer_name",
    "customer_street",
    "customer_zip",
    "customer_city",
    "customer_phone",
    "preferred_slot",
    "note",
)


class PrmStockPortal(CustomerPortal):
    """``/my/installations``: the partner's installation requests."""

    def _prm_installation_partner(self):
        return portal_contact("installations")

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "prm_installation_count" in counters:
            values["prm_installation_count"] = portal_count(
                "prm.installation", "installations"
            )
        return values

    @http.route(
        ["/my/installations", "/my/installations/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def prm_installations(self, page=1, **kw):
        self._prm_installation_partner()
        Installation = request.env["prm.installation"]
        count = Installation.search_count([])
        pager = portal_pager(
            url="/my/installations", total=count, page=page, step=PAGE_SIZE
        )
        installations = Installation.search([], limit=PAGE_SIZE, offset=pager["offset"])
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "prm_installations",
                "installations": installations,
                "pager": pager,
            }
        )
        return request.render("prm_stock.portal_my_installations", values)

    @http.route(
        "/my/installations/new",
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def prm_installation_new(self, **post):
        partner = self._prm_installation_partner()
        Installation = request.env["prm.installation"]
        lots = Installation._prm_requestable_lots(partner)
        error = None
        if request.httprequest.method == "POST":
            try:
                installation_sudo = self._prm_installation_create(partner, post)
            except (UserError, ValidationError) as exc:
                error = str(exc)
            else:
                return request.redirect(installation_sudo.access_url)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "prm_installation_new",
                "lots": lots,
                "post": post,
                "error": error,
                "slots": Installation._fields["preferred_slot"]._description_selection(
                    request.env
                ),
                "today": fields.Date.context_today(partner),
            }
        )
        return request.render("prm_stock.portal_installation_new", values)

    def _prm_installation_create(self, partner, post):
        lot_id = str(post.get("lot_id") or "")
        lots = request.env["prm.installation"]._prm_requestable_lots(partner)
        lot = lots.filtered(lambda lot: str(lot.id) == lot_id)
        if not lot:
            raise UserError(
                request.env._(
                    "Choose a serial number you received that has no open "
                    "installation request."
                )
            )
        missing = [
            name
            for name in (
                "customer_name",
                "customer_street",
                "customer_city",
                "customer_phone",
            )
            if not (post.get(name) or "").strip()
        ]
        if missing:
            raise UserError(
                request.env._(
                    "Fill in the end customer's name, street, city and phone."
                )
            )
        try:
            preferred = fields.Date.to_date(post.get("preferred_date"))
        except ValueError:
            preferred = None
        if not preferred or preferred < fields.Date.context_today(partner):
            raise UserError(request.env._("Choose a preferred date from today on."))
        vals = {
            name: (post.get(name) or "").strip()[:256] or False
            for name in REQUEST_FIELDS
        }
        slots = dict(
            request.env["prm.installation"]._fields["preferred_slot"].selection
        )
        if vals["preferred_slot"] not in slots:
            vals["preferred_slot"] = False
        vals.update(
            {
                "partner_id": partner.commercial_partner_id.id,
                "requested_by_id": partner.id,
                "lot_id": lot.id,
                "preferred_date": preferred,
                "company_id": lot.company_id.id or request.env.company.id,
            }
        )
        # sudo: portal users may not create requests; the values are whitelisted
        # and the serial was checked against the partner's own deliveries.
        return request.env["prm.installation"].sudo().create(vals)

    def _prm_installation_get(self, installation_id):
        self._prm_installation_partner()
        try:
            return self._document_check_access("prm.installation", installation_id)
        except (AccessError, MissingError) as exc:
            raise NotFound() from exc

    @http.route(
        "/my/installations/<int:installation_id>",
        type="http",
        auth="user",
        website=True,
    )
    def prm_installation_page(self, installation_id, **kw):
        installation_sudo = self._prm_installation_get(installation_id)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "prm_installation",
                "installation": installation_sudo,
                "rating": installation_sudo._prm_rating_of(request.env.user.partner_id),
                "error": kw.get("error"),
            }
        )
        return request.render("prm_stock.portal_installation_page", values)

    @http.route(
        "/my/installations/<int:installation_id>/rate",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def prm_installation_rate(self, installation_id, rate=None, feedback=None, **kw):
        installation_sudo = self._prm_installation_get(installation_id)
        partner = request.env.user.partner_id
        url = installation_sudo.access_url
        if installation_sudo.state != "done":
            return request.redirect(f"{url}?error=not_done")
        if installation_sudo._prm_rating_of(partner):
            return request.redirect(f"{url}?error=rated")
        if str(rate) not in ("1", "3", "5"):
            return request.redirect(f"{url}?error=rate")
        token = installation_sudo._rating_get_access_token(partner=partner)
        installation_sudo.rating_apply(
            int(rate), token=token, feedback=(feedback or "").strip()[:2000]
        )
        return request.redirect(url)
