"""What a catalog row is: `StreamSpec` and the parts of a row (`Window`, `FanOut`, `Bulk`).

A row names the stream, the Paycor GET path it reads (an OpenAPI path template of
`openapi/paycor-v1.json` or `paycor-v2.json`), its primary key and fixed query parameters. Everything
else is derived here: the parent (from the path's placeholder: `{tenantId}` → one call per tenant,
`{legalEntityId}` → one per legal entity), the parent id added to each record and to the key, the
cursor. Which field combinations make sense is checked when the catalog loads (`checks.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Optional, Sequence, Tuple

# The employee lists that per-employee streams fan out from (`internal.py`).
EMPLOYEE_LISTS = ("employee_ids", "unpaid_worker_ids")
# The field of per-employee records that says when the sync that read them began (their incremental cursor).
READ_AT = "readAt"

# Placeholder in a path → the field that carries it into each record, and its JSON type.
PARENT_FIELDS = {"tenantId": "integer", "legalEntityId": "integer", "employeeId": "string"}


def dig(record: Mapping[str, Any], dotted: str) -> Any:
    """The value at a dotted path of a record, as rows write them (`Bulk.fields`, `FanOut.terminated`); None where
    a step is missing."""
    value: Any = record
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


@dataclass(frozen=True)
class Window:
    """A date-range query: one call per window of at most the endpoint's maximum days (from Paycor's
    document), from the start date (or the saved state less the lookback) up to today (plus
    `future_days` for data planned ahead). `cursor_field` is the record's date that the window filters."""

    cursor_field: str
    start_param: str = "startDate"
    end_param: str = "endDate"
    future_days: int = 0


@dataclass(frozen=True)
class FanOut:
    """One call per record of another stream, read once per legal entity and shared.
    `fields` maps the name used in this stream's path or query (and added to its records) to the
    parent record's field, e.g. `{"employeeId": "id"}`."""

    parent: str
    fields: Mapping[str, str]
    # Fields added to the records but not sent to Paycor.
    record_only: Tuple[str, ...] = ()
    # The parent record's termination date (dotted path): with `skip_employees_terminated_before`, parents
    # terminated before that day get no call.
    terminated: Optional[str] = None


@dataclass(frozen=True)
class Bulk:
    """One call per legal entity (continuation-paged) that answers what the fan-out's calls answer together.

    The stream reads `path` once per legal entity instead of one call per fan-out parent; when Paycor answers
    403 (the application lacks the bulk route's Data Access item) it says so once and reads that legal
    entity through the fan-out instead. `fields` maps a field of the stream's records (a fan-out field, e.g.
    `employeeId`) to the dotted path that carries it in the bulk record (e.g. `employee.id`)."""

    path: str
    method: str = "GET"
    # The JSON body of a POST (sent as it is, `{}` included).
    body: Optional[Mapping[str, Any]] = None
    fields: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class StreamSpec:
    name: str
    path: str
    primary_key: Tuple[str, ...] = ("id",)
    params: Mapping[str, Sequence[str]] = field(default_factory=dict)
    family: str = "organisation"
    description: str = ""
    # False where the record *is* the parent (a tenant, a legal entity): its own id is the key.
    parent_in_key: bool = True
    window: Optional[Window] = None
    fan_out: Optional[FanOut] = None
    # Query parameters dated from the sync's day: {name: days after today}, e.g. {"toCheckDate": 0}.
    dated_params: Mapping[str, int] = field(default_factory=dict)
    # One call per value of a path or query parameter, e.g. {"statusCategory": ("Termination", ...)}.
    each: Mapping[str, Sequence[str]] = field(default_factory=dict)
    # Incremental by a value the fan-out brings (e.g. a pay run's check date), when there is no window.
    fan_out_cursor: Optional[str] = None
    # Paycor services (flags of GET .../services) of which one must be on for a legal entity to be read.
    product: Tuple[str, ...] = ()
    # Streams made of sensitive data only: read nothing unless `include_sensitive_data`.
    sensitive_only: bool = False
    # A 404 means one stale id (skip it), not a wrong route.
    skip_not_found: bool = False
    # 400 answers whose text means "nothing here".
    empty_when_400_says: Tuple[str, ...] = ()
    # Paycor gives these rows no id: `rowKey` is built from these fields (and the row's occurrence
    # among identical rows of one call), stable across syncs, and used in the primary key.
    row_key: Tuple[str, ...] = ()
    # A fan-out stream's records, read by one (paged) call per legal entity; the fan-out is the fallback.
    bulk: Optional[Bulk] = None
    # An internal list read instead of this one in a legal entity where Paycor denies it (403), e.g. the employee
    # list without the employment dates its `include` asks for.
    denied_fallback: Optional[str] = None

    @property
    def per_employee(self) -> bool:
        """One call per employee of the employee lists (`employee_ids`, `unpaid_worker_ids`)."""
        return self.fan_out is not None and self.fan_out.parent in EMPLOYEE_LISTS

    @property
    def cursor_field(self) -> Optional[str]:
        if self.window is not None:
            return self.window.cursor_field
        if self.fan_out_cursor is None and self.per_employee:
            return READ_AT  # incremental by the sync that read the employee (`employee_cursor.py`)
        return self.fan_out_cursor

    @property
    def scope(self) -> str:
        """What the stream iterates: "tenant", "legal_entity", or "root" (one call)."""
        if "{tenantId}" in self.path:
            return "tenant"
        if "{legalEntityId}" in self.path or "{employeeId}" in self.path or self.fan_out is not None:
            return "legal_entity"
        return "root"

    @property
    def record_fields(self) -> Tuple[str, ...]:
        """Slice values copied into every record: parent ids and fan-out values."""
        fields = {"tenant": ("tenantId",), "legal_entity": ("legalEntityId",), "root": ()}[self.scope]
        return tuple(dict.fromkeys((*fields, *(self.fan_out.fields if self.fan_out else ()))))

    @property
    def parent_field(self) -> Optional[str]:
        """The nearest parent id: the employee, else the tenant or legal entity (None: a single call)."""
        for placeholder in ("employeeId", "tenantId", "legalEntityId"):
            if "{" + placeholder + "}" in self.path or (self.fan_out and placeholder in self.fan_out.fields):
                return placeholder
        return None

    @property
    def key(self) -> Tuple[str, ...]:
        """The primary key: the parent id first (unless the record's own key already has it)."""
        parent = self.parent_field
        if parent and self.parent_in_key and parent not in self.primary_key:
            return (parent, *self.primary_key)
        return self.primary_key
