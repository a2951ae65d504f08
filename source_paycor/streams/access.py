"""Missing Data Access items: one call per stream and legal entity finds out, not one per slice.

Paycor answers 403 when the application lacks the Data Access item an endpoint needs. The answer is the
same for every slice of that stream in that legal entity (every employee, every window), so the first
slice of each (stream, parent) is read alone: the other slices of that pair wait for its first answer
(the probe settles with its first record, or when its slice ends). A 403 denies the pair: its remaining
slices are skipped without a call, with one warning naming the item. The source marks a denied stream
INCOMPLETE and lists every denial in the sync's last log line.

The wait is bounded: a slice waits at most `patience` seconds (`ACCESS_PATIENCE`) for the probe, then is
read without its answer (said once per stream); a 403 then denies the pair as it comes.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, Dict, Hashable, List, Mapping, Optional, Set, Tuple

from airbyte_cdk.models import AirbyteMessage, AirbyteStreamStatus, TraceType, Type

PROBING, OPEN, DENIED = "probing", "open", "denied"
# Longer than a probe's first answer takes even through retries and a paused call budget, as a rule.
ACCESS_PATIENCE = 300.0

logger = logging.getLogger("airbyte")


class AccessGate:
    def __init__(self, patience: float = ACCESS_PATIENCE) -> None:
        self._state: Dict[Tuple[str, Hashable], str] = {}
        self._denied: Dict[str, Dict[Hashable, str]] = {}
        self._changed = threading.Condition()
        self._patience = patience
        self._impatient: Set[str] = set()  # streams whose slices stopped waiting for a probe (said once)

    def enter(self, stream: str, parent: Hashable) -> Optional[bool]:
        """True: read this slice as the pair's probe (then call `settle`); False: read it; None: skip it (denied).
        Waits for the pair's probe at most `patience` seconds."""
        key = (stream, parent)
        with self._changed:
            deadline = time.monotonic() + self._patience
            while self._state.get(key) == PROBING:
                left = deadline - time.monotonic()
                if left <= 0:
                    self._say_impatient(stream, parent)
                    return False
                self._changed.wait(left)
            state = self._state.get(key)
            if state is None:
                self._state[key] = PROBING
                return True
            return None if state == DENIED else False

    def _say_impatient(self, stream: str, parent: Hashable) -> None:
        if stream in self._impatient:
            return
        self._impatient.add(stream)
        logger.warning(
            f"Stream {stream}: the first call of legal entity {parent} has not answered in {self._patience:g} s; its "
            "other slices are read without waiting for it (a missing Data Access item then denies them one call each)."
        )

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


def incomplete_if_denied(message: AirbyteMessage, access: AccessGate) -> AirbyteMessage:
    """A stream a 403 denied in some legal entity ends INCOMPLETE (the CDK would say COMPLETE: nothing raised)."""
    trace = message.trace if message.type == Type.TRACE else None
    status = trace.stream_status if trace is not None and trace.type == TraceType.STREAM_STATUS else None
    if (
        status is not None
        and status.status == AirbyteStreamStatus.COMPLETE
        and status.stream_descriptor.name in access.denied()
    ):
        status.status = AirbyteStreamStatus.INCOMPLETE
    return message
