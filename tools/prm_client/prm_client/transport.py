"""One small interface to call a model method on an Odoo server, over JSON-2
(``POST /json/2/<model>/<method>``, Odoo 19+) or XML-RPC (``/xmlrpc/2``).

Neither transport ever logs or prints the API key: it travels in a header
(JSON-2) or in the request body (XML-RPC), and error texts are redacted.
"""

import logging
import xmlrpc.client

import requests

_logger = logging.getLogger(__name__)


class TransportError(Exception):
    """The server could not be reached or answered nonsense."""


class AuthError(TransportError):
    """The server refused the credentials (wrong key, user or database)."""


class RemoteError(TransportError):
    """The server ran the method and raised (access error, user error...).

    ``name`` is the server's exception class (``odoo.exceptions.AccessError``
    ...), ``status`` the HTTP status for JSON-2."""

    def __init__(self, message, name="", status=None):
        super().__init__(message)
        self.name = name
        self.status = status

    @property
    def access_denied(self):
        return "AccessError" in self.name or "AccessDenied" in self.name


class Transport:
    """Calls ``model.method`` with named arguments (``ids`` for the records a
    record method runs on) and returns its result as JSON-like data."""

    name = "?"

    def __init__(self, url, db, api_key, user=None, timeout=300):
        self.url = url.rstrip("/")
        self.db = db
        self._api_key = api_key
        self.user = user
        self.timeout = timeout

    def call(self, model, method, ids=None, **kwargs):
        raise NotImplementedError

    def redact(self, text):
        """``text`` without the API key in it."""
        text = str(text)
        if self._api_key:
            text = text.replace(self._api_key, "***")
        return text

    def __repr__(self):
        return f"<{type(self).__name__} {self.url} db={self.db!r}>"


class Json2Transport(Transport):
    """Odoo 19's JSON-2 API: the API key as bearer token, the database in
    ``X-Odoo-Database``, named arguments as the JSON body."""

    name = "json2"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"bearer {self._api_key}"
        if self.db:
            self.session.headers["X-Odoo-Database"] = self.db

    def call(self, model, method, ids=None, **kwargs):
        body = dict(kwargs)
        if ids:
            body["ids"] = list(ids)
        endpoint = f"{self.url}/json/2/{model}/{method}"
        _logger.debug("POST %s", endpoint)
        try:
            response = self.session.post(endpoint, json=body, timeout=self.timeout)
        except requests.RequestException as error:
            raise TransportError(self.redact(f"{endpoint}: {error}")) from None
        if response.status_code == 200:
            try:
                return response.json()
            except ValueError:
                raise TransportError(
                    f"{endpoint}: the answer is not JSON (is {self.url} an Odoo "
                    "19 server?)"
                ) from None
        try:
            error = response.json()
        except ValueError:
            error = {}
        message = self.redact(error.get("message") or response.reason or "")
        name = error.get("name") or ""
        if response.status_code == 401:
            raise AuthError(
                f"The server refused the API key (HTTP 401): {message}".strip()
            )
        raise RemoteError(
            f"{model}.{method}: {message} (HTTP {response.status_code})",
            name=name,
            status=response.status_code,
        )


class XmlRpcTransport(Transport):
    """The XML-RPC API (``/xmlrpc/2/common`` to log in with the API key as
    password, ``/xmlrpc/2/object`` for the calls): for servers or proxies
    that do not serve ``/json/2``. Needs the user's login."""

    name = "xmlrpc"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.user:
            raise AuthError("XML-RPC needs the user's login (--user or PRM_USER).")
        self._uid = None
        # verbose stays off: xmlrpc.client would print the request, key included.
        self.common = xmlrpc.client.ServerProxy(
            f"{self.url}/xmlrpc/2/common", allow_none=True
        )
        self.object = xmlrpc.client.ServerProxy(
            f"{self.url}/xmlrpc/2/object", allow_none=True
        )

    def _call(self, proxy, *args):
        try:
            return proxy(*args)
        except xmlrpc.client.Fault as fault:
            raise self._remote_error(fault) from None
        except (OSError, xmlrpc.client.ProtocolError) as error:
            raise TransportError(self.redact(f"{self.url}: {error}")) from None

    def _remote_error(self, fault):
        code = str(fault.faultCode)
        if code == "AccessDenied" or "AccessDenied" in code.splitlines()[0]:
            return AuthError("The server refused the login or API key.")
        # "warning -- AccessError\n\n<message>" or "<message>" + traceback.
        head, _sep, message = code.partition("\n\n")
        if head.startswith("warning -- "):
            name = head.removeprefix("warning -- ")
        else:
            name, message = "", code
        return RemoteError(self.redact(message.strip()), name=name)

    @property
    def uid(self):
        if self._uid is None:
            uid = self._call(
                self.common.authenticate, self.db, self.user, self._api_key, {}
            )
            if not uid:
                raise AuthError("The server refused the login or API key.")
            self._uid = uid
        return self._uid

    def call(self, model, method, ids=None, **kwargs):
        _logger.debug("XML-RPC %s.%s", model, method)
        args = [list(ids)] if ids else []
        return self._call(
            self.object.execute_kw,
            self.db,
            self.uid,
            self._api_key,
            model,
            method,
            args,
            kwargs,
        )


def make_transport(config):
    """The transport ``config.transport`` names; ``auto`` is JSON-2 unless the
    server does not serve it, then XML-RPC."""
    args = (config.url, config.db, config.api_key)
    kwargs = {"user": config.user, "timeout": config.timeout}
    if config.transport == "xmlrpc":
        return XmlRpcTransport(*args, **kwargs)
    json2 = Json2Transport(*args, **kwargs)
    if config.transport == "json2":
        return json2
    try:
        json2.call("res.users", "context_get")
    except RemoteError as error:
        if error.status == 404 and config.user:
            _logger.info("no /json/2 on %s: falling back to XML-RPC", config.url)
            return XmlRpcTransport(*args, **kwargs)
        raise
    return json2
