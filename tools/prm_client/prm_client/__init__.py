"""prm-client: bulk import and export for Odoo PRM over Odoo's external API.

The Python API::

    from prm_client import PrmClient, Config
    client = PrmClient(Config(url="https://erp.example.com", db="prod",
                              api_key="...", transport="json2"))
    results = client.import_partners(rows, batch_size=500)
"""

from .client import PrmClient, RowResult
from .config import Config, ConfigError
from .transport import (
    AuthError,
    Json2Transport,
    RemoteError,
    Transport,
    TransportError,
    XmlRpcTransport,
    make_transport,
)

__version__ = "0.1.0"

__all__ = [
    "AuthError",
    "Config",
    "ConfigError",
    "Json2Transport",
    "PrmClient",
    "RemoteError",
    "RowResult",
    "Transport",
    "TransportError",
    "XmlRpcTransport",
    "make_transport",
]
