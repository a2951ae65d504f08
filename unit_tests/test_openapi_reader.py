"""The schema generator reads Paycor's prose rules through `paycor_openapi.descriptions`; the sandbox keeps its own
hand-kept table of them (`paycor_sandbox/documented_rules.py`): two independent readings of the documents.

- for every catalog stream, the Data Access item and the window limit in `source_paycor/endpoints.json` are
  the ones the sandbox enforces on that route (the two readings agree);
- replacing the reader's functions changes the generator's endpoint facts and leaves the sandbox's route table and
  its 400 for a too-long window as the documents state them (the sandbox does not follow the connector's reader).
"""

from __future__ import annotations

import importlib.util
import json
import sys
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from paycor_openapi import descriptions  # noqa: E402
from paycor_openapi.documents import load_documents  # noqa: E402
from paycor_sandbox import windowed  # noqa: E402
from paycor_sandbox.errors import ApiError  # noqa: E402
from paycor_sandbox.openapi import Spec, default_spec  # noqa: E402
from source_paycor.streams.catalog import INTERNAL_STREAMS, STREAMS  # noqa: E402

ENDPOINTS = json.loads((ROOT / "source_paycor" / "endpoints.json").read_text())
CATALOG = (*STREAMS, *INTERNAL_STREAMS)
WINDOWED = [spec for spec in CATALOG if spec.window is not None]
SENTINEL_ITEM = "View Sentinel Item Named By The Test"
SENTINEL_DAYS = 7


def _generator():
    module_spec = importlib.util.spec_from_file_location("generate_schemas", ROOT / "scripts" / "generate_schemas.py")
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module


def _window_answer(route, start: date, end: date):
    """The sandbox's answer to startDate..endDate on `route`: None when accepted, else the ApiError it raises."""
    today = end
    context = SimpleNamespace(route=route, q=lambda name, default=None: {"startDate": str(start), "endDate": str(end)}.get(name, default))
    try:
        windowed.window(SimpleNamespace(today=lambda: today), context)
    except ApiError as error:
        return error
    return None


@pytest.mark.parametrize("spec", CATALOG, ids=lambda spec: spec.name)
def test_given_catalog_stream_then_endpoints_json_data_access_is_the_sandbox_routes(spec):
    route = default_spec().route(spec.path)
    generated = ENDPOINTS[spec.name]["data_access"]
    assert generated == descriptions.required_data_access(route.operation)
    assert route.data_access == descriptions.named_data_access(route.operation)
    if route.data_access is not None:  # the sandbox checks only an item the document names
        assert route.data_access == generated
    else:
        assert generated == f"View {route.operation['tags'][0].strip()}"


@pytest.mark.parametrize("spec", WINDOWED, ids=lambda spec: spec.name)
def test_given_windowed_stream_then_endpoints_json_max_days_is_the_sandbox_routes_limit(spec):
    route = default_spec().route(spec.path)
    max_days = ENDPOINTS[spec.name]["max_days"]
    assert max_days == descriptions.window_limit_days(route.operation)
    end = date(2025, 6, 30)
    assert _window_answer(route, end - timedelta(days=max_days), end) is None
    refused = _window_answer(route, end - timedelta(days=max_days + 1), end)
    assert refused is not None and refused.status == 400 and f"no greater than {max_days} days" in refused.body["Detail"]


def test_given_replaced_description_readers_then_the_generator_follows_and_the_sandbox_keeps_its_own_table(monkeypatch):
    spec = next(spec for spec in WINDOWED if spec.name == "employee_hours")
    documented_item, documented_days = ENDPOINTS[spec.name]["data_access"], ENDPOINTS[spec.name]["max_days"]
    assert (documented_item, documented_days) == ("View Employee Hours by EmployeeId", 31)  # read in paycor-v1.json
    monkeypatch.setattr(descriptions, "named_data_access", lambda operation: SENTINEL_ITEM)
    monkeypatch.setattr(descriptions, "window_limit_days", lambda operation: SENTINEL_DAYS)
    generator = _generator()
    documents = load_documents()
    sandbox_routes = Spec()  # built afresh, under the replaced readers
    _, facts = generator.describe(spec, documents)
    assert facts["data_access"] == SENTINEL_ITEM and facts["max_days"] == SENTINEL_DAYS
    route = sandbox_routes.route(spec.path)
    assert route.data_access == documented_item
    end = date(2025, 6, 30)
    assert _window_answer(route, end - timedelta(days=documented_days), end) is None
    refused = _window_answer(route, end - timedelta(days=documented_days + 1), end)
    assert refused is not None and f"no greater than {documented_days} days" in refused.body["Detail"]
