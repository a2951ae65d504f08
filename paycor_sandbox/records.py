"""Record assembly: generic skeleton + realistic overrides + relationship ids + include gating."""
from __future__ import annotations

import random
import re

from .context import Ctx
from .generator import Generator
from .openapi import Doc, Route

KEEP = object()  # sentinel: leave the generated value


class LazyRecords:
    """A sequence of `count` records built on demand by `make(i)`."""

    def __init__(self, count: int, make):
        self.count = count
        self.make = make

    def __len__(self):
        return self.count

    def slice(self, start: int, stop: int) -> list:
        return [self.make(index) for index in range(start, min(stop, self.count))]

    def all(self) -> list:
        return self.slice(0, self.count)


_DOCS: dict[int, Generator] = {}


def generator(doc: Doc) -> Generator:
    doc_generator = _DOCS.get(id(doc))
    if doc_generator is None:
        doc_generator = _DOCS[id(doc)] = Generator(doc)
    return doc_generator


def rng_for(seed: int, ctx_key: str, index) -> random.Random:
    return random.Random(f"{seed}|{ctx_key}|{index}")


def merge(base, override):
    """Overlay `override` onto the generated `base`. Keys unknown to the schema (absent from base) are
    dropped, so a builder written for one document version cannot add undeclared properties."""
    if override is KEEP:
        return base
    if isinstance(override, dict) and isinstance(base, dict):
        out = dict(base)
        for key, value in override.items():
            if key in base:
                out[key] = merge(base[key], value)
        return out
    if isinstance(override, list) and isinstance(base, list) and base and isinstance(base[0], dict):
        template = base[0]
        return [merge(template, item) if isinstance(item, dict) else item for item in override]
    if override is not None and not isinstance(override, bool) and not isinstance(base, bool):
        if isinstance(base, int) and isinstance(override, str) and override.isdigit():
            return int(override)
        if isinstance(base, str) and isinstance(override, (int, float)):
            return str(override)
    return override


def include_gates(doc: Doc, route: Route, schema: dict) -> dict:
    """include value -> top-level property it switches on (only for routes that offer include=All)."""
    if "All" not in route.include_values or schema is None:
        return {}
    props = list(doc.properties(schema))
    gates = {}
    for value in route.include_values:
        if value == "All":
            continue
        lowered = value.lower()
        stem = lowered[:-1] if lowered.endswith("s") and len(lowered) > 4 else lowered
        exact = [prop for prop in props if prop.lower() == lowered]
        prefix = [prop for prop in props if prop.lower().startswith(stem)]
        hit = exact or prefix
        if hit:
            gates[value] = hit[0]
    return gates


def apply_includes(record: dict, gates: dict, includes: set) -> dict:
    for value, prop in gates.items():
        if value not in includes and prop in record:
            record[prop] = None
    return record


REF_PATHS = {
    "legalentity": lambda ctx: (str(ctx.legal_entity.id),
                                f"/v1/legalentities/{ctx.legal_entity.id}") if ctx.legal_entity else None,
    "legalentities": lambda ctx: (str(ctx.legal_entity.id),
                                  f"/v1/legalentities/{ctx.legal_entity.id}") if ctx.legal_entity else None,
    "tenant": lambda ctx: (str(ctx.tenant.id), f"/v1/tenants/{ctx.tenant.id}") if ctx.tenant else None,
    "tenants": lambda ctx: (str(ctx.tenant.id), f"/v1/tenants/{ctx.tenant.id}") if ctx.tenant else None,
    "employee": lambda ctx: (ctx.employee.id, f"/v1/employees/{ctx.employee.id}") if ctx.employee else None,
    "employees": lambda ctx: (ctx.employee.id, f"/v1/employees/{ctx.employee.id}") if ctx.employee else None,
    "person": lambda ctx: (ctx.person.id,
                           f"/v1/employees/{ctx.employee.id}/person") if ctx.person and ctx.employee else None,
}
ID_KEYS = {
    "legalentityid": lambda ctx: ctx.legal_entity.id if ctx.legal_entity else None,
    "clientid": lambda ctx: ctx.legal_entity.id if ctx.legal_entity else None,
    "tenantid": lambda ctx: ctx.tenant.id if ctx.tenant else None,
    "companyid": lambda ctx: ctx.tenant.id if ctx.tenant else None,
    "employeeid": lambda ctx: ctx.employee.id if ctx.employee else None,
    "personid": lambda ctx: ctx.person.id if ctx.person else None,
}


def _coerce(generated, value):
    if isinstance(generated, bool):
        return generated
    if isinstance(generated, int):
        try:
            return int(value)
        except (TypeError, ValueError):
            return generated
    if isinstance(generated, str):
        return str(value)
    return generated if generated is None else value


def relate(record, ctx: Ctx, depth: int = 0):
    """Set ids that the context knows (legalEntityId, tenantId, employeeId, ...) wherever they occur."""
    if depth > 6:
        return record
    if isinstance(record, dict):
        for key, value in record.items():
            lk = key.lower()
            if lk in ID_KEYS and not isinstance(value, (dict, list)) and value is not None:
                val = ID_KEYS[lk](ctx)
                if val is not None:
                    record[key] = _coerce(value, val)
            elif lk in REF_PATHS and isinstance(value, dict) and set(value) >= {"id", "url"}:
                ref = REF_PATHS[lk](ctx)
                if ref:
                    value["id"], value["url"] = ref
                relate(value, ctx, depth + 1)
            elif isinstance(value, (dict, list)):
                relate(value, ctx, depth + 1)
    elif isinstance(record, list):
        for item in record:
            relate(item, ctx, depth + 1)
    return record


_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T")


def redate(obj, day: str):
    """Move every date-time string of a generated record onto `day` (YYYY-MM-DD)."""
    if isinstance(obj, dict):
        return {key: redate(value, day) for key, value in obj.items()}
    if isinstance(obj, list):
        return [redate(value, day) for value in obj]
    if isinstance(obj, str) and _DATE_TIME.match(obj):
        return f"{day}T00:00:00Z"
    return obj


def build_record(seed: int, ctx: Ctx, schema: dict, index, override=None, gates=None, day: str | None = None):
    """Generic skeleton for `schema`, with relationship ids, realistic override, include gating.
    With `day`, every generated date-time lands on that day before the override is applied."""
    doc = ctx.route.doc
    base = generator(doc).value(schema, rng_for(seed, ctx.key, index))
    base = relate(base, ctx)
    if day is not None:
        base = redate(base, day)
    rec = merge(base, override) if override is not None else base
    if gates and isinstance(rec, dict):
        apply_includes(rec, gates, ctx.includes)
    return rec


def ref(id_, url):
    return {"id": str(id_), "url": url}


def iso(day) -> str | None:
    return None if day is None else day.strftime("%Y-%m-%dT00:00:00Z")


def camel_to_words(name: str) -> str:
    return re.sub(r"(?<=[a-z])([A-Z])", r" \1", name)
