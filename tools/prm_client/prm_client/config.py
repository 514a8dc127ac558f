"""Where the connection settings come from, first found wins: command-line
flags, environment variables (``PRM_URL``, ``PRM_DB``, ``PRM_USER``,
``PRM_API_KEY``, ``PRM_TRANSPORT``), a configuration file
(``--config``, ``$PRM_CONFIG``, else ``~/.config/prm-client.toml`` or
``~/.config/prm-client.ini``)."""

import configparser
import os
from dataclasses import dataclass, field, fields
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python 3.10
    try:
        import tomli as tomllib
    except ImportError:
        tomllib = None

KEYS = ("url", "db", "user", "api_key", "transport", "timeout")
TRANSPORTS = ("auto", "json2", "xmlrpc")
ENV = {key: f"PRM_{key.upper()}" for key in KEYS}


class ConfigError(Exception):
    """Missing or invalid settings."""


@dataclass
class Config:
    url: str = ""
    db: str = ""
    user: str = ""
    api_key: str = field(default="", repr=False)
    transport: str = "auto"
    timeout: float = 300.0

    def __repr__(self):
        # The key never appears in a representation, a log or a traceback.
        shown = ", ".join(
            f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.repr
        )
        key = "'***'" if self.api_key else "''"
        return f"Config({shown}, api_key={key})"

    def check(self):
        missing = [key for key in ("url", "api_key") if not getattr(self, key)]
        if missing:
            raise ConfigError(
                "Missing setting(s): "
                + ", ".join(missing)
                + " (flags --url/--api-key-file, variables PRM_URL/PRM_API_KEY, "
                "or the configuration file)."
            )
        if self.transport not in TRANSPORTS:
            raise ConfigError(
                f"Unknown transport {self.transport!r} (one of {', '.join(TRANSPORTS)})."
            )
        if self.transport == "xmlrpc" and not self.user:
            raise ConfigError("XML-RPC needs the user's login (--user or PRM_USER).")
        try:
            self.timeout = float(self.timeout)
        except (TypeError, ValueError):
            raise ConfigError(f"Bad timeout {self.timeout!r}.") from None
        return self


def default_config_files():
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return [base / "prm-client.toml", base / "prm-client.ini"]


def read_file(path):
    """Settings of a TOML file (top-level keys or a ``[prm-client]`` table)
    or an INI file (section ``[prm-client]``)."""
    path = Path(path)
    if path.suffix == ".toml":
        if tomllib is None:
            raise ConfigError("Reading TOML needs Python 3.11+ or the tomli package.")
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise ConfigError(f"{path}: {error}") from None
        data = data.get("prm-client", data)
    else:
        parser = configparser.ConfigParser()
        try:
            parser.read_string(path.read_text(encoding="utf-8"))
        except (OSError, configparser.Error) as error:
            raise ConfigError(f"{path}: {error}") from None
        if not parser.has_section("prm-client"):
            raise ConfigError(f"{path}: no [prm-client] section.")
        data = dict(parser["prm-client"])
    unknown = set(data) - set(KEYS)
    if unknown:
        raise ConfigError(f"{path}: unknown setting(s) {', '.join(sorted(unknown))}.")
    return {key: value for key, value in data.items() if value not in ("", None)}


def load(flags=None, environ=None, config_file=None):
    """The ``Config`` from flags (a dict, ``None`` values ignored), the
    environment and a configuration file."""
    environ = os.environ if environ is None else environ
    values = {}
    path = config_file or environ.get("PRM_CONFIG")
    if path:
        if not Path(path).exists():
            raise ConfigError(f"Configuration file {path} does not exist.")
        values.update(read_file(path))
    else:
        for candidate in default_config_files():
            if candidate.exists():
                values.update(read_file(candidate))
                break
    values.update(
        {key: environ[name] for key, name in ENV.items() if environ.get(name)}
    )
    values.update({k: v for k, v in (flags or {}).items() if v not in (None, "")})
    return Config(**values).check()
