"""The sandbox's hand-kept table of documented rules (`paycor_sandbox/documented_rules.py`) against a second,
independent reading of Paycor's documents: `paycor_openapi.descriptions` (the schema generator's reader).

The sandbox answers by its table (Data Access 403s, window limits); these tests fail when the table and the
documents part ways — an edit of the table, of the documents or of the reader — instead of letting the sandbox and
the connector's schemas drift apart silently.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from paycor_openapi import descriptions  # noqa: E402
from paycor_openapi.documents import get_operations, load_documents, post_reads  # noqa: E402
from paycor_sandbox import documented_rules  # noqa: E402


def _operations():
    """(route key "METHOD template", operation) of every GET and every reading POST of both documents."""
    seen = set()
    for document in load_documents(ROOT / "openapi").values():
        for template, operation in get_operations(document):
            if template.lower() not in seen:
                seen.add(template.lower())
                yield f"GET {template}", operation, document
        for template, operation in post_reads(document):
            yield f"POST {template}", operation, document


OPERATIONS = list(_operations())


def test_given_every_documented_route_then_the_table_names_the_data_access_item_the_description_names():
    assert {key for key, _, _ in OPERATIONS} == set(documented_rules.DATA_ACCESS)
    differ = {
        key: (documented_rules.DATA_ACCESS[key], descriptions.named_data_access(operation))
        for key, operation, _ in OPERATIONS
        if documented_rules.DATA_ACCESS[key] != descriptions.named_data_access(operation)
    }
    assert differ == {}


def _include_items(operation, document) -> dict:
    for parameter in operation.get("parameters", ()):
        if parameter.get("in") == "query" and parameter["name"] == "include":
            schema = parameter.get("schema", {})
            items = schema.get("items", schema)
            if "$ref" in items:
                items = document["components"]["schemas"][items["$ref"].rsplit("/", 1)[-1]]
            return descriptions.include_data_access(parameter, items.get("enum", ()))
    return {}


def test_given_every_include_parameter_then_the_table_names_the_item_of_each_include_value():
    documented = {key: _include_items(operation, document) for key, operation, document in OPERATIONS}
    assert {key: items for key, items in documented.items() if items} == documented_rules.INCLUDE_DATA_ACCESS


def test_given_every_route_then_the_window_limit_is_the_documented_one_and_its_quote_is_in_the_description():
    for key, operation, _ in OPERATIONS:
        method, template = key.split(" ", 1)
        assert documented_rules.window_days(method, template) == descriptions.window_limit_days(operation), key
    for key, (days, quote) in documented_rules.WINDOW_DAYS.items():
        description = next(operation for k, operation, _ in OPERATIONS if k == key).get("description") or ""
        assert quote in description and str(days) in quote, key
    assert documented_rules.DEFAULT_WINDOW_DAYS == descriptions.DEFAULT_WINDOW_DAYS


@pytest.mark.parametrize(
    "method, template, days",
    [
        # ground truth read in the documents: "Start date and end date range can be no greater than 31 days"
        ("GET", "/v1/employees/{employeeId}/employeeHours", 31),
        ("GET", "/v1/legalentities/{legalEntityId}/payItems", 30),  # "... no greater than 30 days"
        ("GET", "/v1/legalentities/{legalEntityId}/missedPunchRequests", 31),  # "... can be upto 31 days"
        ("GET", "/v2/legalEntities/{legalEntityId}/punches", 90),
        ("GET", "/v1/legalentities/{legalEntityId}/forecasting", 90),  # none stated
    ],
)
def test_given_a_windowed_route_then_the_sandbox_rejects_a_range_one_day_beyond_its_limit(method, template, days):
    """The sandbox's 400 follows the table: `days` apart is accepted, `days + 1` refused."""
    from datetime import date, timedelta

    from paycor_sandbox import Sandbox

    today = date(2026, 11, 29)
    sb = Sandbox(employees=30, today=today)
    legal_entity = sb.company.legal_entities[0]
    employee = sb.company.employees_of_legal_entity(legal_entity.id)[0]
    ids = {"legalEntityId": legal_entity.id, "employeeId": employee.id}
    start = today - timedelta(days=days + 1)

    def pages(span: int) -> int:
        query = {"startDate": start.isoformat(), "endDate": (start + timedelta(days=span)).isoformat()}
        return sb.expected_pages(template, query=query, **{k: v for k, v in ids.items() if "{" + k + "}" in template})

    assert pages(days) >= 1
    with pytest.raises(Exception) as refused:
        pages(days + 1)
    assert getattr(refused.value, "status", None) == 400
