"""Employment spans, resume points and the per-employee cursor (issue 18), on hand-made employees and partitions.

Expected values are written out here from the rules of docs/paycor.md ("Supported sync modes"), not computed by
the code under test.
"""

from __future__ import annotations

import logging
from datetime import date

import pytest
from airbyte_cdk.sources.connector_state_manager import ConnectorStateManager
from airbyte_cdk.sources.message import InMemoryMessageRepository

from source_paycor.streams import resume
from source_paycor.streams.employee_cursor import EmployeeCursor
from source_paycor.streams.employment import Employment
from source_paycor.streams.resume import FanOutProgress, parse_resume
from source_paycor.streams.windows import lookback_within_windows

READ_AT = "2026-12-04T06:00:00+00:00"


def employee(hire=None, termination=None, rehire=None):
    return {"id": "e", "employmentDateData": {"hireDate": hire, "terminationDate": termination, "reHireDate": rehire}}


# --- employment spans -----------------------------------------------------------------------------------------
def test_given_employee_dates_then_span_runs_from_hire_to_termination_plus_grace():
    job = Employment.of(employee("2020-03-01T00:00:00Z", "2026-06-30T00:00:00Z"))
    assert job == Employment(date(2020, 3, 1), date(2026, 6, 30))
    # 90 days of grace: the last day is 2026-09-28.
    assert job.overlaps(date(2026, 9, 28), date(2026, 10, 28), 90)
    assert not job.overlaps(date(2026, 9, 29), date(2026, 10, 29), 90)
    assert job.overlaps(date(2020, 2, 1), date(2020, 3, 1), 90)
    assert not job.overlaps(date(2020, 1, 30), date(2020, 2, 29), 90)
    # Settled for a previous sync on 2026-09-29 (91 days after the termination), not on 2026-09-28.
    assert not job.settled_before(date(2026, 9, 28), 90) and job.settled_before(date(2026, 9, 29), 90)


def test_given_rehire_after_termination_then_employed_again_and_never_settled():
    job = Employment.of(employee("2015-01-01", "2018-05-01", "2026-11-01"))
    assert job.terminated is None
    assert job.overlaps(date(2030, 1, 1), date(2030, 1, 31), 0) and not job.settled_before(date(2040, 1, 1), 0)
    # A rehire date before the termination is an earlier rehire: the termination stands.
    assert Employment.of(employee("2015-01-01", "2018-05-01", "2016-01-01")).terminated == date(2018, 5, 1)


@pytest.mark.parametrize("record", [{}, {"employmentDateData": None}, employee(None, None), employee("soon", "later")])
def test_given_missing_or_unreadable_dates_then_no_bound_either_side(record):
    job = Employment.of(record)
    assert job == Employment(None, None)
    assert job.overlaps(date(1990, 1, 1), date(1990, 1, 2), 0) and not job.settled_before(date(2999, 1, 1), 0)


# --- the lookback within the windows the new days need ---------------------------------------------------------
@pytest.mark.parametrize(
    "start, saved, end, max_days, expected",
    [
        # Daily sync, 31-day windows, 30-day lookback: one window (2026-11-04 .. 2026-12-04), lookback 29 days.
        (date(2026, 11, 3), date(2026, 12, 3), date(2026, 12, 4), 31, date(2026, 11, 4)),
        # 90-day windows: the whole lookback fits in the one window the new day needs.
        (date(2026, 11, 3), date(2026, 12, 3), date(2026, 12, 4), 90, date(2026, 11, 3)),
        # 40 new days need two 31-day windows (62 days): the lookback keeps 22 of its 30 days.
        (date(2026, 9, 25), date(2026, 10, 25), date(2026, 12, 4), 31, date(2026, 10, 4)),
        # No saved day (first sync): the start stays.
        (date(2025, 12, 5), None, date(2026, 12, 4), 31, date(2025, 12, 5)),
        # Saved today, nothing new: the re-read still costs one window, the lookback fits in it.
        (date(2026, 11, 4), date(2026, 12, 4), date(2026, 12, 4), 31, date(2026, 11, 4)),
    ],
)
def test_lookback_is_shortened_only_where_it_would_cost_a_window(start, saved, end, max_days, expected):
    assert lookback_within_windows(start, saved, end, max_days) == expected


# --- resume points ------------------------------------------------------------------------------------------
def test_given_partitions_delivered_out_of_order_then_position_moves_over_the_contiguous_done_prefix(monkeypatch):
    monkeypatch.setattr(resume, "CHECKPOINT_EMPLOYEES", 2)
    progress = FanOutProgress({}, READ_AT)
    # b has no window within its employment: done at once; c has two windows.
    progress.plan(7, [("a", 1), ("b", 0), ("c", 2), ("d", 1)])
    assert progress.state() == []
    assert progress.delivered(7, "d") is False  # a is still being read
    assert progress.delivered(7, "c") is False
    assert progress.delivered(7, "a") is True  # a and b done: moved over two
    assert progress.state() == [{"legalEntityId": 7, "after": "b", "readAt": READ_AT}]
    assert progress.delivered(7, "c") is True  # the legal entity is done: always a checkpoint
    assert progress.state() == [{"legalEntityId": 7, "after": "d", "readAt": READ_AT}]
    assert progress.finished() == [(7, READ_AT)]
    assert progress.state(final=True) == []
    assert progress.delivered(8, "a") is False and progress.delivered(7, "zz") is False  # unknown: ignored


def test_given_resume_point_then_the_position_starts_there_and_the_first_read_time_is_kept():
    earlier = "2026-12-03T06:00:00+00:00"
    progress = FanOutProgress(parse_resume([{"legalEntityId": 7, "after": "b", "readAt": earlier}]), READ_AT)
    assert progress.resume_point(7).after == "b"
    # Not planned yet (e.g. the stream stopped before reaching it): the entry is kept as it was.
    assert progress.state() == [{"legalEntityId": 7, "after": "b", "readAt": earlier}]
    progress.plan(7, [("c", 1)])
    assert progress.state() == [{"legalEntityId": 7, "after": "b", "readAt": earlier}]
    progress.delivered(7, "c")
    assert progress.finished() == [(7, earlier)]


@pytest.mark.parametrize(
    "entries",
    ["b", [{"after": "b", "readAt": READ_AT}], [{"legalEntityId": "x", "after": "b", "readAt": READ_AT}],
     [{"legalEntityId": 7, "after": "b", "readAt": READ_AT, "start": "soon", "end": "2026-01-01"}], [None]],
)
def test_given_resume_entries_not_written_by_this_version_then_none(entries):
    assert parse_resume(entries) is None


# --- the per-employee cursor ------------------------------------------------------------------------------------
def make_cursor(state, incremental=True):
    repository = InMemoryMessageRepository()
    cursor = EmployeeCursor("employee_pay_rates", state, repository, ConnectorStateManager(), READ_AT, incremental)
    return cursor, repository


def emitted(repository):
    return [m.state.stream.stream_state.__dict__ for m in repository.consume_queue() if m.state is not None]


def test_given_full_refresh_read_to_its_end_then_final_state_is_the_cdk_resumable_full_refresh_one():
    cursor, repository = make_cursor({"states": [{"partition": {"legalEntityId": 7}, "cursor": {"readAt": READ_AT}}]},
                                     incremental=False)
    assert cursor.previous_read(7) is None  # full refresh reads everyone, whatever the state
    cursor.progress.plan(7, [("a", 0)])
    cursor.ensure_at_least_one_state_emitted()
    assert emitted(repository) == [{"__ab_full_refresh_sync_complete": True}]
    # As in the CDK, a read started with that state (a retried attempt) has nothing left to read, and says it is
    # complete again; the platform clears the state for the next sync.
    again, repository = make_cursor({"__ab_full_refresh_sync_complete": True}, incremental=False)
    assert again.complete and again.progress.resume_point(7) is None
    again.ensure_at_least_one_state_emitted()
    assert emitted(repository) == [{"__ab_full_refresh_sync_complete": True}]
    assert not make_cursor({}, incremental=False)[0].complete
    assert not make_cursor({"__ab_full_refresh_sync_complete": True}, incremental=True)[0].complete


def test_given_incremental_read_to_its_end_then_each_finished_legal_entity_saves_when_its_read_began():
    previous = "2026-11-20T06:00:00+00:00"
    cursor, repository = make_cursor(
        {"states": [{"partition": {"legalEntityId": 7}, "cursor": {"readAt": previous}},
                    {"partition": {"legalEntityId": 9}, "cursor": {"readAt": previous}}]})
    assert cursor.previous_read(7) == date(2026, 11, 20)
    cursor.progress.plan(7, [("a", 0)])  # 9 not read this time (e.g. left out of legal_entity_ids)
    cursor.ensure_at_least_one_state_emitted()
    assert emitted(repository) == [{"states": [
        {"partition": {"legalEntityId": 7}, "cursor": {"readAt": READ_AT}},
        {"partition": {"legalEntityId": 9}, "cursor": {"readAt": previous}},
    ]}]


@pytest.mark.parametrize("state", [{"updated_at": "2024-01-01"}, {"states": "x"},
                                   {"states": [{"partition": {"legalEntityId": 7}, "cursor": {"readAt": "soon"}}]},
                                   {"resume": {"7": "b"}}])
def test_given_state_of_an_older_version_or_another_connector_then_read_from_the_first_employee_said_once(state, caplog):
    with caplog.at_level(logging.WARNING, logger="airbyte"):
        cursor, _ = make_cursor(state)
    assert cursor.previous_read(7) is None and cursor.progress.resume_point(7) is None
    assert [r.message for r in caplog.records if "not one this version wrote" in r.message] == [
        "Stream employee_pay_rates: its saved state is not one this version wrote; the stream is read from its first "
        "employee (every employee, as in a first sync)."
    ]
