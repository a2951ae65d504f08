"""Lists read both as a stream and as the parent of other streams cost their calls once per sync.

`services` (also the product check of gated streams), `pay_groups` (parent of `pay_schedule`),
`labor_profiles` (of `labor_profile_labor_codes`), `ats_accounts` (of `ats_jobs`), `ats_jobs` (of
`ats_candidates`) and `payroll_processing` (the pay runs of `paystubs` and the ledgers) are each read by
two stream objects. Ground truth is the sandbox's: its call log and its expected pages and records.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta

import pytest

from helpers import TODAY, SecretWatch, canonical_records, configured_catalog, data_calls, discover, last_states, make_runner, one_value
from paycor_sandbox import Sandbox
from paycor_sandbox.on_day import on_day

pytestmark = pytest.mark.on_day(TODAY)
ACTIVATION = "/v1/legalentities/ActivatedLegalEntityTenantList"
# Each shared list, the stream(s) fanning out from it, and its route (legal entity first).
SHARED = {
    "services": "/v1/legalentities/{legalEntityId}/services",
    "pay_groups": "/v1/legalentities/{legalEntityId}/payGroups",
    "labor_profiles": "/v1/legalentities/{legalEntityId}/laborprofiles",
    "ats_accounts": "/v1/legalEntities/{legalEntityId}/ats/accounts",
}
LABOR = ("jobCosting", "workforceManagement")
CHILDREN = ["pay_schedule", "labor_profile_labor_codes", "ats_jobs", "ats_candidates", "punches"]
PAY_RUNS = "/v1/legalentities/{legalEntityId}/payrollProcessing"
PAY_RUN_MAX_DAYS = 90  # "fromCheckDate and toCheckDate no greater than 90 days apart" (Paycor's document)
FUTURE_DAYS = 60  # the stream reads the pay runs planned for the next 60 days


def call_key(call) -> tuple:
    return (call.method, call.path, tuple(sorted((k, tuple(v)) for k, v in call.query.items())))


def closing_line(run, stream: str) -> str:
    lines = [line for line in run.logs("INFO") if line.startswith(f"Stream {stream}: ") and " calls, " in line]
    assert len(lines) == 1, (stream, lines)
    return lines[0]


def answered(line: str) -> int:
    """Calls plus pages shared with the parent reading, from a closing line."""
    calls = int(re.search(r"(\d+) calls", line).group(1))
    shared = re.search(r"(\d+) pages shared with its reading as a parent", line)
    return calls + (int(shared.group(1)) if shared else 0)


@pytest.fixture(scope="module")
def together(tmp_path_factory):
    """Every shared list and its children in one read; each stream alone in reads of their own."""
    run = make_runner(tmp_path_factory.mktemp("shared"), SecretWatch(), today=TODAY)
    with on_day(TODAY), Sandbox(seed=7, employees=60, today=TODAY) as sandbox:  # module-scoped: its own clock
        catalog, config = discover(run, sandbox.connector_config())
        config["start_date"] = str(TODAY - timedelta(days=200))
        names = [*SHARED, *CHILDREN, "payroll_processing", "paystubs"]
        sandbox.reset_calls()
        read = run("read", config, catalog=configured_catalog(catalog, names))
        calls = [call for call in data_calls(sandbox) if call.path != ACTIVATION]
        legal_entities = [le for le, _ in sandbox.company.activated_pairs()]
        services = {le: sandbox.expected_records(SHARED["services"], legalEntityId=le)[0] for le in legal_entities}
        # Labor profiles need Job Costing or Workforce Management (the product check reads the services).
        readable = {
            name: [le for le in legal_entities if name != "labor_profiles" or any(services[le].get(f) for f in LABOR)]
            for name in SHARED
        }
        assert 0 < len(readable["labor_profiles"]) < len(legal_entities)  # the product check is exercised
        truth = {
            name: {
                le: (sandbox.expected_pages(path, legalEntityId=le), sandbox.expected_records(path, legalEntityId=le))
                for le in readable[name]
            }
            for name, path in SHARED.items()
        }
        alone = {}
        config = (read.rotated_configs or [config])[-1]
        for name in names:
            single = run("read", config, catalog=configured_catalog(catalog, [name]))
            assert single.returncode == 0, single.errors
            alone[name] = canonical_records(single).get(name, [])
            config = (single.rotated_configs or [config])[-1]
        yield read, calls, truth, alone


def test_given_lists_read_as_streams_and_parents_when_read_together_then_no_request_is_sent_twice(together):
    read, calls, _, _ = together
    assert read.returncode == 0, read.errors
    repeated = {key: n for key, n in Counter(call_key(call) for call in calls).items() if n > 1}
    assert not repeated, repeated
    assert {call.status for call in calls} == {200}


def test_given_shared_lists_when_read_together_then_each_route_is_called_once_per_page_and_the_stream_says_so(together):
    read, calls, truth, _ = together
    for name, path in SHARED.items():
        pattern = re.compile("^" + re.sub(r"\{\w+\}", r"\\d+", path) + "$")
        made = [call for call in calls if pattern.match(call.path)]
        pages = sum(pages for pages, _ in truth[name].values())
        assert len(made) == pages, name
        # The stream's closing line accounts for every page: its own calls and those the parent read made.
        assert answered(closing_line(read, name)) == pages, closing_line(read, name)
        records = sum(len(records) for _, records in truth[name].values())
        assert len(read.records(name)) == records, name
    shared = [line for line in read.logs("INFO") if "pages shared with its reading as a parent" in line]
    assert shared, "no stream said it was answered from its parent reading"


def test_given_lists_read_together_when_compared_with_each_read_alone_then_the_records_are_the_same(together):
    read, _, _, alone = together
    together_records = canonical_records(read)
    for name, records in alone.items():
        assert records, name
        assert together_records[name] == records, name


def pay_run_windows(start: date, end: date) -> list:
    """[start, end] cut into Paycor's longest windows, first to last (stated here, not taken from the connector)."""
    windows, day = [], start
    while day <= end:
        last = min(day + timedelta(days=PAY_RUN_MAX_DAYS - 1), end)
        windows.append((day.isoformat(), last.isoformat()))
        day = last + timedelta(days=1)
    return windows


def test_given_state_from_yesterday_when_pay_run_streams_read_incrementally_then_pay_runs_are_read_from_the_state_once(
    tmp_path,
):
    yesterday = TODAY - timedelta(days=1)
    start_date = TODAY - timedelta(days=300)
    streams = ["payroll_processing", "paystubs", "general_ledger"]
    with on_day(yesterday), Sandbox(seed=7, employees=40, today=yesterday) as first_day:
        (tmp_path / "first").mkdir()
        run = make_runner(tmp_path / "first", SecretWatch(), today=yesterday)
        catalog, config = discover(run, first_day.connector_config())
        config["start_date"] = str(start_date)
        first = run("read", config, catalog=configured_catalog(catalog, streams, sync_mode="incremental"))
        assert first.returncode == 0, first.errors
        state = last_states(first.messages)
    with Sandbox(seed=7, employees=40, today=TODAY) as sandbox:
        (tmp_path / "next").mkdir()
        run = make_runner(tmp_path / "next", SecretWatch(), today=TODAY)
        config = {**sandbox.connector_config(), "start_date": str(start_date)}
        sandbox.reset_calls()
        read = run("read", config, catalog=configured_catalog(catalog, streams, sync_mode="incremental"), state=state)
        assert read.returncode == 0, read.errors
        # The first sync saved its day; the next reads from that day less the default 30-day lookback.
        start = yesterday - timedelta(days=30)
        expected = pay_run_windows(start, TODAY + timedelta(days=FUTURE_DAYS))
        calls = data_calls(sandbox)
        for le, _ in sandbox.company.activated_pairs():
            windows = [
                (one_value(call.query, "fromCheckDate"), one_value(call.query, "toCheckDate"))
                for call in calls
                if call.path == f"/v1/legalentities/{le}/payrollProcessing"
            ]
            assert windows == expected, (le, windows)
            pay_runs = [
                run
                for first_day, last_day in expected
                for run in sandbox.expected_records(
                    PAY_RUNS, {"fromCheckDate": [first_day], "toCheckDate": [last_day]}, legalEntityId=le
                )
            ]
            assert pay_runs, le
            # One paystubs call per pay run of the range (pages of 100), none for older pay runs.
            asked = Counter(
                one_value(call.query, "plannerId")
                for call in calls
                if call.path == f"/v1/legalentities/{le}/paystubs" and "continuationToken" not in call.query
            )
            assert asked == Counter(str(pay_run["plannerId"]) for pay_run in pay_runs), le
