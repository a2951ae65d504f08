"""Emitter 1: OpenAPI 3.0 schema → JSON Schema (draft-07) for Airbyte's catalog, every `$ref` inlined.

Used by `scripts/generate_schemas.py`. What it keeps: `type`, `properties`, `additionalProperties`
(when a schema), `items`, `description`, `format` `date-time` (with `airbyte_type:
timestamp_without_timezone`) and `date`; an untyped `enum` becomes a string. What it drops: enum values
and every constraint. `allOf`/`oneOf`/`anyOf` become one object holding the union of the parts'
properties (later parts win). A recursive `$ref` stops at `{"type": "object"}`. `nullable: true`, or
every node when `everything_nullable`, adds "null" to a declared type.
"""
from __future__ import annotations

from typing import Any, Dict, Mapping, Sequence, Tuple

from .walking import ComponentWalker


class AirbyteSchemaConverter(ComponentWalker):
    """OpenAPI 3.0 schema → JSON Schema (draft-07) for one document, references inlined."""

    def __init__(self, document: Mapping[str, Any], everything_nullable: bool = False) -> None:
        super().__init__(document)
        # Paycor sends null for fields its document does not mark nullable, and the connector nulls sensitive
        # fields: the generator makes every field but the primary key admit null.
        self.everything_nullable = everything_nullable

    def convert(self, node: Mapping[str, Any], seen: Tuple[str, ...] = ()) -> Dict[str, Any]:
        nullable = bool(node.get("nullable"))
        name = self.referenced(node)
        if name is not None:
            if name in seen:  # a recursive structure: stop at an untyped object
                result: Dict[str, Any] = {"type": "object"}
            else:
                result = self.convert(self.component(name), (*seen, name))
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
            string_format = node.get("format")
            if string_format == "date-time":
                result["format"] = "date-time"
                result["airbyte_type"] = "timestamp_without_timezone"
            elif string_format == "date":
                result["format"] = "date"
        elif kind in ("integer", "number", "boolean"):
            result["type"] = kind
        elif kind is None and "enum" in node:
            result["type"] = "string"
        # No type at all: any JSON value, declared without constraint.
        return result

    @staticmethod
    def _merge(parts: Sequence[Dict[str, Any]]) -> Dict[str, Any]:
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
