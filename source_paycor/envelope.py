"""Any answer → (records, continuation token), whatever shape Paycor's document announced for the endpoint.

Paycor's answers do not always have the shape its document gives an endpoint, so every endpoint accepts
every shape (the `shape` of `endpoints.json` is a hint for readers, not a contract):

- a paged envelope: `records`, `hasMoreResults`, `continuationToken`, `additionalResultsUrl`, in any
  casing; `records: null` or absent means none; `hasMoreResults` a bool or a string (`"true"`, `"True"`);
  the token taken from `additionalResultsUrl` when `continuationToken` is missing;
- a bare JSON array of records;
- a single object: one record;
- no body, `null`, `{}` or 204: no records.

Anything else (a string, a number, an error body answered with 200, `records` that is not a list) raises
`InvalidBody`; the error table retries it as transient.
"""

from __future__ import annotations

from typing import Any, List, NamedTuple, Optional
from urllib.parse import parse_qsl, urlsplit

import requests

from .body import InvalidBody, is_error_body, json_body

ENVELOPE_KEYS = frozenset({"records", "hasmoreresults", "continuationtoken", "additionalresultsurl"})


class Page(NamedTuple):
    records: List[dict]
    next_token: Optional[str]
    # Items of the records list that are not objects (`[1, "x"]`): no record can be made of them.
    not_objects: int = 0


def _fields(body: dict) -> dict:
    """The envelope's own fields, keyed in lower case."""
    if "records" in body:  # the documented casing (the usual answer): no key is lowered
        return {
            "records": body["records"],
            "hasmoreresults": body.get("hasMoreResults"),
            "continuationtoken": body.get("continuationToken"),
            "additionalresultsurl": body.get("additionalResultsUrl"),
        }
    return {key.lower(): value for key, value in body.items() if isinstance(key, str) and key.lower() in ENVELOPE_KEYS}


def is_envelope(body: dict) -> bool:
    if "records" in body:
        return True
    keys = {key.lower() for key in body if isinstance(key, str)}
    return "records" in keys or (bool(keys) and keys <= ENVELOPE_KEYS)


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value)


def _token_of_url(url: Any) -> Optional[str]:
    if not isinstance(url, str) or not url:
        return None
    for key, value in parse_qsl(urlsplit(url).query):
        if key.lower() == "continuationtoken" and value:
            return value
    return None


def _objects(items: List[Any]) -> Page:
    records = [item for item in items if isinstance(item, dict)]
    return Page(records, None, len(items) - len(records))


def parse_page(body: Any) -> Page:
    """Records of one answer and the token of the next page (None on the last page)."""
    if body is None:
        return Page([], None)
    if isinstance(body, list):
        return _objects(body)
    if not isinstance(body, dict):
        raise InvalidBody(f"expected JSON records, got a JSON {type(body).__name__}")
    if not body:
        return Page([], None)
    if not is_envelope(body):
        if is_error_body(body):
            raise InvalidBody("the answer is an error, not records")
        return Page([body], None)
    fields = _fields(body)
    records = fields.get("records")
    if records is None:
        page = Page([], None)
    elif isinstance(records, list):
        page = _objects(records)
    elif isinstance(records, dict):
        page = Page([records], None)
    else:
        raise InvalidBody(f"`records` is a JSON {type(records).__name__}, not a list")
    token = fields.get("continuationtoken") or _token_of_url(fields.get("additionalresultsurl"))
    more = fields.get("hasmoreresults")
    has_more = _truthy(more) if more is not None else bool(token)
    if not has_more or not token:
        return page
    return page._replace(next_token=str(token))


PAGE_ATTRIBUTE = "_paycor_page"


def response_page(response: requests.Response) -> Page:
    """The page of a response, parsed once and kept on it (the error table, the paging and the records read it).
    Raises InvalidBody."""
    page = getattr(response, PAGE_ATTRIBUTE, None)
    if page is None:
        page = parse_page(json_body(response))
        setattr(response, PAGE_ATTRIBUTE, page)
    return page
