"""Deterministic fault injection for data calls."""
from __future__ import annotations

import random
import threading
from dataclasses import dataclass

ALL_MODES = ("500", "502", "503", "429", "429_no_retry_after", "reset", "slow", "truncated", "error_body",
             "revoke_token", "expired_continuation")


@dataclass(frozen=True)
class Faults:
    rate: float = 0.1
    modes: tuple = ALL_MODES
    seed: int = 1
    slow_seconds: float = 5.0

    def __post_init__(self):
        unknown = set(self.modes) - set(ALL_MODES)
        if unknown:
            raise ValueError(f"unknown fault modes: {sorted(unknown)}")


class FaultInjector:
    """Draws, in arrival order under a lock, whether a data call fails and how.

    Every call consumes exactly two numbers from the seeded RNG, so the sequence of decisions
    depends only on the seed and the order of calls. A drawn mode that cannot apply to the call
    (expired_continuation without a continuationToken) means no fault for that call."""

    def __init__(self, faults: Faults | None):
        self.faults = faults
        self._rng = random.Random(faults.seed if faults else 0)
        self._lock = threading.Lock()
        self.log: list[tuple[int, str, str]] = []   # (call number, path, mode)
        self._n = 0

    def draw(self, path: str, has_continuation: bool) -> str | None:
        if not self.faults or self.faults.rate <= 0 or not self.faults.modes:
            return None
        with self._lock:
            self._n += 1
            draw = self._rng.random()
            mode = self.faults.modes[self._rng.randrange(len(self.faults.modes))]
            if draw >= self.faults.rate:
                return None
            if mode == "expired_continuation" and not has_continuation:
                return None
            self.log.append((self._n, path, mode))
            return mode
