import logging
import xmlrpc.client

from odoo import models
from odoo.exceptions import AccessError
from odoo.http import request

from ..tools.partner_api import is_gated, is_partner_api

_logger = logging.getLogger(__name__)

# Routes that call a model method named in the request: JSON-2, the web
# client's call_kw / call_button (a portal user has a session too), and the
# deprecated /jsonrpc and /xmlrpc object services (an API key is a password).
SESSION_RPC_ROUTES = ("/web/dataset/call_kw", "/web/dataset/call_button")
OBJECT_METHODS = ("execute", "execute_kw")


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _dispatch(cls, endpoint):
        target = cls._prm_rpc_target(endpoint)
        if target:
            cls._prm_check_partner_api(*target)
        return super()._dispatch(endpoint)

    @classmethod
    def _prm_rpc_target(cls, endpoint):
        """``(user id, model, method)`` of a model-method call, else None."""
        params = request.params
        if "__model__" in params and "__method__" in params:
            return request.env.uid, params["__model__"], params["__method__"]
        routes = endpoint.routing.get("routes") or ()
        if any(route.startswith(SESSION_RPC_ROUTES) for route in routes):
            return request.env.uid, params.get("model"), params.get("method")
        if "/jsonrpc" in routes and params.get("service") == "object":
            return cls._prm_object_target(params.get("method"), params.get("args"))
        if any(route.startswith("/xmlrpc/") for route in routes):
            if request.httprequest.path.rsplit("/", 1)[-1] != "object":
                return None
            try:
                args, method = xmlrpc.client.loads(
                    request.httprequest.get_data(), use_datetime=True
                )
            except Exception:  # the endpoint reports bad XML itself
                return None
            return cls._prm_object_target(method, args)
        return None

    @classmethod
    def _prm_object_target(cls, method, args):
        # execute(db, uid, password, model, method, ...): the uid is only
        # claimed here; a refusal needs no proof, the endpoint checks the rest.
        if method not in OBJECT_METHODS or not isinstance(args, list | tuple):
            return None
        if len(args) < 5 or not isinstance(args[1], int):
            return None
        return args[1], args[3], args[4]

    @classmethod
    def _prm_check_partner_api(cls, uid, model_name, method):
        """Portal users reach the suite over RPC through the partner API
        methods only (``prm_partner.tools.partner_api``)."""
        if not uid or not isinstance(model_name, str) or not isinstance(method, str):
            return
        env = request.env
        if model_name not in env.registry:
            return
        model_class = type(env[model_name])
        if not callable(getattr(model_class, method, None)):
            return
        if not is_gated(model_class, method) or is_partner_api(model_class, method):
            return
        # The user is read only for calls the gate concerns: the web client's
        # calls of Odoo's own methods cost no query here.
        user = env["res.users"].sudo().browse(uid).exists()
        if user and user.share:
            _logger.info(
                "Portal user #%s refused %s.%s: not a partner API method",
                uid,
                model_name,
                method,
            )
            raise AccessError(
                env._(
                    "%(model)s.%(method)s is not part of the partner API: portal "
                    "users call only the prm_api_* methods (see docs/api.md).",
                    model=model_name,
                    method=method,
                )
            )
