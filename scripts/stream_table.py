#!/usr/bin/env python3
"""Write the stream table of README.md (between its markers) from the stream catalog.

    python scripts/stream_table.py          # rewrite README.md
    python scripts/stream_table.py --check  # exit 1 if README.md is out of date
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from source_paycor.streams.catalog import STREAMS  # noqa: E402

README = ROOT / "README.md"
BEGIN, END = "<!-- stream-table:begin -->", "<!-- stream-table:end -->"


def table() -> str:
    endpoints = json.loads((ROOT / "source_paycor" / "endpoints.json").read_text())
    lines = [
        "| stream | Paycor endpoint | parent | primary key | cursor | sync modes | Data Access item |",
        "|---|---|---|---|---|---|---|",
    ]
    for spec in STREAMS:
        parent = {"tenantId": "tenant", "legalEntityId": "legal entity", "employeeId": "employee"}.get(spec.parent_field or "", "—")
        params = "&".join(f"{k}={v}" for k, values in spec.params.items() for v in values)
        path = f"GET {spec.path}" + (f"?{params}" if params else "")
        lines.append(
            f"| `{spec.name}` | `{path}` | {parent} | {', '.join(spec.key)} | — | full refresh | {endpoints[spec.name]['data_access']} |"
        )
    return "\n".join(lines)


def render(text: str) -> str:
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    return text[:start] + "\n" + table() + "\n" + text[end:]


def main() -> None:
    current = README.read_text()
    wanted = render(current)
    if "--check" in sys.argv:
        sys.exit(0 if wanted == current else "README.md's stream table is out of date: run `python scripts/stream_table.py`")
    README.write_text(wanted)


if __name__ == "__main__":
    main()
