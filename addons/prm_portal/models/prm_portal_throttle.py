from datetime import timedelta

from odoo import api, fields, models

# Submissions of the public application form allowed per hour (system
# parameters override them).
DEFAULT_LIMITS = {"ip": 5, "email": 3}
WINDOW = timedelta(hours=1)


class PrmPortalThrottle(models.Model):
    """Attempts at a public form, by client address and by email domain: the
    rate limit works without any outside service and holds across workers
    (it lives in the database)."""

    _name = "prm.portal.throttle"
    _description = "Public Form Attempt"
    _order = "id desc"

    scope = fields.Selection(
        [("ip", "Address"), ("email", "Email domain")], required=True
    )
    key = fields.Char(required=True)
    _scope_key_date_idx = models.Index("(scope, key, create_date)")

    @api.model
    def _prm_limit(self, scope):
        param = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(f"prm_portal.apply_limit_{scope}")
        )
        try:
            return int(param) if param else DEFAULT_LIMITS[scope]
        except ValueError:
            return DEFAULT_LIMITS[scope]

    @api.model
    def _prm_hit(self, keys):
        """Record one attempt for each ``(scope, key)`` of ``keys`` and return
        the scopes over their limit (the attempt included). Runs as superuser:
        visitors have no access to this model."""
        Throttle = self.sudo()
        since = fields.Datetime.now() - WINDOW
        exceeded = []
        for scope, key in keys:
            if not key:
                continue
            # Two workers counting the same key at once would both let the
            # last allowed attempt through: serialise per key (a lock, no write).
            self.env.cr.execute(
                "SELECT pg_advisory_xact_lock(hashtext(%s))",
                [f"prm_portal:{scope}:{key}"],
            )
            count = Throttle.search_count(
                [("scope", "=", scope), ("key", "=", key), ("create_date", ">=", since)]
            )
            if count >= self._prm_limit(scope):
                exceeded.append(scope)
            Throttle.create({"scope": scope, "key": key})
        return exceeded

    @api.autovacuum
    def _gc_prm_throttle(self):
        self.sudo().search(
            [("create_date", "<", fields.Datetime.now() - 24 * WINDOW)]
        ).unlink()
