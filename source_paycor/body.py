"""A response's body: parsed once, kept on the response, and quoted safely.

`json_body` parses with orjson (json for what orjson refuses) and raises `InvalidBody` for what is not
JSON (a proxy's HTML page, a body cut short); `body_preview` quotes the first characters of such a body
for an error sentence with anything that could be a secret or a sensitive value masked.
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson
import requests

PREVIEW_CHARACTERS = 60
# Masked in a preview: runs of 4+ digits (SSNs, dates, account numbers) and long tokens (keys, JWTs, GUIDs).
_MASKED = re.compile(r"\d[\d-]{3,}|(?=[A-Za-z_.+/=-]*\d)[A-Za-z0-9_.+/=-]{20,}")


class InvalidBody(ValueError):
    """A 2xx answer whose body is not records in JSON (cut short, an HTML page, an error in disguise)."""


BODY_ATTRIBUTE = "_paycor_body"
_UNPARSED = object()


def _parse(content: bytes) -> Any:
    try:
        # orjson: the values `json` gives, in half the CPU (bodies hold up to 200 full records).
        return orjson.loads(content)
    except orjson.JSONDecodeError:
        pass
    try:
        # What orjson refuses and `json` reads: a byte-order mark, UTF-16, NaN, a lone surrogate.
        return json.loads(content)
    except ValueError as error:
        detail = f"{error.msg} at character {error.pos}" if isinstance(error, json.JSONDecodeError) else str(error)
        return InvalidBody(f"the body is not valid JSON ({detail})")


def json_body(response: requests.Response) -> Any:
    """The parsed JSON body, parsed once per response and kept on it. Raises InvalidBody."""
    cached = getattr(response, BODY_ATTRIBUTE, _UNPARSED)
    if cached is _UNPARSED:
        cached = _parse(response.content) if response.content else None
        setattr(response, BODY_ATTRIBUTE, cached)
    if isinstance(cached, InvalidBody):
        raise cached
    return cached


def mask_digit_runs(text: str) -> str:
    """Text with runs of 4+ digits (SSNs, dates, account numbers) and long tokens replaced by `…`."""
    return _MASKED.sub("…", text)


def body_preview(response: requests.Response) -> str:
    """The first characters of a body, on one line, digits runs and long tokens masked: `<html><head>…`."""
    text = " ".join((response.content or b"")[: PREVIEW_CHARACTERS * 4].decode("utf-8", "replace").split())
    text = mask_digit_runs(text)[:PREVIEW_CHARACTERS]
    return text if text else "(empty)"


# Keys of the error bodies Paycor's gateway and services send (problem details, gateway, OAuth).
ERROR_KEYS = frozenset(
    {
        "title",
        "detail",
        "correlationid",
        "message",
        "error",
        "error_description",
        "statuscode",
        "status",
        "type",
        "traceid",
        "instance",
        "errors",
    }
)


def is_error_body(body: Any) -> bool:
    """A 200 that is really an error: a PaycorError (`Title` with `CorrelationId` or `Detail`), a gateway's
    `{statusCode, message}` or OAuth's `{error, error_description}`, in any casing, with no records."""
    if not isinstance(body, dict) or not body:
        return False
    keys = {key.lower() for key in body if isinstance(key, str)}
    if "records" in keys:
        return False
    if "title" in keys and ("correlationid" in keys or "detail" in keys):
        return True
    return keys <= ERROR_KEYS and ("error_description" in keys or ("message" in keys and "statuscode" in keys))
