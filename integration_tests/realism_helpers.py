"""Helpers to compare records read from the sandbox in faithful mode with those read in realistic mode.

Written from the deviations' definitions (paycor_sandbox/realism.py), not from the connector: the
expectations must not come from the code under test.

- `canonical(record)`: what must be equal between a faithful and a realistic read by a correct client:
  None values, empty lists and the empty objects left by dropping them are removed (absent = null,
  `[]` = null), a trailing `Z` of a date-time string is stripped, and the `EXTRA_FIELDS` names (as sent
  and camelCased) are dropped. Keys listed in `ignore` are dropped at every depth (e.g. sensitive ones).
- `sensitive_values(sb)`: the company's SSNs (with and without dashes), birth dates (ISO `YYYY-MM-DD`)
  and full bank account numbers, to search a connector's output for values it must not emit; and, under
  "injected", what the sandbox wrote under names no document declares (`sb.realism.injected`).
- `unlisted_names(truth)`: those names and their containers (camelCased too), to leave out when comparing records.
- `injected_leaks(text, truth)`: the injected values found in a text (records, logs, traces as printed).
"""
from __future__ import annotations

import re

from paycor_sandbox import EXTRA_FIELDS
from paycor_sandbox.extras import account_numbers
from paycor_sandbox.unlisted import container_names

_DATE_TIME_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$")


def camel(name: str) -> str:
    return name[:1].lower() + name[1:]


EXTRA_FIELD_NAMES = frozenset(EXTRA_FIELDS) | {camel(name) for name in EXTRA_FIELDS}


def _absent(value) -> bool:
    return value is None or value == [] or value == {}


def canonical(record, ignore=()):
    """`record` with absent-vs-null, `[]`-vs-null, date-time `Z` and the extra fields made irrelevant, and without
    `readAt` (when the sync that read a per-employee record began: it differs from read to read by design)."""
    ignored = frozenset(ignore) | {"readAt"}
    if isinstance(record, dict):
        out = {}
        for key, value in record.items():
            if key in EXTRA_FIELD_NAMES or key in ignored:
                continue
            value = canonical(value, ignored)
            if not _absent(value):
                out[key] = value
        return out
    if isinstance(record, list):
        return [canonical(item, ignored) for item in record]
    if isinstance(record, str) and _DATE_TIME_Z.match(record):
        return record[:-1]
    return record


def sensitive_values(sb) -> dict:
    """Ground truth of the company's sensitive values: {"ssns", "birth_dates", "account_numbers"} (frozensets
    of strings; each SSN with and without dashes)."""
    persons = sb.company.persons
    ssns = {p.ssn for p in persons} | {p.ssn.replace("-", "") for p in persons}
    birth_dates = {p.birth_date.isoformat() for p in persons}
    accounts = set()
    for employee in sb.company.employees:
        accounts.update(account_numbers(sb, employee).values())
    injected = tuple(sb.realism.injected) if sb.realism is not None else ()
    return {"ssns": frozenset(ssns), "birth_dates": frozenset(birth_dates), "account_numbers": frozenset(accounts),
            "injected": injected}


def unlisted_names(truth: dict) -> frozenset:
    """The names the sandbox made up and the objects holding them, as sent and camelCased."""
    names = {injection.name for injection in truth.get("injected", ())} | set(container_names())
    return frozenset(names | {camel(name) for name in names})


def injected_leaks(text: str, truth: dict) -> list:
    """(name, value) of every injected value that appears in `text`."""
    return sorted({(injection.name, injection.value) for injection in truth.get("injected", ()) if injection.value in text})


def find_sensitive(obj, truth: dict) -> list:
    """(kind, path, value) of every string or integer in `obj` (at any depth) that is a sensitive value: an
    SSN, a full account number, or a string starting with a birth date. `path` is the dotted key path
    (list items as `[]`). A birth date can coincide with another date (a hire date): look at the path."""
    found = []

    def visit(value, path):
        if isinstance(value, dict):
            for key, item in value.items():
                visit(item, f"{path}.{key}" if path else key)
        elif isinstance(value, list):
            for item in value:
                visit(item, f"{path}[]")
        elif isinstance(value, (str, int)) and not isinstance(value, bool):
            text = str(value)
            if text in truth["ssns"]:
                found.append(("ssn", path, text))
            elif text in truth["account_numbers"]:
                found.append(("account_number", path, text))
            elif text[:10] in truth["birth_dates"]:
                found.append(("birth_date", path, text))
    visit(obj, "")
    return found


__all__ = ["canonical", "camel", "sensitive_values", "find_sensitive", "unlisted_names", "injected_leaks", "EXTRA_FIELD_NAMES"]
