"""A report's columns from its headers (`SimplifiedClientField`), and the stream's JSON schema from them.

Each header gives a column: its name (`naming.column_names`, from `displayName`), its `fieldId` (kept in
the schema's description, so a renamed column can be traced) and its type, from `clientDataType` sent as a
name (`"Number"`) or as its position in Paycor's enum (`1`): Number → number, Boolean → boolean, Date and
SpecificDate → string (date), DateTime → string (date-time), anything else → string. Every column is nullable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from .naming import column_names

# Paycor's `ClientDataType` enum, in the document's order: a numeric code is a position in it.
CLIENT_DATA_TYPES = (
    "Unknown",
    "Number",
    "DateTime",
    "String",
    "Guid",
    "Date",
    "EmployeeStatus",
    "EmployeeType",
    "Boolean",
    "SpecificDate",
    "Time",
)
_BY_LOWER = {name.lower(): name for name in CLIENT_DATA_TYPES}
STRING = {"type": ["null", "string"]}
JSON_TYPES: Mapping[str, Mapping[str, Any]] = {
    "Number": {"type": ["null", "number"]},
    "Boolean": {"type": ["null", "boolean"]},
    "Date": {"type": ["null", "string"], "format": "date"},
    "SpecificDate": {"type": ["null", "string"], "format": "date"},
    "DateTime": {"type": ["null", "string"], "format": "date-time", "airbyte_type": "timestamp_without_timezone"},
}


def field(mapping: Any, name: str) -> Any:
    """A key of a JSON object whatever its casing (`fieldId`, `FieldId`); None when absent."""
    if not isinstance(mapping, Mapping):
        return None
    if name in mapping:
        return mapping[name]
    wanted = name.lower()
    return next((value for key, value in mapping.items() if isinstance(key, str) and key.lower() == wanted), None)


def data_type(code: Any) -> Tuple[str, bool]:
    """(type name, known) of a `clientDataType` given as a name or a numeric code; unknown codes read as strings."""
    if isinstance(code, bool):
        return "Unknown", False
    if isinstance(code, str) and code.strip().lstrip("-").isdigit():
        code = int(code.strip())
    if isinstance(code, int):
        known = 0 <= code < len(CLIENT_DATA_TYPES)
        return (CLIENT_DATA_TYPES[code] if known else "Unknown"), known
    if isinstance(code, str) and code.strip().lower() in _BY_LOWER:
        return _BY_LOWER[code.strip().lower()], True
    return "Unknown", code is None


@dataclass(frozen=True)
class Column:
    name: str
    field_id: Optional[str]
    display_name: Optional[str]
    data_type: str
    # The `clientDataType` as Paycor sent it, when it names no type Paycor documents.
    unknown_code: Any = None


def columns_of(headers: Any) -> List[Column]:
    """The columns of a data set's headers, in order (headers that are not objects still take a position)."""
    items: Sequence[Any] = headers if isinstance(headers, list) else []
    displays = [field(header, "displayName") for header in items]
    names = column_names([display if isinstance(display, str) else None for display in displays])
    out = []
    for header, name in zip(items, names, strict=True):
        code = field(header, "clientDataType")
        kind, known = data_type(code)
        field_id = field(header, "fieldId")
        display = field(header, "displayName")
        out.append(
            Column(
                name,
                str(field_id) if field_id is not None else None,
                str(display) if display is not None else None,
                kind,
                None if known else code,
            )
        )
    return out


def column_schema(column: Column) -> Dict[str, Any]:
    schema = dict(JSON_TYPES.get(column.data_type, STRING))
    schema["description"] = (
        f'Report Builder column "{column.display_name or ""}" (fieldId {column.field_id or "not given"}, '
        f"clientDataType {column.data_type})."
    )
    return schema


def report_schema(columns: Sequence[Column], template_id: str, display_name: str) -> Dict[str, Any]:
    properties: Dict[str, Any] = {
        "legalEntityId": {"type": "integer", "description": "The legal entity the row was read from."},
        "templateId": {"type": "string", "description": "The Report Builder template id."},
    }
    for column in columns:
        properties[column.name] = column_schema(column)
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "description": f'Rows of the Report Builder report "{display_name}" (template {template_id}).',
        "additionalProperties": True,
        "properties": properties,
    }
