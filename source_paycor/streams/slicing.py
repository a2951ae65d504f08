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
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Iterable, Iterator, List, Mapping, NamedTuple, Optional, Tuple

from .context import ActivatedLegalEntity
from .cursor import WINDOW_END, WINDOW_START
from .progress import planned_calls
from .shared import Span
from .windows import sync_start, windows

if TYPE_CHECKING:  # the class is mixed into `PaycorStream`, an HttpStream, which holds what it uses
    from airbyte_cdk.sources.streams.http import HttpStream as _StreamBase

    from .catalog import StreamSpec
    from .context import SyncContext
    from .cursor import LegalEntityWindowCursor
    from .progress import StreamStats
else:
    _StreamBase = object


def as_date(value: Any) -> Optional[date]:
    try:
        return date.fromisoformat(str(value)[:10])
    except (TypeError, ValueError):
        return None


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
    _estimate: int
    _estimate_lock: threading.Lock

    # --- slices ---------------------------------------------------------------------------------
    def say_once(self, key: Any, message: str, level: int = logging.INFO) -> None:
        if not self.context.said.new([(self.name, key)]):
            return
        self.logger.log(level, message)

    def stream_slices(self, **_: Any) -> Iterable[Optional[Mapping[str, Any]]]:
        spec = self.spec
        self.stats.start()
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
        fan_rows: List[Mapping[str, Any]] = [{}]
        if spec.fan_out is not None and legal_entity_id is not None:
            fan_rows = self._fan_rows(legal_entity_id)
        combos = [
            dict(combo)
            for combo in itertools.product(*([(name, value) for value in values] for name, values in spec.each.items()))
        ]
        cursor = self.window_cursor if legal_entity_id is not None else None
        if spec.window is not None and legal_entity_id is not None:
            spans = list(self._windows(legal_entity_id, span))
            if cursor is not None:
                for start, end in spans:
                    cursor.register(legal_entity_id, start, end, len(fan_rows) * len(combos))
            # Window by window (every employee's first window, then every employee's second...), so the
            # saved date moves forward during a long fan-out rather than only at its end.
            dated = [{WINDOW_START: start.isoformat(), WINDOW_END: end.isoformat()} for start, end in spans]
            slices = ({**base, **fan, **combo, **window} for window in dated for fan in fan_rows for combo in combos)
            return SlicePlan(len(dated) * len(fan_rows) * len(combos), slices)
        if spec.fan_out_cursor is not None and legal_entity_id is not None:
            # `_fan_rows` keeps only parents with a date, so `today` never stands in.
            days = [as_date(fan.get(spec.fan_out_cursor)) or self.context.today for fan in fan_rows]
            if cursor is not None:
                for day in days:
                    cursor.register(legal_entity_id, day, day, len(combos))
            slices = (
                {**base, **fan, **combo, WINDOW_START: day.isoformat(), WINDOW_END: day.isoformat()}
                for fan, day in zip(fan_rows, days, strict=True)
                for combo in combos
            )
            return SlicePlan(len(fan_rows) * len(combos), slices)
        return SlicePlan(
            len(fan_rows) * len(combos), ({**base, **fan, **combo} for fan in fan_rows for combo in combos)
        )

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

    def _terminated_before(self, parent: Mapping[str, Any]) -> bool:
        before = self.context.config.skip_employees_terminated_before
        path = self.spec.fan_out.terminated if self.spec.fan_out is not None else None
        if before is None or not path:
            return False
        value: Any = parent
        for part in path.split("."):
            value = value.get(part) if isinstance(value, Mapping) else None
        ended = as_date(value)
        return ended is not None and ended < before

    def _fan_rows(self, legal_entity_id: int) -> List[Mapping[str, Any]]:
        fan_out = self.spec.fan_out
        if fan_out is None:
            return [{}]
        cursor = self.spec.fan_out_cursor
        # A dated fan-out (pay runs) needs its parent only from this stream's start on.
        start = self._start(legal_entity_id) if cursor is not None else None
        rows = []
        for parent in self.context.shared.records(fan_out.parent, legal_entity_id, start):
            if self._terminated_before(parent):
                self.stats.terminated_skipped += 1
                continue
            row = {name: parent.get(source) for name, source in fan_out.fields.items()}
            if any(value is None for value in row.values()):
                continue
            rows.append(row)
        if cursor is not None and start is not None:
            dated = [(day, row) for day, row in ((as_date(row[cursor]), row) for row in rows) if day is not None]
            if len(dated) < len(rows):
                self.say_once(
                    "undated parents",
                    f"Stream {self.spec.name}: {len(rows) - len(dated)} {fan_out.parent} records have no {cursor}; "
                    "they are not read.",
                    logging.WARNING,
                )
            rows = [row for day, row in sorted(dated, key=lambda pair: pair[0]) if day >= start]
        return list({json.dumps(row, sort_keys=True, default=str): row for row in rows}.values())

    def _start(self, legal_entity_id: int) -> date:
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

    def _windows(self, legal_entity_id: int, span: Span = None) -> List[Tuple[date, date]]:
        future_days = self.spec.window.future_days if self.spec.window is not None else 0
        end = self.context.today + timedelta(days=future_days)
        start = self._start(legal_entity_id)
        if span is not None:
            start, end = span[0], span[1] or end
        return windows(start, end, int(self.endpoint.get("max_days") or 90))
