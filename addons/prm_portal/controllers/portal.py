"""The partner's pages of the customer portal: program home, team, documents.

Every route first asks ``_prm_portal_allows(page)`` of the user's contact and
answers 404 when it says no; records are read through the user's environment
(record rules) and only the single record that passed is read as superuser.
"""

from odoo import http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.http import request
from odoo.tools.translate import LazyTranslate

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

_lt = LazyTranslate(__name__)

# Names of the portal pages a role opens (the Team page explains the roles);
# modules' page keys without a label here are shown as they are.
PAGE_LABELS = {
    "onboarding": _lt("Onboarding"),
    "team": _lt("Team"),
    "documents": _lt("Documents"),
    "deals": _lt("Deal registrations"),
    "leads": _lt("Routed leads"),
    "incentives": _lt("Incentives"),
    "training": _lt("Training"),
    "order": _lt("Orders"),
    "activations": _lt("Activations"),
}


class PrmProgramPortal(CustomerPortal):
    # --- /my home ---

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        contact = request.env.user.partner_id
        if "prm_document_count" in counters:
            values["prm_document_count"] = (
                request.env["prm.portal.document"].search_count(
                    self._prm_document_domain(contact)
                )
                if contact._prm_portal_allows("documents")
                else 0
            )
        if "prm_team_count" in counters:
            values["prm_team_count"] = (
                len(contact.commercial_partner_id._prm_portal_team_contacts())
                if contact._prm_portal_allows("team")
                else 0
            )
        return values

    # --- Helpers ---

    def _prm_contact(self, page):
        """The user's contact when it may open ``page``, else 404."""
        contact = request.env.user.partner_id
        if not contact._prm_portal_allows(page):
            raise request.not_found()
        return contact

    def _prm_document_domain(self, contact):
        Document = request.env["prm.portal.document"]
        return Document._prm_portal_domain(contact.commercial_partner_id)

    # --- Program home ---

    @http.route("/my/program", type="http", auth="user", website=True)
    def portal_my_prm_program(self, **kw):
        contact = self._prm_contact("program")
        values = self._prepare_portal_layout_values()
        values.update(contact._prm_portal_program_values())
        values["page_name"] = "prm_program"
        return request.render("prm_portal.portal_my_prm_program", values)

    # --- Documents ---

    def _prm_document_sortings(self):
        return {
            "sequence": {
                "label": request.env._("Default"),
                "order": "sequence, id desc",
            },
            "name": {"label": request.env._("Title"), "order": "name, id"},
            "date": {
                "label": request.env._("Newest"),
                "order": "create_date desc, id desc",
            },
        }

    @http.route(
        ["/my/documents", "/my/documents/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_prm_documents(self, page=1, sortby="sequence", search=None, **kw):
        contact = self._prm_contact("documents")
        Document = request.env["prm.portal.document"]
        sortings = self._prm_document_sortings()
        sortby = sortby if sortby in sortings else "sequence"
        domain = self._prm_document_domain(contact)
        if search:
            domain &= Domain("name", "ilike", search) | Domain(
                "description", "ilike", search
            )
        total = Document.search_count(domain)
        pager = portal_pager(
            url="/my/documents",
            url_args={"sortby": sortby, "search": search},
            total=total,
            page=page,
            step=self._items_per_page,
        )
        documents = Document.search(
            domain,
            order=sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        # sudo: partners may not read download rows; counted for their own
        # company only.
        downloads = dict(
            request.env["prm.portal.document.download"]
            .sudo()
            ._read_group(
                [
                    ("document_id", "in", documents.ids),
                    ("partner_id", "=", contact.commercial_partner_id.id),
                ],
                ["document_id"],
                ["__count"],
            )
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "documents": documents,
                "downloads": {doc.id: count for doc, count in downloads.items()},
                "page_name": "prm_documents",
                "pager": pager,
                "default_url": "/my/documents",
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "search": search or "",
                "search_in": "name",
                "searchbar_inputs": {
                    "name": {
                        "input": "name",
                        "label": request.env._("Search in titles"),
                    }
                },
            }
        )
        return request.render("prm_portal.portal_my_prm_documents", values)

    @http.route(
        "/my/documents/<int:document_id>/download",
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_prm_document_download(self, document_id, **kw):
        contact = self._prm_contact("documents")
        document = request.env["prm.portal.document"].search(
            self._prm_document_domain(contact) & Domain("id", "=", document_id),
            limit=1,
        )
        if not document:
            raise request.not_found()
        document_sudo = document.sudo()
        document_sudo._prm_log_download(request.env.user)
        stream = request.env["ir.binary"]._get_stream_from(
            document_sudo,
            "file",
            filename=document_sudo.file_name or document_sudo.name,
        )
        return stream.get_response(as_attachment=True)

    # --- Team ---

    def _prm_team_values(self, contact, error=None, invite=None):
        team_sudo = contact.commercial_partner_id._prm_portal_team_contacts()
        roles = request.env["prm.role"].sudo().search([])
        page_roles = contact._prm_portal_page_roles()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "prm_team",
                "me": contact,
                "team": team_sudo,
                "users": {
                    member.id: member.with_context(active_test=False).user_ids[:1]
                    for member in team_sudo.with_context(active_test=False)
                },
                "roles": roles,
                "role_pages": {
                    role.code: sorted(
                        str(PAGE_LABELS.get(page, page))
                        for page, codes in page_roles.items()
                        if role.code in codes
                    )
                    for role in roles
                },
                "error": error,
                "invite": invite or {},
            }
        )
        return values

    @http.route("/my/team", type="http", auth="user", website=True)
    def portal_my_prm_team(self, **kw):
        contact = self._prm_contact("team")
        return request.render(
            "prm_portal.portal_my_prm_team", self._prm_team_values(contact)
        )

    def _prm_team_error(self, contact, error, invite=None):
        return request.render(
            "prm_portal.portal_my_prm_team",
            self._prm_team_values(contact, error=error, invite=invite),
            status=400,
        )

    @http.route(
        "/my/team/invite", type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_my_prm_team_invite(self, name=None, email=None, **kw):
        contact = self._prm_contact("team")
        role_ids = request.httprequest.form.getlist("role_ids")
        try:
            with request.env.cr.savepoint():
                contact._prm_portal_invite(name, email, role_ids)
        except (UserError, ValidationError) as error:
            return self._prm_team_error(
                contact, str(error), {"name": name, "email": email}
            )
        return request.redirect("/my/team?invited=1")

    @http.route(
        "/my/team/<int:contact_id>/roles",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_my_prm_team_roles(self, contact_id, **kw):
        contact = self._prm_contact("team")
        role_ids = request.httprequest.form.getlist("role_ids")
        try:
            with request.env.cr.savepoint():
                contact._prm_portal_set_roles(contact_id, role_ids)
        except AccessError as error:
            raise request.not_found() from error
        except (UserError, ValidationError) as error:
            return self._prm_team_error(contact, str(error))
        return request.redirect("/my/team")

    @http.route(
        "/my/team/<int:contact_id>/access",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_my_prm_team_access(self, contact_id, active=None, **kw):
        contact = self._prm_contact("team")
        try:
            with request.env.cr.savepoint():
                contact._prm_portal_set_access(contact_id, active == "1")
        except AccessError as error:
            raise request.not_found() from error
        except (UserError, ValidationError) as error:
            return self._prm_team_error(contact, str(error))
        return request.redirect("/my/team")
