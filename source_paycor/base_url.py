"""Which Paycor API host a config names: the `environment` choice (Production or Sandbox) and `base_url`, which wins
over it when set; one sentence naming the field for each mistake (`validated_base_url`).

A `base_url` must be one `requests` can send to (no call would mend it later), https:// unless it is a loopback
test server, and just the host: no credentials, query or fragment.
"""

from __future__ import annotations

import ipaddress
from typing import Any, MutableMapping, Optional
from urllib.parse import urlsplit

import requests

from .config_error import ConfigError

DEFAULT_BASE_URL = "https://apis.paycor.com"
SANDBOX_BASE_URL = "https://apis-sandbox.paycor.com"
# The form's `environment` choice → Paycor's API host (a `base_url`, when set, wins).
ENVIRONMENTS = {"Production": DEFAULT_BASE_URL, "Sandbox": SANDBOX_BASE_URL}


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _environment(raw: MutableMapping[str, Any]) -> Optional[str]:
    """The `environment` chosen ("Production" or "Sandbox", any casing), or None when the config has none."""
    value = raw.get("environment")
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    names = {name.lower(): name for name in ENVIRONMENTS}
    if not isinstance(value, str) or value.strip().lower() not in names:
        raise ConfigError(
            f"The field `environment` holds {value!r} — choose Production or Sandbox (or leave it out for production)."
        )
    raw["environment"] = names[value.strip().lower()]
    return raw["environment"]


def validated_base_url(raw: MutableMapping[str, Any]) -> str:
    """Paycor's API host: `base_url` when set (it wins over `environment`), else the environment's host (production
    when neither is set). A `base_url` naming the other Paycor environment than the one chosen is refused: one of the
    two is a leftover. The environment's host is not written into the config, so that a later change of
    `environment` alone is not overruled by it."""
    environment = _environment(raw)
    value = raw.get("base_url")
    if value is None or (isinstance(value, str) and not value.strip()):
        raw.pop("base_url", None)
        return ENVIRONMENTS[environment or "Production"]
    if not isinstance(value, str):
        raise ConfigError("The field `base_url` must be a URL such as https://apis.paycor.com.")
    value = value.strip().rstrip("/")
    raw["base_url"] = value
    named = [name for name, host in ENVIRONMENTS.items() if host == value.lower()]
    if environment is not None and named and named[0] != environment:
        raise ConfigError(
            f"The field `base_url` ({value}) is Paycor's {named[0]} host but `environment` is {environment} — "
            "clear `base_url` (the environment then decides) or choose the environment that matches it."
        )
    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        raise ConfigError(
            f"The field `base_url` is not a valid URL — use {DEFAULT_BASE_URL} (or {SANDBOX_BASE_URL} for Paycor's "
            "sandbox)."
        ) from None
    if parts.scheme not in ("https", "http") or not host:
        raise ConfigError(
            f"The field `base_url` is not a valid URL — use {DEFAULT_BASE_URL} (or {SANDBOX_BASE_URL} for Paycor's "
            "sandbox)."
        )
    if parts.scheme == "http" and not _is_loopback(host):
        raise ConfigError(
            "The field `base_url` must use https:// — plain http:// is accepted only for a local (loopback) test "
            "server."
        )
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ConfigError(
            "The field `base_url` must be just the API host, such as https://apis.paycor.com, without credentials, "
            "query or fragment."
        )
    if not _callable(value, host):
        raise ConfigError(
            f"The field `base_url` is not a valid URL — use {DEFAULT_BASE_URL} (or {SANDBOX_BASE_URL} for Paycor's "
            "sandbox)."
        )
    return value


def _callable(url: str, host: str) -> bool:
    """Whether `requests` can send to `url` at all: a host it parses (no space, no empty or 64+ character
    label), which would otherwise fail every call before it leaves (`InvalidURL`, urllib3's `LocationParseError`)."""
    try:
        requests.Request("GET", url + "/").prepare()
        if not _is_ip(host):
            host.encode("idna")
    except (requests.RequestException, ValueError):  # UnicodeError is a ValueError
        return False
    return True


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
