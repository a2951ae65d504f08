"""Date windows for Paycor's date-range endpoints, and where a sync starts.

Paycor's rules (from its documents): a call covers at most N days (90 for most endpoints), its start
is no more than a year back and not in the future.
"""

from __future__ import annotations

from typing import List, Optional, Tuple

from ..dates import Day, add_days

# Paycor refuses starts "more than one year ago"; a day of margin keeps clocks of both sides apart.
MAX_DAYS_BACK = 364


def earliest_start(today: Day) -> Day:
    return add_days(today, -MAX_DAYS_BACK)


def sync_start(today: Day, start_date: Optional[Day], saved: Optional[Day], lookback_days: int) -> Tuple[Day, bool]:
    """The first day to read, and whether it was clamped to Paycor's one-year limit.

    With a saved cursor the sync re-reads `lookback_days` before it (recent rows change: approvals,
    corrections); without one it starts at `start_date`, or as far back as Paycor allows.
    """
    floor = earliest_start(today)
    if saved is not None:
        wanted = add_days(saved, -lookback_days)
        if start_date is not None:
            wanted = max(wanted, start_date)
    else:
        wanted = start_date if start_date is not None else floor
    wanted = min(wanted, today)
    return (floor, True) if wanted < floor else (wanted, False)


def windows(start: Day, end: Day, max_days: int) -> List[Tuple[Day, Day]]:
    """Consecutive inclusive windows covering start..end, each at most `max_days` days long."""
    if max_days < 1:
        raise ValueError("max_days must be at least 1")
    result = []
    while start <= end:
        stop = min(add_days(start, max_days - 1), end)
        result.append((start, stop))
        start = add_days(stop, 1)
    return result


def lookback_within_windows(start: Day, saved: Optional[Day], end: Day, max_days: int) -> Day:
    """`start` moved later, if need be, so that the lookback before `saved` costs no window of its own.

    An incremental sync needs the windows that cover the new days (after `saved`, the last day read); the
    lookback re-reads days before it in those same calls. Where the whole lookback would need one window more,
    it is shortened to what fits: e.g. 31-day windows, read daily with a 30-day lookback, cost one call, not two.
    """
    if saved is None or start > saved:
        return start
    needed = len(windows(min(add_days(saved, 1), end), end, max_days)) or 1
    return max(start, add_days(end, -(needed * max_days - 1)))
