"""The connector's one door to dates and times, built on pendulum: every module of `source_paycor/` reads, makes,
moves and writes its days and moments through it (`unit_tests/test_dates.py` fails when another module parses one).

- A day is a `Day` (`pendulum.Date`, a subclass of `datetime.date`: it equals, hashes and orders like the standard
  library's date of the same day, so a day from a test, the CDK or an older state is the same dict key and compares
  as expected). `day(text)` reads `YYYY-MM-DD` (ValueError otherwise: a saved cursor, which may be a timestamp, is
  read as `day(text[:10])`); `day_of(value)` reads the day a Paycor value begins with (`2026-11-29T12:00:00Z` →
  2026-11-29; None when it names none); `today()` is the day in UTC; `add_days` and `days_between` count whole
  days; `day.isoformat()` writes it back (`2026-11-29`).
- A moment is a `Moment` (`pendulum.DateTime`, a `datetime.datetime`): `moment(text)` reads an ISO 8601 timestamp
  (ValueError otherwise), `now()` is the moment in UTC, `to_the_second(moment)` writes it back as
  `2026-11-29T12:00:00+00:00`.
- A length of time the connector waits or allows (a backoff, a pause after a 429, a timeout, a checkpoint
  interval, a token's early-refresh margin) is a number of seconds, in a name that says so where it is not obvious;
  `seconds(n)` turns one into a `timedelta` only where an outside interface wants that type: the CDK's `Rate`
  (the call budget's window), requests' `Response.elapsed` (a replayed answer), and the CDK OAuth authenticator's
  expiry, which is the CDK's `AirbyteDateTime` (`auth.py` keeps that type at that boundary: the CDK's
  `get_token_expiry_date`/`token_has_expired` interface is written in it). For the same reason `token_expiry`
  reads a stored expiry with the CDK's own parser: the config check accepts what the authenticator will read.

The parsers are the standard library's C parsers called on pendulum's classes (`pendulum.Date.fromisoformat`), so
a day read per employee or per partition costs well under a microsecond; days move by ordinals, not through
pendulum's `add`, for the same reason.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Optional

import pendulum
from airbyte_cdk.utils.datetime_helpers import ab_datetime_parse

Day = pendulum.Date
Moment = pendulum.DateTime

UTC = "UTC"


def day(text: str) -> Day:
    """The day `text` names, written `YYYY-MM-DD` (ValueError otherwise)."""
    return Day.fromisoformat(text)


def day_of(value: Any) -> Optional[Day]:
    """The day a value begins with — a date (`2026-11-29`) or a timestamp's first ten characters
    (`2026-11-29T12:00:00Z`); None when it names no day (None, empty, not a date)."""
    try:
        return Day.fromisoformat(str(value)[:10])
    except (TypeError, ValueError):
        return None


def today() -> Day:
    """Today in UTC."""
    return pendulum.now(UTC).date()


def add_days(start: date, days: int) -> Day:
    """The day `days` whole days after `start` (before it when negative); `start` may be any `datetime.date`."""
    return Day.fromordinal(start.toordinal() + days)


def days_between(earlier: date, later: date) -> int:
    """How many days `later` is after `earlier` (negative when it is before)."""
    return later.toordinal() - earlier.toordinal()


def moment(text: str) -> Moment:
    """The moment an ISO 8601 timestamp names (`2026-12-03T04:00:00+00:00`, `…Z`, a date alone: midnight);
    ValueError otherwise. Its offset is kept (no offset: a naive moment), so `.date()` is the day it was written in."""
    return Moment.fromisoformat(text)


def token_expiry(text: str) -> Moment:
    """The moment a stored OAuth token expires, read as the CDK's authenticator reads `token_expiry_date` (its
    `ab_datetime_parse`: ISO 8601, `2026/12/03 04:00`, epoch seconds, ...): a config passes exactly when the CDK
    can use it later. ValueError otherwise (`P1D`, `2026-337`, a time alone)."""
    return pendulum.instance(ab_datetime_parse(text))


def now() -> Moment:
    """The moment now, in UTC."""
    return pendulum.now(UTC)


def to_the_second(instant: Moment) -> str:
    """`instant` as ISO 8601 text to the second: `2026-11-29T12:00:00+00:00`."""
    return instant.replace(microsecond=0).isoformat()


def seconds(count: float) -> timedelta:
    """`count` seconds as a `timedelta`, for an interface that takes that type (see the module docstring)."""
    return timedelta(seconds=count)
