"""Key casing of success bodies: camelCase (the wire) or PascalCase (the old rendering of the docs)."""
from __future__ import annotations


def pascal(obj):
    if isinstance(obj, dict):
        return {(k[:1].upper() + k[1:]): pascal(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [pascal(v) for v in obj]
    return obj


def apply(obj, casing: str):
    return pascal(obj) if casing == "pascal" else obj
