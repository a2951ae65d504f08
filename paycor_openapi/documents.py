"""Paycor's two OpenAPI documents on disk and the lookups every reader makes in them.

- `OPENAPI_DIR`, `DOCUMENT_FILES`: the documents' folder and file name per API version ("v1", "v2");
- `load_documents()`: both documents parsed, keyed by version, v1 first;
- `get_operations(document)`: (path template as written, GET operation) of every path that has a GET;
- `find_get_operation(document, path)`: the GET operation of one path, the path compared case-insensitively;
- `find_operation(document, path, method)`: the same for any method (a read Paycor serves by POST);
- `post_reads(document)`: (path template, POST operation) of every POST whose summary says it reads ("Get ...");
- `answer_content(operation)`: (media type, schema) of the operation's first 200 content, (None, None) when none;
- `component_name(reference)`, `resolve(node, components)`: a `$ref` to its `components.schemas` entry.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, Iterator, Mapping, Optional, Tuple

OPENAPI_DIR = Path(__file__).resolve().parent.parent / "openapi"
DOCUMENT_FILES = {"v1": "paycor-v1.json", "v2": "paycor-v2.json"}


def load_documents(directory: Path = OPENAPI_DIR) -> Dict[str, Dict[str, Any]]:
    """Both documents, parsed, keyed by API version ("v1", "v2") in that order."""
    return {version: json.loads((directory / file_name).read_text()) for version, file_name in DOCUMENT_FILES.items()}


def get_operations(document: Mapping[str, Any]) -> Iterator[Tuple[str, Mapping[str, Any]]]:
    """(path template as the document writes it, its GET operation), in document order."""
    for template, operations in document["paths"].items():
        operation = operations.get("get")
        if operation is not None:
            yield template, operation


def find_get_operation(document: Mapping[str, Any], path: str) -> Optional[Mapping[str, Any]]:
    """The GET operation of `path` (Paycor's own casing varies, so compared case-insensitively), or None."""
    wanted = path.lower()
    for template, operation in get_operations(document):
        if template.lower() == wanted:
            return operation
    return None


def find_operation(document: Mapping[str, Any], path: str, method: str) -> Optional[Mapping[str, Any]]:
    """The `method` operation of `path` (compared case-insensitively), or None."""
    wanted = path.lower()
    for template, operations in document["paths"].items():
        if template.lower() == wanted and method.lower() in operations:
            return operations[method.lower()]
    return None


def post_reads(document: Mapping[str, Any]) -> Iterator[Tuple[str, Mapping[str, Any]]]:
    """(path template, POST operation) of every POST that reads (its summary begins "Get"), in document order."""
    for template, operations in document["paths"].items():
        operation = operations.get("post")
        if operation is not None and str(operation.get("summary", "")).lower().startswith("get "):
            yield template, operation


def answer_content(operation: Mapping[str, Any]) -> Tuple[Optional[str], Optional[Mapping[str, Any]]]:
    """(media type, schema) of the first content of the operation's 200 answer; (None, None) when it has none."""
    content = (operation.get("responses") or {}).get("200", {}).get("content") or {}
    for media_type, body in content.items():
        return media_type, body.get("schema")
    return None, None


def component_name(reference: str) -> str:
    """`#/components/schemas/Name` → `Name`."""
    return reference.rsplit("/", 1)[-1]


def resolve(node: Optional[Mapping[str, Any]], components: Mapping[str, Any]) -> Optional[Mapping[str, Any]]:
    """The schema a (chain of) `$ref` points to; any other node as it is (None stays None)."""
    while node and "$ref" in node:
        node = components[component_name(node["$ref"])]
    return node
