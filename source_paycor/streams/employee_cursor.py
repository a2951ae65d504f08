"""The cursor of per-employee streams (one call per employee, no date window): resumable in both sync modes,
incremental by the sync that read the employees.

Every record carries `readAt`, when the sync that read it began (the stream's source-defined cursor: in
append + dedup the latest read of a row wins). State:

    {"states": [{"partition": {"legalEntityId": 501}, "cursor": {"readAt": "2026-12-03T04:00:00+00:00"}}],
     "resume": [{"legalEntityId": 502, "after": "<employee id>", "readAt": "..."}]}

`states` (incremental only): when the last complete read of each legal entity began. An incremental sync does
not read again an employee whose employment ended (termination + `terminated_grace_days`) before that day: the
rows delivered then stay in the destination. `resume` (both modes): where an interrupted read stopped
(`resume.py`). A full-refresh read that completes ends with the CDK's resumable-full-refresh state
(`{"__ab_full_refresh_sync_complete": true}`): as in the CDK, a read started with it reads nothing (an earlier
attempt of the same sync read the stream to its end), and the next sync starts from the first employee again
(the platform clears a full-refresh stream's state between syncs).
"""

from __future__ import annotations

import logging
import threading
from typing import Any, Callable, Dict, Mapping, MutableMapping, Optional

from airbyte_cdk.sources.connector_state_manager import ConnectorStateManager
from airbyte_cdk.sources.message import MessageRepository
from airbyte_cdk.sources.streams.checkpoint.checkpoint_reader import FULL_REFRESH_COMPLETE_STATE
from airbyte_cdk.sources.streams.concurrent.partitions.partition import Partition

from ..dates import Day, moment
from .cursor import DeliveredStateCursor
from .resume import FanOutProgress, ResumePoint, parse_resume

# The record field of per-employee streams that says when the sync that read it began.
READ_AT = "readAt"
EMPLOYEE_KEY = "employeeId"
logger = logging.getLogger("airbyte")


def parse_read_at(state: Mapping[str, Any]) -> Optional[Dict[int, str]]:
    """When the last complete read of each legal entity began; None when the state is not one this connector wrote."""
    entries = state.get("states", [])
    if not isinstance(entries, list):
        return None
    saved: Dict[int, str] = {}
    for entry in entries:
        try:
            value = str(entry["cursor"][READ_AT])
            moment(value)
            saved[int(entry["partition"]["legalEntityId"])] = value
        except (KeyError, TypeError, ValueError):
            return None
    return saved


class EmployeeCursor(DeliveredStateCursor):
    def __init__(
        self,
        stream_name: str,
        state: Optional[Mapping[str, Any]],
        message_repository: MessageRepository,
        state_manager: ConnectorStateManager,
        read_at: str,
        incremental: bool,
        on_finish: Optional[Callable[[], None]] = None,
    ) -> None:
        self._stream_name = stream_name
        self._message_repository = message_repository
        self._state_manager = state_manager
        self._read_at = read_at
        self._incremental = incremental
        self._on_finish = on_finish
        self._lock = threading.Lock()
        # Full refresh: an earlier attempt of this sync read the stream to its end (the CDK's reading of this state).
        self.complete = not incremental and dict(state or {}) == FULL_REFRESH_COMPLETE_STATE
        saved, resume = self._parse(state or {})
        self._saved = saved if incremental else {}
        self.progress = FanOutProgress(resume, read_at)

    def _parse(self, state: Mapping[str, Any]) -> "tuple[Dict[int, str], Dict[int, ResumePoint]]":
        """The saved reads and resume points of `state`; a state this connector did not write starts over (said)."""
        if not state or dict(state) == FULL_REFRESH_COMPLETE_STATE or state.get("__ab_no_cursor_state_message"):
            return {}, {}
        known = isinstance(state, Mapping) and set(state) <= {"states", "resume"}
        saved = parse_read_at(state) if known else None
        resume = parse_resume(state.get("resume")) if known else None
        if saved is None or resume is None:
            logger.warning(
                f"Stream {self._stream_name}: its saved state is not one this version wrote; the stream is read from "
                "its first employee (every employee, as in a first sync)."
            )
            return {}, {}
        return saved, resume

    # --- what the stream asks --------------------------------------------------------------------
    @property
    def incremental(self) -> bool:
        return self._incremental

    def previous_read(self, legal_entity_id: int) -> Optional[Day]:
        """The day the last complete read of this legal entity began (incremental syncs only; None: read everyone)."""
        value = self._saved.get(legal_entity_id)
        return moment(value).date() if value is not None else None

    # --- the CDK's Cursor --------------------------------------------------------------------------
    def _state(self, final: bool) -> MutableMapping[str, Any]:
        resume = self.progress.state(final=final)
        if not self._incremental:
            return dict(FULL_REFRESH_COMPLETE_STATE) if final and not resume else {"resume": resume}
        saved = dict(self._saved)
        if final:
            saved.update(self.progress.finished())
        state: Dict[str, Any] = {
            "states": [
                {"partition": {"legalEntityId": legal_entity}, "cursor": {READ_AT: value}}
                for legal_entity, value in sorted(saved.items())
            ]
        }
        if resume:
            state["resume"] = resume
        return state

    def delivered(self, partition: Partition) -> None:
        """Main thread: every record of the partition has been emitted."""
        slice_values = partition.to_slice() or {}
        if EMPLOYEE_KEY not in slice_values or "legalEntityId" not in slice_values:
            return
        if self.progress.delivered(int(slice_values["legalEntityId"]), str(slice_values[EMPLOYEE_KEY])):
            with self._lock:
                self._emit(final=False)
