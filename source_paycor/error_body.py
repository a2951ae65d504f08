"""What Paycor's error answers say: its own words (`paycor_error_text`), a field of the body (`error_field`), the
wait of a 429 (`retry_after_seconds`), and which config field a refusal names (`subscription_key_refused`,
`token_refusal`).

Paycor's gateway and services answer errors as `title/detail`, `Title/Detail`, `message` or OAuth's
`error/error_description`: error bodies are read case-insensitively (`Title` or `title`). The error table
(`errors.py`) and the token endpoint (`auth.py`, `authorize.py`) read answers through these.
"""

from __future__ import annotations

import re
from typing import Any, Optional

import requests

from .body import InvalidBody, json_body
from .error_sentences import CLIENT_REJECTED, SUBSCRIPTION_KEY_REJECTED
from .sensitive import mask_text

_TRY_AGAIN = re.compile(r"try again in (\d+) seconds?", re.IGNORECASE)


def _error_value(response: requests.Response, name: str) -> Any:
    """A top-level value of an error body, whatever its casing; None when absent or the body is not a JSON object."""
    try:
        body = json_body(response)
    except InvalidBody:
        return None
    if not isinstance(body, dict):
        return None
    wanted = name.lower()
    return next((value for key, value in body.items() if key.lower() == wanted and value is not None), None)


def error_field(response: requests.Response, name: str) -> Optional[str]:
    """A top-level field of an error body as text, whatever its casing; None when absent or not JSON."""
    value = _error_value(response, name)
    return None if value is None else str(value)


def _validation_errors(response: requests.Response) -> Optional[str]:
    """ASP.NET's `errors` of a problem-details body (`{"errors": {"field": ["message"]}}`), one line."""
    errors = _error_value(response, "errors")
    if not isinstance(errors, dict) or not errors:
        return None
    parts = []
    for field_name, messages in errors.items():
        text = "; ".join(str(m) for m in messages) if isinstance(messages, list) else str(messages)
        parts.append(f"{field_name}: {text}")
    return ", ".join(parts)


def paycor_error_text(response: requests.Response) -> str:
    """`Title: Detail (correlation id …)` from an error body in any of Paycor's spellings, or the HTTP reason.

    Paycor's gateway and services answer errors as `title/detail`, `Title/Detail`, `message` or OAuth's
    `error/error_description`, in any casing; the first present of each feeds the sentence. Paycor's words may
    quote what was sent (an SSN, a birth date): they pass through `sensitive.mask_text` before any sentence.
    """
    title = (
        error_field(response, "title")
        or error_field(response, "message")
        or error_field(response, "error")
        or error_field(response, "error_description")
        or response.reason
        or ""
    )
    detail = (
        error_field(response, "detail") or error_field(response, "error_description") or _validation_errors(response)
    )
    correlation = error_field(response, "correlationId")
    text = f"{title}: {detail}" if detail and detail != title else title
    return mask_text(f"{text} (correlation id {correlation})" if correlation else text)


def retry_after_seconds(response: requests.Response) -> Optional[float]:
    """Paycor's wait for a 429: the Retry-After header, else the body's "Try again in N seconds"."""
    header = response.headers.get("Retry-After")
    if header:
        try:
            return max(float(header), 0.0)
        except ValueError:
            pass
    match = _TRY_AGAIN.search(error_field(response, "message") or response.text or "")
    return float(match.group(1)) if match else None


def subscription_key_refused(response: requests.Response) -> bool:
    """Paycor's gateway (APIm) refused the subscription key: a 401 saying so, from any endpoint."""
    return response.status_code == 401 and "subscription key" in (error_field(response, "message") or "").lower()


def token_refusal(response: requests.Response) -> Optional[str]:
    """The sentence for a refusal of the token endpoint that names the config field at fault, else None."""
    if subscription_key_refused(response):
        return SUBSCRIPTION_KEY_REJECTED
    if (error_field(response, "error") or "").lower() == "invalid_client":
        return CLIENT_REJECTED
    return None
