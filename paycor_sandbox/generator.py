"""Schema-driven value generator: fills every property of an OpenAPI schema with a plausible value."""
from __future__ import annotations

import random
import re
import uuid
from datetime import datetime, timedelta

from . import fakedata
from .openapi import Doc

MAX_DEPTH = 6
_EPOCH = datetime(2025, 6, 30)


def _words(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r" \1", name).strip().lower()


def _string_for(name: str, rng: random.Random, example) -> str:
    lowered = name.lower()
    if lowered in ("firstname", "legalfirstname"):
        return rng.choice(fakedata.FIRST_NAMES_F + fakedata.FIRST_NAMES_M)
    if lowered in ("lastname", "legallastname", "maidenname", "lastname2"):
        return rng.choice(fakedata.LAST_NAMES)
    if lowered == "middlename":
        return rng.choice(fakedata.FIRST_NAMES_F + fakedata.FIRST_NAMES_M)
    if "email" in lowered:
        return (f"{rng.choice(fakedata.FIRST_NAMES_M).lower()}.{rng.choice(fakedata.LAST_NAMES).lower()}"
                "@example.com").replace("'", "")
    if lowered in ("streetline1", "address1", "street"):
        return f"{rng.randint(100, 9899)} {rng.choice(fakedata.STREET_NAMES)} {rng.choice(fakedata.STREET_SUFFIXES)}"
    if lowered in ("streetline2", "address2"):
        return rng.choice(("", "Building 2", "Floor 3"))
    if lowered == "suite":
        return f"Suite {rng.randint(1, 40) * 10}"
    if lowered == "city":
        return rng.choice(fakedata.CITIES)[0]
    if lowered in ("state", "statecode", "taxstate"):
        return rng.choice(fakedata.CITIES)[1]
    if lowered == "county":
        return rng.choice(fakedata.CITIES)[2]
    if lowered in ("zipcode", "zip", "postalcode"):
        city = rng.choice(fakedata.CITIES)
        return f"{city[3]}{rng.randint(1, 99):02d}"
    if lowered in ("country", "countrycode", "workcountrycode") and "phone" not in lowered:
        return "USA" if lowered != "countrycode" else "+1"
    if lowered == "areacode":
        return rng.choice(fakedata.CITIES)[4]
    if lowered in ("phonenumber", "phone"):
        return f"{rng.randint(200, 999)}-{rng.randint(1000, 9999)}"
    if lowered == "subscribernumber":
        return f"{rng.randint(200, 999)}{rng.randint(200, 999)}{rng.randint(1000, 9999)}"
    if lowered in ("socialsecuritynumber", "ssn"):
        return f"{rng.randint(100, 665):03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"
    if lowered in ("jobtitle", "title", "jobtitlename"):
        return rng.choice(fakedata.JOB_TITLES)[0]
    if lowered in ("employeenumber", "employeeno", "badgenumber"):
        return str(rng.randint(1001, 9999))
    if lowered.endswith("url") or lowered == "url":
        return f"/v1/resources/{uuid.UUID(int=rng.getrandbits(128), version=4)}"
    if lowered in ("currencycode", "currency"):
        return "USD"
    if lowered in ("code", "jobcode") or lowered.endswith("code"):
        return f"{rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}{rng.randint(10, 999)}"
    if lowered.endswith("name") or lowered in ("description", "name"):
        base = _words(name).replace(" name", "").title() or "Item"
        return f"{base} {rng.randint(1, 99)}"
    if isinstance(example, str) and example and len(example) < 60 and "\n" not in example:
        return example
    return f"{_words(name).title() or 'Value'} {rng.randint(1, 999)}"


class Generator:
    """Generates instances of a document's schemas. Deterministic for a given rng."""

    def __init__(self, doc: Doc):
        self.doc = doc

    def value(self, schema: dict | None, rng: random.Random, name: str = "", depth: int = 0):
        if schema is None:
            return None
        nullable = bool(schema.get("nullable"))
        resolved = self.doc.resolve(schema)
        nullable = nullable or bool(resolved.get("nullable"))
        if depth > MAX_DEPTH and nullable:
            return None
        if "enum" in resolved:
            return rng.choice(resolved["enum"])
        if self.doc.is_object(resolved):
            props = self.doc.properties(resolved)
            if not props:
                ap = resolved.get("additionalProperties")
                if isinstance(ap, dict):
                    return {"key1": self.value(ap, rng, "value", depth + 1)} if depth < MAX_DEPTH else {}
                if ap is False:
                    return {}
                return {_words(name).title() or "Field": f"Value {rng.randint(1, 99)}"} if ap is not False else {}
            return {prop: self.value(prop_schema, rng, prop, depth + 1) for prop, prop_schema in props.items()}
        kind = resolved.get("type")
        fmt = resolved.get("format")
        if kind == "array":
            if depth > MAX_DEPTH:
                return [] if not nullable else None
            return [self.value(resolved.get("items"), rng, name, depth + 1) for _ in range(rng.randint(1, 2))]
        if kind == "string":
            if fmt == "guid" or fmt == "uuid":
                return str(uuid.UUID(int=rng.getrandbits(128), version=4))
            if fmt == "date-time":
                moment = _EPOCH - timedelta(days=rng.randint(0, 3000))
                return moment.strftime("%Y-%m-%dT00:00:00Z")
            if fmt == "date":
                return (_EPOCH - timedelta(days=rng.randint(0, 3000))).strftime("%Y-%m-%d")
            if fmt == "binary" or fmt == "byte":
                return "JVBERi0xLjQK"
            pat = resolved.get("pattern")
            if pat:
                match = re.fullmatch(r"\^\\d\{(\d+)\}\$", pat)
                if match:
                    return "".join(rng.choice("0123456789") for _ in range(int(match.group(1))))
            text = _string_for(name, rng, schema.get("example", resolved.get("example")))
            ml = resolved.get("minLength") or 0
            if len(text) < ml:
                text = text + "x" * (ml - len(text))
            if "maxLength" in resolved:
                text = text[: resolved["maxLength"]]
            return text
        if kind == "integer":
            lo = int(resolved.get("minimum", 1))
            cap = 999999 if name.lower().endswith(("id", "number", "code")) else 99
            hi = int(min(resolved.get("maximum", cap), cap if lo < cap else lo + 1000))
            return rng.randint(lo, max(lo, hi))
        if kind == "number":
            lo = float(resolved.get("minimum", 0))
            hi = float(resolved.get("maximum", 1000))
            return round(rng.uniform(lo, hi), 2)
        if kind == "boolean":
            return rng.random() < 0.5
        if kind == "object":
            return {}
        # untyped schema
        return f"{_words(name).title() or 'Value'} {rng.randint(1, 99)}"
