#!/usr/bin/env python3
"""Generate every stream's JSON schema, and its endpoint facts, from Paycor's OpenAPI documents.

For each row of `source_paycor/streams/catalog.py` this reads the GET operation of its path in
`openapi/paycor-v1.json` or `paycor-v2.json` and writes:
- `source_paycor/schemas/<stream>.json`: the record schema (the `records` item of a paged answer,
  the item of an array answer, or the object itself), `$ref`/`allOf` inlined, OpenAPI's
  every field but the primary key nullable (Paycor sends null where its document says otherwise), dates marked for Airbyte, the parent id
  (`tenantId`, `legalEntityId`, `employeeId`) added;
- `source_paycor/endpoints.json`: per stream, the answer shape and the Data Access item Paycor requires.

Run it after changing the catalog or the documents: `python scripts/generate_schemas.py`.
`unit_tests/test_schemas.py` fails when the committed files differ from what this produces.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any, Dict, Mapping, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from source_paycor.streams.catalog import INTERNAL_STREAMS, PARENT_FIELDS, STREAMS, StreamSpec, by_name  # noqa: E402

DOCUMENTS = {"v1": ROOT / "openapi" / "paycor-v1.json", "v2": ROOT / "openapi" / "paycor-v2.json"}
SCHEMA_DIR = ROOT / "source_paycor" / "schemas"
ENDPOINTS_FILE = ROOT / "source_paycor" / "endpoints.json"

# "Data Access: <item>" or "Data Access= <item>" (both spellings occur), never the "Optional Data Access" line.
_DATA_ACCESS = re.compile(r"(?<!Optional )Data Access\s*[:=]\s*(.+)", re.IGNORECASE)
_MAX_DAYS = re.compile(r"(?:no greater than|up ?to)\s+(\d+)\s+days", re.IGNORECASE)


class Converter:
    """OpenAPI 3.0 schema → JSON Schema (draft-07) for one document."""

    def __init__(self, document: Mapping[str, Any], everything_nullable: bool = False) -> None:
        self.components = document["components"]["schemas"]
        # Paycor sends null for fields its document does not mark nullable, and the connector nulls sensitive
        # fields: every field but the primary key admits null.
        self.everything_nullable = everything_nullable

    def convert(self, node: Mapping[str, Any], seen: Tuple[str, ...] = ()) -> Dict[str, Any]:
        nullable = bool(node.get("nullable"))
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            if name in seen:  # a recursive structure: stop at an untyped object
                result: Dict[str, Any] = {"type": "object"}
            else:
                result = self.convert(self.components[name], (*seen, name))
        elif "allOf" in node or "oneOf" in node or "anyOf" in node:
            parts = [self.convert(part, seen) for part in node.get("allOf") or node.get("oneOf") or node.get("anyOf")]
            result = self._merge(parts)
        else:
            result = self._plain(node, seen)
        if node.get("description") and "description" not in result:
            result["description"] = node["description"].strip()
        return self._nullable(result) if nullable or self.everything_nullable else result

    def _plain(self, node: Mapping[str, Any], seen: Tuple[str, ...]) -> Dict[str, Any]:
        kind = node.get("type")
        if kind is None and "properties" in node:
            kind = "object"
        result: Dict[str, Any] = {}
        if node.get("description"):
            result["description"] = node["description"].strip()
        if kind == "object":
            result["type"] = "object"
            properties = node.get("properties") or {}
            if properties:
                result["properties"] = {key: self.convert(value, seen) for key, value in properties.items()}
            extra = node.get("additionalProperties")
            if isinstance(extra, Mapping) and extra:
                result["additionalProperties"] = self.convert(extra, seen)
        elif kind == "array":
            result["type"] = "array"
            result["items"] = self.convert(node.get("items") or {}, seen)
        elif kind == "string":
            result["type"] = "string"
            fmt = node.get("format")
            if fmt == "date-time":
                result["format"] = "date-time"
                result["airbyte_type"] = "timestamp_without_timezone"
            elif fmt == "date":
                result["format"] = "date"
        elif kind in ("integer", "number", "boolean"):
            result["type"] = kind
        elif kind is None and "enum" in node:
            result["type"] = "string"
        # No type at all: any JSON value, declared without constraint.
        return result

    @staticmethod
    def _merge(parts) -> Dict[str, Any]:
        if len(parts) == 1:
            return dict(parts[0])
        merged: Dict[str, Any] = {"type": "object", "properties": {}}
        for part in parts:
            merged["properties"].update(part.get("properties", {}))
            if part.get("description") and "description" not in merged:
                merged["description"] = part["description"]
        return merged

    @staticmethod
    def _nullable(schema: Dict[str, Any]) -> Dict[str, Any]:
        kind = schema.get("type")
        if kind is None:
            return schema
        kinds = kind if isinstance(kind, list) else [kind]
        if "null" not in kinds:
            schema = {**schema, "type": [*kinds, "null"]}
        return schema


def _operation(spec: StreamSpec, documents: Mapping[str, Mapping[str, Any]]) -> Tuple[str, Mapping[str, Any]]:
    version = spec.path.split("/")[1]
    document = documents[version]
    for path, operations in document["paths"].items():
        if path.lower() == spec.path.lower() and "get" in operations:
            return version, operations["get"]
    raise KeyError(f"{spec.name}: GET {spec.path} is not in openapi/paycor-{version}.json")


def _response_schema(operation: Mapping[str, Any]) -> Mapping[str, Any]:
    content = operation["responses"]["200"]["content"]
    return next(iter(content.values()))["schema"]


def _resolve(node: Mapping[str, Any], components: Mapping[str, Any]) -> Mapping[str, Any]:
    while "$ref" in node:
        node = components[node["$ref"].rsplit("/", 1)[-1]]
    return node


def describe(spec: StreamSpec, documents: Mapping[str, Mapping[str, Any]]) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """(record JSON schema, endpoint facts) of one stream."""
    version, operation = _operation(spec, documents)
    converter = Converter(documents[version], everything_nullable=True)
    components = converter.components
    answer = _resolve(_response_schema(operation), components)
    if answer.get("type") == "array":
        shape, record = "array", answer["items"]
    elif "records" in (answer.get("properties") or {}):
        shape, record = "paged", answer["properties"]["records"]["items"]
    else:
        shape, record = "object", answer
    schema = converter.convert(record)
    schema.pop("type", None)
    properties = dict(schema.get("properties", {}))
    for field in spec.record_fields:
        if field in properties:
            continue
        if field in PARENT_FIELDS:
            properties[field] = {"type": PARENT_FIELDS[field], "description": f"The {field} this record was read for (added by the connector)."}
        else:  # a value the fan-out brings from its parent stream's record
            parent_spec = by_name()[spec.fan_out.parent]
            parent_schema, _ = describe(parent_spec, documents)
            properties[field] = dict(parent_schema["properties"][spec.fan_out.fields[field]])
            properties[field]["description"] = f"{spec.fan_out.fields[field]} of the {parent_spec.name} record this record was read for (added by the connector)."
    if spec.row_key:
        properties["rowKey"] = {
            "type": "string",
            "description": "Paycor gives this row no id: the connector builds one from "
            + ", ".join(spec.row_key)
            + " (and the row's occurrence among identical rows of one call), stable across syncs.",
        }
    declared = Converter(documents[version]).convert(record).get("properties", {})
    for key in spec.key:
        if key not in properties:
            raise KeyError(f"{spec.name}: primary key field {key!r} is not declared by {spec.path}")
        if key in declared:  # a primary key keeps the document's own nullability
            properties[key] = declared[key]
    document_schema = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "description": schema.get("description", spec.description),
        "additionalProperties": True,
        "properties": properties,
    }
    match = _DATA_ACCESS.search(operation.get("description") or "")
    days = _MAX_DAYS.search(operation.get("description") or "")
    facts = {
        "path": spec.path,
        "shape": shape,
        # Two operations name no item; Paycor's items follow "View <tag>", which is what they get.
        "data_access": match.group(1).strip().rstrip(".") if match else f"View {operation['tags'][0].strip()}",
    }
    if spec.window is not None:  # Paycor's documents state each endpoint's longest range
        facts["max_days"] = int(days.group(1)) if days else 90
    return document_schema, facts


def build() -> Dict[Path, str]:
    """Every generated file and its exact content."""
    documents = {version: json.loads(path.read_text()) for version, path in DOCUMENTS.items()}
    files: Dict[Path, str] = {}
    endpoints: Dict[str, Any] = {}
    for spec in (*STREAMS, *INTERNAL_STREAMS):
        schema, facts = describe(spec, documents)
        files[SCHEMA_DIR / f"{spec.name}.json"] = json.dumps(schema, indent=2, sort_keys=True) + "\n"
        endpoints[spec.name] = facts
    files[ENDPOINTS_FILE] = json.dumps(endpoints, indent=2, sort_keys=True) + "\n"
    return files


def main() -> None:
    files = build()
    SCHEMA_DIR.mkdir(parents=True, exist_ok=True)
    for stale in SCHEMA_DIR.glob("*.json"):
        if stale not in files:
            stale.unlink()
    for path, content in files.items():
        path.write_text(content)
    print(f"wrote {len(files)} files")


if __name__ == "__main__":
    main()
