"""bench/paycor_rules.py, the hand-kept table the honest minimum counts with (issue 18, item 4).

- Each quoted rule is found verbatim where the table says Paycor states it (the operation's description in
  openapi/, or ../shared/paycor/API_NOTES.md), and the number the table uses is the one quoted.
- The table describes the same job as the connector's catalog (same streams, routes, parameters, windows, fan-outs,
  products) and Report Builder routes: the minimum is of the job the connector does, learnt independently.
- bench/honest_minimum.py imports neither the connector nor the connector's reader of the documents.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
for _path in (str(ROOT), str(BENCH)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

import paycor_rules as rules  # noqa: E402
from source_paycor.streams.catalog import STREAMS  # noqa: E402

NOTES = ROOT.parent / "shared" / "paycor" / "API_NOTES.md"
LIMIT_WORDING = re.compile(r"(?:no greater than|up ?to)\s+\d+\s+days", re.IGNORECASE)


def _operation(method: str, path: str) -> dict:
    for name in ("paycor-v1.json", "paycor-v2.json"):
        paths = json.loads((ROOT / "openapi" / name).read_text())["paths"]
        for template, operations in paths.items():
            if template.lower() == path.lower() and method.lower() in operations:
                return operations[method.lower()]
    raise AssertionError(f"{method} {path} is in neither document")


def test_given_every_window_rule_then_its_quote_is_the_routes_description_and_states_the_days_used():
    checked = 0
    for row in rules.ROWS:
        if row.window is None:
            continue
        description = _operation(row.method, row.path).get("description") or ""
        quote = row.window.quote
        if quote.source == rules.DOC:
            assert quote.text in description, row.stream
            assert re.search(rf"\b{row.window.max_days} days", quote.text), row.stream
        else:  # no limit stated for the route: Paycor's time-endpoint limit, 90 days
            assert LIMIT_WORDING.search(description) is None, row.stream
            assert quote is rules.UNSTATED_WINDOW_QUOTE and row.window.max_days == 90, row.stream
        checked += 1
    assert checked == 12  # employee_hours, 8 time and 2 payroll windows, missed punch requests
    employee_hours = rules.by_stream()["employee_hours"]
    assert employee_hours.window.max_days == 31 and employee_hours.employment_windows  # "no greater than 31 days"
    year = rules.YEAR_QUOTE
    assert year.text in (_operation(*year.route.split(" ", 1)).get("description") or "")


def test_given_the_notes_quotes_then_each_is_in_api_notes():
    if not NOTES.exists():
        pytest.skip(f"{NOTES} is not beside this checkout (the quotes of the openapi documents are checked above)")
    notes = NOTES.read_text()
    quotes = [rules.PAGE_QUOTE, rules.NO_BULK_QUOTE, rules.BULK_CUSTOM_FIELDS_QUOTE, rules.UNSTATED_WINDOW_QUOTE,
              rules.ONE_CALL_QUOTE, rules.ACTIVATION_QUOTE, *(quote for route in rules.REPORT_ROUTES for quote in route.quotes)]
    assert [quote.text for quote in quotes if quote.text not in notes] == []
    assert "100 records" in rules.PAGE_QUOTE.text and "**200**" in rules.PAGE_QUOTE.text
    assert (rules.PAGE_SIZE, rules.EMPLOYEE_LIST_PAGE_SIZE) == (100, 200)


def test_given_every_row_then_its_route_is_a_documented_operation():
    for row in rules.ROWS:
        assert _operation(row.method, row.path), row.stream
        if row.bulk is not None:
            assert _operation(row.bulk.method, row.bulk.path), row.stream
    assert _operation("GET", rules.EMPLOYEE_LIST)
    for route in rules.REPORT_ROUTES:
        assert route.quotes and all(quote.source == rules.NOTES for quote in route.quotes), route.path
        assert _operation("GET", route.path), route.path


def test_given_the_bulk_custom_fields_route_then_the_document_has_it_as_a_reading_post():
    row = rules.by_stream()["employee_custom_fields"]
    operation = _operation(row.bulk.method, row.bulk.path)
    assert operation["summary"] == "Get All Custom Fields for a Legal Entity"
    assert [r.stream for r in rules.ROWS if r.bulk is not None] == ["employee_custom_fields"]


PARENT_OF_CATALOG = {"employee_ids": "employees", "unpaid_worker_ids": "unpaid_workers", "payroll_processing": "pay_runs"}


def _job(row: rules.Row) -> dict:
    window = row.window
    return {
        "family": row.family, "path": row.path.lower(), "query": {k: list(v) for k, v in row.query.items()},
        "window": None if window is None else (window.start_param, window.end_param, window.future_days),
        "parent": row.parent, "fan": dict(row.fan), "dated": dict(row.dated), "each": {k: list(v) for k, v in row.each.items()},
        "products": set(row.products), "sensitive_only": row.sensitive_only,
        "bulk": None if row.bulk is None else (row.bulk.method, row.bulk.path.lower(), dict(row.bulk.body)),
    }


def _catalog_job(spec) -> dict:
    window = spec.window
    fan = spec.fan_out
    return {
        "family": spec.family, "path": spec.path.lower(), "query": {k: list(v) for k, v in spec.params.items()},
        "window": None if window is None else (window.start_param, window.end_param, window.future_days),
        "parent": None if fan is None else PARENT_OF_CATALOG.get(fan.parent, fan.parent),
        "fan": {} if fan is None else {k: v for k, v in fan.fields.items() if k not in fan.record_only},
        "dated": dict(spec.dated_params), "each": {k: list(v) for k, v in spec.each.items()},
        "products": set(spec.product), "sensitive_only": spec.sensitive_only,
        "bulk": None if spec.bulk is None else (spec.bulk.method, spec.bulk.path.lower(), dict(spec.bulk.body or {})),
    }


def test_given_the_connectors_catalog_then_the_table_describes_the_same_job_stream_by_stream():
    assert [row.stream for row in rules.ROWS] == [spec.name for spec in STREAMS]
    differ = {spec.name: (_job(row), _catalog_job(spec)) for row, spec in zip(rules.ROWS, STREAMS, strict=True) if _job(row) != _catalog_job(spec)}
    assert differ == {}
    assert {row.parent for row in rules.ROWS if row.parent} <= set(rules.PARENTS)


def _imports(path: Path) -> set:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_given_the_minimum_then_neither_it_nor_its_table_imports_the_connector_or_the_documents_reader():
    for name in ("honest_minimum.py", "paycor_rules.py", "results.py"):
        assert {module for module in _imports(BENCH / name) if module.split(".")[0] in ("source_paycor", "paycor_openapi")} == set(), name
    # At run time too: the sandbox loads the documents (paycor_openapi.documents, its route table), nothing parses
    # their prose for the minimum, and the connector is never loaded.
    probe = (
        "import sys; sys.path[:0] = [sys.argv[1], sys.argv[1] + '/bench']; import honest_minimum; "
        "print(sorted(m for m in sys.modules if m.startswith(('source_paycor', 'paycor_openapi.descriptions'))))"
    )
    done = subprocess.run([sys.executable, "-c", probe, str(ROOT)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_given_the_connectors_report_builder_routes_then_the_table_has_the_same_three():
    from source_paycor.reports.discovery import REPORT_IDENTIFIERS, REPORTING_USERS
    from source_paycor.reports.stream import TEMPLATE_DATA

    assert [route.path.lower() for route in rules.REPORT_ROUTES] == [
        path.lower() for path in (REPORTING_USERS, REPORT_IDENTIFIERS, TEMPLATE_DATA)]
