"""The honest minimum's rules for per-employee reads (bench/honest_minimum.py, rules 9–11), on hand-made employees:
the windows within employment and who is read in an incremental sync, with the expected windows stated here."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
for _path in (str(ROOT), str(ROOT / "bench")):
    if _path not in sys.path:
        sys.path.insert(0, _path)

import paycor_rules as rules  # noqa: E402
from honest_minimum import Employment, Minimum  # noqa: E402

TODAY = date(2026, 12, 4)  # a first sync reads 2025-12-05 .. 2026-12-04 (364 days back)
HOURS = rules.by_stream()["employee_hours"]  # 31-day windows, within employment


def employee(hire=None, termination=None, rehire=None) -> Employment:
    return Employment({"employmentDateData": {"hireDate": hire and f"{hire}T00:00:00Z", "terminationDate": termination,
                                              "reHireDate": rehire}})


def minimum(previous_day=None) -> Minimum:
    computed = Minimum.__new__(Minimum)  # the window arithmetic needs no sandbox
    computed.today, computed.previous_day, computed.grace = TODAY, previous_day, 90
    return computed


def d(text: str) -> date:
    return date.fromisoformat(text)


@pytest.mark.parametrize(
    "who, expected",
    [
        # hired within the year: from the hire date, in 31-day windows
        (employee("2026-11-01"), [("2026-11-01", "2026-12-01"), ("2026-12-02", "2026-12-04")]),
        # terminated 2026-01-10: until 2026-04-10 (+ 90 days of grace)
        (employee("2019-03-01", "2026-01-10"), [("2025-12-05", "2026-01-04"), ("2026-01-05", "2026-02-04"),
                                                ("2026-02-05", "2026-03-07"), ("2026-03-08", "2026-04-07"),
                                                ("2026-04-08", "2026-04-10")]),
        # terminated long ago: no window
        (employee("2015-01-01", "2020-06-30"), []),
        # rehired: the first span ended 2025-04-01 (before the range), the second starts on the rehire date
        (employee("2020-01-01", "2025-01-01", "2026-10-20"), [("2026-10-20", "2026-11-19"), ("2026-11-20", "2026-12-04")]),
    ],
)
def test_given_an_employee_when_first_sync_then_windows_only_within_employment_plus_grace(who, expected):
    assert minimum().windows(HOURS, who) == [(d(lo), d(hi)) for lo, hi in expected]


def test_given_an_employee_without_hire_date_then_every_window_of_the_range():
    windows = minimum().windows(HOURS, employee(None, "2026-01-10"))
    assert windows[0] == (d("2025-12-05"), d("2026-01-04")) and windows[-1][1] == TODAY and len(windows) == 12


def test_given_an_incremental_sync_then_windows_start_on_the_previous_sync_day_zero_lookback():
    assert minimum(d("2026-12-03")).windows(HOURS, employee("2010-05-05")) == [(d("2026-12-03"), TODAY)]


@pytest.mark.parametrize(
    "who, read",
    [
        (employee("2010-05-05"), True),  # active
        (employee("2010-05-05", "2026-09-04"), True),  # terminated 90 days before the previous sync (2026-12-03)
        (employee("2010-05-05", "2026-09-03"), False),  # 91 days before
        (employee("2010-05-05", "2019-09-03", "2021-01-04"), True),  # rehired after the termination
        (employee("2010-05-05", "2021-01-04", "2019-09-03"), False),  # an older rehire date: still terminated
    ],
)
def test_given_an_incremental_sync_then_only_employees_terminated_over_grace_days_before_the_previous_sync_are_skipped(who, read):
    assert who.read_in_incremental(d("2026-12-03"), 90) is read
