"""One call budget for the whole sync: every stream, thread and token refresh draws from it.

A moving window of `requests_per_minute` calls. The window is a little longer than Paycor's minute
(`WINDOW_SLACK`): calls reach Paycor a few milliseconds after they leave, and a window of exactly 60 s
on both sides would let the 1001st call arrive inside Paycor's minute. After a 429 every thread pauses
until Paycor's wait is over (the limit is per subscription key, so every call would be refused), and
no longer: the budget itself keeps its window.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from typing import Any, Optional

import requests

from airbyte_cdk.sources.streams.call_rate import APIBudget, MovingWindowCallRatePolicy, Rate

from .errors import DEFAULT_RATE_LIMIT_WAIT, retry_after_seconds

WINDOW_SLACK = timedelta(seconds=1)


class PaycorBudget(APIBudget):
    def __init__(self, requests_per_minute: int) -> None:
        rate = Rate(limit=requests_per_minute, interval=timedelta(minutes=1) + WINDOW_SLACK)
        super().__init__(policies=[MovingWindowCallRatePolicy(rates=[rate], matchers=[])])
        self._pause_until = 0.0
        self._lock = threading.Lock()
        self.rate_limited = 0

    def acquire_call(self, request: Any, block: bool = True, timeout: Optional[float] = None) -> None:
        while True:
            with self._lock:
                wait = self._pause_until - time.monotonic()
            if wait <= 0:
                break
            time.sleep(wait)
        super().acquire_call(request, block=block, timeout=timeout)

    def update_from_response(self, request: Any, response: Any) -> None:
        if isinstance(response, requests.Response) and response.status_code == 429:
            self.pause(retry_after_seconds(response) or DEFAULT_RATE_LIMIT_WAIT)

    def pause(self, seconds: float) -> None:
        with self._lock:
            self.rate_limited += 1
            self._pause_until = max(self._pause_until, time.monotonic() + seconds)
