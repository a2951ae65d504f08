#!/usr/bin/env python3
"""Generate every stream's JSON schema, and its endpoint facts, from Paycor's OpenAPI documents.

For each row of `source_paycor/streams/catalog/` this reads the GET operation of its path in
`openapi/paycor-v1.json` or `paycor-v2.json`, through the shared reader `paycor_openapi` (the sandbox reads
the documents, their Data Access items and window limits through it too), and writes:
- `source_paycor/schemas/<stream>.json`: the record schema (the `records` item of a paged answer,
  the item of an array answer, or the object itself), `$ref`/`allOf` inlined, OpenAPI's
  every field but the primary key nullable (Paycor sends null where its document says otherwise), dates marked for Airbyte, the parent id
  (`tenantId`, `legalEntityId`, `employeeId`) added;
  every declared field on the reviewed list `source_paycor.sensitive.DECLARED_SENSITIVE` marked
  `"airbyte_sensitive": true` (a field the connector nulls unless `include_sensitive_data`); a declared name
  the connector's name policy flags that is on neither reviewed list stops the generator;
- `source_paycor/endpoints.json`: per stream, the answer shape, the Data Access item Paycor requires and,
  for a date-windowed stream, the longest window (`max_days`).

Run it after changing the catalog or the documents: `python scripts/generate_schemas.py`.
`unit_tests/test_schemas.py` fails when the committed files differ from what this produces.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Dict, Mapping, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from paycor_openapi import descriptions  # noqa: E402
from paycor_openapi.airbyte_schema import AirbyteSchemaConverter  # noqa: E402
from paycor_openapi.documents import (  # noqa: E402
    DOCUMENT_FILES,
    answer_content,
    find_get_operation,
    find_operation,
    load_documents,
    resolve,
)
from source_paycor.sensitive import DECLARED_NOT_SENSITIVE, DECLARED_SENSITIVE, MARK, is_sensitive_name  # noqa: E402
from source_paycor.streams.catalog import INTERNAL_STREAMS, PARENT_FIELDS, READ_AT, STREAMS, StreamSpec, by_name  # noqa: E402

SCHEMA_DIR = ROOT / "source_paycor" / "schemas"
ENDPOINTS_FILE = ROOT / "source_paycor" / "endpoints.json"


def _operation(spec: StreamSpec, documents: Mapping[str, Mapping[str, Any]]) -> Tuple[str, Mapping[str, Any]]:
    version = spec.path.split("/")[1]
    operation = find_get_operation(documents[version], spec.path)
    if operation is None:
        raise KeyError(f"{spec.name}: GET {spec.path} is not in openapi/{DOCUMENT_FILES[version]}")
    return version, operation


def _response_schema(spec: StreamSpec, operation: Mapping[str, Any]) -> Mapping[str, Any]:
    _, schema = answer_content(operation)
    if schema is None:
        raise KeyError(f"{spec.name}: GET {spec.path} documents no 200 answer with a schema")
    return schema


def mark_sensitive(schema: Mapping[str, Any], where: str) -> Dict[str, Any]:
    """The schema with every declared field on the reviewed sensitive list marked, at any depth."""
    marked = dict(schema)
    if isinstance(schema.get("properties"), Mapping):
        properties = {}
        for key, sub in schema["properties"].items():
            if key not in DECLARED_SENSITIVE and key not in DECLARED_NOT_SENSITIVE and is_sensitive_name(key):
                raise KeyError(
                    f"{where}: the declared field {key!r} has a sensitive-looking name — review it: add it to "
                    "DECLARED_SENSITIVE or DECLARED_NOT_SENSITIVE (with the reason) in source_paycor/sensitive.py"
                )
            sub = mark_sensitive(sub, f"{where}.{key}") if isinstance(sub, Mapping) else sub
            properties[key] = {**sub, MARK: True} if key in DECLARED_SENSITIVE else sub
        marked["properties"] = properties
    if isinstance(schema.get("items"), Mapping):
        marked["items"] = mark_sensitive(schema["items"], f"{where}[]")
    return marked


def describe(spec: StreamSpec, documents: Mapping[str, Mapping[str, Any]]) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """(record JSON schema, endpoint facts) of one stream."""
    version, operation = _operation(spec, documents)
    converter = AirbyteSchemaConverter(documents[version], everything_nullable=True)
    answer = resolve(_response_schema(spec, operation), converter.components)
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
    if spec.per_employee:
        properties[READ_AT] = {
            "type": "string",
            "format": "date-time",
            "airbyte_type": "timestamp_with_timezone",
            "description": "When the sync that read this record began (added by the connector): the stream's "
            "incremental cursor, so that in append + dedup the latest read of a row wins.",
        }
    if spec.row_key:
        properties["rowKey"] = {
            "type": "string",
            "description": "Paycor gives this row no id: the connector builds one from "
            + ", ".join(spec.row_key)
            + " (and the row's occurrence among identical rows of one call), stable across syncs.",
        }
    declared = AirbyteSchemaConverter(documents[version]).convert(record).get("properties", {})
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
        "properties": mark_sensitive({"properties": properties}, spec.name)["properties"],
    }
    facts = {
        "path": spec.path,
        "shape": shape,
        # Two operations name no item; Paycor's items follow "View <tag>", which is what they get.
        "data_access": descriptions.required_data_access(operation),
    }
    if spec.window is not None:  # Paycor's documents state each endpoint's longest range
        facts["max_days"] = descriptions.window_limit_days(operation)
    if spec.bulk is not None:
        facts["bulk"] = _bulk_facts(spec, documents, properties)
    return document_schema, facts


def _bulk_facts(spec: StreamSpec, documents: Mapping[str, Mapping[str, Any]], properties: Mapping[str, Any]) -> Dict[str, Any]:
    """The bulk route's facts; its records must declare nothing the stream's schema does not."""
    bulk = spec.bulk
    version = bulk.path.split("/")[1]
    operation = find_operation(documents[version], bulk.path, bulk.method)
    if operation is None:
        raise KeyError(f"{spec.name}: {bulk.method} {bulk.path} is not in openapi/{DOCUMENT_FILES[version]}")
    converter = AirbyteSchemaConverter(documents[version], everything_nullable=True)
    answer = resolve(_response_schema(spec, operation), converter.components)
    if "records" not in (answer.get("properties") or {}):
        raise KeyError(f"{spec.name}: {bulk.method} {bulk.path} does not answer a paged list")
    record = converter.convert(answer["properties"]["records"]["items"]).get("properties", {})
    undeclared = sorted(set(record) - set(properties))
    if undeclared:
        raise KeyError(f"{spec.name}: the bulk records carry {undeclared}, which the stream's schema does not declare")
    for name, source in bulk.fields.items():
        head = source.split(".")[0]
        if name not in properties or head not in record:
            raise KeyError(f"{spec.name}: bulk field {name} from {source} is not declared on both sides")
    return {
        "path": bulk.path,
        "method": bulk.method,
        "shape": "paged",
        "data_access": descriptions.required_data_access(operation),
        # Fields of the stream's schema the bulk records do not carry (null in them).
        "missing": sorted(set(properties) - set(record) - set(spec.record_fields) - {READ_AT}),
    }


def build() -> Dict[Path, str]:
    """Every generated file and its exact content."""
    documents = load_documents()
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
