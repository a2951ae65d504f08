"""The walk both schema conversions share: one document's components and `$ref` → component.

`ComponentWalker` holds a document's `components.schemas`; `referenced(node)` names the component a
`$ref` node points to and `component(name)` gives it; `resolve(node)` follows `$ref`s to a schema.
`airbyte_schema.AirbyteSchemaConverter` and `validation_schema.ValidationSchemaConverter` build on it.
"""
from __future__ import annotations

from typing import Any, Mapping, Optional

from .documents import component_name, resolve


class ComponentWalker:
    """Walks the schemas of one OpenAPI document (`components.schemas`)."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.components: Mapping[str, Any] = document["components"]["schemas"]

    @staticmethod
    def referenced(node: Mapping[str, Any]) -> Optional[str]:
        """The component name a `$ref` node points to; None for any other node."""
        return component_name(node["$ref"]) if "$ref" in node else None

    def component(self, name: str) -> Mapping[str, Any]:
        return self.components[name]

    def resolve(self, node: Mapping[str, Any]) -> Mapping[str, Any]:
        """The schema behind a (chain of) `$ref`; any other node as it is."""
        return resolve(node, self.components)
