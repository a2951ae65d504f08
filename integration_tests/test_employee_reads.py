"""Per-employee streams (issue 18): windows within employment spans, terminated employees read once in incremental
syncs, and interrupted reads that resume after the last employee done.

Ground truth is the sandbox's company: each legal entity's employees with their hire, termination and rehire dates
(`Employee.hire_date`, `.termination_date`, `.rehire_date`), and the sandbox's own log of the calls it answered. The
expected windows are cut here, by hand, from Paycor's documented rule for `employeeHours` (at most 31 days a call),
not by the connector's code.
"""

from __future__ import annotations

import json
import signal
import subprocess
from datetime import date, timedelta
from typing import Dict, List, Optional, Set, Tuple

import pytest

from paycor_sandbox import Sandbox

from helpers import (
    NO_RATE_LIMIT,
    TODAY,
    ConnectorRun,
    command_args,
    configured_catalog,
    connector_command,
    data_calls,
    discover,
    last_states,
    one_value,
    primary_keys,
    key_of,
)

pytestmark = pytest.mark.on_day(TODAY)
START = TODAY - timedelta(days=150)
GRACE = 90
HOURS_MAX_DAYS = 31  # Paycor: "The date range ... must be no greater than 31 days" (employeeHours)
DATES_ITEM = "View Legal Entity Employees Employment Dates"


def company(employees: int = 150, **options) -> Sandbox:
    return Sandbox(seed=11, employees=employees, terminated_history=1.0, rate_limit_per_minute=NO_RATE_LIMIT,
                   today=TODAY, **options)


def hand_windows(start: date, end: date) -> List[Tuple[date, date]]:
    out, day = [], start
    while day <= end:
        out.append((day, min(day + timedelta(days=HOURS_MAX_DAYS - 1), end)))
        day += timedelta(days=HOURS_MAX_DAYS)
    return out


def terminated_on(employee) -> Optional[date]:
    """The termination that still stands (None when employed, or rehired after it)."""
    if employee.termination_date is None:
        return None
    if employee.rehire_date is not None and employee.rehire_date > employee.termination_date:
        return None
    return employee.termination_date


def time_entities(sandbox: Sandbox) -> List[int]:
    return [le for le, _ in sandbox.company.activated_pairs()
            if sandbox.company.legal_entity(le).services.get("performTime")]


def employee_of_path(path: str) -> str:
    return path.split("/")[3]


def calls_to(sandbox: Sandbox, suffix: str, since: int = 0) -> list:
    return [c for c in data_calls(sandbox)[since:] if c.path.lower().endswith(suffix.lower()) and c.status == 200]


def hours_requested(sandbox: Sandbox, since: int = 0) -> Set[Tuple[str, date, date]]:
    return {(employee_of_path(c.path), date.fromisoformat(one_value(c.query, "startDate")[:10]),
             date.fromisoformat(one_value(c.query, "endDate")[:10]))
            for c in calls_to(sandbox, "/employeeHours", since)}


def config_of(sandbox: Sandbox, start: date = START, **settings) -> Dict:
    return {**sandbox.connector_config(), "start_date": start.isoformat(), "lookback_window_days": 0, **settings}


def test_given_employment_spans_when_employee_hours_read_then_exactly_the_windows_within_hire_to_termination_plus_grace(
        run_connector):
    with company() as sandbox:
        legal_entities = time_entities(sandbox)
        employees = [e for le in legal_entities for e in sandbox.company.employees_of_legal_entity(le)]
        # A rehired employee: terminated long ago, hired again 20 days ago — read up to today again.
        rehired = next(e for e in employees if e.termination_date and e.termination_date < START - timedelta(days=200))
        rehired.rehire_date = TODAY - timedelta(days=20)
        catalog, config = discover(run_connector, config_of(sandbox))
        sandbox.reset_calls()
        read = run_connector("read", config, catalog=configured_catalog(catalog, ["employee_hours"]))
        assert read.returncode == 0, read.errors
        windows = hand_windows(START, TODAY)
        expected = set()
        for employee in employees:
            ended = terminated_on(employee)
            last = ended + timedelta(days=GRACE) if ended else None
            for start, end in windows:
                if end >= employee.hire_date and (last is None or start <= last):
                    expected.add((employee.id, start, end))
        requested = hours_requested(sandbox)
        assert requested == expected
        everything = len(employees) * len(windows)
        assert len(expected) < 0.8 * everything  # the spans matter in this company: long-terminated employees
        assert any(employee == rehired.id for employee, _, _ in requested)
        assert len(calls_to(sandbox, "/employeeHours")) == len(expected)  # each window once


def test_given_employment_dates_denied_when_employee_hours_read_then_every_window_of_every_employee_and_said_once(
        run_connector):
    with company() as probe:
        denied_le = time_entities(probe)[0]
    with company(denied_data_access={denied_le: {DATES_ITEM}}) as sandbox:
        catalog, config = discover(run_connector, config_of(sandbox))
        sandbox.reset_calls()
        read = run_connector("read", config, catalog=configured_catalog(catalog, ["employee_hours"]))
        assert read.returncode == 0, read.errors
        employees = sandbox.company.employees_of_legal_entity(denied_le)
        windows = hand_windows(START, TODAY)
        requested = hours_requested(sandbox)
        mine = {(employee, start, end) for employee, start, end in requested if employee in {e.id for e in employees}}
        assert mine == {(e.id, start, end) for e in employees for start, end in windows}
        told = [line for line in read.logs("WARN") if "read without them" in line]
        assert len(told) == 1 and str(denied_le) in told[0]
        undated = [line for line in read.logs() if "have no hire date" in line]
        assert len(undated) == 1 and f"{len(employees)} employees have no hire date" in undated[0]
        # The denial was answered by the fallback: no stream is reported skipped for it.
        assert not [line for line in read.logs("WARN") if line.startswith("Streams skipped for missing Paycor Data")]


def test_given_incremental_state_when_read_again_then_settled_terminated_employees_skipped_and_rehired_read(
        run_connector):
    with company() as sandbox:
        legal_entities = [le for le, _ in sandbox.company.activated_pairs()]
        employees = [e for le in legal_entities for e in sandbox.company.employees_of_legal_entity(le)]
        catalog, config = discover(run_connector, config_of(sandbox))
        incremental = configured_catalog(catalog, ["employee_pay_rates"], sync_mode="incremental")
        sandbox.reset_calls()
        first = run_connector("read", config, catalog=incremental)
        assert first.returncode == 0, first.errors
        assert {employee_of_path(c.path) for c in calls_to(sandbox, "/payrates")} == {e.id for e in employees}
        assert all(record["readAt"].startswith(TODAY.isoformat()) for record in first.records("employee_pay_rates"))
        settled = [e for e in employees if e.termination_date and e.termination_date + timedelta(days=GRACE) < TODAY]
        assert len(settled) >= 20
        settled[0].rehire_date = TODAY - timedelta(days=3)  # hired again since: read again
        recent = next(e for e in employees if e.termination_date is None)
        recent.termination_date = TODAY - timedelta(days=GRACE - 1)  # within the grace period: read again
        sandbox.reset_calls()
        second = run_connector("read", config, catalog=incremental, state=last_states(first.messages))
        assert second.returncode == 0, second.errors
        read_again = {employee_of_path(c.path) for c in calls_to(sandbox, "/payrates")}
        assert read_again == {e.id for e in employees} - {e.id for e in settled[1:]}
        assert len(calls_to(sandbox, "/payrates")) == len(read_again)
        told = [line for line in second.logs() if "does not read again" in line]
        assert len(told) == 1 and f"does not read again {len(settled) - 1} employees" in told[0]
        # Full refresh reads everyone, whatever the state says.
        sandbox.reset_calls()
        full = run_connector("read", config, catalog=configured_catalog(catalog, ["employee_pay_rates"]),
                             state=last_states(second.messages))
        assert full.returncode == 0, full.errors
        assert {employee_of_path(c.path) for c in calls_to(sandbox, "/payrates")} == {e.id for e in employees}


# --- interrupted reads ------------------------------------------------------------------------------------------
STREAMS = ["employee_pay_rates", "employee_earnings", "employee_hours"]
SUFFIXES = {"employee_pay_rates": "/payrates", "employee_earnings": "/earnings", "employee_hours": "/employeeHours"}


def killed_read(tmp_path, config, catalog, stream: str, k: int, tag: str) -> ConnectorRun:
    """A read killed with SIGKILL right after its k-th STATE line of `stream`; what it wrote up to that line."""
    launcher, env = connector_command(TODAY)
    process = subprocess.Popen([*launcher, *command_args(tmp_path, f"kill-{tag}", "read", config, catalog)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
                               env=env)
    lines, seen = [], 0
    for line in process.stdout:
        lines.append(line)
        message = json.loads(line) if line.startswith("{") else {}
        if message.get("type") == "STATE" and message["state"]["stream"]["stream_descriptor"]["name"] == stream:
            seen += 1
            if seen == k:
                process.send_signal(signal.SIGKILL)
                break
    process.wait(timeout=60)
    process.stdout.read()
    stderr = process.stderr.read()
    messages = [json.loads(line) for line in lines if line.strip().startswith("{")]
    return ConnectorRun(f"read (killed after STATE #{k} of {stream})", process.returncode, "".join(lines), stderr, messages)


def requests_by_stream(sandbox: Sandbox, since: int, until: Optional[int] = None) -> Dict[str, List[str]]:
    calls = data_calls(sandbox)[since:until]
    # Answered calls (a call the connector retries after a 401 or a 5xx asks again for the same employee).
    return {name: [employee_of_path(c.path) for c in calls if c.path.lower().endswith(suffix.lower()) and c.status == 200]
            for name, suffix in SUFFIXES.items()}


@pytest.mark.parametrize("mode", ["full_refresh", "incremental"])
def test_given_read_killed_at_several_points_when_retried_with_its_states_then_no_employee_done_is_asked_again_and_no_record_lost(
        run_connector, tmp_path, mode):
    # Under 1,000 calls a read, so that the connector's own budget (1,000 a minute) never waits.
    with company(employees=100) as sandbox:
        catalog, config = discover(run_connector, config_of(sandbox, TODAY - timedelta(days=60)))
        keys = primary_keys(catalog)
        chosen = configured_catalog(catalog, STREAMS, sync_mode=mode)
        le_of = {e.id: e.legal_entity_id for e in sandbox.company.employees}
        settled = {e.id for e in sandbox.company.employees
                   if e.termination_date and e.termination_date + timedelta(days=GRACE) < TODAY}
        sandbox.reset_calls()
        clean = run_connector("read", config, catalog=chosen)
        assert clean.returncode == 0, clean.errors
        clean_keys = {(name, key_of(r, keys[name])) for name in STREAMS for r in clean.records(name)}
        clean_requests = requests_by_stream(sandbox, 0)
        checkpointed = set()
        # Killed right after a checkpoint of each stream (the others are wherever they are then).
        for kind, k in (("employee_pay_rates", 1), ("employee_hours", 1), ("employee_earnings", 2)):
            sandbox.reset_calls()
            killed = killed_read(tmp_path, config, chosen, kind, k, f"{mode}-{kind}-{k}")
            assert killed.returncode != 0, f"the kill after STATE #{k} of {kind} came too late"
            killed_calls = len(data_calls(sandbox))
            states = last_states(killed.messages)
            done: Dict[str, Dict[int, str]] = {}
            finished: Set[str] = set()  # incremental streams whose read ended before the kill
            complete: Set[str] = set()  # full-refresh streams read to their end before the kill (the CDK's state)
            for state in states:
                blob, name = state["stream"]["stream_state"], state["stream"]["stream_descriptor"]["name"]
                done[name] = {entry["legalEntityId"]: entry["after"] for entry in blob.get("resume", [])}
                if mode == "incremental" and blob.get("states") and "resume" not in blob and name != "employee_hours":
                    finished.add(name)
                if blob == {"__ab_full_refresh_sync_complete": True}:
                    complete.add(name)
            checkpointed |= {name for name, after in done.items() if after}
            retried = run_connector("read", config, catalog=chosen, state=states)
            assert retried.returncode == 0, retried.errors
            asked = requests_by_stream(sandbox, killed_calls)
            for name in STREAMS:
                after = done.get(name, {})
                # The retry asks for exactly the employees the clean read asked for, less those done before the kill.
                want = {e for e in clean_requests[name] if not (le_of[e] in after and e <= after[le_of[e]])}
                if name in finished:  # read to its end before the kill: the retry is its next incremental sync
                    want -= settled
                if name in complete:  # read to its end before the kill: nothing left for the retried attempt
                    want = set()
                assert set(asked[name]) == want, (name, kind, k)
                if name != "employee_hours":  # (one call per window of an employee there)
                    assert len(asked[name]) == len(want), (name, kind, k)  # each once
            got = {(m["record"]["stream"], key_of(m["record"]["data"], keys[m["record"]["stream"]]))
                   for run in (killed, retried) for m in run.of_type("RECORD")}
            assert clean_keys <= got, (kind, k, len(clean_keys - got))
        assert "employee_hours" in checkpointed and checkpointed - {"employee_hours"}, checkpointed


WINDOWED = ["employee_hours", "punches"]
WINDOWED_SUFFIXES = {"employee_hours": "/employeeHours", "punches": "/punches"}


def test_given_full_refresh_of_windowed_streams_when_read_to_the_end_then_complete_state_and_a_retried_attempt_asks_nothing(
        run_connector):
    """A windowed stream read to its end in full refresh says so with the CDK's state; the retried attempt of the same
    sync (another stream failed) reads it no more — not even its lookback windows — and says so once per stream."""
    with company(employees=40) as sandbox:
        catalog, config = discover(run_connector, config_of(sandbox, TODAY - timedelta(days=60), lookback_window_days=30))
        chosen = configured_catalog(catalog, WINDOWED + ["employee_pay_rates"], sync_mode="full_refresh")
        first = run_connector("read", config, catalog=chosen)
        assert first.returncode == 0, first.errors
        finals = {s["stream"]["stream_descriptor"]["name"]: s["stream"]["stream_state"] for s in last_states(first.messages)}
        assert finals == {name: {"__ab_full_refresh_sync_complete": True}
                          for name in WINDOWED + ["employee_pay_rates"]}, finals
        for name, suffix in WINDOWED_SUFFIXES.items():
            assert calls_to(sandbox, suffix), f"the first attempt read no {name}"
        since = len(data_calls(sandbox))
        retried = run_connector("read", config, catalog=chosen, state=last_states(first.messages))
        assert retried.returncode == 0, retried.errors
        for name, suffix in WINDOWED_SUFFIXES.items():
            assert calls_to(sandbox, suffix, since) == [], name
            assert retried.records(name) == [], name
            said = [line for line in retried.logs() if line.startswith(f"Stream {name} was read to its end")]
            assert len(said) == 1, (name, said)
        assert "from its first employee" in next(line for line in retried.logs() if "employee_hours was read" in line)
        assert "from its first window" in next(line for line in retried.logs() if "punches was read" in line)


def test_given_incremental_windowed_streams_when_read_to_the_end_then_they_end_with_their_saved_days():
    """Incremental syncs keep the per-legal-entity saved days (the next sync's start), never the full-refresh mark."""
    from airbyte_cdk.sources.connector_state_manager import ConnectorStateManager
    from airbyte_cdk.sources.message import InMemoryMessageRepository

    from source_paycor.streams.cursor import LegalEntityWindowCursor

    complete = {"__ab_full_refresh_sync_complete": True}
    for incremental, want_complete in ((True, False), (False, True)):
        repository = InMemoryMessageRepository()
        cursor = LegalEntityWindowCursor("punches", "displayDate", None, repository, ConnectorStateManager(), TODAY,
                                         incremental=incremental)
        cursor.ensure_at_least_one_state_emitted()
        (message,) = list(repository.consume_queue())
        assert (message.state.stream.stream_state.__dict__ == complete) is want_complete
