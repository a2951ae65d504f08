"""`source-paycor` with its clock frozen at a given day (a test's launcher, not part of the connector).

    python integration_tests/frozen_connector.py 2026-11-29 read --config ... --catalog ...

Date-dependent integration tests run the connector through this launcher, with the sandbox's `today` set to
the same day, so their windows, start dates and states do not depend on the day the suite runs. The clock
ticks from noon UTC of that day (time-machine), so timeouts, budgets and token lifetimes behave as usual.
"""

from __future__ import annotations

import sys
from datetime import date, datetime, time, timezone

import time_machine


def main() -> None:
    day = date.fromisoformat(sys.argv[1])
    with time_machine.travel(datetime.combine(day, time(12), tzinfo=timezone.utc), tick=True):
        from source_paycor.run import run

        run(sys.argv[2:])


if __name__ == "__main__":
    main()
