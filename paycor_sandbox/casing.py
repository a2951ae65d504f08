"""Key casing of success bodies: camelCase (the wire) or PascalCase (the old rendering of the docs)."""
from __future__ import annotations


def pascal(obj):
    if isinstance(obj, dict):
        return {(key[:1].upper() + key[1:]): pascal(value) for key, value in obj.items()}
    if isinstance(obj, list):
        return [pascal(item) for item in obj]
    return obj


def apply(obj, casing: str):
    return pascal(obj) if casing == "pascal" else obj
