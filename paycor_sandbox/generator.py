"""Schema-driven value generator: fills every property of an OpenAPI schema with a plausible value."""
from __future__ import annotations

import random
import re
import uuid
from datetime import datetime, timedelta

from . import fakedata as F
from .openapi import Doc

MAX_DEPTH = 6
_EPOCH = datetime(2025, 6, 30)


def _words(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r" \1", name).strip().lower()


def _string_for(name: str, rng: random.Random, example) -> str:
    n = name.lower()
    if n in ("firstname", "legalfirstname"):
        return rng.choice(F.FIRST_NAMES_F + F.FIRST_NAMES_M)
    if n in ("lastname", "legallastname", "maidenname", "lastname2"):
        return rng.choice(F.LAST_NAMES)
    if n == "middlename":
        return rng.choice(F.FIRST_NAMES_F + F.FIRST_NAMES_M)
    if "email" in n:
        return f"{rng.choice(F.FIRST_NAMES_M).lower()}.{rng.choice(F.LAST_NAMES).lower()}@example.com".replace("'", "")
    if n in ("streetline1", "address1", "street"):
        return f"{rng.randint(100, 9899)} {rng.choice(F.STREET_NAMES)} {rng.choice(F.STREET_SUFFIXES)}"
    if n in ("streetline2", "address2"):
        return rng.choice(("", "Building 2", "Floor 3"))
    if n == "suite":
        return f"Suite {rng.randint(1, 40) * 10}"
    if n == "city":
        return rng.choice(F.CITIES)[0]
    if n in ("state", "statecode", "taxstate"):
        return rng.choice(F.CITIES)[1]
    if n == "county":
        return rng.choice(F.CITIES)[2]
    if n in ("zipcode", "zip", "postalcode"):
        c = rng.choice(F.CITIES)
        return f"{c[3]}{rng.randint(1, 99):02d}"
    if n in ("country", "countrycode", "workcountrycode") and "phone" not in n:
        return "USA" if n != "countrycode" else "+1"
    if n == "areacode":
        return rng.choice(F.CITIES)[4]
    if n in ("phonenumber", "phone"):
        return f"{rng.randint(200, 999)}-{rng.randint(1000, 9999)}"
    if n == "subscribernumber":
        return f"{rng.randint(200, 999)}{rng.randint(200, 999)}{rng.randint(1000, 9999)}"
    if n in ("socialsecuritynumber", "ssn"):
        return f"{rng.randint(100, 665):03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"
    if n in ("jobtitle", "title", "jobtitlename"):
        return rng.choice(F.JOB_TITLES)[0]
    if n in ("employeenumber", "employeeno", "badgenumber"):
        return str(rng.randint(1001, 9999))
    if n.endswith("url") or n == "url":
        return f"/v1/resources/{uuid.UUID(int=rng.getrandbits(128), version=4)}"
    if n in ("currencycode", "currency"):
        return "USD"
    if n in ("code", "jobcode") or n.endswith("code"):
        return f"{rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}{rng.randint(10, 999)}"
    if n.endswith("name") or n in ("description", "name"):
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
        s = self.doc.resolve(schema)
        nullable = nullable or bool(s.get("nullable"))
        if depth > MAX_DEPTH and nullable:
            return None
        if "enum" in s:
            return rng.choice(s["enum"])
        if self.doc.is_object(s):
            props = self.doc.properties(s)
            if not props:
                ap = s.get("additionalProperties")
                if isinstance(ap, dict):
                    return {"key1": self.value(ap, rng, "value", depth + 1)} if depth < MAX_DEPTH else {}
                if ap is False:
                    return {}
                return {_words(name).title() or "Field": f"Value {rng.randint(1, 99)}"} if ap is not False else {}
            return {k: self.value(v, rng, k, depth + 1) for k, v in props.items()}
        t = s.get("type")
        fmt = s.get("format")
        if t == "array":
            if depth > MAX_DEPTH:
                return [] if not nullable else None
            return [self.value(s.get("items"), rng, name, depth + 1) for _ in range(rng.randint(1, 2))]
        if t == "string":
            if fmt == "guid" or fmt == "uuid":
                return str(uuid.UUID(int=rng.getrandbits(128), version=4))
            if fmt == "date-time":
                d = _EPOCH - timedelta(days=rng.randint(0, 3000))
                return d.strftime("%Y-%m-%dT00:00:00Z")
            if fmt == "date":
                return (_EPOCH - timedelta(days=rng.randint(0, 3000))).strftime("%Y-%m-%d")
            if fmt == "binary" or fmt == "byte":
                return "JVBERi0xLjQK"
            pat = s.get("pattern")
            if pat:
                m = re.fullmatch(r"\^\\d\{(\d+)\}\$", pat)
                if m:
                    return "".join(rng.choice("0123456789") for _ in range(int(m.group(1))))
            v = _string_for(name, rng, schema.get("example", s.get("example")))
            ml = s.get("minLength") or 0
            if len(v) < ml:
                v = v + "x" * (ml - len(v))
            if "maxLength" in s:
                v = v[: s["maxLength"]]
            return v
        if t == "integer":
            lo = int(s.get("minimum", 1))
            cap = 999999 if name.lower().endswith(("id", "number", "code")) else 99
            hi = int(min(s.get("maximum", cap), cap if lo < cap else lo + 1000))
            return rng.randint(lo, max(lo, hi))
        if t == "number":
            lo = float(s.get("minimum", 0))
            hi = float(s.get("maximum", 1000))
            return round(rng.uniform(lo, hi), 2)
        if t == "boolean":
            return rng.random() < 0.5
        if t == "object":
            return {}
        # untyped schema
        return f"{_words(name).title() or 'Value'} {rng.randint(1, 99)}"
