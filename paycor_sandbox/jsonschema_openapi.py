"""Convert OpenAPI 3.0 schemas to JSON Schema (2020-12) and validate bodies with `jsonschema`.

- `nullable: true` adds "null" (to `type`, to `enum`, or as an `anyOf` branch around a `$ref`/`allOf`);
- `$ref` points into `$defs` built from components.schemas;
- `allOf` of object schemas is merged into one object schema (union of properties and required;
  `additionalProperties: false` kept), which is what the documents mean by composition;
- `xml`, `example`, `x-*`, `description` are dropped; `format` is checked for guid/date-time/date.
"""
from __future__ import annotations

import re

import jsonschema

DROP = {"xml", "example", "description", "x-enumNames", "x-abstract", "x-position", "nullable", "readOnly",
        "writeOnly", "deprecated", "discriminator", "externalDocs", "default", "title"}


class Converter:
    def __init__(self, doc: dict):
        self.schemas = doc["components"]["schemas"]
        self.defs: dict = {}

    def _resolve(self, s: dict) -> dict:
        while "$ref" in s:
            s = self.schemas[s["$ref"].rsplit("/", 1)[-1]]
        return s

    def _merge_allof(self, s: dict) -> dict:
        props, required, closed = {}, [], False
        for part in s["allOf"]:
            p = self._resolve(part)
            if "allOf" in p:
                p = self._merge_allof(p)
            props.update(p.get("properties", {}))
            required += [r for r in p.get("required", []) if r not in required]
            closed = closed or p.get("additionalProperties") is False
        out = {"type": "object", "properties": props}
        if required:
            out["required"] = required
        if closed:
            out["additionalProperties"] = False
        if s.get("nullable"):
            out["nullable"] = True
        return out

    def convert(self, s):
        if not isinstance(s, dict):
            return s
        nullable = bool(s.get("nullable"))
        if "$ref" in s:
            name = s["$ref"].rsplit("/", 1)[-1]
            if name not in self.defs:
                self.defs[name] = True  # placeholder against recursion
                self.defs[name] = self.convert(self.schemas[name])
            ref = {"$ref": f"#/$defs/{name}"}
            return {"anyOf": [ref, {"type": "null"}]} if nullable else ref
        if "allOf" in s:
            merged = self._merge_allof(s)
            merged.pop("nullable", None)
            out = self.convert(merged)
            return {"anyOf": [out, {"type": "null"}]} if nullable else out
        out = {}
        for k, v in s.items():
            if k in DROP or k.startswith("x-"):
                continue
            if k == "properties":
                out[k] = {pk: self.convert(pv) for pk, pv in v.items()}
            elif k in ("items", "additionalProperties", "not") and isinstance(v, dict):
                out[k] = self.convert(v)
            elif k in ("anyOf", "oneOf"):
                out[k] = [self.convert(x) for x in v]
            elif k == "format":
                if v in ("guid", "date-time", "date"):
                    out[k] = v
            else:
                out[k] = v
        if nullable:
            if "enum" in out:
                out["enum"] = list(out["enum"]) + [None]
            if isinstance(out.get("type"), str):
                out["type"] = [out["type"], "null"]
            elif "type" not in out and "enum" not in out:
                out = {"anyOf": [out, {"type": "null"}]}
        return out

    def document_schema(self, schema: dict) -> dict:
        root = self.convert(schema)
        return {"$schema": "https://json-schema.org/draft/2020-12/schema", **root, "$defs": dict(self.defs)}


_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_DT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")
_D = re.compile(r"^\d{4}-\d{2}-\d{2}$")

FORMAT_CHECKER = jsonschema.FormatChecker(formats=())
FORMAT_CHECKER.checks("guid")(lambda v: not isinstance(v, str) or bool(_GUID.match(v)))
FORMAT_CHECKER.checks("date-time")(lambda v: not isinstance(v, str) or bool(_DT.match(v)))
FORMAT_CHECKER.checks("date")(lambda v: not isinstance(v, str) or bool(_D.match(v)))


def validator_for(doc: dict, schema: dict) -> jsonschema.Draft202012Validator:
    js = Converter(doc).document_schema(schema)
    return jsonschema.Draft202012Validator(js, format_checker=FORMAT_CHECKER)
