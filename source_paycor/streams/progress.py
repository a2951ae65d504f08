"""Progress of a sync: per-stream counters, a closing log line per stream, ESTIMATE trace messages."""

from __future__ import annotations

import logging
import threading
import time
from typing import List, Optional, Set, Tuple

from airbyte_cdk.models import AirbyteEstimateTraceMessage, AirbyteMessage, AirbyteTraceMessage, EstimateType, TraceType, Type
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
        self.coerced = 0
        self.mismatched = 0
        self.redacted = 0
        # Employees given no call for `skip_employees_terminated_before` (counted while planning, one thread).
        self.terminated_skipped = 0
        self.coerced_fields: Set[str] = set()
        self.mismatched_fields: Set[str] = set()
        self.undeclared: Set[str] = set()
        self._started: Optional[float] = None
        self._lock = threading.Lock()

    def start(self) -> None:
        with self._lock:
            if self._started is None:
                self._started = time.monotonic()

    def count_call(self) -> None:
        with self._lock:
            self.calls += 1

    def count_records(self, n: int) -> None:
        with self._lock:
            self.records += n

    def add_tally(self, tally: Tally) -> Tuple[List[str], List[str]]:
        """Add one page's shaping; returns the undeclared fields and the mismatched fields seen for the first time."""
        with self._lock:
            self.coerced += tally.coerced
            self.mismatched += tally.mismatched
            self.redacted += tally.redacted
            self.coerced_fields |= tally.coerced_fields
            new_undeclared = sorted(tally.undeclared - self.undeclared)
            self.undeclared |= tally.undeclared
            new_mismatched = sorted(tally.mismatched_fields - self.mismatched_fields)
            self.mismatched_fields |= tally.mismatched_fields
        return new_undeclared, new_mismatched

    def summary(self) -> str:
        elapsed = time.monotonic() - self._started if self._started is not None else 0.0
        line = f"Stream {self.name}: {self.records} records, {self.calls} calls, {elapsed:.1f} s"
        coerced = f" ({_names(self.coerced_fields)})" if self.coerced else ""
        line += f"; {self.coerced} values coerced to their declared type{coerced}, {self.mismatched} did not match it"
        if self.mismatched:
            line += f" ({_names(self.mismatched_fields)})"
        if self.redacted:
            line += f"; {self.redacted} sensitive values nulled"
        if self.undeclared:
            line += f"; undeclared fields kept: {_names(self.undeclared)}"
        return line


def _names(fields: Set[str], most: int = 10) -> str:
    names = sorted(fields)
    more = f" and {len(names) - most} more" if len(names) > most else ""
    return ", ".join(names[:most]) + more


def emit_estimate(repository: MessageRepository, stream_name: str, calls: int) -> None:
    """An ESTIMATE trace for the Airbyte UI's progress bar: the number of calls the stream will make."""
    repository.emit_message(
        AirbyteMessage(
            type=Type.TRACE,
            trace=AirbyteTraceMessage(
                type=TraceType.ESTIMATE,
                emitted_at=time.time() * 1000,
                estimate=AirbyteEstimateTraceMessage(name=stream_name, type=EstimateType.STREAM, row_estimate=calls),
            ),
        )
    )


class ReportingFinalStateCursor(FinalStateCursor):
    """The CDK's cursor of full-refresh streams, which also logs the stream's closing line."""

    def __init__(self, stats: StreamStats, message_repository: MessageRepository) -> None:
        super().__init__(stream_name=stats.name, stream_namespace=None, message_repository=message_repository)
        self._stats = stats

    def ensure_at_least_one_state_emitted(self) -> None:
        super().ensure_at_least_one_state_emitted()
        logger.info(self._stats.summary())
