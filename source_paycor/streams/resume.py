"""Where an interrupted per-employee read resumes: per legal entity, the position in the id-ordered employee list.

A per-employee stream makes its slices employee by employee, in the order of the employees' ids; the slices of
one employee (its date windows) come together. Partitions finish in any order, so the position moves only over a
contiguous run of employees whose partitions have all been *emitted* (`delivered`, called from the main thread
when the partition's completion sentinel is taken from the queue): a state never runs ahead of its records.

The state keeps one entry per legal entity whose read has begun and not yet been closed by the stream's final
state — `{"legalEntityId": 501, "after": "<employee id>", "readAt": "...", "start": "...", "end": "..."}`:
employees up to `after` are done; `readAt` is when that read began (the incremental cursor's value); `start` and
`end` are the days a dated stream planned, which a resumed read keeps (the retry neither re-reads the lookback
nor leaves a gap). A legal entity finished while others were still being read keeps its entry (`after` its last
employee) until the stream ends, so a retry reads nothing of it again.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, NamedTuple, Optional, Sequence, Tuple

from ..dates import Day, day

# A state is emitted when the position has moved over this many employees, or this many seconds after the last.
CHECKPOINT_EMPLOYEES = 50
CHECKPOINT_SECONDS = 30.0


class ResumePoint(NamedTuple):
    after: str  # the last employee id (in id order) whose records have all been emitted
    read_at: str  # when the interrupted read began (ISO date-time)
    start: Optional[Day] = None  # the days a dated stream planned
    end: Optional[Day] = None

    def as_state(self, legal_entity_id: int) -> Dict[str, Any]:
        entry: Dict[str, Any] = {"legalEntityId": legal_entity_id, "after": self.after, "readAt": self.read_at}
        if self.start is not None and self.end is not None:
            entry.update(start=self.start.isoformat(), end=self.end.isoformat())
        return entry


def parse_resume(entries: Any) -> Optional[Dict[int, ResumePoint]]:
    """The resume points of a state's `resume` list; None when it is not one this connector wrote."""
    if entries is None:
        return {}
    if not isinstance(entries, list):
        return None
    points: Dict[int, ResumePoint] = {}
    for entry in entries:
        try:
            start, end = entry.get("start"), entry.get("end")
            points[int(entry["legalEntityId"])] = ResumePoint(
                str(entry["after"]),
                str(entry["readAt"]),
                day(start) if start else None,
                day(end) if end else None,
            )
        except (AttributeError, KeyError, TypeError, ValueError):
            return None
    return points


@dataclass
class _Plan:
    """One legal entity's employees in id order, the partitions each still owes, and the position reached."""

    ids: List[str]
    pending: Dict[str, int]
    position: Optional[str]
    read_at: str
    start: Optional[Day]
    end: Optional[Day]
    next_index: int = 0
    done: bool = field(default=False)


class FanOutProgress:
    """The resume points of one per-employee stream: read from its state, moved as partitions are delivered."""

    def __init__(self, resume: Mapping[int, ResumePoint], read_at: str) -> None:
        self._resume = dict(resume)
        self._read_at = read_at
        self._plans: Dict[int, _Plan] = {}
        self._lock = threading.Lock()
        self._moved_since_checkpoint = 0
        self._last_checkpoint = time.monotonic()

    def resume_point(self, legal_entity_id: int) -> Optional[ResumePoint]:
        """Where an interrupted read of this legal entity stopped (None: read it from its first employee)."""
        return self._resume.get(legal_entity_id)

    def plan(
        self,
        legal_entity_id: int,
        employees: Sequence[Tuple[str, int]],
        start: Optional[Day] = None,
        end: Optional[Day] = None,
    ) -> None:
        """The employees this read will make slices for, in id order, each with its number of partitions (0: none,
        done at once); `start`/`end`: the days a dated stream planned."""
        resumed = self._resume.get(legal_entity_id)
        plan = _Plan(
            ids=[employee for employee, _ in employees],
            pending={employee: count for employee, count in employees},
            position=resumed.after if resumed is not None else None,
            read_at=resumed.read_at if resumed is not None else self._read_at,
            start=start,
            end=end,
        )
        with self._lock:
            self._plans[legal_entity_id] = plan
            self._advance(plan)

    def delivered(self, legal_entity_id: int, employee: str) -> bool:
        """One partition of `employee` has been emitted; True when a state should follow (see `CHECKPOINT_*`)."""
        with self._lock:
            plan = self._plans.get(legal_entity_id)
            if plan is None or employee not in plan.pending:
                return False
            plan.pending[employee] -= 1
            moved = self._advance(plan)
            if not moved:
                return False
            self._moved_since_checkpoint += moved
            due = (
                plan.done
                or self._moved_since_checkpoint >= CHECKPOINT_EMPLOYEES
                or time.monotonic() - self._last_checkpoint >= CHECKPOINT_SECONDS
            )
            if due:
                self._moved_since_checkpoint = 0
                self._last_checkpoint = time.monotonic()
            return due

    def finished(self) -> List[Tuple[int, str]]:
        """(legal entity, when its read began) of every legal entity read to its last employee."""
        with self._lock:
            return [(legal_entity, plan.read_at) for legal_entity, plan in self._plans.items() if plan.done]

    def state(self, final: bool = False) -> List[Dict[str, Any]]:
        """The resume entries; at the stream's end (`final`) only those of legal entities left unfinished."""
        with self._lock:
            points = dict(self._resume) if not final else {}
            for legal_entity, plan in self._plans.items():
                points.pop(legal_entity, None)
                if plan.position is not None and not (final and plan.done):
                    points[legal_entity] = ResumePoint(plan.position, plan.read_at, plan.start, plan.end)
        return [point.as_state(legal_entity) for legal_entity, point in sorted(points.items())]

    @staticmethod
    def _advance(plan: _Plan) -> int:
        """Moves the position over the employees whose partitions are all delivered; how many it moved over."""
        moved = 0
        while plan.next_index < len(plan.ids) and plan.pending[plan.ids[plan.next_index]] <= 0:
            plan.position = plan.ids[plan.next_index]
            plan.next_index += 1
            moved += 1
        plan.done = plan.next_index >= len(plan.ids)
        return moved
