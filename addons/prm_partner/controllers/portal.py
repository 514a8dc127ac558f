import binascii

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

# Models whose documents the onboarding page lets the partner download.
DOWNLOADABLE_MODELS = ("prm.checklist.item", "prm.agreement", "prm.authority")


class PrmOnboardingPortal(CustomerPortal):
    """/my/onboarding: the partner's checklist, agreements and authority
    documents. Access: the contact's program roles first (404 otherwise), then
    the record rules of the portal user; ``sudo()`` only on the single record
    that passed."""

    # --- Helpers ---

    def _prm_contact_allows(self, page):
        return request.env.user.partner_id._prm_portal_allows(page)

    def _prm_onboarding_domain(self):
        partner = request.env.user.partner_id.commercial_partner_id
        return [("partner_id", "=", partner.id)]

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "prm_onboarding_count" in counters:
            values["prm_onboarding_count"] = (
                request.env["prm.checklist.item"].search_count(
                    [
                        *self._prm_onboarding_domain(),
                        ("state", "in", ("open", "rejected")),
                    ]
                )
                if self._prm_contact_allows("onboarding")
                else 0
            )
        return values

    def _prm_onboarding_record(self, model, record_id):
        """The record of the user's own partner, else raise (the caller answers
        404): readable by the portal user and of its commercial partner."""
        if model not in DOWNLOADABLE_MODELS:
            raise MissingError(model)
        record = request.env[model].browse(record_id)
        record_sudo = self._document_check_access(model, record_id)
        partner = request.env.user.partner_id.commercial_partner_id
        if record_sudo.partner_id != partner:
            raise AccessError(model)
        return record, record_sudo

    def _prepare_prm_onboarding_values(self, **kwargs):
        partner = request.env.user.partner_id.commercial_partner_id
        domain = self._prm_onboarding_domain()
        env = request.env
        items = env["prm.checklist.item"].search(domain)
        agreements = env["prm.agreement"].search(
            [*domain, ("state", "in", ("draft", "active"))]
        )
        authorities = env["prm.authority"].search(
            [*domain, ("state", "in", ("submitted", "approved"))]
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "prm_onboarding",
                "prm_partner": partner.sudo(),
                # sudo: reads of records the user's record rules returned.
                "items": items.sudo(),
                "agreements": agreements.sudo(),
                "to_accept": agreements.sudo()._prm_portal_to_accept(),
                "authorities": authorities.sudo(),
                "error": kwargs.get("error"),
                "message": kwargs.get("message"),
            }
        )
        return values

    # --- Routes ---

    @http.route("/my/onboarding", type="http", auth="user", website=True)
    def portal_prm_onboarding(self, **kwargs):
        if not self._prm_contact_allows("onboarding"):
            return request.not_found()
        return request.render(
            "prm_partner.portal_my_onboarding",
            self._prepare_prm_onboarding_values(**kwargs),
        )

    @http.route(
        "/my/onboarding/item/<int:item_id>/upload",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_prm_onboarding_upload(self, item_id, **kwargs):
        if not self._prm_contact_allows("onboarding"):
            return request.not_found()
        try:
            item, _item_sudo = self._prm_onboarding_record(
                "prm.checklist.item", item_id
            )
        except (AccessError, MissingError):
            return request.not_found()
        files = [
            (upload.filename, upload.read())
            for upload in request.httprequest.files.getlist("attachment")
            if upload.filename
        ]
        try:
            item._prm_portal_upload(files)
        except (UserError, ValidationError) as error:
            values = self._prepare_prm_onboarding_values(error=error.args[0])
            values["error_item_id"] = item.id
            return request.render(
                "prm_partner.portal_my_onboarding", values, status=400
            )
        return request.redirect("/my/onboarding?message=uploaded")

    @http.route(
        "/my/onboarding/<string:kind>/<int:record_id>/document/<int:attachment_id>",
        type="http",
        auth="user",
        website=True,
    )
    def portal_prm_onboarding_download(self, kind, record_id, attachment_id, **kw):
        models = {
            "item": "prm.checklist.item",
            "agreement": "prm.agreement",
            "authority": "prm.authority",
        }
        if kind not in models or not self._prm_contact_allows("onboarding"):
            return request.not_found()
        try:
            _record, record_sudo = self._prm_onboarding_record(models[kind], record_id)
        except (AccessError, MissingError):
            return request.not_found()
        attachment_sudo = record_sudo.attachment_ids.filtered(
            lambda a: a.id == attachment_id
        )
        if not attachment_sudo:
            return request.not_found()
        stream = request.env["ir.binary"]._get_stream_from(attachment_sudo)
        return stream.get_response(as_attachment=True)

    @http.route(
        "/my/onboarding/agreement/<int:agreement_id>",
        type="http",
        auth="user",
        website=True,
    )
    def portal_prm_agreement(self, agreement_id, **kwargs):
        if not self._prm_contact_allows("onboarding"):
            return request.not_found()
        try:
            _agreement, agreement_sudo = self._prm_onboarding_record(
                "prm.agreement", agreement_id
            )
        except (AccessError, MissingError):
            return request.not_found()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "prm_agreement",
                "agreement": agreement_sudo,
                "to_accept": bool(agreement_sudo._prm_portal_to_accept()),
                "message": kwargs.get("message"),
            }
        )
        return request.render("prm_partner.portal_my_agreement", values)

    @http.route(
        "/my/onboarding/agreement/<int:agreement_id>/accept",
        type="jsonrpc",
        auth="user",
        website=True,
    )
    def portal_prm_agreement_accept(self, agreement_id, name=None, signature=None):
        if not self._prm_contact_allows("onboarding"):
            return {"error": request.env._("This agreement cannot be accepted here.")}
        try:
            agreement, _agreement_sudo = self._prm_onboarding_record(
                "prm.agreement", agreement_id
            )
            agreement._prm_portal_accept(name, signature)
        except (AccessError, MissingError):
            return {"error": request.env._("This agreement cannot be accepted here.")}
        except (UserError, ValidationError) as error:
            return {"error": error.args[0]}
        except (TypeError, binascii.Error):
            return {"error": request.env._("The signature could not be read.")}
        return {
            "force_refresh": True,
            "redirect_url": f"/my/onboarding/agreement/{agreement_id}?message=signed",
        }
