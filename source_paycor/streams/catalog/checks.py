"""The combinations of `StreamSpec` fields that make sense, checked when the catalog loads.

`catalog/__init__.py` calls `validate` on every row (offered and internal) at import: a row that cannot be read as
written (a fan-out from a stream that does not exist, parents that fan out from each other, a bulk route
without a fan-out to fall back to...) stops the connector at once with a `SpecError` naming the row,
instead of misbehaving in some sync. Fan-outs forming no cycle is also why a parent's read never waits for
itself (`streams/parent_rows.py`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable, Dict, Iterable, List, NoReturn

if TYPE_CHECKING:
    from .spec import StreamSpec

# Path placeholders every stream may use: the slice's legal entity or tenant.
SLICE_PLACEHOLDERS = frozenset({"legalEntityId", "tenantId"})
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


class SpecError(ValueError):
    """A catalog row whose fields do not fit together."""


def validate(specs: Iterable["StreamSpec"]) -> None:
    """Raise `SpecError` naming the first row (in catalog order) that breaks a rule."""
    rows: List["StreamSpec"] = list(specs)
    by_name: Dict[str, "StreamSpec"] = {}
    for spec in rows:
        if spec.name in by_name:
            raise SpecError(f"Catalog row {spec.name}: a second row has this name; stream names are unique.")
        by_name[spec.name] = spec
    for spec in rows:
        _check_row(spec, by_name)


def _check_row(spec: "StreamSpec", by_name: Dict[str, "StreamSpec"]) -> None:
    def fail(problem: str) -> NoReturn:
        raise SpecError(f"Catalog row {spec.name}: {problem}.")

    fan_out = spec.fan_out
    if fan_out is not None:
        if fan_out.parent not in by_name:
            fail(f"its fan-out's parent {fan_out.parent} is no row of the catalog")
        if not fan_out.fields:
            fail("its fan-out names no field of the parent records to fan out on")
        extra = sorted(set(fan_out.record_only) - set(fan_out.fields))
        if extra:
            fail(f"its fan-out's record_only {', '.join(extra)} are not fan-out fields")
        _check_no_cycle(spec, by_name, fail)
    if spec.bulk is not None:
        if fan_out is None:
            fail("a bulk route needs a fan-out to fall back to when Paycor denies it")
        else:
            extra = sorted(set(spec.bulk.fields) - set(fan_out.fields))
            if extra:
                fail(f"its bulk route carries {', '.join(extra)}, which are not fan-out fields")
    if spec.window is not None and spec.fan_out_cursor is not None:
        fail("a window and a fan_out_cursor both make the cursor; keep one")
    if spec.fan_out_cursor is not None and (fan_out is None or spec.fan_out_cursor not in fan_out.fields):
        fail(f"its fan_out_cursor {spec.fan_out_cursor} is not a field its fan-out brings")
    given = SLICE_PLACEHOLDERS | set(fan_out.fields if fan_out else ()) | set(spec.each)
    missing = sorted(set(_PLACEHOLDER.findall(spec.path)) - given)
    if missing:
        fail(f"its path {spec.path} has {', '.join(missing)}, which no slice fills (fan-out fields, each)")
    if spec.row_key and "rowKey" not in spec.primary_key:
        fail("its row_key makes the field rowKey, which its primary key does not hold")


def _check_no_cycle(spec: "StreamSpec", by_name: Dict[str, "StreamSpec"], fail: Callable[[str], NoReturn]) -> None:
    seen = [spec.name]
    parent = spec.fan_out.parent if spec.fan_out is not None else None
    while parent is not None:
        if parent in seen:
            fail(f"its parents fan out from each other ({' → '.join([*seen, parent])})")
        seen.append(parent)
        row = by_name.get(parent)
        parent = row.fan_out.parent if row is not None and row.fan_out is not None else None
