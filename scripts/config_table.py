#!/usr/bin/env python3
"""Write the configuration table of docs/paycor.md (between `<!-- config-table:begin -->` and `:end -->`) from
source_paycor/spec.yaml: every field, its key, whether it is required, its default, its range or format, and its
description.

    python scripts/config_table.py          # rewrite the table (`make docs` runs it with scripts/stream_table.py)
    python scripts/config_table.py --check  # exit 1 if the table is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import yaml

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "source_paycor" / "spec.yaml"
DOCS = ROOT / "docs" / "paycor.md"
MARKER = "config-table"


def fields(spec: Dict[str, Any]) -> Iterator[Tuple[str, str, Dict[str, Any], bool]]:
    """(title, dotted key, property, required) in the form's order, nested credentials after their object."""
    connection = spec["connectionSpecification"]
    ordered = sorted(connection["properties"].items(), key=lambda item: item[1].get("order", 99))
    for name, prop in ordered:
        if prop.get("type") == "object" and "properties" in prop:
            inner = sorted(prop["properties"].items(), key=lambda item: item[1].get("order", 99))
            for key, sub in inner:
                yield (f"{prop['title']} → {sub.get('title', key)}", f"{name}.{key}", sub,
                       name in connection.get("required", []) and key in prop.get("required", []))
        else:
            yield prop.get("title", name), name, prop, name in connection.get("required", [])


def _code(value: Any) -> str:
    text = str(value).lower() if isinstance(value, bool) else str(value)
    return f"`{text}`"


def values(prop: Dict[str, Any]) -> str:
    """Default, range and format of a field."""
    parts: List[str] = []
    if "const" in prop:
        return f"always {_code(prop['const'])}"
    if "enum" in prop:
        parts.append("one of " + ", ".join(_code(value) for value in prop["enum"]))
    if "default" in prop:
        parts.append(f"default {_code(prop['default'])}")
    if "minimum" in prop or "maximum" in prop:
        parts.append(f"{prop.get('minimum', '…')} to {prop.get('maximum', '…')}")
    if prop.get("format") == "date" or prop.get("pattern_descriptor") == "YYYY-MM-DD":
        parts.append("`YYYY-MM-DD`")
    elif prop.get("format") == "date-time":
        parts.append("date-time")
    if prop.get("type") == "array":
        parts.append(f"list of {prop.get('items', {}).get('type', 'values')}s")
    return "; ".join(parts) or "—"


def description(prop: Dict[str, Any]) -> str:
    text = " ".join(str(prop.get("description", "")).split())
    notes = []
    if prop.get("airbyte_secret"):
        notes.append("Secret.")
    if prop.get("airbyte_hidden"):
        notes.append("Hidden in the form.")
    return " ".join([text, *notes]).strip().replace("|", "\\|")


def table(spec: Dict[str, Any]) -> str:
    lines = ["| Field | Config key | Required | Default, range, format | Description |", "| :--- | :--- | :--- | :--- | :--- |"]
    for title, key, prop, required in fields(spec):
        lines.append(f"| {title} | `{key}` | {'Yes' if required else 'No'} | {values(prop)} | {description(prop)} |")
    return "\n".join(lines)


def render(text: str, rendered: str) -> str:
    begin, end = f"<!-- {MARKER}:begin -->", f"<!-- {MARKER}:end -->"
    start, stop = text.index(begin) + len(begin), text.index(end)
    return text[:start] + "\n" + rendered + "\n" + text[stop:]


def main() -> None:
    current = DOCS.read_text()
    wanted = render(current, table(yaml.safe_load(SPEC.read_text())))
    if wanted == current:
        return
    if "--check" in sys.argv:
        sys.exit("the config table of docs/paycor.md is out of date: run `make docs` (python scripts/config_table.py)")
    DOCS.write_text(wanted)


if __name__ == "__main__":
    main()
