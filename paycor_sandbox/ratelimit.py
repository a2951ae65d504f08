"""Moving-window rate limit per subscription key (every request counts, rejected ones too)."""
from __future__ import annotations

import collections
import threading
import time


class RateLimiter:
    def __init__(self, per_minute: int, window_seconds: float = 60.0, clock=time.monotonic):
        self.per_minute = per_minute
        self.window = window_seconds
        self.clock = clock
        self._hits: dict[str, collections.deque] = collections.defaultdict(collections.deque)
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        """Record one request for `key`; False when it exceeds the window's budget."""
        now = self.clock()
        with self._lock:
            hits = self._hits[key]
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            allowed = len(hits) < self.per_minute
            hits.append(now)
            return allowed

    def reset(self):
        with self._lock:
            self._hits.clear()
