"""Missing Data Access items: one call per stream and legal entity finds out, not one per slice.

Paycor answers 403 when the application lacks the Data Access item an endpoint needs. The answer is the
same for every slice of that stream in that legal entity (every employee, every window), so the first
slice of each (stream, parent) is read alone: the other slices of that pair wait for its answer. A 403
denies the pair: its remaining slices are skipped without a call, with one warning naming the item. The
source marks a denied stream INCOMPLETE and lists every denial in the sync's last log line.
"""

from __future__ import annotations

import threading
from typing import Any, Dict, Hashable, List, Mapping, Optional, Tuple

PROBING, OPEN, DENIED = "probing", "open", "denied"


class AccessGate:
    def __init__(self) -> None:
        self._state: Dict[Tuple[str, Hashable], str] = {}
        self._denied: Dict[str, Dict[Hashable, str]] = {}
        self._changed = threading.Condition()

    def enter(self, stream: str, parent: Hashable) -> Optional[bool]:
        """True: read this slice as the pair's probe (then call `settle`); False: read it; None: skip it (denied)."""
        key = (stream, parent)
        with self._changed:
            while self._state.get(key) == PROBING:
                self._changed.wait()
            state = self._state.get(key)
            if state is None:
                self._state[key] = PROBING
                return True
            return None if state == DENIED else False

    def deny(self, stream: str, parent: Hashable, item: str) -> bool:
        """Records a 403; True the first time for this pair."""
        with self._changed:
            first = self._state.get((stream, parent)) != DENIED
            self._state[(stream, parent)] = DENIED
            self._denied.setdefault(stream, {})[parent] = item
            self._changed.notify_all()
            return first

    def settle(self, stream: str, parent: Hashable) -> None:
        """The probe's slice is read: unless it was denied, the pair's other slices may go."""
        with self._changed:
            if self._state.get((stream, parent)) == PROBING:
                self._state[(stream, parent)] = OPEN
            self._changed.notify_all()

    def withdraw(self, stream: str, parent: Hashable) -> None:
        """Forgets a denial that a fallback answered (an internal list read again without what was denied)."""
        with self._changed:
            self._denied.get(stream, {}).pop(parent, None)
            if not self._denied.get(stream, True):
                del self._denied[stream]

    def denied(self) -> Mapping[str, Mapping[Hashable, str]]:
        """Stream → {parent (legal entity or tenant id) → the Data Access item it lacks}."""
        with self._changed:
            return {stream: dict(parents) for stream, parents in self._denied.items()}

    def summary(self) -> Optional[str]:
        denied = self.denied()
        if not denied:
            return None
        parts: List[str] = []
        for stream in sorted(denied):
            by_item: Dict[str, List[Any]] = {}
            for parent, item in denied[stream].items():
                by_item.setdefault(item, []).append(parent)
            for item, parents in sorted(by_item.items()):
                parents_text = ", ".join(str(parent) for parent in sorted(parents, key=str))
                parts.append(f'{stream} (Data Access "{item}"; legal entity {parents_text})')
        return "Streams skipped for missing Paycor Data Access, incomplete: " + "; ".join(parts) + "."
