"""The slices of a `PaycorStream`: tenants, legal entities, fan-outs, enumerated values and date windows.

Fan-outs and windows are planned for every legal entity first (counted, not listed), so the log says
the number of calls to come while the slices themselves are made one at a time; windows are
registered with the cursor when planned, so the saved date cannot pass a window not read yet.
"""

from __future__ import annotations

import itertools
import json
import logging
import threading
from typing import TYPE_CHECKING, Any, Dict, Iterable, Iterator, List, Mapping, NamedTuple, Optional, Tuple

from ..dates import Day, add_days, day_of, days_between
from .catalog import dig
from .cursor import WINDOW_END, WINDOW_START
from .directory import ActivatedLegalEntity
from .employee_cursor import EMPLOYEE_KEY
from .employment import Employment
from .parent_rows import Span
from .stats import planned_calls
from .windows import lookback_within_windows, sync_start, windows

if TYPE_CHECKING:  # the class is mixed into `PaycorStream`, an HttpStream, which holds what it uses
    from airbyte_cdk.sources.streams.http import HttpStream as _StreamBase

    from .catalog import StreamSpec
    from .context import SyncContext
    from .cursor import LegalEntityWindowCursor
    from .employee_cursor import EmployeeCursor
    from .resume import FanOutProgress
    from .stats import StreamStats
else:
    _StreamBase = object


class SlicePlan(NamedTuple):
    """The slices of one parent: how many there will be, and the slices themselves, made on demand."""

    total: int
    slices: Iterator[Mapping[str, Any]]


class StreamSlicing(_StreamBase):
    """The slice planning of `PaycorStream` (mixed into it)."""

    spec: "StreamSpec"
    context: "SyncContext"
    stats: "StreamStats"
    endpoint: Mapping[str, Any]
    window_cursor: Optional["LegalEntityWindowCursor"]
    employee_cursor: Optional["EmployeeCursor"]
    _estimate: int
    _estimate_lock: threading.Lock

    # --- slices ---------------------------------------------------------------------------------
    def say_once(self, key: Any, message: str, level: int = logging.INFO) -> None:
        if not self.context.said_once.unsaid([(self.name, key)]):
            return
        self.logger.log(level, message)

    def stream_slices(self, **_: Any) -> Iterable[Optional[Mapping[str, Any]]]:
        spec = self.spec
        self.stats.start()
        cursor = self.employee_cursor or self.window_cursor
        if cursor is not None and cursor.complete:
            first = "employee" if spec.per_employee else "window"
            self.say_once(
                "complete",
                f"Stream {spec.name} was read to its end by an earlier attempt of this sync (its state says so): "
                f"nothing is read again. A new sync starts it from its first {first}.",
            )
            return
        if spec.sensitive_only and not self.context.config.include_sensitive_data:
            self.say_once(
                "sensitive",
                f"Stream {spec.name} holds only sensitive data and reads nothing while `include_sensitive_data` is "
                "off.",
            )
            return
        if spec.scope == "root":
            yield {}
        elif spec.scope == "tenant":
            for tenant_id in self.context.directory.tenant_ids():
                yield from self._plan({"tenantId": tenant_id}, None).slices
        elif spec.fan_out is None and spec.window is None:
            for entity in self.context.directory.legal_entities():
                yield from self.slices_for(entity)
        else:
            # Fan-outs and windows: plan every legal entity first (counting, not listing, the slices), so the log
            # says the number of calls to come while the slices themselves are made one at a time.
            plans = [self.plan(entity) for entity in self.context.directory.legal_entities()]
            self._say_terminated_skipped()
            self._say_employment_limits()
            self._add_planned_calls(sum(plan.total for plan in plans))
            for plan in plans:
                yield from plan.slices

    def _add_planned_calls(self, calls: int) -> None:
        """Announce `calls` more calls: the log line says the total announced so far."""
        with self._estimate_lock:
            self._estimate += calls
            total = self._estimate
        self.logger.info(planned_calls(self.spec.name, total))

    def slices_for(self, entity: ActivatedLegalEntity, span: Span = None) -> Iterable[Mapping[str, Any]]:
        """Every slice of one legal entity: all windows from the state (the whole range without a cursor), or,
        for a windowed stream read as a parent, the windows of `span` (first day, last day or None: to the end)."""
        return self.plan(entity, span).slices

    def plan(self, entity: ActivatedLegalEntity, span: Span = None) -> "SlicePlan":
        spec = self.spec
        missing = self.context.missing_product(spec, entity.legal_entity_id)
        if missing:
            self.say_once(
                ("product", entity.legal_entity_id),
                f"Stream {spec.name} skips legal entity {entity.legal_entity_id}: it does not have {missing}.",
            )
            return SlicePlan(0, iter(()))
        if self.spec.bulk is not None:  # one bulk slice; its employees are listed only if it is denied
            return SlicePlan(1, iter([{"legalEntityId": entity.legal_entity_id}]))
        return self._plan({"legalEntityId": entity.legal_entity_id}, entity.legal_entity_id, span)

    def _plan(self, base: Mapping[str, Any], legal_entity_id: Optional[int], span: Span = None) -> "SlicePlan":
        """The slices of one parent, made lazily; their windows are registered with the cursor now, all at once,
        so the saved date cannot pass a window whose slice is not made yet."""
        spec = self.spec
        fan_out: List[Tuple[Mapping[str, Any], Optional[Employment]]] = [({}, None)]
        if spec.fan_out is not None and legal_entity_id is not None:
            fan_out = self._resumed(legal_entity_id, self._fan_out(legal_entity_id))
        combos = [
            dict(combo)
            for combo in itertools.product(*([(name, value) for value in values] for name, values in spec.each.items()))
        ]
        cursor = self.window_cursor if legal_entity_id is not None else None
        progress = self.progress
        if spec.window is not None and legal_entity_id is not None:
            resumed = progress.resume_point(legal_entity_id) if progress is not None and span is None else None
            if resumed is not None and resumed.start is not None and resumed.end is not None:
                span = (resumed.start, resumed.end)  # the days the interrupted read planned: no lookback, no gap
            spans = list(self._windows(legal_entity_id, span))
            # Each employee's windows within its employment (all of them where its dates are unknown), employee by
            # employee in id order, so that an interrupted read resumes after the last employee done.
            grace = self.context.config.terminated_grace_days
            # The windows an employee's employment overlaps are consecutive: (first, end) indexes into `spans`.
            per_row = [(row, self._overlapping(spans, employment, grace)) for row, employment in fan_out]
            with self._estimate_lock:
                self.stats.undated_employees += sum(1 for _, job in fan_out if job is not None and job.hired is None)
            if cursor is not None:
                times = [0] * (len(spans) + 1)
                for _, (first, stop) in per_row:
                    times[first] += 1
                    times[stop] -= 1
                for index, (start, end) in enumerate(spans):
                    times[index + 1] += times[index]
                    cursor.register(legal_entity_id, start, end, times[index] * len(combos))
            if progress is not None and spans:
                progress.plan(
                    legal_entity_id,
                    [(str(row[EMPLOYEE_KEY]), (end - first) * len(combos)) for row, (first, end) in per_row],
                    spans[0][0],
                    spans[-1][1],
                )
            dated = (
                {
                    **base,
                    **row,
                    **combo,
                    WINDOW_START: spans[index][0].isoformat(),
                    WINDOW_END: spans[index][1].isoformat(),
                }
                for row, (first, end) in per_row
                for index in range(first, end)
                for combo in combos
            )
            return SlicePlan(sum(end - first for _, (first, end) in per_row) * len(combos), dated)
        rows = [row for row, _ in fan_out]
        if spec.fan_out_cursor is not None and legal_entity_id is not None:
            # `_fan_out` keeps only parents with a date, so `today` never stands in.
            days = [day_of(fan.get(spec.fan_out_cursor)) or self.context.today for fan in rows]
            if cursor is not None:
                for day in days:
                    cursor.register(legal_entity_id, day, day, len(combos))
            slices = (
                {**base, **fan, **combo, WINDOW_START: day.isoformat(), WINDOW_END: day.isoformat()}
                for fan, day in zip(rows, days, strict=True)
                for combo in combos
            )
            return SlicePlan(len(rows) * len(combos), slices)
        if progress is not None and legal_entity_id is not None:
            progress.plan(legal_entity_id, [(str(row[EMPLOYEE_KEY]), len(combos)) for row in rows])
        return SlicePlan(len(rows) * len(combos), ({**base, **fan, **combo} for fan in rows for combo in combos))

    @staticmethod
    def _overlapping(spans: List[Tuple[Day, Day]], employment: Optional[Employment], grace: int) -> Tuple[int, int]:
        """The windows of `spans` (consecutive, in order) within the employment: indexes first..end (exclusive)."""
        if employment is None:
            return 0, len(spans)
        inside = [index for index, (start, end) in enumerate(spans) if employment.overlaps(start, end, grace)]
        return (inside[0], inside[-1] + 1) if inside else (0, 0)

    @property
    def progress(self) -> Optional[FanOutProgress]:
        """Where a per-employee stream's interrupted read resumes (None for other streams)."""
        if not self.spec.per_employee:
            return None
        cursor = self.employee_cursor or self.window_cursor
        return cursor.progress if cursor is not None else None

    def _resumed(
        self, legal_entity_id: int, fan_out: List[Tuple[Mapping[str, Any], Optional[Employment]]]
    ) -> List[Tuple[Mapping[str, Any], Optional[Employment]]]:
        """The employees an interrupted read of this legal entity had not finished (all of them without a state)."""
        progress = self.progress
        point = progress.resume_point(legal_entity_id) if progress is not None else None
        if point is None:
            return fan_out
        left = [(row, employment) for row, employment in fan_out if str(row[EMPLOYEE_KEY]) > point.after]
        self.say_once(
            ("resumed", legal_entity_id),
            f"Stream {self.spec.name} resumes an interrupted read of legal entity {legal_entity_id}: "
            f"{len(fan_out) - len(left)} of its {len(fan_out)} employees were read before the interruption and are "
            "not read again.",
        )
        return left

    def _say_terminated_skipped(self) -> None:
        skipped, before = self.stats.terminated_skipped, self.context.config.skip_employees_terminated_before
        if before is not None and self.spec.bulk is not None:
            self.say_once(
                "terminated",
                f"Stream {self.spec.name} reads every employee in one call per legal entity: "
                f"`skip_employees_terminated_before` ({before}) would save no call, so employees terminated before "
                "it keep their rows (it applies only where the bulk route is denied and employees are read one by "
                "one).",
            )
            return
        if before is not None and self.spec.fan_out is not None and self.spec.fan_out.terminated:
            self.say_once(
                "terminated",
                f"Stream {self.spec.name} skips {skipped} employees terminated before {before} "
                "(`skip_employees_terminated_before`): "
                "their rows of this stream are absent.",
            )

    def _say_employment_limits(self) -> None:
        """What the employees' employment dates changed in this read, said once (counts of every legal entity)."""
        stats, grace = self.stats, self.context.config.terminated_grace_days
        if stats.settled_skipped:
            self.say_once(
                "settled",
                f"Stream {self.spec.name} does not read again {stats.settled_skipped} employees whose employment ended "
                f"more than {grace} days (`terminated_grace_days`) before the previous sync: their rows delivered then "
                "stay in the destination (a full refresh reads them again).",
            )
        if stats.undated_employees and self.spec.window is not None:
            self.say_once(
                "undated",
                f"Stream {self.spec.name}: {stats.undated_employees} employees have no hire date in the employee list; "
                "every date window is read for them (for the others, only the windows within their employment).",
            )

    def _terminated_before(self, parent: Mapping[str, Any]) -> bool:
        before = self.context.config.skip_employees_terminated_before
        path = self.spec.fan_out.terminated if self.spec.fan_out is not None else None
        if before is None or not path:
            return False
        ended = day_of(dig(parent, path))
        return ended is not None and ended < before

    def _fan_rows(self, legal_entity_id: int) -> List[Mapping[str, Any]]:
        """The fan-out's slice values for one legal entity (the parent records' fields, in order)."""
        return [row for row, _ in self._fan_out(legal_entity_id)]

    def _fan_out(self, legal_entity_id: int) -> List[Tuple[Mapping[str, Any], Optional[Employment]]]:
        """Per parent record to read: its slice values, and, for an employee, its employment dates. Employees come
        in id order; an incremental sync leaves out those whose employment ended long before the previous one."""
        fan_out = self.spec.fan_out
        if fan_out is None:
            return [({}, None)]
        cursor = self.spec.fan_out_cursor
        # A dated fan-out (pay runs) needs its parent only from this stream's start on.
        start = self._start(legal_entity_id) if cursor is not None else None
        previous = self._previous_read(legal_entity_id)
        grace = self.context.config.terminated_grace_days
        rows: List[Tuple[Dict[str, Any], Optional[Employment]]] = []
        for parent in self.context.parent_rows.records(fan_out.parent, legal_entity_id, start):
            if self._terminated_before(parent):
                self.stats.terminated_skipped += 1
                continue
            employment = Employment.of(parent) if self.spec.per_employee else None
            if previous is not None and employment is not None and employment.settled_before(previous, grace):
                self.stats.settled_skipped += 1
                continue
            row = {name: parent.get(source) for name, source in fan_out.fields.items()}
            if any(value is None for value in row.values()):
                continue
            rows.append((row, employment))
        if cursor is not None and start is not None:
            dated = [(day_of(row[cursor]), row, employment) for row, employment in rows]
            kept = [(day, row, employment) for day, row, employment in dated if day is not None]
            if len(kept) < len(rows):
                self.say_once(
                    "undated parents",
                    f"Stream {self.spec.name}: {len(rows) - len(kept)} {fan_out.parent} records have no {cursor}; "
                    "they are not read.",
                    logging.WARNING,
                )
            rows = [
                (row, employment) for day, row, employment in sorted(kept, key=lambda item: item[0]) if day >= start
            ]
        if self.spec.per_employee:
            rows.sort(key=lambda pair: str(pair[0][EMPLOYEE_KEY]))
        unique = {json.dumps(row, sort_keys=True, default=str): (row, employment) for row, employment in rows}
        return list(unique.values())

    def _previous_read(self, legal_entity_id: int) -> Optional[Day]:
        """The day the previous complete read of this legal entity began, in an incremental per-employee sync."""
        cursor = self.employee_cursor
        return cursor.previous_read(legal_entity_id) if cursor is not None and cursor.incremental else None

    def _start(self, legal_entity_id: int) -> Day:
        config = self.context.config
        saved = self.window_cursor.saved(legal_entity_id) if self.window_cursor is not None else None
        start, clamped = sync_start(self.context.today, config.start_date, saved, config.lookback_window_days)
        if clamped and config.start_date is not None and config.start_date < start:
            self.say_once(
                "clamped",
                f"Stream {self.spec.name}: Paycor reads at most one year back, so `start_date` {config.start_date} "
                f"is moved to {start}.",
                logging.WARNING,
            )
        return start

    def _windows(self, legal_entity_id: int, span: Span = None) -> List[Tuple[Day, Day]]:
        future_days = self.spec.window.future_days if self.spec.window is not None else 0
        end = add_days(self.context.today, future_days)
        max_days = int(self.endpoint.get("max_days") or 90)
        start = self._start(legal_entity_id)
        if span is not None:
            return windows(span[0], span[1] or end, max_days)
        saved = self.window_cursor.saved(legal_entity_id) if self.window_cursor is not None else None
        # Per employee, a lookback's own window would cost one call per employee: fitted into the windows the new
        # days need. Elsewhere (one call per legal entity) the windows stay those of the lookback, which the same
        # list read as a parent of other streams shares (`answer_cache.py`).
        fitted = lookback_within_windows(start, saved, end, max_days) if self.spec.per_employee else start
        if fitted > start and saved is not None:
            self.say_once(
                "lookback fitted",
                f"Stream {self.spec.name}: the lookback is {days_between(fitted, saved)} days, not "
                f"{self.context.config.lookback_window_days}, so that it fits in the {max_days}-day windows the new "
                "days need (a whole lookback would cost one more call per window).",
            )
        return windows(fitted, end, max_days)
