from datetime import timedelta

from odoo import api, fields, models

# ir.config_parameter keys and their defaults.
LIMITS = {
    "prm_activation.ip_limit": 20,  # attempts per IP and window
    "prm_activation.subscriber_limit": 10,  # attempts per subscriber and window
    "prm_activation.window_minutes": 10,
    "prm_activation.max_failures": 5,  # failures before lock-out
    "prm_activation.lockout_minutes": 60,
}


class PrmActivationAttempt(models.Model):
    """One activation attempt, kept a day, for the rate limits and the
    lock-out: the public page refuses an IP or a subscriber above its limit
    per window or after too many failed codes."""

    _name = "prm.activation.attempt"
    _description = "Activation Attempt"
    _order = "id desc"
    _log_access = False

    create_date = fields.Datetime(
        default=fields.Datetime.now, required=True, index=True, readonly=True
    )
    ip_address = fields.Char(index="btree_not_null")
    subscriber_key = fields.Char(index="btree_not_null")
    channel = fields.Char()
    success = fields.Boolean()

    @api.model
    def _limit(self, key):
        value = self.env["ir.config_parameter"].sudo().get_param(key)
        try:
            return max(int(value), 1)
        except (TypeError, ValueError):
            return LIMITS[key]

    @api.model
    def _subscriber_key(self, request):
        """Who is activating: the e-mail (lower case) or the customer
        reference."""
        email = str(request.get("subscriber_email") or "").strip().lower()
        ref = str(request.get("subscriber_ref") or "").strip().lower()
        return (email or ref)[:128] or False

    @api.model
    def _since(self, minutes_key):
        return fields.Datetime.now() - timedelta(minutes=self._limit(minutes_key))

    @api.model
    def _locked_subscribers(self, keys):
        """Subscriber keys of ``keys`` with too many failures lately."""
        if not keys:
            return set()
        groups = self.sudo()._read_group(
            [
                ("subscriber_key", "in", list(keys)),
                ("success", "=", False),
                ("create_date", ">=", self._since("prm_activation.lockout_minutes")),
            ],
            ["subscriber_key"],
            ["__count"],
        )
        maximum = self._limit("prm_activation.max_failures")
        return {key for key, count in groups if count >= maximum}

    @api.model
    def _throttled(self, ip, subscriber_key):
        """Whether an attempt from ``ip`` for ``subscriber_key`` is refused:
        too many attempts in the window, or too many failures (lock-out)."""
        Attempt = self.sudo()
        window = self._since("prm_activation.window_minutes")
        lockout = self._since("prm_activation.lockout_minutes")
        checks = [
            (
                [("ip_address", "=", ip), ("create_date", ">=", window)],
                "prm_activation.ip_limit",
            ),
            (
                [
                    ("ip_address", "=", ip),
                    ("success", "=", False),
                    ("create_date", ">=", lockout),
                ],
                "prm_activation.max_failures",
            ),
        ]
        if subscriber_key:
            checks += [
                (
                    [
                        ("subscriber_key", "=", subscriber_key),
                        ("create_date", ">=", window),
                    ],
                    "prm_activation.subscriber_limit",
                ),
                (
                    [
                        ("subscriber_key", "=", subscriber_key),
                        ("success", "=", False),
                        ("create_date", ">=", lockout),
                    ],
                    "prm_activation.max_failures",
                ),
            ]
        for domain, limit_key in checks:
            limit = self._limit(limit_key)
            if Attempt.search_count(domain, limit=limit) >= limit:
                return True
        return False

    @api.model
    def _prepare_attempt_vals(self, subscriber_key, ip, channel, success):
        return {
            "subscriber_key": subscriber_key,
            "ip_address": ip,
            "channel": channel,
            "success": success,
        }

    @api.model
    def _log(self, vals_list):
        return self.sudo().create(vals_list) if vals_list else self

    @api.model
    def _cron_clean(self):
        self.sudo().search(
            [("create_date", "<", fields.Datetime.now() - timedelta(days=1))]
        ).unlink()
