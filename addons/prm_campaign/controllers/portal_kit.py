"""/my/campaigns: the kits a partner may run, its activations with their
co-branded files, email, posts and results, and its printed-material orders.

Portal users have no access rights on the campaign models: each route checks
the contact's page roles first, then reads as superuser only the rows of the
contact's own company (another partner's ids answer 404)."""

import base64

from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.addons.prm_partner.tools.upload import check_upload

PAGE_SIZE = 20
LOGO_MIMETYPES = ("image/png", "image/jpeg")
# Who may change the company logo the files are co-branded with.
LOGO_ROLES = {"admin", "marketing"}


class PrmCampaignKitPortal(CustomerPortal):
    # --- Helpers ---

    def _prm_campaign_partner(self):
        """The contact's company when its roles open the campaigns page."""
        contact = request.env.user.partner_id
        if request.env.user._is_public() or not contact._prm_portal_allows("campaigns"):
            return None
        return contact.commercial_partner_id

    def _prm_activation_sudo(self, partner, activation_id):
        """The partner's own activation ``activation_id`` (superuser), or None."""
        activation_sudo = (
            request.env["prm.campaign.activation"].sudo().browse(activation_id).exists()
        )
        if not activation_sudo or activation_sudo.partner_id != partner:
            return None
        return activation_sudo

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "prm_campaign_count" in counters:
            partner = self._prm_campaign_partner()
            values["prm_campaign_count"] = (
                request.env["prm.campaign.activation"]
                .sudo()
                .search_count([("partner_id", "=", partner.id)])
                if partner
                else 0
            )
        return values

    def _prm_may_change_logo(self):
        roles = request.env.user.partner_id._prm_portal_role_codes()
        return bool(roles & LOGO_ROLES)

    # --- List ---

    def _prepare_prm_campaigns_values(self, partner, page=1, error=None):
        Kit = request.env["prm.campaign.kit"].sudo()
        Activation = request.env["prm.campaign.activation"].sudo()
        domain = [("partner_id", "=", partner.id)]
        count = Activation.search_count(domain)
        pager = portal_pager(
            url="/my/campaigns", total=count, page=page, step=PAGE_SIZE
        )
        activations = Activation.search(domain, limit=PAGE_SIZE, offset=pager["offset"])
        activated_kits = set(
            Activation.search_fetch(domain, ["kit_id"]).mapped("kit_id").ids
        )
        kits = Kit.search(Kit._prm_available_domain(partner))
        orders = (
            request.env["prm.campaign.print.order"]
            .sudo()
            .search(domain, limit=PAGE_SIZE)
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "prm_campaigns",
                "pager": pager,
                "partner": partner,
                "kits": kits,
                "activated_kits": activated_kits,
                "activations": activations,
                "results": activations._prm_results(),
                "orders": orders,
                "may_change_logo": self._prm_may_change_logo(),
                "error": error,
            }
        )
        return values

    @http.route(
        ["/my/campaigns", "/my/campaigns/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def prm_portal_campaigns(self, page=1, **kwargs):
        partner = self._prm_campaign_partner()
        if not partner:
            return request.not_found()
        return request.render(
            "prm_campaign.portal_my_campaigns",
            self._prepare_prm_campaigns_values(partner, page),
        )

    @http.route(
        "/my/campaigns/kit/<int:kit_id>/activate",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def prm_portal_campaign_activate(self, kit_id, **kwargs):
        partner = self._prm_campaign_partner()
        if not partner:
            return request.not_found()
        Kit = request.env["prm.campaign.kit"].sudo()
        kit_sudo = Kit.browse(kit_id).exists()
        if not kit_sudo or not kit_sudo.filtered_domain(
            Kit._prm_available_domain(partner)
        ):
            return request.not_found()
        try:
            activation = (
                request.env["prm.campaign.activation"]
                .sudo()
                ._prm_activate(kit_sudo, partner)
            )
        except (UserError, ValidationError) as error:
            return request.render(
                "prm_campaign.portal_my_campaigns",
                self._prepare_prm_campaigns_values(partner, error=error.args[0]),
                status=400,
            )
        return request.redirect(f"/my/campaigns/{activation.id}")

    @http.route(
        "/my/campaigns/logo",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def prm_portal_campaign_logo(self, **kwargs):
        """Replace the company logo the files are co-branded with (the
        partner's activations are regenerated with it)."""
        partner = self._prm_campaign_partner()
        if not partner or not self._prm_may_change_logo():
            return request.not_found()
        upload = request.httprequest.files.get("logo")
        try:
            if not upload or not upload.filename:
                raise ValidationError(request.env._("Choose an image to upload."))
            content = upload.read()
            mimetype = check_upload(request.env, upload.filename, content)
            if mimetype not in LOGO_MIMETYPES:
                raise ValidationError(
                    request.env._(
                        "%(file)s is not a PNG or JPEG image.", file=upload.filename
                    )
                )
            # sudo: the contact's own company, after the role check above.
            partner.sudo().image_1920 = base64.b64encode(content)
        except (UserError, ValidationError) as error:
            return request.render(
                "prm_campaign.portal_my_campaigns",
                self._prepare_prm_campaigns_values(partner, error=error.args[0]),
                status=400,
            )
        return request.redirect("/my/campaigns")

    # --- One activation ---

    def _prepare_prm_activation_values(self, activation_sudo, error=None):
        partner = activation_sudo.partner_id
        items = activation_sudo.kit_id.print_item_ids
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "prm_campaign",
                "activation": activation_sudo,
                "results": activation_sudo._prm_results().get(activation_sudo.id, {}),
                "posts": activation_sudo._prm_social_posts(),
                "items": items,
                "remaining": items._prm_remaining(partner),
                "orders": activation_sudo.print_order_ids,
                "error": error,
            }
        )
        return values

    @http.route(
        "/my/campaigns/<int:activation_id>", type="http", auth="user", website=True
    )
    def prm_portal_campaign(self, activation_id, **kwargs):
        partner = self._prm_campaign_partner()
        activation_sudo = partner and self._prm_activation_sudo(partner, activation_id)
        if not activation_sudo:
            return request.not_found()
        return request.render(
            "prm_campaign.portal_my_campaign",
            self._prepare_prm_activation_values(activation_sudo),
        )

    @http.route(
        "/my/campaigns/<int:activation_id>/file/<int:attachment_id>",
        type="http",
        auth="user",
        website=True,
    )
    def prm_portal_campaign_file(self, activation_id, attachment_id, **kwargs):
        partner = self._prm_campaign_partner()
        activation_sudo = partner and self._prm_activation_sudo(partner, activation_id)
        if not activation_sudo:
            return request.not_found()
        attachment_sudo = activation_sudo.file_ids.filtered(
            lambda attachment: attachment.id == attachment_id
        )
        if not attachment_sudo:
            return request.not_found()
        stream = request.env["ir.binary"]._get_stream_from(attachment_sudo)
        return stream.get_response(as_attachment=True)

    @http.route(
        "/my/campaigns/<int:activation_id>/order",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def prm_portal_campaign_order(
        self, activation_id, item_id=None, quantity=None, **kwargs
    ):
        partner = self._prm_campaign_partner()
        activation_sudo = partner and self._prm_activation_sudo(partner, activation_id)
        if not activation_sudo:
            return request.not_found()
        try:
            item_id = int(item_id or 0)
            quantity = int(quantity or 0)
        except ValueError:
            item_id = quantity = 0
        item = activation_sudo.kit_id.print_item_ids.filtered(
            lambda line: line.id == item_id
        )
        try:
            if not item:
                raise ValidationError(
                    request.env._("Choose printed material of this kit.")
                )
            if quantity <= 0:
                raise ValidationError(request.env._("Order at least one copy."))
            # sudo: the partner's own activation and an item of its kit; the
            # quota and the approval are decided by the order itself.
            request.env["prm.campaign.print.order"].sudo().create(
                {
                    "activation_id": activation_sudo.id,
                    "item_id": item.id,
                    "quantity": quantity,
                }
            )
        except (UserError, ValidationError) as error:
            return request.render(
                "prm_campaign.portal_my_campaign",
                self._prepare_prm_activation_values(
                    activation_sudo, error=error.args[0]
                ),
                status=400,
            )
        return request.redirect(f"/my/campaigns/{activation_sudo.id}#orders")
