"""One call budget for the whole sync: every stream, thread and token refresh draws from it.

A moving window of `requests_per_minute` calls (the CDK's `MovingWindowCallRatePolicy`). The window is
a little longer than Paycor's minute (`WINDOW_SLACK_SECONDS`): calls reach Paycor a few milliseconds after
they leave, and a window of exactly 60 s on both sides would let the 1001st call land inside Paycor's
minute.

A 429 means the subscription key's limit is spent (other applications may share the key), so every
thread waits Paycor's `Retry-After` (or the body's "Try again in N seconds", else 60 s). Then one call
probes alone; the others follow as soon as the probe's own answer comes and is not a 429, or wait another
round if it is. Only the probe's answer ends the probe: not a replayed answer (one marked `from_cache`, the
CDK's mark for an answer no call brought), nor a straggler sent before the 429. No thread waits longer than
Paycor asked, and refused calls do not pile up. The budget knows no cache: a replayed answer asks it no slot.

Every wait here is bounded: a pause by the `Retry-After` it was given; the wait for a probe by
`PROBE_PATIENCE` (a probe whose connection failed sends no answer; then the next call probes); the wait
for a slot of the moving window by the window itself (a slot frees as the oldest call leaves it). Rounds
of 429s end with the call: the CDK retries a call a bounded number of times, then the sync fails.
"""

from __future__ import annotations

import threading
import time
import weakref
from typing import Any, Optional

import requests
from airbyte_cdk.sources.streams.call_rate import APIBudget, MovingWindowCallRatePolicy, Rate

from .dates import seconds
from .errors import rate_limit_wait

MINUTE_SECONDS = 60
WINDOW_SLACK_SECONDS = 1
# What the moving window records per call. The CDK's policy keeps the item it is given for the whole window;
# given the request, it would hold every request of the last minute (headers, URL, cookies) in memory.
CALL_ITEM = "paycor call"
# The mark of an answer replayed from a cache, not brought by a call (the CDK reads the same attribute).
REPLAYED = "from_cache"
# A probe that never answers (its connection failed) stops blocking the others after this long.
PROBE_PATIENCE = 30.0


class PaycorBudget(APIBudget):
    def __init__(self, requests_per_minute: int) -> None:
        rate = Rate(limit=requests_per_minute, interval=seconds(MINUTE_SECONDS + WINDOW_SLACK_SECONDS))
        super().__init__(policies=[MovingWindowCallRatePolicy(rates=[rate], matchers=[])])
        self._resume_at = 0.0
        self._probing = False  # after a 429: one call at a time until one succeeds
        self._probe_out = False
        self._probe_sent = 0.0
        # The probe's request (weakly: the budget keeps no request alive), whose own answer ends the probe.
        self._probe: Optional[weakref.ref] = None
        self._changed = threading.Condition()

    def acquire_call(self, request: Any, block: bool = True, timeout: Optional[float] = None) -> None:
        with self._changed:
            while True:
                wait = self._resume_at - time.monotonic()
                if wait > 0:
                    self._changed.wait(wait)
                    continue
                if self._probing and self._probe_out and time.monotonic() - self._probe_sent < PROBE_PATIENCE:
                    self._changed.wait(1.0)
                    continue
                if self._probing:
                    self._probe_out = True
                    self._probe_sent = time.monotonic()
                    self._probe = _weak(request)
                break
        super().acquire_call(CALL_ITEM, block=block, timeout=timeout)

    def update_from_response(self, request: Any, response: Any) -> None:
        if not isinstance(response, requests.Response):
            return
        if getattr(response, REPLAYED, False):
            # No call reached Paycor: the answer says nothing of the limit. A probe answered so frees its place.
            with self._changed:
                if self._is_probe(request):
                    self._probe_out, self._probe = False, None
                    self._changed.notify_all()
            return
        if response.status_code == 429:
            self.pause(rate_limit_wait(response))
            return
        with self._changed:
            if self._probing and self._is_probe(request):
                self._probing = self._probe_out = False
                self._probe = None
                self._changed.notify_all()

    def _is_probe(self, request: Any) -> bool:
        probe = self._probe() if self._probe is not None else None
        return probe is not None and probe is request

    def pause(self, seconds: float) -> None:
        with self._changed:
            self._resume_at = max(self._resume_at, time.monotonic() + seconds)
            self._probing = True
            self._probe_out = False
            self._probe = None
            self._changed.notify_all()


def _weak(request: Any) -> Optional[weakref.ref]:
    try:
        return weakref.ref(request)
    except TypeError:  # an object without weak references cannot be told apart later: no probe to end on
        return None
