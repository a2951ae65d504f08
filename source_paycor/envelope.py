"""Paycor's three answer shapes → (records, continuation token).

- paged: `{"records": [...], "hasMoreResults": true|"True", "continuationToken": "<guid>"|null, ...}`
- a bare JSON array of records
- a single object (one record)
Envelope keys are read in either casing. A paged answer without `records` is an error, not an empty page.
"""

from __future__ import annotations

from typing import Any, List, Optional, Tuple

from .errors import InvalidBody

PAGED, ARRAY, OBJECT = "paged", "array", "object"


def _field(body: dict, name: str) -> Any:
    if name in body:
        return body[name]
    wanted = name.lower()
    for key, value in body.items():
        if key.lower() == wanted:
            return value
    return None


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value)


def parse_page(body: Any, shape: str) -> Tuple[List[dict], Optional[str]]:
    """Records of one answer and the token of the next page (None on the last page)."""
    if body is None:
        return [], None
    if isinstance(body, list):
        return [record for record in body if isinstance(record, dict)], None
    if not isinstance(body, dict):
        raise InvalidBody(f"expected a JSON object or array, got {type(body).__name__}")
    records = _field(body, "records")
    if records is None:
        if shape == OBJECT:
            return [body], None
        raise InvalidBody("the answer has no `records` list")
    if not isinstance(records, list):
        raise InvalidBody("`records` is not a list")
    token = _field(body, "continuationToken")
    more = _field(body, "hasMoreResults")
    has_more = _truthy(more) if more is not None else bool(token)
    if not has_more or not token:
        return records, None
    return records, str(token)
