"""Validate bodies against Paycor's OpenAPI documents with `jsonschema` (2020-12).

The OpenAPI → JSON Schema conversion lives in `paycor_openapi.validation_schema` (beside the generator's
Airbyte conversion, sharing its walk of the documents); this module adds what only validation needs:
format checks for guid/date-time/date and the validator itself.
"""
from __future__ import annotations

import re

import jsonschema

from paycor_openapi.validation_schema import ValidationSchemaConverter

_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_DT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")
_D = re.compile(r"^\d{4}-\d{2}-\d{2}$")

FORMAT_CHECKER = jsonschema.FormatChecker(formats=())
FORMAT_CHECKER.checks("guid")(lambda v: not isinstance(v, str) or bool(_GUID.match(v)))
FORMAT_CHECKER.checks("date-time")(lambda v: not isinstance(v, str) or bool(_DT.match(v)))
FORMAT_CHECKER.checks("date")(lambda v: not isinstance(v, str) or bool(_D.match(v)))


def validator_for(doc: dict, schema: dict) -> jsonschema.Draft202012Validator:
    js = ValidationSchemaConverter(doc).document_schema(schema)
    return jsonschema.Draft202012Validator(js, format_checker=FORMAT_CHECKER)
