"""Emitter 2: OpenAPI 3.0 schema → JSON Schema (2020-12) with `$defs`, for validating bodies.

Used by the sandbox (`paycor_sandbox/jsonschema_openapi.py` adds the format checker and the validator).
- `nullable: true` adds "null" (to `type`, to `enum`, or as an `anyOf` branch around a `$ref`/`allOf`);
- `$ref` points into `$defs` built from components.schemas (each component converted once);
- `allOf` of object schemas is merged into one object schema (union of properties and required;
  `additionalProperties: false` kept), which is what the documents mean by composition;
- `anyOf`/`oneOf`, enums and constraints are kept; `xml`, `example`, `x-*`, `description` and the other
  `DROPPED_KEYWORDS` are dropped; `format` is kept only for guid/date-time/date.
"""
from __future__ import annotations

from typing import Any, Dict, Mapping

from .walking import ComponentWalker

DROPPED_KEYWORDS = {"xml", "example", "description", "x-enumNames", "x-abstract", "x-position", "nullable", "readOnly",
                    "writeOnly", "deprecated", "discriminator", "externalDocs", "default", "title"}
CHECKED_FORMATS = ("guid", "date-time", "date")


class ValidationSchemaConverter(ComponentWalker):
    """OpenAPI 3.0 schema → JSON Schema (2020-12) for one document; converted components gather in `defs`."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        super().__init__(document)
        self.defs: Dict[str, Any] = {}

    def _merge_all_of(self, node: Mapping[str, Any]) -> Dict[str, Any]:
        properties: Dict[str, Any] = {}
        required: list = []
        closed = False
        for part in node["allOf"]:
            schema = self.resolve(part)
            if "allOf" in schema:
                schema = self._merge_all_of(schema)
            properties.update(schema.get("properties", {}))
            required += [name for name in schema.get("required", []) if name not in required]
            closed = closed or schema.get("additionalProperties") is False
        merged: Dict[str, Any] = {"type": "object", "properties": properties}
        if required:
            merged["required"] = required
        if closed:
            merged["additionalProperties"] = False
        if node.get("nullable"):
            merged["nullable"] = True
        return merged

    def convert(self, node: Any) -> Any:
        if not isinstance(node, dict):
            return node
        nullable = bool(node.get("nullable"))
        name = self.referenced(node)
        if name is not None:
            if name not in self.defs:
                self.defs[name] = True  # placeholder against recursion
                self.defs[name] = self.convert(self.component(name))
            reference = {"$ref": f"#/$defs/{name}"}
            return {"anyOf": [reference, {"type": "null"}]} if nullable else reference
        if "allOf" in node:
            merged = self._merge_all_of(node)
            merged.pop("nullable", None)
            converted = self.convert(merged)
            return {"anyOf": [converted, {"type": "null"}]} if nullable else converted
        result: Dict[str, Any] = {}
        for keyword, value in node.items():
            if keyword in DROPPED_KEYWORDS or keyword.startswith("x-"):
                continue
            if keyword == "properties":
                result[keyword] = {key: self.convert(child) for key, child in value.items()}
            elif keyword in ("items", "additionalProperties", "not") and isinstance(value, dict):
                result[keyword] = self.convert(value)
            elif keyword in ("anyOf", "oneOf"):
                result[keyword] = [self.convert(branch) for branch in value]
            elif keyword == "format":
                if value in CHECKED_FORMATS:
                    result[keyword] = value
            else:
                result[keyword] = value
        if nullable:
            if "enum" in result:
                result["enum"] = list(result["enum"]) + [None]
            if isinstance(result.get("type"), str):
                result["type"] = [result["type"], "null"]
            elif "type" not in result and "enum" not in result:
                result = {"anyOf": [result, {"type": "null"}]}
        return result

    def document_schema(self, schema: Mapping[str, Any]) -> Dict[str, Any]:
        """The whole JSON Schema of `schema`: its conversion plus every component it reaches, as `$defs`."""
        root = self.convert(schema)
        return {"$schema": "https://json-schema.org/draft/2020-12/schema", **root, "$defs": dict(self.defs)}
