"""Values → the type their schema declares, where the conversion loses nothing.

Paycor's answers do not always carry the types its document declares: ids arrive as strings inside
nested objects (`"tenant": {"id": "204857"}`), booleans as `"true"`, numbers where strings are declared.
`converter_for(schema)` compiles, once per declared field, the Python types a value may already have and
the function that converts one that does not. A conversion is made only when nothing is lost:

- integer ← a string of digits (`"204857"`, `" 7 "`, `"12.0"`), a float without fraction (`7.0`);
- number  ← a decimal string (`"12.50"`, `"1e3"`; not `"NaN"` or `"inf"`);
- boolean ← `"true"` / `"false"` in any casing;
- string  ← an integer or a float (`45202` → `"45202"`), never a boolean;
- array   ← a single object where a list of them is declared (`{...}` → `[{...}]`).

Anything else returns `MISMATCH`: the value is then kept as it came, and counted.
"""

from __future__ import annotations

import math
import re
from typing import Any, Callable, FrozenSet, Mapping, Optional, Tuple

MISMATCH = object()

PYTHON_TYPES = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "object": (dict,),
    "array": (list,),
    "null": (type(None),),
}

_INTEGER = re.compile(r"[+-]?\d+(?:\.0*)?")
_DECIMAL = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def to_integer(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip()
        if _INTEGER.fullmatch(text):
            return int(text.split(".", 1)[0])
        return MISMATCH
    if type(value) is float and value.is_integer():
        return int(value)
    return MISMATCH


def to_number(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip()
        if not _DECIMAL.fullmatch(text):
            return MISMATCH
        if _INTEGER.fullmatch(text) and "." not in text:
            return int(text)
        number = float(text)
        return number if math.isfinite(number) else MISMATCH
    return MISMATCH


def to_boolean(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip().lower()
        if text == "true":
            return True
        if text == "false":
            return False
    return MISMATCH


def to_string(value: Any) -> Any:
    if type(value) is int or (type(value) is float and math.isfinite(value)):
        return str(value)
    return MISMATCH


def to_array(value: Any) -> Any:
    return [value] if type(value) is dict else MISMATCH


CONVERTERS: Mapping[str, Callable[[Any], Any]] = {
    "integer": to_integer,
    "number": to_number,
    "boolean": to_boolean,
    "string": to_string,
    "array": to_array,
}


def declared_types(schema: Mapping[str, Any]) -> Optional[Tuple[str, ...]]:
    """The JSON types a schema declares (without `null`), or None when it declares none (any value)."""
    kind = schema.get("type") if isinstance(schema, Mapping) else None
    if kind is None:
        return None
    kinds = (kind,) if isinstance(kind, str) else tuple(kind)
    return tuple(k for k in kinds if k != "null")


def accepted(kinds: Optional[Tuple[str, ...]]) -> Optional[FrozenSet[type]]:
    """The Python types a value of these JSON types may have as it is (None: any)."""
    if kinds is None:
        return None
    types = {type(None)}
    for kind in kinds:
        types.update(PYTHON_TYPES.get(kind, ()))
    return frozenset(types)


def converter_for(kinds: Optional[Tuple[str, ...]]) -> Callable[[Any], Any]:
    """One function trying each declared type's conversion in turn; MISMATCH when none applies."""
    steps = [CONVERTERS[kind] for kind in kinds or () if kind in CONVERTERS]
    if len(steps) == 1:
        return steps[0]

    def convert(value: Any) -> Any:
        for step in steps:
            converted = step(value)
            if converted is not MISMATCH:
                return converted
        return MISMATCH

    return convert
