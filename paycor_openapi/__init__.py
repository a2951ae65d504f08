"""The one reader of Paycor's OpenAPI documents (`openapi/paycor-v1.json`, `openapi/paycor-v2.json`).

Two programs interpret those documents and must agree: `scripts/generate_schemas.py` (the connector's
record schemas and `source_paycor/endpoints.json`) and the local stand-in `paycor_sandbox/` (its route
table and the JSON Schemas it validates bodies with; its Data Access items and date-window limits are its own
hand-kept table, `paycor_sandbox/documented_rules.py`, which a test checks against `descriptions.py`).
Both read them through this package:

| module | what it holds |
|---|---|
| `documents.py` | where the documents are, loading them, the GET operation of a path (case-insensitive), the 200 answer's schema, `$ref` resolution |
| `descriptions.py` | what Paycor writes in prose: the Data Access item of an operation, the items of its `include` values, its longest date window |
| `walking.py` | the walk both schema conversions share: a document's components and `$ref` → component |
| `airbyte_schema.py` | emitter 1: OpenAPI 3.0 → JSON Schema draft-07, `$ref` inlined, for Airbyte's catalog (used by the generator) |
| `validation_schema.py` | emitter 2: OpenAPI 3.0 → JSON Schema 2020-12 with `$defs`, for validating bodies (used by the sandbox's conformance checks) |

Why two emitters: their outputs genuinely differ. The Airbyte schema describes what a record may hold:
every reference inlined (a recursive one stops at an untyped object), compositions (`allOf`/`oneOf`/`anyOf`)
flattened into one property list, enums and constraints dropped, dates marked with `airbyte_type`,
every field optionally nullable. The validation schema states what a body must be: references kept as
`$defs`, `allOf` merged with its `required` and closed `additionalProperties`, `anyOf`/`oneOf` kept,
enums, lengths and patterns kept, formats `guid`/`date`/`date-time` kept for a format checker.

Not part of the connector's distribution: `source_paycor` never imports it (only `scripts/` and
`paycor_sandbox/` do), like `paycor_sandbox/` it is used from the repository's root, and it needs
only the standard library.
"""
