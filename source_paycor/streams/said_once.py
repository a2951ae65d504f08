"""What a sync has said already (warnings, notes), so that each thing is said once per sync."""

from __future__ import annotations

import threading
from typing import Any, Hashable, Iterable, List, Set


class SaidOnce:
    """What a sync has said already, so that each thing is said once, however many stream objects read
    the same stream (a stream and its use as a parent of others)."""

    def __init__(self) -> None:
        self._said: Set[Hashable] = set()
        self._lock = threading.Lock()

    def unsaid(self, keys: Iterable[Hashable]) -> List[Any]:
        """The keys not said before, in their order; they count as said from now on."""
        with self._lock:
            fresh = [key for key in dict.fromkeys(keys) if key not in self._said]
            self._said.update(fresh)
        return fresh
