"""The partner integration API: the few methods a channel partner's portal
user may call over Odoo's external API (``/json/2`` with an API key of the
user, Odoo's *portal API keys* setting), and what each of them checks first.

Every other public method of the suite is refused to portal users on the
external API by ``ir.http`` (``prm_partner/models/ir_http.py``): the methods of
every ``prm.*`` model and the methods the suite adds to other models. A method
joins the API only by being decorated with ``partner_api`` here, so the list is
read from the code (``tests/test_partner_api.py`` walks the registry).
"""

from odoo import fields
from odoo.exceptions import AccessError, UserError

SUITE_PREFIX = "odoo.addons.prm_"


def partner_api(method):
    """Mark a model method as part of the partner integration API (callable
    by the portal users of channel partners over the external API). The method
    must check its caller first with ``api_contact``."""
    method._prm_partner_api = True
    return method


def _definers(model_class, name):
    return [cls for cls in model_class.mro() if name in vars(cls)]


def is_partner_api(model_class, name):
    """Whether ``name`` of the model class is a partner API method."""
    return any(
        getattr(vars(cls)[name], "_prm_partner_api", False)
        for cls in _definers(model_class, name)
    )


def is_suite_method(model_class, name):
    """Whether the suite introduced ``name`` on the model (every class that
    defines it belongs to a ``prm_*`` module): overrides of Odoo's own methods
    keep Odoo's rules."""
    definers = _definers(model_class, name)
    return bool(definers) and all(
        cls.__module__.startswith(SUITE_PREFIX) for cls in definers
    )


def is_gated(model_class, name):
    """Whether a portal user's external call of ``name`` is refused unless it
    is a partner API method: anything on a ``prm.*`` model, and the methods the
    suite adds to other models."""
    return model_class._name.startswith("prm.") or is_suite_method(model_class, name)


def api_contact(env, page):
    """The calling user's contact when its program roles open ``page`` (the
    portal page the method stands for, see ``res.partner._prm_portal_allows``);
    AccessError otherwise."""
    user = env.user
    contact = user.partner_id
    if user._is_public() or not contact._prm_portal_allows(page):
        raise AccessError(
            env._(
                "Your contact is not allowed to use this part of the partner "
                "program: ask your company's program administrator for the role."
            )
        )
    return contact


def api_values(env, values, allowed):
    """``values`` as a dict holding only ``allowed`` keys, else UserError."""
    if not isinstance(values, dict):
        raise UserError(env._("Send the values as a JSON object."))
    unknown = set(values) - set(allowed)
    if unknown:
        raise UserError(
            env._(
                "These fields are not accepted: %(fields)s. Accepted: %(allowed)s.",
                fields=", ".join(sorted(unknown)),
                allowed=", ".join(sorted(allowed)),
            )
        )
    return dict(values)


def api_int(env, value, label):
    """``value`` as a positive integer id, else UserError naming ``label``."""
    if isinstance(value, bool):
        value = None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number <= 0:
        raise UserError(
            env._("%(label)s must be a record id (a positive number).", label=label)
        )
    return number


def api_page(env, limit, offset, maximum=500):
    """``(limit, offset)`` checked: 1..maximum and >= 0."""
    try:
        limit, offset = int(limit), int(offset)
    except (TypeError, ValueError):
        limit = offset = -1
    if not (0 < limit <= maximum and offset >= 0):
        raise UserError(
            env._(
                "limit must be between 1 and %(maximum)s and offset 0 or more.",
                maximum=maximum,
            )
        )
    return limit, offset


def api_date(env, value, label):
    """``value`` (``YYYY-MM-DD``) as a date, False when empty, else UserError."""
    if value in (None, False, ""):
        return False
    try:
        return fields.Date.to_date(value)
    except (TypeError, ValueError):
        raise UserError(
            env._("%(label)s must be a date written YYYY-MM-DD.", label=label)
        ) from None
