from odoo import http
from odoo.exceptions import ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.prm_partner.tools.portal import portal_contact

from ..models.prm_webhook_subscription import EVENTS


class PrmWebhookPortal(CustomerPortal):
    """/my/webhooks: a partner's admins subscribe their systems' https
    endpoints to the program's events. The program roles decide first (404
    otherwise); subscriptions are read and written as superuser only for the
    user's own company, with the event and URL taken from the form."""

    def _prm_subscriptions_sudo(self, partner):
        # sudo: portal users have no access to subscriptions; the domain keeps
        # the user's own company's.
        return (
            request.env["prm.webhook.subscription"]
            .sudo()
            .search([("partner_id", "=", partner.id)])
        )

    def _prm_events(self):
        Subscription = request.env["prm.webhook.subscription"]
        labels = dict(Subscription._fields["event"]._description_selection(request.env))
        return [
            (code, labels[code])
            for code, spec in EVENTS.items()
            if spec["model"] in request.env
        ]

    def _prm_render_webhooks(self, error=None, form=None, status=200):
        partner = portal_contact("webhooks").commercial_partner_id
        values = {
            **self._prepare_portal_layout_values(),
            "page_name": "prm_webhooks",
            "subscriptions": self._prm_subscriptions_sudo(partner),
            "events": self._prm_events(),
            "event_labels": dict(self._prm_events()),
            "error": error,
            "form": form or {},
        }
        return request.render("prm_webhook.portal_my_webhooks", values, status=status)

    @http.route("/my/webhooks", type="http", auth="user", website=True)
    def prm_webhooks(self, **kw):
        return self._prm_render_webhooks()

    @http.route(
        "/my/webhooks/new", type="http", auth="user", methods=["POST"], website=True
    )
    def prm_webhook_new(self, event=None, url=None, **kw):
        partner = portal_contact("webhooks").commercial_partner_id
        form = {"event": event, "url": url}
        if event not in dict(self._prm_events()):
            return self._prm_render_webhooks(
                request.env._("Choose an event of the list."), form, status=400
            )
        try:
            with request.env.cr.savepoint():
                request.env["prm.webhook.subscription"].sudo().create(
                    {
                        "partner_id": partner.id,
                        "event": event,
                        "url": (url or "").strip(),
                    }
                )
        except ValidationError as error:
            return self._prm_render_webhooks(error.args[0], form, status=400)
        return request.redirect("/my/webhooks")

    @http.route(
        "/my/webhooks/<int:subscription_id>/delete",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def prm_webhook_delete(self, subscription_id, **kw):
        partner = portal_contact("webhooks").commercial_partner_id
        subscription_sudo = self._prm_subscriptions_sudo(partner).filtered(
            lambda s: s.id == subscription_id
        )
        if not subscription_sudo:
            return request.not_found()
        subscription_sudo.unlink()
        return request.redirect("/my/webhooks")
