"""Windowed reads on the calendar's edges: a sync on 29 February of a leap year and one on 31 December.

The read runs in this process (the CDK's `entrypoint_wrapper.read`) under a frozen clock (time-machine,
ticking from noon UTC of that day), against a sandbox whose `today` is the same day: the connector and
Paycor agree on the date without any switch in the connector. The windows requested are written out
by hand: 90 days at most each (Paycor's limit for both endpoints), the last one ending today for
`punches` and 60 days ahead for `payroll_processing` (pay runs are planned ahead).

The launcher `paycor_sandbox/on_day.py` runs a connector in a subprocess on a given day the same way: the
last tests prove it does, in the two ways it is used (the date-dependent subprocess tests, and
bench/honest_minimum.py's sync "made the day before").
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, timedelta, timezone

import pytest

from airbyte_cdk.models import SyncMode
from airbyte_cdk.test.catalog_builder import CatalogBuilder
from airbyte_cdk.test.entrypoint_wrapper import read as read_in_process

from helpers import (
    ROOT,
    RUN_TIMEOUT,
    SecretWatch,
    canonical,
    command_args,
    connector_env,
    data_calls,
    discover_and_read,
    make_runner,
    one_value,
    parse_run,
)
from paycor_sandbox import Sandbox
from paycor_sandbox.on_day import PATH as ON_DAY
from paycor_sandbox.on_day import VARIABLE as CLOCK
from paycor_sandbox.on_day import on_day
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
    with on_day(today):
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


# --- the launcher: a connector in a subprocess on the sandbox's day ---------------------------------------
LAUNCHER_DAY = date(2025, 1, 15)  # on the real clock, a 2025-01-01 start would move to one year before today


def punch_windows(sandbox: Sandbox) -> set:
    return {(call.query["startDate"][0], call.query["endDate"][0]) for call in sandbox.calls if call.path.lower().endswith("/punches")}


def test_given_the_launcher_when_a_test_on_its_day_runs_the_connector_then_it_reads_on_the_sandboxs_day(tmp_path):
    """The date-dependent subprocess tests' way: this process's clock moved to the day, `make_runner(today=...)`
    hands its reading to each connector through `paycor_sandbox/on_day.py`."""
    with on_day(LAUNCHER_DAY), Sandbox(seed=7, employees=20, today=LAUNCHER_DAY, rate_limit_per_minute=100_000) as sandbox:
        run = make_runner(tmp_path, SecretWatch(), today=LAUNCHER_DAY)
        _, read, _, _ = discover_and_read(run, {**sandbox.connector_config(), "start_date": "2025-01-01"}, ["punches"])
        windows = punch_windows(sandbox)
    assert read.returncode == 0, read.errors
    assert windows == {("2025-01-01", "2025-01-15")}
    assert read.records("punches")
    # the records were emitted on that day, at the clock's reading (noon UTC, ticking)
    emitted = {datetime.fromtimestamp(m["record"]["emitted_at"] / 1000, timezone.utc) for m in read.of_type("RECORD")}
    assert all(datetime(2025, 1, 15, 12, tzinfo=timezone.utc) <= at < datetime(2025, 1, 15, 13, tzinfo=timezone.utc) for at in emitted)


def test_given_the_launcher_and_a_day_when_the_bench_connector_reads_then_it_reads_on_that_day(tmp_path):
    """bench/honest_minimum.py's way: `PAYCOR_CLOCK=<day> python paycor_sandbox/on_day.py bench/_connector.py ...`
    from a process on the real clock. `requests_per_minute` above Paycor's 1000 shows `bench/_connector.py` ran
    (the console script refuses it)."""
    watch = SecretWatch()
    counter = iter(range(100))

    def run(command, config, catalog=None, state=None):
        watch.add_config(config)
        args = [sys.executable, str(ON_DAY), str(ROOT / "bench" / "_connector.py"),
                *command_args(tmp_path, str(next(counter)), command, config, catalog, state)]
        completed = subprocess.run(args, capture_output=True, text=True, timeout=RUN_TIMEOUT, stdin=subprocess.DEVNULL,
                                   env={**connector_env(), CLOCK: LAUNCHER_DAY.isoformat()})
        result = parse_run(command, completed)
        watch.check(result)
        return result

    with Sandbox(seed=7, employees=20, today=LAUNCHER_DAY, rate_limit_per_minute=100_000) as sandbox:
        config = {**sandbox.connector_config(), "start_date": "2025-01-01", "requests_per_minute": 1_000_000}
        _, read, _, _ = discover_and_read(run, config, ["punches"])
        windows = punch_windows(sandbox)
    assert read.returncode == 0, read.errors
    assert windows == {("2025-01-01", "2025-01-15")}
    assert read.records("punches")


PROGRAM = """import sys
from datetime import datetime, timezone
import pendulum
print(__name__, sys.argv[1:], sys.path[0], datetime.now(timezone.utc).isoformat(), pendulum.today("UTC").date().isoformat())
sys.exit(3)
"""


@pytest.mark.parametrize("clock, starts_at", [
    ("2025-01-15", datetime(2025, 1, 15, 12, tzinfo=timezone.utc)),  # a day: its noon UTC
    ("2024-02-29T06:30:00+00:00", datetime(2024, 2, 29, 6, 30, tzinfo=timezone.utc)),  # an instant: there
    (None, None),  # unset: the real clock
])
def test_given_the_launcher_then_it_runs_the_program_as_python_would_on_the_clock_given(tmp_path, clock, starts_at):
    program = tmp_path / "program.py"
    program.write_text(PROGRAM)
    env = {key: value for key, value in connector_env().items() if key != CLOCK}
    if clock is not None:
        env[CLOCK] = clock
    done = subprocess.run([sys.executable, str(ON_DAY), str(program), "a", "--b"], capture_output=True, text=True, env=env, timeout=60)
    real_now = datetime.now(timezone.utc)
    assert done.returncode == 3, done.stderr
    name, args, path, now, today = done.stdout.replace("['a', '--b']", "args").split()
    assert (name, args, path) == ("__main__", "args", str(tmp_path))
    now = datetime.fromisoformat(now)
    if starts_at is None:
        assert abs(now - real_now) < timedelta(minutes=1), now
    else:
        assert starts_at <= now < starts_at + timedelta(minutes=1), now  # ticking from there
    assert today == now.date().isoformat()
