"""`source_paycor/dates.py`, the connector's one door to dates: what it reads and writes, days mixed with the
standard library's, states of the previous version read the same, and no other module parsing dates."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import time_machine
from airbyte_cdk.sources.connector_state_manager import ConnectorStateManager
from airbyte_cdk.sources.message import InMemoryMessageRepository
from airbyte_cdk.utils.datetime_helpers import ab_datetime_now

from source_paycor import dates
from source_paycor.config import ConfigError, parse_config
from source_paycor.streams.cursor import LegalEntityWindowCursor
from source_paycor.streams.employee_cursor import EmployeeCursor
from source_paycor.streams.resume import parse_resume

from .builders import config

PACKAGE = Path(__file__).resolve().parent.parent / "source_paycor"

# Date handling that belongs in dates.py only: parsing, formatting, clocks, durations, the date libraries.
DATE_HANDLING = re.compile(
    r"fromisoformat|strptime|strftime|fromtimestamp|utcnow|date\.today\(|timedelta\("
    r"|^[ \t]*(?:from|import)[ \t]+(?:datetime|pendulum|dateutil|arrow|time_machine)\b"
    r"|\bpendulum\.|datetime_helpers|ab_datetime",
    re.MULTILINE,
)
# auth.py speaks the CDK OAuth authenticator's AirbyteDateTime at that boundary (its docstring says why).
CDK_BOUNDARY = {"auth.py": {"datetime_helpers", "ab_datetime"}}


def date_handling_outside_dates(package: Path) -> list:
    found = []
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package).as_posix()
        if relative == "dates.py":
            continue
        allowed = CDK_BOUNDARY.get(relative, set())
        text = path.read_text()
        for match in DATE_HANDLING.finditer(text):
            if match.group(0).strip() in allowed:
                continue
            line = text.count("\n", 0, match.start()) + 1
            found.append(f"{relative}:{line}: {match.group(0).strip()}")
    return found


def test_no_module_but_dates_py_parses_or_makes_dates():
    assert date_handling_outside_dates(PACKAGE) == []


@pytest.mark.parametrize(
    "line",
    [
        "from datetime import date, timedelta",
        "import datetime",
        "import pendulum",
        "    import pendulum",
        "start = date.fromisoformat(text)",
        "moment = datetime.strptime(text, '%Y-%m-%d')",
        "today = pendulum.today('UTC').date()",
        "later = today + timedelta(days=1)",
        "from airbyte_cdk.utils.datetime_helpers import ab_datetime_now",
    ],
)
def test_given_a_module_parsing_dates_itself_then_the_structural_check_names_it(tmp_path, line):
    (tmp_path / "dates.py").write_text("import pendulum\nfrom datetime import timedelta\n")  # the door itself: allowed
    (tmp_path / "streams").mkdir()
    (tmp_path / "streams" / "late.py").write_text(f'"""A module."""\n\n{line}\n')
    found = date_handling_outside_dates(tmp_path)
    assert found and all(entry.startswith("streams/late.py:3: ") for entry in found)


def test_given_auth_py_then_only_the_cdk_authenticators_date_type_is_allowed_there(tmp_path):
    (tmp_path / "auth.py").write_text(
        "from airbyte_cdk.utils.datetime_helpers import AirbyteDateTime, ab_datetime_now\n"
        "margin = timedelta(minutes=5)\n"
    )
    assert date_handling_outside_dates(tmp_path) == ["auth.py:2: timedelta("]


def test_given_iso_day_text_then_the_day_and_back_the_same_text():
    parsed = dates.day("2026-11-29")
    assert parsed == date(2026, 11, 29)
    assert isinstance(parsed, dates.Day) and isinstance(parsed, date)
    assert parsed.isoformat() == str(parsed) == "2026-11-29"
    for bad in ("2026-11-29T12:00:00Z", "2026-02-30", "29/11/2026", ""):
        with pytest.raises(ValueError):
            dates.day(bad)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2026-11-29", date(2026, 11, 29)),
        ("2026-11-29T12:00:00Z", date(2026, 11, 29)),
        ("2026-11-29T23:30:00-05:00", date(2026, 11, 29)),  # the day it is written in, not UTC's
        (date(2026, 11, 29), date(2026, 11, 29)),
        (None, None),
        ("", None),
        ("n/a", None),
        ("2026-13-01", None),
    ],
)
def test_given_a_paycor_value_then_the_day_it_begins_with(value, expected):
    assert dates.day_of(value) == expected


def test_given_timestamps_then_moments_with_their_offset():
    assert dates.moment("2026-12-03T04:00:00+00:00") == datetime(2026, 12, 3, 4, tzinfo=timezone.utc)
    assert dates.moment("2026-12-03T23:30:00-05:00").date() == date(2026, 12, 3)
    assert dates.moment("2026-12-03T04:00:00.123Z") == datetime(2026, 12, 3, 4, 0, 0, 123000, tzinfo=timezone.utc)
    for bad in ("yesterday-ish", "2025-13-45T99:00:00", "P1D"):
        with pytest.raises(ValueError):
            dates.moment(bad)


def test_given_clock_late_evening_in_new_york_then_today_and_now_are_utcs():
    with time_machine.travel(datetime(2026, 11, 29, 23, 30, 15, 987654, tzinfo=timezone(timedelta(hours=-5))), tick=False):
        assert dates.today() == date(2026, 11, 30)
        assert dates.to_the_second(dates.now()) == "2026-11-30T04:30:15+00:00"


def test_days_arithmetic_across_months_years_and_leap_days():
    assert dates.add_days(date(2024, 2, 28), 1) == date(2024, 2, 29)
    assert dates.add_days(date(2026, 12, 31), 1) == date(2027, 1, 1)
    assert dates.add_days(dates.day("2026-11-29"), -364) == date(2025, 11, 30)
    assert isinstance(dates.add_days(date(2026, 1, 1), 0), dates.Day)
    assert dates.days_between(date(2026, 10, 21), dates.day("2026-11-20")) == 30
    assert dates.days_between(dates.day("2026-11-20"), date(2026, 10, 21)) == -30
    assert dates.seconds(90) == timedelta(minutes=1, seconds=30)


def test_given_days_of_both_kinds_then_they_compare_hash_and_subtract_as_one():
    """What the connector relies on when a stdlib date (a test, the CDK, Python's own arithmetic) meets a `Day`."""
    ours, theirs = dates.day("2026-11-29"), date(2026, 11, 29)
    assert ours == theirs and theirs == ours and not ours != theirs
    assert hash(ours) == hash(theirs)
    assert {theirs: "saved"}[ours] == "saved" and {ours: "saved"}[theirs] == "saved"
    pending = Counter({(theirs, date(2026, 12, 1)): 2})
    pending[(ours, dates.day("2026-12-01"))] -= 1  # a window registered as stdlib dates, delivered as Days
    assert pending == Counter({(theirs, date(2026, 12, 1)): 1})
    assert date(2026, 11, 28) < ours < date(2026, 11, 30) and ours <= theirs <= ours
    assert min(ours, date(2026, 11, 28)) == date(2026, 11, 28) and max(theirs, dates.day("2026-11-30")) == date(2026, 11, 30)
    assert sorted([dates.day("2026-12-01"), theirs, dates.day("2026-11-01")]) == [date(2026, 11, 1), theirs, date(2026, 12, 1)]
    assert date(2026, 12, 1) - ours == timedelta(days=2)
    assert f"{ours} {theirs}" == "2026-11-29 2026-11-29"


def _repository():
    return InMemoryMessageRepository()


def test_given_window_cursor_state_of_the_previous_version_then_read_the_same_and_written_back_byte_identical():
    state = {
        "states": [
            {"partition": {"legalEntityId": 501}, "cursor": {"checkDate": "2026-11-20"}},
            {"partition": {"legalEntityId": 502}, "cursor": {"checkDate": "2026-10-01T00:00:00"}},  # a timestamp's day
        ],
        "resume": [{"legalEntityId": 501, "after": "e-9", "readAt": "2026-11-28T12:00:00+00:00", "start": "2026-08-22", "end": "2026-11-28"}],
    }
    cursor = LegalEntityWindowCursor(
        "paystubs", "checkDate", state, _repository(), ConnectorStateManager([]), date(2026, 11, 29), read_at="2026-11-29T12:00:00+00:00"
    )
    assert cursor.saved(501) == date(2026, 11, 20) and cursor.saved(502) == date(2026, 10, 1)
    written = json.dumps(cursor.state, sort_keys=True)
    assert written == json.dumps(
        {
            "states": [
                {"partition": {"legalEntityId": 501}, "cursor": {"checkDate": "2026-11-20"}},
                {"partition": {"legalEntityId": 502}, "cursor": {"checkDate": "2026-10-01"}},
            ],
            "resume": [{"legalEntityId": 501, "after": "e-9", "readAt": "2026-11-28T12:00:00+00:00", "start": "2026-08-22", "end": "2026-11-28"}],
        },
        sort_keys=True,
    )
    point = parse_resume(state["resume"])[501]
    assert (point.start, point.end) == (date(2026, 8, 22), date(2026, 11, 28))


def test_given_employee_cursor_state_of_the_previous_version_then_the_previous_read_is_that_day():
    state = {"states": [{"partition": {"legalEntityId": 501}, "cursor": {"readAt": "2026-11-20T23:59:59+00:00"}}]}
    cursor = EmployeeCursor("employee_pay_rates", state, _repository(), ConnectorStateManager([]), "2026-11-29T12:00:00+00:00", incremental=True)
    assert cursor.previous_read(501) == date(2026, 11, 20)
    assert cursor.previous_read(502) is None
    assert json.dumps(cursor.state) == json.dumps(state)


@pytest.mark.parametrize(
    "expiry",
    [
        str(ab_datetime_now() + timedelta(hours=1)),  # what the CDK writes back after a refresh
        "2026-12-03 04:00:00.123456+00:00",  # what `source-paycor authorize` writes (pendulum's str)
        "2026-12-03T04:00:00.000000Z",
        "2026/12/03 04:00",  # typed by hand: the CDK's authenticator reads it, so the config check does too
        "1764734400",  # epoch seconds (the CDK reads them)
    ],
    ids=["cdk-written", "authorize-written", "iso-z", "slashes", "epoch"],  # stable ids: pytest-xdist workers agree
)
def test_given_token_expiry_as_the_connector_and_cdk_write_it_then_accepted(expiry):
    raw = config()
    raw["credentials"].update(access_token="a", token_expiry_date=expiry)
    parse_config(raw)
    assert raw["credentials"]["token_expiry_date"] == expiry


@pytest.mark.parametrize("expiry", ["P1D", "2026-337", "04:00", "soon"])
def test_given_token_expiry_the_cdk_cannot_read_then_the_config_sentence(expiry):
    raw = config()
    raw["credentials"].update(access_token="a", token_expiry_date=expiry)
    with pytest.raises(ConfigError, match="`credentials.token_expiry_date` is not a date-time"):
        parse_config(raw)


def test_given_start_date_then_a_day_and_the_config_keeps_its_text():
    raw = config()
    raw["start_date"] = " 2026-01-05 "
    assert parse_config(raw).start_date == date(2026, 1, 5)
    assert raw["start_date"] == "2026-01-05"
    raw["start_date"] = "2026-11-29"  # the frozen clock's tomorrow (builders.TODAY is 2026-11-28)
    with pytest.raises(ConfigError, match="is in the future"):
        parse_config(raw)
