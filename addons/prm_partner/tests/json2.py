"""Calls of the external JSON-2 API (``/json/2``) as a given user, with an API
key of that user, for the integrity tests that attack over RPC."""

from datetime import timedelta

from odoo import fields


class Json2Mixin:
    """For ``HttpCase`` classes: ``_json2(user, model, method, **body)``."""

    def _api_key(self, user):
        # sudo: a key of any duration; it stays the user's key (with_user).
        return (
            self.env["res.users.apikeys"]
            .with_user(user)
            .sudo()
            ._generate(
                "rpc", "PRM integrity test", fields.Datetime.now() + timedelta(days=1)
            )
        )

    def _json2(self, user, model, method, **body):
        """POST ``/json/2/<model>/<method>`` with ``body`` (``ids``,
        ``context`` and the method's named arguments); the response."""
        return self.url_open(
            f"/json/2/{model}/{method}",
            json=body,
            headers={
                "Authorization": f"Bearer {self._api_key(user)}",
                "X-Odoo-Database": self.env.cr.dbname,
            },
        )
