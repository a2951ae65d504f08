"""The incremental cursor of date-windowed streams: one saved date per legal entity.

State: `{"states": [{"partition": {"legalEntityId": 501123}, "cursor": {"<cursor field>": "YYYY-MM-DD"}}]}`,
the last day up to which every window of that legal entity has been read; a per-employee dated stream
(`employee_hours`) adds the `resume` entries of `resume.py` while a legal entity is being read. Windows are read
concurrently and finish in any order; the saved date only moves over a contiguous run of finished
windows, so a sync killed at any point resumes without skipping a window.

A window counts as finished when its records have been *emitted*, not merely read: the CDK closes a
partition in the worker thread while its records may still wait in the queue, so the state waits for
`delivered(partition)`, which `DeliveryQueue` calls from the main thread when it takes the partition's
completion sentinel (every record before it has been emitted by then). A state message follows a
delivered window only when it moves a legal entity's saved date (a window finished while an earlier one
is still being read moves nothing); the stream's end emits the final state once more.

In a full-refresh sync the saved dates are where a retried attempt resumes, and the stream's end says it was read
to its end with the CDK's resumable-full-refresh state (`{"__ab_full_refresh_sync_complete": true}`), as the
per-employee cursor does: a retried attempt started with it reads nothing (its lookback windows included).
"""

from __future__ import annotations

import threading
from collections import Counter
from queue import Queue
from typing import Any, Callable, Dict, Mapping, MutableMapping, Optional

from airbyte_cdk.sources.connector_state_manager import ConnectorStateManager
from airbyte_cdk.sources.message import MessageRepository
from airbyte_cdk.sources.streams.checkpoint.checkpoint_reader import FULL_REFRESH_COMPLETE_STATE
from airbyte_cdk.sources.streams.concurrent.cursor import Cursor
from airbyte_cdk.sources.streams.concurrent.partitions.partition import Partition
from airbyte_cdk.sources.streams.concurrent.partitions.types import PartitionCompleteSentinel
from airbyte_cdk.sources.types import Record

from ..config_error import ConfigError
from ..dates import Day, add_days, day
from .resume import FanOutProgress, parse_resume


class DeliveryQueue(Queue):
    """The concurrent reader's queue, telling cursors when a partition's records have all been emitted."""

    def __init__(self, on_delivered: Callable[[Partition], None], maxsize: int = 10_000) -> None:
        super().__init__(maxsize=maxsize)
        self._on_delivered = on_delivered

    def get(self, block: bool = True, timeout: Optional[float] = None) -> Any:
        item = super().get(block, timeout)
        if isinstance(item, PartitionCompleteSentinel) and item.is_successful:
            self._on_delivered(item.partition)
        return item


# Keys a slice carries for the cursor: the window's first and last day (ISO dates).
WINDOW_START, WINDOW_END = "windowStart", "windowEnd"


class DeliveredStateCursor(Cursor):
    """A cursor whose state follows the records it covers: `delivered(partition)` (main thread, called by
    `DeliveryQueue`) moves it and prints it; `_state(final)` says what it is; the stream's end prints the final one and
    the stream's closing log line. Subclasses set `_stream_name`, `_state_manager`, `_message_repository`, `_lock`
    and `_on_finish`; `_emit` is called with `_lock` held."""

    _stream_name: str
    _state_manager: ConnectorStateManager
    _message_repository: MessageRepository
    _lock: threading.Lock
    _on_finish: Optional[Callable[[], None]]

    def _state(self, final: bool) -> MutableMapping[str, Any]:
        raise NotImplementedError

    @property
    def state(self) -> MutableMapping[str, Any]:
        return self._state(final=False)

    def observe(self, record: Record) -> None:
        pass

    def close_partition(self, partition: Partition) -> None:
        """Worker thread: the partition is read, its records may not be emitted yet (see `delivered`)."""

    def should_be_synced(self, record: Record) -> bool:
        return True

    def ensure_at_least_one_state_emitted(self) -> None:
        """Called once the stream is done: the final state, and the stream's closing log line."""
        with self._lock:
            self._emit(final=True)
        if self._on_finish is not None:
            self._on_finish()

    def _emit(self, final: bool = False) -> None:
        self._state_manager.update_state_for_stream(self._stream_name, None, self._state(final))
        self._message_repository.emit_message(self._state_manager.create_state_message(self._stream_name, None))


def parse_state(stream_name: str, cursor_field: str, state: Optional[Mapping[str, Any]]) -> Dict[int, Day]:
    """Saved dates per legal entity; a state this connector did not write is a config error."""
    if not state:
        return {}
    problem = (
        f"The saved state of stream {stream_name} is not one this connector wrote — reset the stream "
        "(Airbyte: Refresh / Clear data) to start it again."
    )
    entries = state.get("states") if isinstance(state, Mapping) else None
    if not isinstance(entries, list) or parse_resume(state.get("resume")) is None:
        raise ConfigError(problem)
    saved: Dict[int, Day] = {}
    for entry in entries:
        try:
            legal_entity = int(entry["partition"]["legalEntityId"])
            saved[legal_entity] = day(str(entry["cursor"][cursor_field])[:10])
        except (KeyError, TypeError, ValueError):
            raise ConfigError(problem) from None
    return saved


class LegalEntityWindowCursor(DeliveredStateCursor):
    def __init__(
        self,
        stream_name: str,
        cursor_field: str,
        state: Optional[Mapping[str, Any]],
        message_repository: MessageRepository,
        state_manager: ConnectorStateManager,
        today: Day,
        on_finish: Optional[Callable[[], None]] = None,
        read_at: str = "",
        incremental: bool = True,
    ) -> None:
        self._on_finish = on_finish
        self._stream_name = stream_name
        self._cursor_field = cursor_field
        self._incremental = incremental
        # Full refresh: an earlier attempt of this sync read the stream to its end (the CDK's reading of this state).
        self.complete = not incremental and dict(state or {}) == FULL_REFRESH_COMPLETE_STATE
        self._saved = parse_state(stream_name, cursor_field, None if self.complete else state)
        self._message_repository = message_repository
        self._state_manager = state_manager
        self._today = today
        # Per legal entity: window → deliveries still expected (few distinct windows, many fan-out rows).
        self._pending: Dict[int, Counter] = {}
        self._finished: Dict[int, Day] = {}
        self._lock = threading.Lock()
        # Per-employee dated streams: where an interrupted read of each legal entity resumes (`resume.py`).
        self.progress = FanOutProgress(parse_resume((state or {}).get("resume")) or {}, read_at)

    # --- what the stream asks --------------------------------------------------------------------
    def saved(self, legal_entity_id: int) -> Optional[Day]:
        return self._saved.get(legal_entity_id)

    def register(self, legal_entity_id: int, start: Day, end: Day, times: int = 1) -> None:
        """A window to be read `times` times (once per fan-out row), in any order; each delivery removes one."""
        if times <= 0:
            return
        with self._lock:
            self._pending.setdefault(legal_entity_id, Counter())[(start, end)] += times

    # --- the CDK's Cursor --------------------------------------------------------------------------
    def _state(self, final: bool) -> MutableMapping[str, Any]:
        resume = self.progress.state(final=final)
        if final and not self._incremental and not resume:
            return dict(FULL_REFRESH_COMPLETE_STATE)
        state: MutableMapping[str, Any] = {
            "states": [
                {"partition": {"legalEntityId": legal_entity}, "cursor": {self._cursor_field: saved.isoformat()}}
                for legal_entity, saved in sorted(self._saved.items())
            ]
        }
        if resume:
            state["resume"] = resume
        return state

    def delivered(self, partition: Partition) -> None:
        """Main thread: every record of the partition has been emitted."""
        slice_values = partition.to_slice() or {}
        if WINDOW_START not in slice_values:
            return
        legal_entity = int(slice_values["legalEntityId"])
        checkpoint = "employeeId" in slice_values and self.progress.delivered(
            legal_entity, str(slice_values["employeeId"])
        )
        window = (day(slice_values[WINDOW_START]), day(slice_values[WINDOW_END]))
        with self._lock:
            pending = self._pending.get(legal_entity, Counter())
            if pending[window] > 1:
                pending[window] -= 1
            else:
                pending.pop(window, None)
            self._finished[legal_entity] = max(self._finished.get(legal_entity, window[1]), window[1])
            # Windows of several fan-out rows (employees) interleave: the earliest unfinished start bounds the state.
            read_through = add_days(min(start for start, _ in pending), -1) if pending else self._finished[legal_entity]
            read_through = min(read_through, self._today)  # windows into the future are re-read next time
            previous = self._saved.get(legal_entity)
            moved = not (previous is not None and read_through <= previous) and not (
                previous is None and pending and read_through < window[0]  # an earlier window is still being read
            )
            if moved:
                self._saved[legal_entity] = read_through
            if moved or checkpoint:
                self._emit()
