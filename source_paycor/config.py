"""Validates and normalises the connector configuration.

Every rule here answers a user mistake with one sentence that names the field and says what to do,
raised as an Airbyte config error (`ConfigError`, `config_error.py`); the rules of `environment` and `base_url`, the
API host, are `base_url.py`'s. The raw config dict is trimmed in place (secrets pasted with
whitespace around them) because the OAuth authenticator writes rotated tokens back into that same
dict, and the platform receives it whole in a CONNECTOR_CONFIG control message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, MutableMapping, Optional, Tuple

from .base_url import validated_base_url
from .config_error import ConfigError
from .dates import Day, day, today, token_expiry

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

# Bounds of the optional numeric settings: (default, minimum, maximum).
NUMERIC_SETTINGS = {
    "request_timeout_seconds": (60, 5, 600),
    # Paycor answers in ~150 ms; 1000 calls a minute is ~17 a second: 10 threads keep the budget full
    # even when answers slow to 600 ms, without piling up waiting threads.
    "num_workers": (10, 1, 50),
    # Paycor's limit per subscription key; set less when other applications share the key.
    "requests_per_minute": (1000, 1, 1000),
    # Recent rows change (approvals, corrections): each incremental sync re-reads this many days.
    "lookback_window_days": (30, 0, 364),
    # Rows of a terminated employee still change for a while (final paycheck, late-approved hours): per-employee
    # streams read an employee until this many days after the termination date.
    "terminated_grace_days": (90, 0, 3650),
}


OPTIONAL_FIELDS = (
    "environment",
    "base_url",
    "legal_entity_ids",
    "start_date",
    *NUMERIC_SETTINGS,
    "include_sensitive_data",
    "skip_employees_terminated_before",
    "reporting_scope",
    "reporting_user_id",
    "report_templates",
)


@dataclass(frozen=True)
class PaycorConfig:
    base_url: str
    subscription_key: str
    legal_entity_ids: Optional[Tuple[int, ...]]
    start_date: Optional[Day]
    request_timeout_seconds: int
    num_workers: int
    requests_per_minute: int
    lookback_window_days: int
    include_sensitive_data: bool
    # Per-employee streams read nothing for employees terminated before this day (None: everyone).
    skip_employees_terminated_before: Optional[Day] = None
    terminated_grace_days: int = NUMERIC_SETTINGS["terminated_grace_days"][0]
    # Report Builder (`source_paycor/reports/`): the application scope its users are listed by (None: no report
    # streams), one reporting user (None: every user listed), and the templates to read (empty: all).
    reporting_scope: Optional[str] = None
    reporting_user_id: Optional[str] = None
    report_templates: Tuple["ReportChoice", ...] = ()


def _required_secret(container: MutableMapping[str, Any], key: str, field: str, what: str) -> str:
    value = container.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ConfigError(f"The field `{field}` is empty — enter {what}.")
    if not isinstance(value, str):
        raise ConfigError(f"The field `{field}` must be text — enter {what}.")
    value = value.strip()
    if any(character.isspace() for character in value):
        raise ConfigError(
            f"The field `{field}` has spaces or line breaks inside it — paste {what} again, as one piece."
        )
    container[key] = value
    return value


def _credentials(raw: MutableMapping[str, Any]) -> None:
    credentials = raw.get("credentials")
    if not isinstance(credentials, dict):
        raise ConfigError(
            "The field `credentials` is missing — enter the client ID, client secret and refresh token of your "
            "Paycor application."
        )
    auth_type = credentials.get("auth_type", "oauth2.0")
    if auth_type != "oauth2.0":
        raise ConfigError("The field `credentials.auth_type` must be `oauth2.0`, the only sign-in Paycor's API offers.")
    credentials["auth_type"] = "oauth2.0"
    _required_secret(
        credentials,
        "client_id",
        "credentials.client_id",
        "the client ID of your application from Paycor's Developer Portal",
    )
    _required_secret(
        credentials,
        "client_secret",
        "credentials.client_secret",
        "the client secret of your application from Paycor's Developer Portal",
    )
    _required_secret(
        credentials,
        "refresh_token",
        "credentials.refresh_token",
        "a refresh token obtained by activating your application in Paycor",
    )
    for key in ("access_token", "token_expiry_date"):
        value = credentials.get(key)
        if value is None:
            credentials.pop(key, None)
        elif not isinstance(value, str):
            raise ConfigError(
                f"The field `credentials.{key}` is managed by the connector and must be text — remove it from the "
                "configuration."
            )
        else:
            credentials[key] = value.strip()
    expiry = credentials.get("token_expiry_date")
    if expiry:
        try:
            token_expiry(expiry)
        except Exception:
            raise ConfigError(
                "The field `credentials.token_expiry_date` is not a date-time — remove it and the connector will "
                "fetch a new access token."
            ) from None


def _legal_entity_ids(raw: MutableMapping[str, Any]) -> Optional[Tuple[int, ...]]:
    value = raw.get("legal_entity_ids")
    if value is None or value == []:
        return None
    if not isinstance(value, list):
        raise ConfigError(
            "The field `legal_entity_ids` must be a list of whole numbers (Paycor legal entity IDs), such as [501123]."
        )
    ids = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, (int, str)):
            raise ConfigError(
                f"The field `legal_entity_ids` holds {item!r}, which is not a legal entity ID — use whole numbers "
                "such as 501123."
            )
        text = str(item).strip()
        if not text.isdigit() or not 0 < int(text) <= 2147483647:
            raise ConfigError(
                f"The field `legal_entity_ids` holds {item!r}, which is not a legal entity ID — use whole numbers "
                "such as 501123."
            )
        ids.append(int(text))
    unique = tuple(dict.fromkeys(ids))
    raw["legal_entity_ids"] = list(unique)
    return unique


def _start_date(raw: MutableMapping[str, Any], field: str = "start_date") -> Optional[Day]:
    value = raw.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise ConfigError(f"The field `{field}` must be a date written YYYY-MM-DD, such as 2025-01-01.")
    text = value.strip()
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError(text)
        parsed = day(text)
    except Exception:
        raise ConfigError(
            f"The field `{field}` holds {value!r}, which is not a date written YYYY-MM-DD, such as 2025-01-01."
        ) from None
    raw[field] = text
    if parsed > today():
        raise ConfigError(f"The field `{field}` ({value.strip()}) is in the future — use today or an earlier date.")
    return parsed


def _bounded_int(raw: MutableMapping[str, Any], field: str) -> int:
    default, low, high = NUMERIC_SETTINGS[field]
    value = raw.get(field)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"The field `{field}` must be a whole number between {low} and {high}.")
    if not low <= value <= high:
        raise ConfigError(f"The field `{field}` is {value}; use a whole number between {low} and {high}.")
    return value


def _boolean(raw: MutableMapping[str, Any], field: str) -> bool:
    value = raw.get(field, False)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise ConfigError(f"The field `{field}` must be true or false.")
    return value


_INT64 = (-(2**63), 2**64 - 1)


def _keep_serialisable(value: Any) -> Any:
    """Keys the connector does not know are kept (the platform adds its own) and handed back in every
    CONNECTOR_CONFIG message; a whole number beyond 64 bits cannot be written there, so it is kept as text."""
    if isinstance(value, MutableMapping):
        for key, item in value.items():
            value[key] = _keep_serialisable(item)
    elif isinstance(value, list):
        value[:] = [_keep_serialisable(item) for item in value]
    elif isinstance(value, int) and not isinstance(value, bool) and not _INT64[0] <= value <= _INT64[1]:
        return str(value)
    return value


_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
REPORT_STREAM_NAME = re.compile(r"report_[a-z0-9_]+")


@dataclass(frozen=True)
class ReportChoice:
    """One entry of `report_templates`: a template id or display name, and the stream name pinned to it (or None)."""

    template: str
    stream_name: Optional[str] = None


def _optional_text(raw: MutableMapping[str, Any], field: str, what: str) -> Optional[str]:
    value = raw.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise ConfigError(f"The field `{field}` must be text — enter {what}, or leave it empty.")
    raw[field] = value.strip()
    return value.strip()


def _reporting_user_id(raw: MutableMapping[str, Any]) -> Optional[str]:
    value = _optional_text(raw, "reporting_user_id", "the user ID (a GUID) of a Paycor Report Builder user")
    if value is not None and not _GUID.fullmatch(value):
        raise ConfigError(
            f"The field `reporting_user_id` holds {value!r}, which is not a Paycor user ID — enter a GUID such as "
            "5245ae3d-e570-0000-0000-000066000000, or leave it empty for every reporting user."
        )
    return value


def _report_templates(raw: MutableMapping[str, Any]) -> Tuple[ReportChoice, ...]:
    value = raw.get("report_templates")
    if value is None or value == []:
        return ()
    shape = (
        "The field `report_templates` must be a list of objects such as "
        '{"template": "Employee Pay Rates", "stream_name": "report_pay_rates"} ('
        "`template` a template ID or display name, `stream_name` optional)."
    )
    if not isinstance(value, list):
        raise ConfigError(shape)
    choices = []
    for item in value:
        if not isinstance(item, dict):
            raise ConfigError(shape)
        template = item.get("template")
        if not isinstance(template, str) or not template.strip():
            raise ConfigError(
                "The field `report_templates.template` must be the ID or display name of a Report Builder template "
                "in every entry."
            )
        name = item.get("stream_name")
        if name is not None and (not isinstance(name, str) or not REPORT_STREAM_NAME.fullmatch(name.strip())):
            raise ConfigError(
                f"The field `report_templates.stream_name` holds {name!r} — use lower-case letters, digits and "
                "underscores starting with report_, such as report_pay_rates, or leave it out."
            )
        choices.append(ReportChoice(template.strip(), name.strip() if isinstance(name, str) else None))
    pinned = [choice.stream_name for choice in choices if choice.stream_name]
    twice = sorted({name for name in pinned if pinned.count(name) > 1})
    if twice:
        raise ConfigError(
            f"The field `report_templates.stream_name` gives {twice[0]} to two templates — give each a name of its own."
        )
    return tuple(choices)


def parse_config(raw: MutableMapping[str, Any]) -> PaycorConfig:
    """Validate `raw` (trimming secrets in place) and return the typed settings; unknown keys are ignored."""
    if not isinstance(raw, MutableMapping):
        raise ConfigError("The configuration must be a JSON object with the fields listed in the connector's spec.")
    for key in OPTIONAL_FIELDS:  # null means "not set": the default applies
        if key in raw and raw[key] is None:
            del raw[key]
    _keep_serialisable(raw)
    base_url = validated_base_url(raw)
    subscription_key = _required_secret(
        raw,
        "subscription_key",
        "subscription_key",
        "the APIm subscription key of your application (Paycor Developer Portal → Security Connections)",
    )
    _required_secret(
        raw,
        "scope",
        "scope",
        "the scope key of your application (Paycor Developer Portal → your application → Data Access tab, then "
        "General tab)",
    )
    _credentials(raw)
    return PaycorConfig(
        base_url=base_url,
        subscription_key=subscription_key,
        legal_entity_ids=_legal_entity_ids(raw),
        start_date=_start_date(raw),
        request_timeout_seconds=_bounded_int(raw, "request_timeout_seconds"),
        num_workers=_bounded_int(raw, "num_workers"),
        requests_per_minute=_bounded_int(raw, "requests_per_minute"),
        lookback_window_days=_bounded_int(raw, "lookback_window_days"),
        include_sensitive_data=_boolean(raw, "include_sensitive_data"),
        skip_employees_terminated_before=_start_date(raw, "skip_employees_terminated_before"),
        terminated_grace_days=_bounded_int(raw, "terminated_grace_days"),
        reporting_scope=_optional_text(raw, "reporting_scope", "the application scope of Report Builder's users")
        or (raw.get("scope") or None),
        reporting_user_id=_reporting_user_id(raw),
        report_templates=_report_templates(raw),
    )
