"""One pass over each record: declared key spelling, declared value types, sensitive values nulled.

A `RecordShaper` is compiled once per stream from its JSON schema (no per-record schema validation):

- keys: a declared key passes; a key that differs only in casing (`FirstName`) takes the declared spelling;
  an undeclared key is camelCased (`NewField` → `newField`), all the way down, kept, and its path noted in
  the `Tally` so the stream can name it once;
- values: a value whose Python type the schema admits passes as it is; any other is converted by
  `coercion` where nothing is lost (counted as coerced) or kept as it came (counted as a mismatch);
  objects and arrays are shaped against their own sub-schemas, at every depth;
- sensitive values, with `redact`: a declared field the schema marks sensitive (`sensitive.MARK`) is nulled; an
  undeclared field is nulled when its name is sensitive by `sensitive.is_sensitive_name` (any casing, any
  depth, in lists too), and an undeclared value shaped like an SSN or a full account number is masked
  (`sensitive.mask_value`); both counted, with the field's path.

The usual record (declared keys, declared types) is copied whole; only the values its layout (keys and
value types, remembered per schema) says need work are visited.
"""

from __future__ import annotations

from typing import Any, Dict, FrozenSet, List, Mapping, Optional, Set, Tuple

from .coercion import MISMATCH, accepted, converter_for, declared_types
from .sensitive import is_marked, is_sensitive_name, mask_value


def camel(key: str) -> str:
    """An undeclared key in camelCase, as records carry it (Paycor sends camelCase, PascalCase or a mix)."""
    return key[:1].lower() + key[1:] if key else key


# Layouts remembered per object schema (beyond them, records take the key-by-key path).
MAX_LAYOUTS = 1024
_UNPLANNED = object()


class Tally:
    """What shaping did to the records of one page (merged into the stream's totals)."""

    __slots__ = (
        "coerced",
        "mismatched",
        "redacted",
        "masked",
        "coerced_fields",
        "mismatched_fields",
        "undeclared",
        "redacted_fields",
        "masked_fields",
    )

    def __init__(self) -> None:
        self.coerced = 0
        self.mismatched = 0
        self.redacted = 0  # sensitive values nulled
        self.masked = 0  # undeclared values shaped like an SSN or an account number, masked
        self.coerced_fields: Set[str] = set()
        self.mismatched_fields: Set[str] = set()
        self.undeclared: Set[str] = set()
        self.redacted_fields: Set[str] = set()
        self.masked_fields: Set[str] = set()

    def add(self, other: "Tally") -> None:
        self.coerced += other.coerced
        self.mismatched += other.mismatched
        self.redacted += other.redacted
        self.masked += other.masked
        self.coerced_fields |= other.coerced_fields
        self.mismatched_fields |= other.mismatched_fields
        self.undeclared |= other.undeclared
        self.redacted_fields |= other.redacted_fields
        self.masked_fields |= other.masked_fields

    @property
    def withheld(self) -> int:
        """Sensitive values nulled or masked."""
        return self.redacted + self.masked


def _object_schema(schema: Any) -> Optional[Mapping[str, Any]]:
    return schema if isinstance(schema, Mapping) and "properties" in schema else None


class Field:
    """The compiled plan of one declared value: what it may be, how to convert it, what lies inside."""

    __slots__ = ("path", "ok", "convert", "child", "item", "redact", "sensitive")

    def __init__(self, schema: Mapping[str, Any], path: str, redact: bool, sensitive: bool) -> None:
        schema = schema if isinstance(schema, Mapping) else {}
        kinds = declared_types(schema)
        self.path = path
        self.redact = redact
        self.sensitive = sensitive and redact
        self.ok: Optional[FrozenSet[type]] = accepted(kinds)
        self.convert = converter_for(kinds)
        child = _object_schema(schema)
        self.child = RecordShaper(child, redact, path + ".") if child is not None else None
        items = schema.get("items")
        self.item = Field(items, path + "[]", redact, False) if isinstance(items, Mapping) and items else None

    @property
    def passes_as_it_is(self) -> bool:
        """A scalar that needs nothing when its type is admitted (the fast path of `RecordShaper.shape`)."""
        ok = self.ok
        return ok is not None and dict not in ok and list not in ok and not self.sensitive

    def value(self, value: Any, tally: Tally) -> Any:
        if value is None:
            return None
        if self.sensitive:
            tally.redacted += 1
            tally.redacted_fields.add(self.path)
            return None
        ok = self.ok
        if ok is not None and type(value) not in ok:
            converted = self.convert(value)
            if converted is MISMATCH:
                tally.mismatched += 1
                tally.mismatched_fields.add(self.path)
                return loose(value, self.redact, tally, self.path)
            tally.coerced += 1
            tally.coerced_fields.add(self.path)
            value = converted
        kind = type(value)
        if kind is dict:
            if self.child is not None:
                return self.child.shape_object(value, tally)
            return loose(value, self.redact, tally, self.path)
        if kind is list:
            item = self.item
            if item is None:
                return loose(value, self.redact, tally, self.path + "[]")
            return [item.value(element, tally) for element in value]
        return value


class RecordShaper:
    """The compiled shaping of one object schema (a stream's records, or an object inside them)."""

    __slots__ = ("fields", "fast", "by_lower", "path", "redact", "plans", "leaf")

    def __init__(self, schema: Mapping[str, Any], redact: bool, path: str = "") -> None:
        properties: Mapping[str, Any] = schema.get("properties", {}) if isinstance(schema, Mapping) else {}
        self.path = path
        self.redact = redact
        self.fields: Dict[str, Field] = {
            key: Field(sub, path + key, redact, is_marked(sub)) for key, sub in properties.items()
        }
        self.fast: Dict[str, FrozenSet[type]] = {
            key: field.ok for key, field in self.fields.items() if field.passes_as_it_is and field.ok is not None
        }
        self.by_lower: Dict[str, str] = {key.lower(): key for key in properties}
        # Records of one endpoint come in few layouts (keys and value types): per layout, the keys that need
        # work, or None when the layout needs the key-by-key path (a key undeclared or in another casing).
        self.plans: Dict[Tuple[Tuple[str, ...], Tuple[type, ...]], Any] = {}
        # An object of scalars only (a resource reference `{id, url}`): checked key by key, no layout.
        self.leaf = len(self.fast) == len(self.fields)

    def shape(self, record: Dict[str, Any], tally: Tally) -> Dict[str, Any]:
        """A record shaped against the schema: always a new dict (the caller adds its parent ids to it)."""
        out = self.shape_object(record, tally)
        return dict(out) if out is record else out

    def shape_object(self, record: Dict[str, Any], tally: Tally) -> Dict[str, Any]:
        """An object shaped against the schema; the object itself when nothing in it needs to change."""
        if self.leaf:
            fast = self.fast
            for key, value in record.items():
                ok = fast.get(key)
                if ok is None or type(value) not in ok:
                    return self._shape_each(record, tally)
            return record  # nothing to change: the answer's own object (never modified)
        layout = (tuple(record), tuple(map(type, record.values())))
        plan = self.plans.get(layout, _UNPLANNED)
        if plan is _UNPLANNED:
            plan = self._plan(record)
            if len(self.plans) < MAX_LAYOUTS:
                self.plans[layout] = plan
        if plan is None:
            return self._shape_each(record, tally)
        out = dict(record)
        for key, leaf, field, in_list in plan:
            value = out[key]
            if leaf is None:
                out[key] = field.value(value, tally)
            elif in_list:
                out[key] = [
                    leaf.shape_object(item, tally) if type(item) is dict else field.item.value(item, tally)
                    for item in value
                ]
            else:
                # An object of scalars (most nested objects): `shape_object`'s leaf check, inlined here on
                # purpose — calling it costs ~1.5 µs per employee record (+8 %, bench/record_costs_ab.py).
                fast = leaf.fast
                for name, item in value.items():
                    ok = fast.get(name)
                    if ok is None or type(item) not in ok:
                        out[key] = leaf._shape_each(value, tally)
                        break
        return out

    def _plan(
        self, record: Mapping[str, Any]
    ) -> Optional[Tuple[Tuple[str, Optional["RecordShaper"], Field, bool], ...]]:
        """The declared keys of this layout whose values need work (nesting, conversion, nulling), each with
        its object-of-scalars schema when the value is such an object (or a list of them)."""
        work: List[Tuple[str, Optional[RecordShaper], Field, bool]] = []
        fields, fast = self.fields, self.fast
        for key, value in record.items():
            field = fields.get(key)
            if field is None:
                return None
            ok = fast.get(key)
            if value is None or (ok is not None and type(value) in ok):
                continue
            admitted = not field.sensitive and (field.ok is None or type(value) in field.ok)
            child = field.child
            if admitted and type(value) is dict and child is not None and child.leaf:
                work.append((key, child, field, False))
                continue
            item_child = field.item.child if field.item is not None else None
            if admitted and type(value) is list and item_child is not None and item_child.leaf:
                work.append((key, item_child, field, True))
                continue
            work.append((key, None, field, False))
        return tuple(work)

    def _shape_each(self, record: Mapping[str, Any], tally: Tally) -> Dict[str, Any]:
        out: Dict[str, Any] = {}
        fast = self.fast
        for key, value in record.items():
            ok = fast.get(key)
            if ok is not None and type(value) in ok:
                out[key] = value
            else:
                self._shape_value(out, key, value, tally)
        return out

    def _shape_value(self, out: Dict[str, Any], key: str, value: Any, tally: Tally) -> None:
        field = self.fields.get(key)
        if field is None:
            spelled = self.by_lower.get(key.lower())
            if spelled is None:
                name, kept = loose_field(key, value, self.redact, tally, self.path)
                out[name] = kept
                tally.undeclared.add(self.path + name)
                return
            key, field = spelled, self.fields[spelled]
        out[key] = field.value(value, tally)


def loose_field(key: str, value: Any, redact: bool, tally: Tally, prefix: str = "") -> Tuple[str, Any]:
    """A field no schema describes (at `prefix`): its camelCase name, and its value — null when the name is
    sensitive, masked where it is shaped like an SSN or an account number (booleans are never sensitive)."""
    name = camel(key)
    if redact and value is not None and value is not True and value is not False and is_sensitive_name(key):
        tally.redacted += 1
        tally.redacted_fields.add(prefix + name)
        return name, None
    return name, loose(value, redact, tally, prefix + name, key)


def loose(value: Any, redact: bool, tally: Tally, path: str = "", name: str = "") -> Any:
    """A value no schema describes (at `path`, under the field `name`): camelCase its keys all the way down,
    null sensitive ones, mask values shaped like an SSN or an account number."""
    if isinstance(value, dict):
        prefix = path + "." if path else ""
        return dict(loose_field(key, item, redact, tally, prefix) for key, item in value.items())
    if isinstance(value, list):
        return [loose(item, redact, tally, path + "[]", name) for item in value]
    if redact and name and value is not None:  # a value under an undeclared name (declared ones follow the schema)
        masked = mask_value(name, value)
        if masked is not value:
            tally.masked += 1
            tally.masked_fields.add(path)
            return masked
    return value
