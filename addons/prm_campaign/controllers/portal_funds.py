from odoo import fields, http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.addons.prm_partner.tools.portal import portal_contact

PAGE_SIZE = 20
# Fields a partner fills on the request form; everything else is the program's.
REQUEST_FIELDS = (
    "title",
    "activity_type",
    "plan",
    "date_start",
    "date_end",
    "expected_results",
    "expected_revenue",
    "amount_requested",
)


class PrmFundsPortal(CustomerPortal):
    """/my/funds: the partner's budgets, requests and claims. No portal
    access rule exists on these models: every record is looked up here after
    the page check, as superuser, and shown only when it is the partner's."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "prm_funds_count" in counters:
            contact = request.env.user.partner_id
            values["prm_funds_count"] = (
                request.env["prm.mdf.request"]
                .sudo()
                .search_count([("partner_id", "=", contact.commercial_partner_id.id)])
                if contact._prm_portal_allows("funds")
                else 0
            )
        return values

    # --- Helpers ---

    def _prm_funds_partner(self):
        return portal_contact("funds").commercial_partner_id

    def _prm_funds_request_sudo(self, request_id):
        """The request ``request_id`` when it is the partner's, else 404."""
        partner = self._prm_funds_partner()
        # sudo: the ownership check below decides, not a record rule.
        request_sudo = request.env["prm.mdf.request"].sudo().browse(request_id).exists()
        if not request_sudo or request_sudo.partner_id != partner:
            raise request.not_found()
        return request_sudo

    def _prepare_prm_funds_values(self, page=1):
        partner = self._prm_funds_partner()
        Request = request.env["prm.mdf.request"].sudo()
        domain = [("partner_id", "=", partner.id)]
        pager = portal_pager(
            url="/my/funds",
            total=Request.search_count(domain),
            page=page,
            step=PAGE_SIZE,
        )
        requests_sudo = Request.search(domain, limit=PAGE_SIZE, offset=pager["offset"])
        budgets_sudo = (
            request.env["prm.mdf.budget"]
            .sudo()
            .search(
                [("partner_id", "=", partner.id), ("state", "!=", "draft")],
                limit=4,
            )
        )
        claims_sudo = (
            request.env["prm.mdf.claim"]
            .sudo()
            .search([("request_id", "in", requests_sudo.ids)], order="id")
        )
        claims_by_request = {}
        for claim in claims_sudo:
            claims_by_request.setdefault(claim.request_id.id, []).append(claim)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "prm_funds",
                "pager": pager,
                "budgets": budgets_sudo,
                "mdf_requests": requests_sudo,
                "claims_by_request": claims_by_request,
                "states": dict(
                    Request._fields["state"]._description_selection(request.env)
                ),
                "claim_states": dict(
                    claims_sudo._fields["state"]._description_selection(request.env)
                ),
                "message": request.params.get("message"),
            }
        )
        return values

    # --- Routes ---

    @http.route(
        ["/my/funds", "/my/funds/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def prm_portal_funds(self, page=1, **kwargs):
        return request.render(
            "prm_campaign.portal_my_funds", self._prepare_prm_funds_values(page)
        )

    @http.route(
        "/my/funds/request/new",
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def prm_portal_funds_new(self, **post):
        partner = self._prm_funds_partner()
        values = self._prepare_portal_layout_values()
        values.update({"page_name": "prm_funds_new", "form": post, "error": None})
        if request.httprequest.method == "POST":
            try:
                # Savepoint: a refused request leaves nothing behind.
                with request.env.cr.savepoint():
                    created = request.env["prm.mdf.request"]._prm_portal_create(
                        partner,
                        request.env.user,
                        {f: post.get(f) for f in REQUEST_FIELDS},
                    )
            except (UserError, ValidationError, AccessError, ValueError) as error:
                values["activity_types"] = (
                    request.env["prm.mdf.request"]
                    ._fields["activity_type"]
                    ._description_selection(request.env)
                )
                values["error"] = error.args[0] if error.args else str(error)
                return request.render(
                    "prm_campaign.portal_my_funds_new", values, status=400
                )
            return request.redirect(f"/my/funds/request/{created.id}?message=submitted")
        values["activity_types"] = (
            request.env["prm.mdf.request"]
            ._fields["activity_type"]
            ._description_selection(request.env)
        )
        return request.render("prm_campaign.portal_my_funds_new", values)

    @http.route(
        "/my/funds/request/<int:request_id>", type="http", auth="user", website=True
    )
    def prm_portal_funds_request(self, request_id, **kwargs):
        request_sudo = self._prm_funds_request_sudo(request_id)
        return request.render(
            "prm_campaign.portal_my_funds_request",
            self._prepare_prm_funds_request_values(request_sudo),
        )

    def _prepare_prm_funds_request_values(self, request_sudo, error=None):
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "prm_funds_request",
                "mdf_request": request_sudo,
                "states": dict(
                    request_sudo._fields["state"]._description_selection(request.env)
                ),
                "claim_states": dict(
                    request.env["prm.mdf.claim"]
                    ._fields["state"]
                    ._description_selection(request.env)
                ),
                "error": error,
                "message": request.params.get("message"),
            }
        )
        return values

    @http.route(
        "/my/funds/request/<int:request_id>/claim",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def prm_portal_funds_claim(self, request_id, **post):
        request_sudo = self._prm_funds_request_sudo(request_id)
        files = [
            (upload.filename, upload.read())
            for upload in request.httprequest.files.getlist("proof")
            if upload.filename
        ]
        try:
            with request.env.cr.savepoint():
                request_sudo._prm_portal_claim(
                    request.env.user, post.get("amount"), post.get("description"), files
                )
        except (UserError, ValidationError, ValueError) as error:
            values = self._prepare_prm_funds_request_values(
                request_sudo, error=error.args[0] if error.args else str(error)
            )
            return request.render(
                "prm_campaign.portal_my_funds_request", values, status=400
            )
        return request.redirect(f"/my/funds/request/{request_sudo.id}?message=claimed")


class PrmSurveysPortal(CustomerPortal):
    """/my/surveys: the surveys sent to the logged-in contact; answered on the
    Survey app's own pages (their links carry the answer's access token)."""

    @http.route("/my/surveys", type="http", auth="user", website=True)
    def prm_portal_surveys(self, **kwargs):
        contact = portal_contact("surveys")
        # sudo: the contact's own invitations only (domain on its partner).
        answers_sudo = (
            request.env["survey.user_input"]
            .sudo()
            .search(
                [("partner_id", "=", contact.id)], order="create_date desc", limit=100
            )
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "prm_surveys",
                "answers": answers_sudo,
                "today": fields.Datetime.now(),
            }
        )
        return request.render("prm_campaign.portal_my_surveys", values)
