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

from source_paycor.sensitive import is_sensitive  # noqa: E402
from source_paycor.streams.catalog import STREAMS, StreamSpec  # noqa: E402

ENDPOINTS = json.loads((ROOT / "source_paycor" / "endpoints.json").read_text())
PARENTS = {"tenantId": "tenant", "legalEntityId": "legal entity", "employeeId": "employee"}


def endpoint(spec: StreamSpec) -> str:
    params = "&".join(f"{k}={v}" for k, values in spec.params.items() for v in values)
    return f"GET {spec.path}" + (f"?{params}" if params else "")


def parent(spec: StreamSpec) -> str:
    if spec.fan_out is not None and spec.parent_field != "employeeId":
        return f"each `{spec.fan_out.parent}` record"
    return PARENTS.get(spec.parent_field or "", "—")


def modes(spec: StreamSpec) -> str:
    return "full refresh, incremental" if spec.cursor_field else "full refresh"


def sensitive_paths(schema: Dict[str, Any], prefix: str = "") -> List[str]:
    """The declared fields of a schema, at any depth, whose names are on the connector's sensitive list."""
    paths: List[str] = []
    for key, sub in (schema.get("properties") or {}).items():
        if is_sensitive(key):
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
        "| stream | Paycor endpoint | parent | primary key | cursor | sync modes | sensitive | Data Access item |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for spec in STREAMS:
        lines.append(
            f"| `{spec.name}` | `{endpoint(spec)}` | {parent(spec)} | {', '.join(spec.key)} | {spec.cursor_field or '—'} "
            f"| {modes(spec)} | {sensitive(spec)} | {ENDPOINTS[spec.name]['data_access']} |"
        )
    return "\n".join(lines)


def changes(spec: StreamSpec) -> str:
    """What a change or a deletion in Paycor does to the warehouse, by how the stream is read."""
    if spec.window is not None:
        return ("Incremental: rows of the last `lookback_window_days` are read again and replace their earlier copy (dedup by key); "
                "older changes arrive only after a reset. Deleted rows stay in the warehouse.")
    if spec.fan_out_cursor is not None:
        return ("Incremental by pay run: the pay runs of the last `lookback_window_days` are read again (dedup by key); "
                "a deleted or voided pay run's rows stay in the warehouse.")
    return "Full refresh: every sync replaces the table, so changes and deletions appear after the next sync."


def docs_streams_table() -> str:
    lines = ["| Stream | Paycor endpoint | Primary key | Cursor | Description | Changes and deletions |", "| :--- | :--- | :--- | :--- | :--- | :--- |"]
    for spec in STREAMS:
        key = ", ".join(f"`{field}`" for field in spec.key)
        cursor = f"`{spec.cursor_field}`" if spec.cursor_field else "—"
        description = spec.description or spec.name.replace("_", " ").capitalize() + "."
        lines.append(f"| `{spec.name}` | `{endpoint(spec)}` | {key} | {cursor} | {description} | {changes(spec)} |")
    return "\n".join(lines)


def docs_data_access_table() -> str:
    lines = ["  | Stream | Data Access item |", "  | :--- | :--- |"]
    lines += [f"  | `{spec.name}` | {ENDPOINTS[spec.name]['data_access']} |" for spec in STREAMS]
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
