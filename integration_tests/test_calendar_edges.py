"""Windowed reads on the calendar's edges: a sync on 29 February of a leap year and one on 31 December.

The read runs in this process (the CDK's `entrypoint_wrapper.read`) under a frozen clock (time-machine,
ticking from noon UTC of that day), against a sandbox whose `today` is the same day: the connector and
Paycor agree on the date without any switch in the connector. The windows requested are written out
by hand: 90 days at most each (Paycor's limit for both endpoints), the last one ending today for
`punches` and 60 days ahead for `payroll_processing` (pay runs are planned ahead).
"""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
import time_machine

from airbyte_cdk.models import SyncMode
from airbyte_cdk.test.catalog_builder import CatalogBuilder
from airbyte_cdk.test.entrypoint_wrapper import read as read_in_process

from helpers import canonical, data_calls, one_value
from paycor_sandbox import Sandbox
from source_paycor import SourcePaycor
from source_paycor.streams.catalog import by_name

STREAMS = ("punches", "payroll_processing")
EDGES = {
    "29 February 2028": (
        date(2028, 2, 29), "2027-12-01",
        {"punches": [("2027-12-01", "2028-02-28"), ("2028-02-29", "2028-02-29")],
         "payroll_processing": [("2027-12-01", "2028-02-28"), ("2028-02-29", "2028-04-29")]},
    ),
    "31 December 2026": (
        date(2026, 12, 31), "2026-10-02",
        {"punches": [("2026-10-02", "2026-12-30"), ("2026-12-31", "2026-12-31")],
         "payroll_processing": [("2026-10-02", "2026-12-30"), ("2026-12-31", "2027-03-01")]},
    ),
}


def first_page_windows(sandbox: Sandbox, name: str) -> dict:
    """{legal entity id: sorted (start, end) of every first-page call} of a windowed stream."""
    spec = by_name()[name]
    prefix = spec.path.split("{")[0].lower()
    suffix = spec.path.split("}")[1].lower()
    found: dict = {}
    for call in data_calls(sandbox):
        path = call.path.lower()
        if path.startswith(prefix) and path.endswith(suffix) and one_value(call.query, "continuationToken") is None:
            legal_entity = int(path[len(prefix):-len(suffix)])
            window = (one_value(call.query, spec.window.start_param)[:10], one_value(call.query, spec.window.end_param)[:10])
            found.setdefault(legal_entity, []).append(window)
    return {legal_entity: sorted(windows) for legal_entity, windows in found.items()}


@pytest.mark.parametrize("edge", list(EDGES))
def test_given_sync_on_a_calendar_edge_when_windowed_read_then_exact_windows_and_every_record_up_to_that_day(edge):
    today, start_date, expected_windows = EDGES[edge]
    with time_machine.travel(datetime(today.year, today.month, today.day, 12, tzinfo=timezone.utc), tick=True):
        with Sandbox(seed=7, employees=30, today=today, rate_limit_per_minute=100_000) as sandbox:
            config = {**sandbox.connector_config(), "start_date": start_date}
            catalog = CatalogBuilder()
            for name in STREAMS:
                catalog = catalog.with_stream(name, SyncMode.incremental)
            output = read_in_process(SourcePaycor(), config, catalog.build())
            assert not output.errors, [error.trace.error.message for error in output.errors]
            records = {name: [m.record.data for m in output.records if m.record.stream == name] for name in STREAMS}
            for name in STREAMS:
                spec = by_name()[name]
                windows = first_page_windows(sandbox, name)
                assert windows, f"{name}: no window requested"
                assert all(found == expected_windows[name] for found in windows.values()), (name, windows)
                # every record of those windows, none twice, none outside them
                truth = [
                    {**record, "legalEntityId": legal_entity}
                    for legal_entity in windows
                    for start, end in expected_windows[name]
                    for record in sandbox.expected_records(spec.path, query={spec.window.start_param: start, spec.window.end_param: end},
                                                           legalEntityId=legal_entity)
                ]
                assert truth, f"{name}: the sandbox holds nothing in these windows"
                # the connector's synthetic row key (punches have no id of their own) aside, the records are Paycor's
                row_key = "rowKey" if spec.row_key else None
                got = [{key: value for key, value in record.items() if key != row_key} for record in records[name]]
                assert sorted(map(canonical, got)) == sorted(map(canonical, truth)), name
                keys = [tuple(record.get(field) for field in spec.key) for record in records[name]]
                assert len(set(keys)) == len(keys) and all(None not in key for key in keys), f"{name}: primary keys not unique"
            # punches on the edge day itself were read (the one-day window), and the state stops at that day
            assert any(record["displayDate"][:10] == today.isoformat() for record in records["punches"])
            final = {m.state.stream.stream_descriptor.name: m.state.stream.stream_state for m in output.state_messages}
            for name in STREAMS:
                cursor = by_name()[name].window.cursor_field
                saved = {entry["partition"]["legalEntityId"]: entry["cursor"][cursor] for entry in final[name].states}
                assert saved == {legal_entity: today.isoformat() for legal_entity in first_page_windows(sandbox, name)}, (name, saved)


def test_given_the_frozen_launcher_when_the_connector_reads_then_it_reads_on_the_sandboxs_day(tmp_path):
    """`frozen_connector.py` (used by the date-dependent subprocess tests) runs the connector on the given day."""
    from helpers import SecretWatch, discover_and_read, make_runner

    day = date(2025, 1, 15)  # unfrozen, today's connector would move a 2025-01-01 start to one year before today
    with Sandbox(seed=7, employees=20, today=day, rate_limit_per_minute=100_000) as sandbox:
        run = make_runner(tmp_path, SecretWatch(), today=day)
        _, read, _, _ = discover_and_read(run, {**sandbox.connector_config(), "start_date": "2025-01-01"}, ["punches"])
        windows = {(call.query["startDate"][0], call.query["endDate"][0]) for call in sandbox.calls if call.path.lower().endswith("/punches")}
    assert read.returncode == 0, read.errors
    assert windows == {("2025-01-01", "2025-01-15")}
    assert read.records("punches")
