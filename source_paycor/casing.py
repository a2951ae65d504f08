"""Key casing: Paycor sends camelCase, PascalCase or a mix; records use the declared spelling or camelCase.

`shaping.RecordShaper` renames a key that differs from a declared one only in casing to the declared
spelling, and camelCases every undeclared key (`NewField` → `newField`) all the way down.
"""

from __future__ import annotations


def camel(key: str) -> str:
    return key[:1].lower() + key[1:] if key else key
