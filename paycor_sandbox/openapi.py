"""Paycor's OpenAPI documents as a route table: one Route per GET path, with its response shape, and one
per POST that reads (summary "Get ...", e.g. a legal entity's custom fields), kept apart in `post_routes`.

The documents are read by the shared reader `paycor_openapi`; the Data Access items each route needs come from
the sandbox's own hand-kept table `documented_rules` (cross-checked against the documents by a test), not from the
reader's parsing of the descriptions.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from paycor_openapi.documents import (DOCUMENT_FILES, OPENAPI_DIR, answer_content, get_operations, load_documents,
                                      post_reads, resolve)

from . import documented_rules


class Doc:
    """One OpenAPI document with $ref resolution helpers."""

    def __init__(self, name: str, data: dict):
        self.name = name
        self.data = data
        self.schemas = data["components"]["schemas"]

    def resolve(self, schema: dict | None) -> dict:
        return resolve(schema, self.schemas) or {}

    def properties(self, schema: dict) -> dict:
        """Properties of an object schema, with allOf parts merged (later parts win)."""
        resolved = self.resolve(schema)
        out: dict = {}
        for part in resolved.get("allOf", ()):
            out.update(self.properties(part))
        out.update(resolved.get("properties", {}))
        return out

    def is_object(self, schema: dict) -> bool:
        resolved = self.resolve(schema)
        return resolved.get("type") == "object" or "allOf" in resolved or "properties" in resolved


@dataclass
class Route:
    doc: Doc
    template: str                 # as written in the document
    operation: dict
    regex: re.Pattern
    param_names: list
    literal_score: tuple          # used to prefer literal segments over {params}
    schema: dict | None           # 200 response schema (unresolved)
    shape: str                    # "paged" | "array" | "object" | "binary" | "none"
    record_schema: dict | None    # schema of one record (paged/array), or the object itself
    data_access: str | None
    include_values: list = field(default_factory=list)
    include_access: dict = field(default_factory=dict)   # include value -> data access item
    query_params: dict = field(default_factory=dict)     # lower name -> parameter object
    method: str = "GET"

    def __repr__(self) -> str:
        prefix = "" if self.method == "GET" else f"{self.method} "
        return f"Route({prefix}{self.template!r}, {self.shape})"

    @property
    def key(self) -> str:
        """The template, lower-cased; a POST's prefixed with "post " (handlers register under the same key)."""
        return self.template.lower() if self.method == "GET" else f"{self.method.lower()} {self.template.lower()}"

    def required_query(self) -> list[str]:
        return [param["name"] for param in self.query_params.values() if param.get("required")]


def _template_regex(template: str):
    names, parts, score = [], [], []
    for seg in template.strip("/").split("/"):
        match = re.fullmatch(r"\{(\w+)\}", seg)
        if match:
            names.append(match.group(1))
            parts.append(f"(?P<{match.group(1)}>[^/]+)")
            score.append(0)
        else:
            parts.append(re.escape(seg))
            score.append(1)
    return re.compile("^/" + "/".join(parts) + "/?$", re.IGNORECASE), names, tuple(score)


def _shape(doc: Doc, schema: dict | None, content_type: str | None):
    if schema is None:
        return "none", None
    resolved = doc.resolve(schema)
    if resolved.get("type") == "string" and resolved.get("format") == "binary":
        return "binary", None
    if resolved.get("type") == "array":
        return "array", resolved.get("items")
    props = doc.properties(schema)
    name = schema.get("$ref", "").rsplit("/", 1)[-1]
    if name.startswith("PagedResultOf") and "records" in props:
        return "paged", props["records"].get("items")
    return "object", schema


def _build_route(doc: Doc, template: str, op: dict, method: str = "GET") -> Route:
    regex, names, score = _template_regex(template)
    ctype, schema = answer_content(op)
    shape, record_schema = _shape(doc, schema, ctype)
    data_access = documented_rules.data_access(method, template)
    include_values, include_access, query = [], {}, {}
    for param in op.get("parameters", ()):
        if param.get("in") != "query":
            continue
        query[param["name"].lower()] = param
        if param["name"] == "include":
            sc = param.get("schema", {})
            item = doc.resolve(sc.get("items", sc))
            include_values = list(item.get("enum", ()))
            include_access = {value: item for value, item in documented_rules.include_data_access(method, template).items()
                              if value in include_values}
    return Route(doc, template, op, regex, names, score, schema, shape, record_schema, data_access,
                 include_values, include_access, query, method)


class Spec:
    def __init__(self, directory: Path = OPENAPI_DIR):
        self.docs = [Doc(DOCUMENT_FILES[version], data) for version, data in load_documents(directory).items()]
        self.routes: list[Route] = []
        seen = set()
        for doc in self.docs:
            for template, op in get_operations(doc.data):
                if template.lower() in seen:
                    continue
                seen.add(template.lower())
                self.routes.append(_build_route(doc, template, op))
        self.post_routes = [_build_route(doc, template, op, "POST") for doc in self.docs
                            for template, op in post_reads(doc.data)]
        self.by_key = {route.key: route for route in (*self.routes, *self.post_routes)}
        self.all_paths = {template.lower() for document in self.docs for template in document.data["paths"]}

    def match(self, path: str, method: str = "GET"):
        """Return (route, path params) for a request path, preferring literal segments."""
        best = None
        for route in (self.routes if method == "GET"
                      else [route for route in self.post_routes if route.method == method]):
            match = route.regex.match(path)
            if match and (best is None or route.literal_score > best[0].literal_score):
                best = (route, match.groupdict())
        return best

    def route(self, template: str, method: str = "GET") -> Route:
        return self.by_key[template.lower() if method == "GET" else f"{method.lower()} {template.lower()}"]


@lru_cache(maxsize=1)
def default_spec() -> Spec:
    return Spec()
