"""What Paycor states in prose in its OpenAPI documents, read the same way for every reader.

- `DATA_ACCESS`: an operation's "Data Access: <item>" (or "Data Access= <item>"; both spellings occur),
  never the "Optional Data Access" line; the item ends at the line's end or at a run of 3+ spaces;
- `INCLUDE_DATA_ACCESS`: in an `include` parameter's description, after "Data Access", lines `<value> = <item>`;
- `WINDOW_LIMIT`: "no greater than N days" / "up to N days" / "upto N days" in an operation's description;
- `named_data_access(operation)`: the item the operation names, or None;
- `required_data_access(operation)`: that item, or "View <first tag>" for the few operations naming none
  (Paycor's items follow "View <tag>");
- `include_data_access(parameter, include_values)`: include value → the item it needs;
- `window_limit_days(operation)`: the longest startDate..endDate range in days (90 when none is stated).
"""
from __future__ import annotations

import re
from typing import Any, Dict, Iterable, Mapping, Optional

DATA_ACCESS = re.compile(r"(?<!Optional )Data Access\s*[:=]\s*(.+?)\s*(?:\n|\s{3,}|$)", re.IGNORECASE)
INCLUDE_DATA_ACCESS = re.compile(r"^\s*(\w+)\s*=\s*(.+?)\s*$", re.MULTILINE)
WINDOW_LIMIT = re.compile(r"(?:no greater than|up ?to)\s+(\d+)\s+days", re.IGNORECASE)
DEFAULT_WINDOW_DAYS = 90


def named_data_access(operation: Mapping[str, Any]) -> Optional[str]:
    """The Data Access item the operation's description names (trailing period dropped), or None."""
    match = DATA_ACCESS.search(operation.get("description") or "")
    return match.group(1).strip().rstrip(".") if match else None


def required_data_access(operation: Mapping[str, Any]) -> str:
    """The item the operation names, else "View <its first tag>"."""
    named = named_data_access(operation)
    return named if named is not None else f"View {operation['tags'][0].strip()}"


def include_data_access(parameter: Mapping[str, Any], include_values: Iterable[str]) -> Dict[str, str]:
    """Include value → Data Access item, from the lines after "Data Access" in the parameter's description."""
    description = parameter.get("description") or ""
    if "Data Access" not in description:
        return {}
    known = set(include_values)
    return {value: item for value, item in INCLUDE_DATA_ACCESS.findall(description.split("Data Access", 1)[1]) if value in known}


def window_limit_days(operation: Mapping[str, Any]) -> int:
    """The longest date range, in days, the operation's description allows (DEFAULT_WINDOW_DAYS when it states none)."""
    match = WINDOW_LIMIT.search(operation.get("description") or "")
    return int(match.group(1)) if match else DEFAULT_WINDOW_DAYS
