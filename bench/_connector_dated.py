"""Benchmark-only entry point: `bench/_connector.py` with the connector's clock set to `PAYCOR_BENCH_TODAY`.

The connector takes its sync day from `pendulum.today("UTC")`; a sync "made the day before" (issue 12's
daily incremental sync, state from the day before) needs that day moved back. With `PAYCOR_BENCH_TODAY`
(YYYY-MM-DD) set, `pendulum.today` answers that day (midnight, in the zone asked); unset, nothing changes.
"""

import os
import runpy
from pathlib import Path

import pendulum

_day = os.environ.get("PAYCOR_BENCH_TODAY")
if _day:
    _fixed = pendulum.parse(_day)

    def _today(tz: str = "local") -> pendulum.DateTime:
        return pendulum.datetime(_fixed.year, _fixed.month, _fixed.day, tz=tz)

    pendulum.today = _today

runpy.run_path(str(Path(__file__).resolve().parent / "_connector.py"), run_name="__main__")
