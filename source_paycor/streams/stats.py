"""Statistics of each stream of a sync: its counters, the log line of the calls it plans, its closing log line."""

from __future__ import annotations

import logging
import threading
import time
from typing import Optional, Set

from airbyte_cdk.sources.message import MessageRepository
from airbyte_cdk.sources.streams.concurrent.cursor import FinalStateCursor

from ..shaping import Tally

logger = logging.getLogger("airbyte")


class StreamStats:
    """Records emitted and calls made by one stream (retries included), since when, and what shaping did."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.records = 0
        self.calls = 0
        self.shaping = Tally()  # what shaping did to the stream's records, all pages together
        self.reread_calls = 0
        self.replayed = 0  # pages answered by the same list read as a parent of other streams (no call)
        # Employees given no call for `skip_employees_terminated_before` (counted while planning, one thread).
        self.terminated_skipped = 0
        # Employees an incremental sync does not read again (their employment ended long before the previous sync),
        # and employees without a hire date (every window read), counted while planning.
        self.settled_skipped = 0
        self.undated_employees = 0
        self._started: Optional[float] = None
        self._lock = threading.Lock()

    def start(self) -> None:
        with self._lock:
            if self._started is None:
                self._started = time.monotonic()

    def count_call(self, replayed: bool = False) -> None:
        """An answer: a call, or a page replayed from the same list read as a parent (`answer_cache`)."""
        with self._lock:
            if replayed:
                self.replayed += 1
            else:
                self.calls += 1

    def count_records(self, n: int) -> None:
        with self._lock:
            self.records += n

    def count_reread_calls(self, n: int) -> None:
        """Calls made to read a slice again after an expired continuation token (or to confirm an empty last page)."""
        with self._lock:
            self.reread_calls += n

    def add_tally(self, tally: Tally) -> None:
        """Add one page's shaping to the stream's totals."""
        with self._lock:
            self.shaping.add(tally)

    def summary(self) -> str:
        elapsed = time.monotonic() - self._started if self._started is not None else 0.0
        line = f"Stream {self.name}: {self.records} records, {self.calls} calls, {elapsed:.1f} s"
        shaping = self.shaping
        coerced = f" ({_names(shaping.coerced_fields)})" if shaping.coerced else ""
        line += (
            f"; {shaping.coerced} values coerced to their declared type{coerced}, {shaping.mismatched} did not match it"
        )
        if shaping.mismatched:
            line += f" ({_names(shaping.mismatched_fields)})"
        if self.replayed:
            line += f"; {self.replayed} pages shared with its reading as a parent of other streams (no call)"
        if self.reread_calls:
            line += f"; {self.reread_calls} of the calls read slices again after expired continuation tokens"
        if shaping.withheld:
            withheld = [f"{shaping.redacted} nulled ({_names(shaping.redacted_fields)})"] if shaping.redacted else []
            if shaping.masked:
                withheld.append(f"{shaping.masked} masked ({_names(shaping.masked_fields)})")
            line += f"; {shaping.withheld} sensitive values withheld: {', '.join(withheld)}"
        if shaping.undeclared:
            line += f"; undeclared fields kept: {_names(shaping.undeclared)}"
        return line


def _names(fields: Set[str], most: int = 10) -> str:
    names = sorted(fields)
    more = f" and {len(names) - most} more" if len(names) > most else ""
    return ", ".join(names[:most]) + more


def planned_calls(stream_name: str, calls: int) -> str:
    """The log line of the calls a stream plans (its slices), said when they are planned.

    Not an ESTIMATE trace: the protocol's estimate counts rows (or bytes), and how many rows a call brings is
    not known before the calls are made.
    """
    return f"Stream {stream_name}: {calls} calls planned, one per slice (pages beyond a slice's first come on top)."


class ReportingFinalStateCursor(FinalStateCursor):
    """The CDK's cursor of full-refresh streams, which also logs the stream's closing line."""

    def __init__(self, stats: StreamStats, message_repository: MessageRepository) -> None:
        super().__init__(stream_name=stats.name, stream_namespace=None, message_repository=message_repository)
        self._stats = stats

    def ensure_at_least_one_state_emitted(self) -> None:
        super().ensure_at_least_one_state_emitted()
        logger.info(self._stats.summary())
