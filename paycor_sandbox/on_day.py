"""A program run on the sandbox's day: its clock moved to that day (time-machine, ticking), nothing else changed.

    PAYCOR_CLOCK=2026-11-29 python paycor_sandbox/on_day.py PROGRAM [ARGS...]

runs the Python file PROGRAM (the `source-paycor` console script, or `bench/_connector.py`; a name is looked up
on PATH) as `python PROGRAM ARGS...` would: as `__main__`, with `sys.argv` = [PROGRAM, ARGS...] and its folder first
on `sys.path`. Every clock that tells the date (`time.time`, `datetime.now`, `pendulum.today`, ...) starts at

- noon UTC of the day, when `PAYCOR_CLOCK` is a day (YYYY-MM-DD): twelve hours either side, a run never crosses
  midnight (bench/honest_minimum.py's sync "made the day before");
- that instant, when `PAYCOR_CLOCK` is one (ISO 8601 with its UTC offset): a test that moved its own clock
  (`on_day`) hands its reading to each connector it starts, so that the sandbox, the in-process runs and the
  subprocess runs share one timeline (tokens expire on it),

and ticks from there, so timeouts, budgets and token lifetimes behave as usual (monotonic clocks are not moved).
Without `PAYCOR_CLOCK`, PROGRAM runs on the real clock. The connector has no switch for any of this: its clock
is moved from outside (STYLE.md, lesson 6).

Run it by its path, not with `-m`: the sandbox package (~0.7 s of imports) stays out of the program's process.
In a test's own process, `on_day(day)` moves the clock the same way.
"""

from __future__ import annotations

import os
import runpy
import shutil
import sys
from datetime import date, datetime, time, timezone
from pathlib import Path
from typing import List, Union

import time_machine

PATH = Path(__file__).resolve()
VARIABLE = "PAYCOR_CLOCK"


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=timezone.utc)


def on_day(at: Union[date, datetime]) -> time_machine.travel:
    """A context manager: this process's clock at `at` (a day: its noon UTC), ticking."""
    return time_machine.travel(at if isinstance(at, datetime) else noon(at), tick=True)


def reading(text: str) -> Union[date, datetime]:
    """`PAYCOR_CLOCK`'s value: a day, or an instant with its UTC offset."""
    text = text.strip()
    try:
        at: Union[date, datetime] = date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
    except ValueError:
        raise SystemExit(f"{VARIABLE}={text!r} is neither a day (YYYY-MM-DD) nor an ISO 8601 instant") from None
    if isinstance(at, datetime) and at.tzinfo is None:
        raise SystemExit(f"{VARIABLE}={text!r}: an instant needs its UTC offset, such as +00:00")
    return at


def main(argv: List[str]) -> None:
    if not argv:
        raise SystemExit(f"usage: [{VARIABLE}=YYYY-MM-DD] python {PATH.name} PROGRAM [ARGS...]")
    program = argv[0] if os.path.isfile(argv[0]) else shutil.which(argv[0])
    if program is None:
        raise SystemExit(f"{argv[0]}: no such file, and no such program on PATH")
    sys.argv = [program, *argv[1:]]
    sys.path[0] = os.path.dirname(os.path.abspath(program))
    setting = os.environ.get(VARIABLE, "")
    if not setting.strip():
        runpy.run_path(program, run_name="__main__")
        return
    with on_day(reading(setting)):
        runpy.run_path(program, run_name="__main__")


if __name__ == "__main__":
    main(sys.argv[1:])
