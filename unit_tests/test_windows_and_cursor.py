"""Date windows, where a sync starts, and the per-legal-entity cursor — by example and by property."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from airbyte_cdk.sources.connector_state_manager import ConnectorStateManager
from airbyte_cdk.sources.message import InMemoryMessageRepository

from source_paycor.config import ConfigError
from source_paycor.streams.cursor import WINDOW_END, WINDOW_START, LegalEntityWindowCursor
from source_paycor.streams.windows import MAX_DAYS_BACK, sync_start, windows

from .builders import TODAY  # the frozen clock's day


@given(
    start=st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 1, 1)),
    length=st.integers(min_value=0, max_value=800),
    max_days=st.integers(min_value=1, max_value=120),
)
def test_property_windows_cover_the_range_exactly_without_overlap_or_oversize(start, length, max_days):
    end = start + timedelta(days=length)
    result = windows(start, end, max_days)
    assert result[0][0] == start and result[-1][1] == end
    for (a, b), (c, _) in zip(result, result[1:]):
        assert c == b + timedelta(days=1)
    assert all((b - a).days + 1 <= max_days for a, b in result)


@given(
    start_date=st.one_of(st.none(), st.dates(min_value=date(2020, 1, 1), max_value=TODAY)),
    saved=st.one_of(st.none(), st.dates(min_value=date(2020, 1, 1), max_value=TODAY)),
    lookback=st.integers(min_value=0, max_value=364),
)
def test_property_sync_start_respects_paycors_rules(start_date, saved, lookback):
    start, clamped = sync_start(TODAY, start_date, saved, lookback)
    assert TODAY - timedelta(days=MAX_DAYS_BACK) <= start <= TODAY  # never more than a year back, never future
    floor = TODAY - timedelta(days=MAX_DAYS_BACK)
    if saved is not None:
        # the lookback before the saved day (never skipping it), unless the user moved start_date later
        wanted = max(saved - timedelta(days=lookback), start_date or date.min)
    else:
        wanted = start_date or floor
    assert start == max(min(wanted, TODAY), floor)
    assert clamped == (min(wanted, TODAY) < floor)


def test_given_old_start_date_then_clamped_to_a_year_back():
    assert sync_start(TODAY, date(2020, 1, 1), None, 30) == (TODAY - timedelta(days=364), True)
    assert sync_start(TODAY, date(2026, 1, 1), None, 30) == (date(2026, 1, 1), False)
    assert sync_start(TODAY, None, date(2026, 11, 20), 30) == (date(2026, 10, 21), False)
    assert sync_start(TODAY, date(2026, 11, 1), date(2026, 11, 20), 30) == (date(2026, 11, 1), False)


class FakePartition:
    def __init__(self, le, start, end, employee=None):
        self._slice = {"legalEntityId": le, WINDOW_START: start.isoformat(), WINDOW_END: end.isoformat()}
        if employee is not None:
            self._slice["employeeId"] = employee

    def to_slice(self):
        return self._slice


def cursor(state=None):
    repository = InMemoryMessageRepository()
    return LegalEntityWindowCursor("punches", "displayDate", state, repository, ConnectorStateManager(), TODAY), repository


def saved_dates(repository):
    messages = list(repository.consume_queue())
    return [
        {s["partition"]["legalEntityId"]: s["cursor"]["displayDate"] for s in m.state.stream.stream_state.__dict__["states"]}
        for m in messages
    ]


def test_given_windows_closing_out_of_order_then_state_moves_only_over_contiguous_finished_windows():
    c, repository = cursor()
    w = [(date(2026, 6, 1), date(2026, 8, 29)), (date(2026, 8, 30), date(2026, 11, 27)), (date(2026, 11, 28), date(2026, 11, 28))]
    for start, end in w:
        c.register(1, start, end)
    c.delivered(FakePartition(1, *w[1]))
    assert c.state == {"states": []}
    c.delivered(FakePartition(1, *w[0]))
    assert c.state["states"] == [{"partition": {"legalEntityId": 1}, "cursor": {"displayDate": "2026-11-27"}}]
    c.delivered(FakePartition(1, *w[2]))
    assert c.state["states"][0]["cursor"]["displayDate"] == "2026-11-28"
    assert len(list(repository.consume_queue())) == 2  # one state message per advance


def test_given_saved_state_and_lookback_then_state_never_moves_back():
    c, _ = cursor({"states": [{"partition": {"legalEntityId": 1}, "cursor": {"displayDate": "2026-11-20"}}]})
    assert c.saved(1) == date(2026, 11, 20)
    c.register(1, date(2026, 10, 21), date(2026, 11, 1))
    c.register(1, date(2026, 11, 2), date(2026, 11, 28))
    c.delivered(FakePartition(1, date(2026, 10, 21), date(2026, 11, 1)))
    assert c.state["states"][0]["cursor"]["displayDate"] == "2026-11-20"
    c.delivered(FakePartition(1, date(2026, 11, 2), date(2026, 11, 28)))
    assert c.state["states"][0]["cursor"]["displayDate"] == "2026-11-28"


def test_given_window_into_the_future_then_state_stops_at_today():
    c, _ = cursor()
    c.register(1, date(2026, 11, 1), date(2027, 1, 27))
    c.delivered(FakePartition(1, date(2026, 11, 1), date(2027, 1, 27)))
    assert c.state["states"][0]["cursor"]["displayDate"] == TODAY.isoformat()


@pytest.mark.parametrize(
    "state",
    [
        {"displayDate": "2026-01-01"},
        {"states": "x"},
        {"states": [{"partition": {}, "cursor": {"displayDate": "2026-01-01"}}]},
        {"states": [{"partition": {"legalEntityId": "abc"}, "cursor": {"displayDate": "2026-01-01"}}]},
        {"states": [{"partition": {"legalEntityId": 1}, "cursor": {"checkDate": "2026-01-01"}}]},
        {"states": [{"partition": {"legalEntityId": 1}, "cursor": {"displayDate": "yesterday"}}]},
    ],
)
def test_given_foreign_or_malformed_state_then_config_error_naming_the_stream(state):
    with pytest.raises(ConfigError) as error:
        cursor(state)
    assert "The saved state of stream punches is not one this connector wrote" in error.value.message


@settings(max_examples=60)
@given(order=st.permutations(list(range(6))), cut=st.integers(min_value=0, max_value=6))
def test_property_any_close_order_never_saves_past_an_unfinished_window(order, cut):
    c, _ = cursor()
    starts = [date(2026, 1, 1) + timedelta(days=30 * i) for i in range(6)]
    ranges = [(s, s + timedelta(days=29)) for s in starts]
    for r in ranges:
        c.register(7, *r)
    finished = set(order[:cut])
    for i in order[:cut]:
        c.delivered(FakePartition(7, *ranges[i]))
    states = c.state["states"]
    first_unfinished = next((i for i in range(6) if i not in finished), None)
    if not states:
        assert first_unfinished == 0
        return
    saved = date.fromisoformat(states[0]["cursor"]["displayDate"])
    if first_unfinished is not None:
        assert saved < ranges[first_unfinished][0]
    assert all(ranges[i][1] <= saved for i in range(first_unfinished if first_unfinished is not None else 6))


def test_given_window_registered_for_several_fan_out_rows_then_state_waits_for_every_delivery():
    c, _ = cursor()
    first, second = (date(2026, 10, 1), date(2026, 10, 31)), (date(2026, 11, 1), date(2026, 11, 28))
    c.register(1, *first, times=3)
    c.register(1, *second, times=3)
    for _ in range(2):
        c.delivered(FakePartition(1, *first))
    assert c.state == {"states": []}
    c.delivered(FakePartition(1, *first))
    assert c.state["states"][0]["cursor"]["displayDate"] == "2026-10-31"
    for _ in range(3):
        c.delivered(FakePartition(1, *second))
    assert c.state["states"][0]["cursor"]["displayDate"] == "2026-11-28"


class _Directory:
    def __init__(self, *entities):
        self._entities = entities

    def legal_entities(self):
        return self._entities


class _Shared:
    def __init__(self, employees):
        self._employees = employees

    def records(self, parent, legal_entity_id, since=None):
        return [{"performTime": True}] if parent == "services" else self._employees


def _employee_hours(employees, state=None):
    from source_paycor.config import parse_config
    from source_paycor.streams.base import PaycorStream
    from source_paycor.streams.catalog import STREAMS
    from source_paycor.streams.context import SyncContext
    from source_paycor.streams.directory import ActivatedLegalEntity

    from .builders import config

    repository = InMemoryMessageRepository()
    context = SyncContext(parse_config(config(start_date="2026-06-01")), None, None, TODAY, repository)
    context.directory = _Directory(ActivatedLegalEntity(11, 22))
    context.parent_rows = _Shared([{"id": f"e{i}"} for i in range(employees)])
    stream = PaycorStream(next(spec for spec in STREAMS if spec.name == "employee_hours"), context)
    stream.window_cursor, _ = cursor(state)
    return stream, repository


def test_given_fan_out_with_windows_then_calls_planned_logged_and_slices_go_employee_by_employee(caplog):
    stream, repository = _employee_hours(3)
    slices = list(stream.stream_slices())
    # The calls go in a log line; no ESTIMATE trace: its row_estimate counts rows, unknown before the calls.
    assert not [m for m in repository.consume_queue() if m.trace and m.trace.estimate]
    planned = [r.getMessage() for r in caplog.records if "calls planned" in r.getMessage()]
    assert planned == [f"Stream employee_hours: {len(slices)} calls planned, one per slice (pages beyond a slice's first come on top)."]
    starts = list(dict.fromkeys(s[WINDOW_START] for s in slices))
    assert len(slices) == 3 * len(starts) and len(starts) >= 5
    # Employees in id order, each with all its windows (in date order): a read resumes after the last employee done.
    n = len(starts)
    assert [s["employeeId"] for s in slices] == ["e0"] * n + ["e1"] * n + ["e2"] * n
    assert [s[WINDOW_START] for s in slices[:n]] == starts
    # The first employee's windows delivered: the resume point moves after it; no window is read for every employee,
    # so the saved date stays.
    for piece in slices[:n]:
        stream.window_cursor.delivered(FakePartition(11, date.fromisoformat(piece[WINDOW_START]), date.fromisoformat(piece[WINDOW_END]), "e0"))
    state = stream.window_cursor.state
    assert state["states"] == []
    assert [(entry["legalEntityId"], entry["after"], entry["start"], entry["end"]) for entry in state["resume"]] == [
        (11, "e0", slices[0][WINDOW_START], slices[n - 1][WINDOW_END])
    ]


def test_given_large_fan_out_then_slices_are_made_lazily_not_listed_up_front():
    import tracemalloc

    stream, _ = _employee_hours(20_000)
    tracemalloc.start()
    slices = stream.stream_slices()
    next(iter(slices))
    _, peak_first = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    everything = list(slices)
    _, peak_all = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(everything) > 100_000
    assert peak_first * 4 < peak_all  # planning holds the employee rows, not employees × windows slices
