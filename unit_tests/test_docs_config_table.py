"""docs/paycor.md's configuration table says what spec.yaml says, read from both at test time: one row per field
(nested ones as `credentials.<key>`), the same required flags, defaults and ranges; and `make docs`'s script
finds nothing to change."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SPEC = yaml.safe_load((ROOT / "source_paycor" / "spec.yaml").read_text())["connectionSpecification"]
DOCS = (ROOT / "docs" / "paycor.md").read_text()


def doc_rows() -> dict:
    block = DOCS[DOCS.index("<!-- config-table:begin -->"):DOCS.index("<!-- config-table:end -->")]
    rows = {}
    for line in block.splitlines()[3:]:
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]]
        rows[cells[1].strip("`")] = cells
    return rows


def spec_fields() -> dict:
    result = {}
    for name, prop in SPEC["properties"].items():
        if prop.get("type") == "object":
            for key, sub in prop["properties"].items():
                result[f"{name}.{key}"] = (sub, name in SPEC["required"] and key in prop.get("required", []))
        else:
            result[name] = (prop, name in SPEC["required"])
    return result


def test_config_table_has_one_row_per_spec_field_with_its_required_flag_default_and_range():
    rows, fields = doc_rows(), spec_fields()
    assert sorted(rows) == sorted(fields)
    for key, (prop, required) in fields.items():
        title, _, required_cell, values, _ = rows[key]
        assert required_cell == ("Yes" if required else "No"), key
        if "const" in prop:
            assert values == f"always `{prop['const']}`", (key, values)
        elif "default" in prop:
            default = str(prop["default"]).lower() if isinstance(prop["default"], bool) else str(prop["default"])
            assert f"default `{default}`" in values, (key, values)
        if "minimum" in prop:
            assert f"{prop['minimum']} to {prop['maximum']}" in values, (key, values)
        assert prop.get("title", "") in title, key


def test_config_table_is_what_make_docs_writes():
    completed = subprocess.run([sys.executable, str(ROOT / "scripts" / "config_table.py"), "--check"], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
