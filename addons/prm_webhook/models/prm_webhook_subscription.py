import hashlib
import hmac
import ipaddress
import json
import logging
import secrets
import uuid
from urllib.parse import urlsplit

import requests

from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError

_logger = logging.getLogger(__name__)

# The events a partner subscribes to, on models of other modules: an event is
# offered only when its model is installed (prm_webhook depends on neither).
# ``fields`` are what the partner receives: its own record, nothing else.
EVENTS = {
    "lead_offered": {
        "model": "prm.lead.offer",
        "module": "prm_crm",
        "partner_field": "partner_id",
        "state_field": "state",
        "states": ["offered"],
        "fields": [
            "lead_name",
            "lead_city",
            "lead_zip",
            "lead_country_id",
            "lead_expected_revenue",
            "offered_at",
            "deadline",
            "state",
        ],
    },
    "registration_decided": {
        "model": "crm.lead",
        "module": "prm_crm",
        "partner_field": "prm_partner_id",
        "state_field": "prm_registration_state",
        "states": ["approved", "rejected"],
        "fields": [
            "name",
            "partner_name",
            "prm_registration_state",
            "prm_protection_end",
            "prm_decision_reason",
        ],
    },
    "settlement_posted": {
        "model": "prm.settlement",
        "module": "prm_incentive",
        "partner_field": "partner_id",
        "state_field": "state",
        "states": ["posted"],
        "fields": [
            "name",
            "date_from",
            "date_to",
            "amount_total",
            "amount_to_pay",
            "currency_id",
            "state",
        ],
    },
}
EVENT_SELECTION = [
    ("lead_offered", "Lead offered"),
    ("registration_decided", "Deal registration decided"),
    ("settlement_posted", "Settlement posted"),
]
SIGNATURE_HEADER = "X-PRM-Signature"
# Seconds to wait for the partner's endpoint: a slow endpoint never holds the
# transaction that raised the event (delivery runs after the commit).
TIMEOUT = 5


def check_https_url(env, url):
    """Refuse anything but an https URL of a public host (no credentials in
    it, no loopback or private address): the body leaves the company."""
    parts = urlsplit((url or "").strip())
    host = parts.hostname or ""
    if parts.scheme != "https" or not host:
        raise ValidationError(
            env._("A webhook endpoint must be an https:// URL, not “%(url)s”.", url=url)
        )
    if parts.username or parts.password:
        raise ValidationError(
            env._("Do not put credentials in the webhook URL; verify the signature.")
        )
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if (
        host == "localhost"
        or host.endswith(".localhost")
        or (address and not address.is_global)
    ):
        raise ValidationError(
            env._(
                "%(host)s is not a public address: webhooks go to the partner's "
                "systems on the internet.",
                host=host,
            )
        )


def sign(secret, body):
    """``sha256=<hex>``: HMAC-SHA256 of the exact body bytes."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


class PrmWebhookSubscription(models.Model):
    """A partner's HTTPS endpoint subscribed to one event. Each subscription
    owns an automation rule (base_automation) whose server action is Odoo's
    *Send Webhook Notification*, restricted to the partner's records; the
    delivery adds an HMAC signature the partner verifies with its secret."""

    _name = "prm.webhook.subscription"
    _description = "Partner Webhook Subscription"
    _order = "partner_id, event, id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Channel partner",
        required=True,
        index=True,
        ondelete="cascade",
        domain=[("prm_is_partner", "=", True), ("is_company", "=", True)],
    )
    event = fields.Selection(EVENT_SELECTION, required=True)
    url = fields.Char(
        string="Endpoint URL",
        required=True,
        help="The partner's https:// endpoint; it receives a JSON POST per event.",
    )
    secret = fields.Char(
        copy=False,
        default=lambda self: secrets.token_hex(32),
        groups="prm_partner.group_prm_manager",
        help="Shared with the partner: the X-PRM-Signature header is "
        "sha256=HMAC-SHA256(secret, body).",
    )
    active = fields.Boolean(default=True)
    automation_id = fields.Many2one(
        "base.automation", readonly=True, copy=False, ondelete="set null"
    )
    company_id = fields.Many2one(related="partner_id.company_id")

    # --- Constraints ---

    @api.constrains("url")
    def _check_url(self):
        for subscription in self:
            check_https_url(self.env, subscription.url)

    @api.constrains("event")
    def _check_event(self):
        for subscription in self:
            spec = EVENTS[subscription.event]
            if spec["model"] not in self.env:
                raise ValidationError(
                    self.env._(
                        "The event %(event)s needs the module %(module)s.",
                        event=dict(
                            self._fields["event"]._description_selection(self.env)
                        )[subscription.event],
                        module=spec["module"],
                    )
                )

    @api.constrains("partner_id")
    def _check_partner(self):
        for subscription in self:
            if not subscription.partner_id.prm_is_partner:
                raise ValidationError(
                    self.env._(
                        "%(partner)s is not a channel partner.",
                        partner=subscription.partner_id.display_name,
                    )
                )

    # --- CRUD ---

    @api.model_create_multi
    def create(self, vals_list):
        subscriptions = super().create(vals_list)
        subscriptions._prm_sync_automation()
        return subscriptions

    def write(self, vals):
        res = super().write(vals)
        if {"partner_id", "event", "url", "active"} & vals.keys():
            self._prm_sync_automation()
        return res

    def unlink(self):
        automations = self.automation_id
        res = super().unlink()
        # sudo: the rules belong to the subscriptions just deleted.
        automations.sudo().unlink()
        return res

    # --- Actions ---

    def action_regenerate_secret(self):
        """A new secret (the old one stops verifying at once)."""
        self.check_access("write")
        for subscription in self:
            subscription.secret = secrets.token_hex(32)
        return True

    # --- Automation ---

    def _prepare_prm_automation_vals(self):
        self.ensure_one()
        spec = EVENTS[self.event]
        model = self.env["ir.model"]._get(spec["model"])
        state_field = self.env["ir.model.fields"]._get(
            spec["model"], spec["state_field"]
        )
        return {
            "name": self.env._(
                "Webhook %(event)s to %(partner)s",
                event=self.event,
                partner=self.partner_id.display_name,
            ),
            "model_id": model.id,
            "trigger": "on_create_or_write",
            "trigger_field_ids": [Command.set(state_field.ids)],
            "filter_pre_domain": repr(
                [(spec["state_field"], "not in", spec["states"])]
            ),
            "filter_domain": repr(
                [
                    (spec["partner_field"], "=", self.partner_id.id),
                    (spec["state_field"], "in", spec["states"]),
                ]
            ),
            "active": self.active,
        }

    def _prepare_prm_action_vals(self):
        self.ensure_one()
        return {
            "name": self.env._("Send webhook to %(url)s", url=self.url),
            "model_id": self.env["ir.model"]._get(EVENTS[self.event]["model"]).id,
            "state": "webhook",
            "usage": "base_automation",
            "webhook_url": self.url,
            "prm_subscription_id": self.id,
        }

    def _prm_sync_automation(self):
        """Create or update each subscription's automation rule and its
        webhook action (as superuser: program administrators manage partner
        subscriptions, not Odoo's technical automation rules)."""
        self.check_access("write")
        for subscription in self:
            automation_vals = subscription._prepare_prm_automation_vals()
            action_vals = subscription._prepare_prm_action_vals()
            automation_sudo = subscription.automation_id.sudo()
            if automation_sudo:
                automation_sudo.write(automation_vals)
                automation_sudo.action_server_ids.filtered(
                    lambda action, sub=subscription: action.prm_subscription_id == sub
                ).write(action_vals)
            else:
                automation_sudo = (
                    self.env["base.automation"]
                    .sudo()
                    .create(
                        {
                            **automation_vals,
                            "action_server_ids": [Command.create(action_vals)],
                        }
                    )
                )
                subscription.automation_id = automation_sudo

    # --- Delivery ---

    def _prepare_prm_payload(self, record):
        self.ensure_one()
        spec = EVENTS[self.event]
        # sudo: the automation's filter and the check in _prm_deliver keep
        # this to the subscribed partner's own record; fields are whitelisted.
        data = record.sudo().read(spec["fields"])[0]
        return {
            "event": self.event,
            "delivery": str(uuid.uuid4()),
            "sent_at": fields.Datetime.now().isoformat(),
            "partner_id": self.partner_id.id,
            "model": record._name,
            "record_id": record.id,
            "data": data,
        }

    def _prm_deliver(self, record):
        """POST the signed event after the commit (never for a rolled back
        change), like Odoo's webhook action."""
        self.ensure_one()
        spec = EVENTS[self.event]
        owner = record.sudo()[spec["partner_field"]].commercial_partner_id
        if owner != self.partner_id:
            _logger.warning(
                "Webhook subscription #%s skipped %s #%s: not its partner's record",
                self.id,
                record._name,
                record.id,
            )
            return
        url = self.url
        try:
            check_https_url(self.env, url)
        except ValidationError:
            _logger.warning(
                "Webhook subscription #%s refused to send to %s", self.id, url
            )
            return
        body = json.dumps(
            self._prepare_prm_payload(record), sort_keys=True, default=str
        ).encode()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Odoo-PRM-Webhook",
            "X-PRM-Event": self.event,
            SIGNATURE_HEADER: sign(self.sudo().secret, body),
        }
        subscription_id = self.id

        @self.env.cr.postcommit.add
        def _send():
            try:
                response = requests.post(
                    url,
                    data=body,
                    headers=headers,
                    timeout=TIMEOUT,
                    allow_redirects=False,
                )
                response.raise_for_status()
                _logger.info("Webhook #%s to %s delivered", subscription_id, url)
            except requests.exceptions.RequestException as error:
                _logger.warning(
                    "Webhook #%s to %s failed: %s", subscription_id, url, error
                )
