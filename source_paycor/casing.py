"""Key casing: every record lands in the columns its schema declares, whatever casing Paycor used.

A `KeyNormalizer` is compiled once per stream from its JSON schema. Declared keys pass through; a
key that differs only in casing (`FirstName`, `EMPLOYEEID`) is renamed to the declared spelling;
an undeclared key is camelCased (`NewField` → `newField`), all the way down. Nested objects and arrays
of objects are normalised against their own sub-schemas; values the schema types as scalars are not
looked into. A record whose keys are all declared (the usual answer) is copied, and only its nesting
values are visited.
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


def _may_nest(schema: Any) -> bool:
    """Whether a declared value can hold keys (an object or an array; a schema without a type can too)."""
    kind = schema.get("type") if isinstance(schema, Mapping) else None
    if kind is None:
        return True
    kinds = (kind,) if isinstance(kind, str) else kind
    return "object" in kinds or "array" in kinds


class KeyNormalizer:
    __slots__ = ("declared", "by_lower", "children", "nesting")

    def __init__(self, schema: Mapping[str, Any]) -> None:
        properties: Mapping[str, Any] = schema.get("properties", {}) if isinstance(schema, Mapping) else {}
        self.declared = frozenset(properties)
        self.by_lower: Dict[str, str] = {key.lower(): key for key in properties}
        self.children: Dict[str, KeyNormalizer] = {}
        for key, sub in properties.items():
            child = _object_schema(sub)
            if child is not None:
                self.children[key] = KeyNormalizer(child)
        # The only declared keys whose values are looked into: a value the schema types as a scalar is
        # passed as it came.
        self.nesting = frozenset(key for key, sub in properties.items() if _may_nest(sub))

    def normalize(self, record: Mapping[str, Any]) -> Dict[str, Any]:
        if self.declared.issuperset(record):
            # Every key as declared (the usual answer): copy, and look only into the values that can nest.
            out = dict(record)
            for key in self.nesting:
                value = out.get(key)
                if value is not None:
                    out[key] = self._nested(key, value)
            return out
        out = {}
        declared, nesting = self.declared, self.nesting
        for key, value in record.items():
            if key not in declared:
                spelled = self.by_lower.get(key.lower())
                if spelled is None:
                    out[camel(key)] = _camel_deep(value)
                    continue
                key = spelled
            out[key] = self._nested(key, value) if value is not None and key in nesting else value
        return out

    def _nested(self, key: str, value: Any) -> Any:
        child = self.children.get(key)
        if child is not None:
            return child._apply(value)
        return _camel_deep(value)

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


