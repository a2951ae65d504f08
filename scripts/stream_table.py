#!/usr/bin/env python3
"""Write the stream tables of README.md and docs/paycor.md (between their markers) from the catalog.

    python scripts/stream_table.py          # rewrite the tables
    python scripts/stream_table.py --check  # exit 1 if a table is out of date
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from source_paycor.sensitive import is_marked  # noqa: E402
from source_paycor.streams.catalog import STREAMS, StreamSpec, by_name  # noqa: E402

ENDPOINTS = json.loads((ROOT / "source_paycor" / "endpoints.json").read_text())
ENDPOINTS_BY_PATH = {
    route["path"]: route["shape"] for facts in ENDPOINTS.values() for route in (facts, facts.get("bulk") or facts)
}
PARENTS = {"tenantId": "tenant", "legalEntityId": "legal entity", "employeeId": "employee"}
# What one record of a fan-out's parent stream is, in the cost column.
FAN_OUT_UNITS = {
    "employee_ids": "employee",
    "unpaid_worker_ids": "unpaid worker",
    "payroll_processing": "pay run",
    "pay_groups": "pay group",
    "ats_accounts": "ATS account",
    "ats_jobs": "ATS job",
    "labor_profiles": "labor profile",
}
PAGE_SIZES = {"/v2/legalentities/{legalEntityId}/employees": 200}


def endpoint(spec: StreamSpec) -> str:
    params = "&".join(f"{k}={v}" for k, values in spec.params.items() for v in values)
    route = f"GET {spec.path}" + (f"?{params}" if params else "")
    if spec.bulk is not None:
        # the table wraps the cell in backticks: the text closes and reopens them, ending inside the last span
        return f"{spec.bulk.method} {spec.bulk.path}` with body `{json.dumps(spec.bulk.body)}`, where denied `{route}"
    return route


def _unit(spec: StreamSpec) -> str:
    """What one call is made for: a tenant, a legal entity, a fan-out parent's record, or the sync."""
    if spec.fan_out is not None:
        return FAN_OUT_UNITS.get(spec.fan_out.parent, f"`{spec.fan_out.parent}` record")
    return {"tenant": "tenant", "legal_entity": "legal entity", "root": ""}[spec.scope]


def _pages(path: str) -> str:
    return f"page of {PAGE_SIZES.get(path, 100)}" if ENDPOINTS_BY_PATH.get(path) == "paged" else ""


def cost(spec: StreamSpec) -> str:
    """Calls per sync, from the row: its scope or fan-out, enumerated values, date windows, paging; a fan-out's
    parent list (read once per sync, shared by the streams that fan out from it) is named after it."""
    if spec.bulk is not None:
        return (
            f"1 per legal entity per {_pages(spec.bulk.path)} (where the bulk route is denied: "
            f"{_calls(spec)}{_after(spec)})"
        )
    return _calls(spec) + _after(spec)


def _after(spec: StreamSpec) -> str:
    if spec.fan_out is None:
        return ""
    parent = by_name()[spec.fan_out.parent]
    return f", after the {FAN_OUT_UNITS.get(parent.name, parent.name)} list ({_calls(parent)})"


def _calls(spec: StreamSpec) -> str:
    unit = _unit(spec)
    count = 1
    for values in spec.each.values():
        count *= len(values)
    parts = [f"{count} per {unit}" if unit else str(count)]
    if spec.window is not None:
        parts.append(f"per {ENDPOINTS[spec.name].get('max_days', 90)} days")
    if spec.fan_out is None:
        page = _pages(spec.path)
        if page:
            parts.append(f"per {page}")
    return " ".join(parts)


def parent(spec: StreamSpec) -> str:
    if spec.fan_out is not None and spec.parent_field != "employeeId":
        return f"each `{spec.fan_out.parent}` record"
    return PARENTS.get(spec.parent_field or "", "—")


def modes(spec: StreamSpec) -> str:
    return "full refresh, incremental" if spec.cursor_field else "full refresh"


def sensitive_paths(schema: Dict[str, Any], prefix: str = "") -> List[str]:
    """The declared fields of a schema, at any depth, that the schema marks sensitive."""
    paths: List[str] = []
    for key, sub in (schema.get("properties") or {}).items():
        if is_marked(sub):
            paths.append(prefix + key)
        elif isinstance(sub, dict):
            paths += sensitive_paths(sub.get("items") if isinstance(sub.get("items"), dict) else sub, f"{prefix}{key}.")
    return paths


def sensitive(spec: StreamSpec) -> str:
    if spec.sensitive_only:
        return "whole stream"
    schema = json.loads((ROOT / "source_paycor" / "schemas" / f"{spec.name}.json").read_text())
    return ", ".join(f"`{path}`" for path in sensitive_paths(schema)) or "—"


def readme_table() -> str:
    lines = [
        "| stream | Paycor endpoint | parent | calls per sync | primary key | cursor | sync modes | sensitive "
        "| Data Access item |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for spec in STREAMS:
        lines.append(
            f"| `{spec.name}` | `{endpoint(spec)}` | {parent(spec)} | {cost(spec)} | {', '.join(spec.key)} "
            f"| {spec.cursor_field or '—'} | {modes(spec)} | {sensitive(spec)} | {data_access(spec)} |"
        )
    return "\n".join(lines)


def data_access(spec: StreamSpec) -> str:
    facts = ENDPOINTS[spec.name]
    if "bulk" in facts:
        return f"{facts['bulk']['data_access']} (bulk), else {facts['data_access']}"
    return facts["data_access"]


def changes(spec: StreamSpec) -> str:
    """What a change or a deletion in Paycor does to the warehouse, by how the stream is read."""
    if spec.window is not None:
        return ("Incremental: rows of the last `lookback_window_days` are read again and replace their earlier copy (dedup by key); "
                "older changes arrive only after a reset. Deleted rows stay in the warehouse.")
    if spec.per_employee:
        return ("Incremental by employee: each sync reads every employee except those whose employment ended more than "
                "`terminated_grace_days` before the previous sync (their rows stay as delivered); with append + dedup, "
                "`readAt` picks the latest read of a row. Rows deleted in Paycor stay in the warehouse (a full refresh "
                "replaces the table).")
    if spec.fan_out_cursor is not None:
        return ("Incremental by pay run: the pay runs of the last `lookback_window_days` are read again (dedup by key); "
                "a deleted or voided pay run's rows stay in the warehouse.")
    return "Full refresh: every sync replaces the table, so changes and deletions appear after the next sync."


def docs_streams_table() -> str:
    lines = [
        "| Stream | Paycor endpoint | Calls per sync | Primary key | Cursor | Description | Changes and deletions |",
        "| :--- | :--- | :--- | :--- | :--- | :--- | :--- |",
    ]
    for spec in STREAMS:
        key = ", ".join(f"`{field}`" for field in spec.key)
        cursor = f"`{spec.cursor_field}`" if spec.cursor_field else "—"
        description = spec.description or spec.name.replace("_", " ").capitalize() + "."
        lines.append(
            f"| `{spec.name}` | `{endpoint(spec)}` | {cost(spec)} | {key} | {cursor} | {description} | {changes(spec)} |"
        )
    return "\n".join(lines)


def docs_data_access_table() -> str:
    lines = ["  | Stream | Data Access item |", "  | :--- | :--- |"]
    lines += [f"  | `{spec.name}` | {data_access(spec)} |" for spec in STREAMS]
    return "\n".join(lines)


TABLES: Dict[Tuple[Path, str], Callable[[], str]] = {
    (ROOT / "README.md", "stream-table"): readme_table,
    (ROOT / "docs" / "paycor.md", "stream-table"): docs_streams_table,
    (ROOT / "docs" / "paycor.md", "data-access-table"): docs_data_access_table,
}


def render(text: str, marker: str, table: str) -> str:
    begin, end = f"<!-- {marker}:begin -->", f"<!-- {marker}:end -->"
    start, stop = text.index(begin) + len(begin), text.index(end)
    indent = text[text.rfind("\n", 0, stop) + 1 : stop]
    return text[:start] + "\n" + table + "\n" + indent + text[stop:]


def main() -> None:
    stale = []
    for path in dict.fromkeys(path for path, _ in TABLES):
        current = path.read_text()
        wanted = current
        for (table_path, marker), renderer in TABLES.items():
            if table_path == path:
                wanted = render(wanted, marker, renderer())
        if wanted != current:
            stale.append(str(path.relative_to(ROOT)))
            if "--check" not in sys.argv:
                path.write_text(wanted)
    if stale and "--check" in sys.argv:
        sys.exit(f"stream tables out of date in {', '.join(stale)}: run `python scripts/stream_table.py`")


if __name__ == "__main__":
    main()
