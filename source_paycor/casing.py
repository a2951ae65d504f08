"""Key casing: every record lands in the columns its schema declares, whatever casing Paycor used.

A `KeyNormalizer` is compiled once per stream from its JSON schema. Declared keys pass through; a
key that differs only in casing (`FirstName`, `EMPLOYEEID`) is renamed to the declared spelling;
an undeclared key is camelCased (`NewField` → `newField`). Nested objects and arrays of objects are
normalised against their own sub-schemas.
"""

from __future__ import annotations

from typing import Any, Dict, Mapping, Optional


def camel(key: str) -> str:
    return key[:1].lower() + key[1:] if key else key


def _object_schema(schema: Mapping[str, Any]) -> Optional[Mapping[str, Any]]:
    """The object schema inside `schema` (itself, or its array items), if any."""
    if not isinstance(schema, Mapping):
        return None
    if "properties" in schema:
        return schema
    items = schema.get("items")
    if isinstance(items, Mapping) and "properties" in items:
        return items
    return None


class KeyNormalizer:
    __slots__ = ("declared", "by_lower", "children")

    def __init__(self, schema: Mapping[str, Any]) -> None:
        properties: Mapping[str, Any] = schema.get("properties", {}) if isinstance(schema, Mapping) else {}
        self.declared = frozenset(properties)
        self.by_lower: Dict[str, str] = {key.lower(): key for key in properties}
        self.children: Dict[str, KeyNormalizer] = {}
        for key, sub in properties.items():
            child = _object_schema(sub)
            if child is not None:
                self.children[key] = KeyNormalizer(child)

    def normalize(self, record: Mapping[str, Any]) -> Dict[str, Any]:
        out: Dict[str, Any] = {}
        declared, children = self.declared, self.children
        for key, value in record.items():
            if key not in declared:
                key = self.by_lower.get(key.lower()) or camel(key)
            child = children.get(key)
            if child is not None and value is not None:
                value = child._apply(value)
            elif isinstance(value, (dict, list)):
                value = _camel_deep(value)
            out[key] = value
        return out

    def _apply(self, value: Any) -> Any:
        if isinstance(value, dict):
            return self.normalize(value)
        if isinstance(value, list):
            return [self.normalize(item) if isinstance(item, dict) else item for item in value]
        return value


def _camel_deep(value: Any) -> Any:
    """Undeclared nested structures: camelCase their keys all the way down."""
    if isinstance(value, dict):
        return {camel(key): _camel_deep(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_camel_deep(item) for item in value]
    return value


