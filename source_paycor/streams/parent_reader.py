"""How a parent's rows are read for `parent_rows.ParentRows`: one stream object per parent for the whole sync.

One stream per parent, so that what it says once (drift, skips) is said once, not once per legal entity. Where
Paycor denies a parent in a legal entity (403) and the catalog names a `denied_fallback` (the employee list
without its employment dates), the fallback is read there instead, said once per legal entity.
"""

from __future__ import annotations

import logging
import threading
from typing import Any, Dict, List, Mapping

from airbyte_cdk.models import SyncMode

from .base import PaycorStream
from .catalog import StreamSpec
from .context import SyncContext
from .parent_rows import Span

logger = logging.getLogger("airbyte")


class ParentReader:
    """`read(name, legal_entity_id, span)`: the rows of the parent stream `name` in one legal entity."""

    def __init__(self, context: SyncContext, specs: Mapping[str, StreamSpec]) -> None:
        self._context = context
        self._specs = specs
        self._streams: Dict[str, PaycorStream] = {}
        self._lock = threading.Lock()

    def _stream(self, name: str) -> PaycorStream:
        with self._lock:
            return self._streams.get(name) or self._streams.setdefault(
                name, PaycorStream(self._specs[name], self._context)
            )

    def read(self, name: str, legal_entity_id: int, span: Span) -> List[Mapping[str, Any]]:
        context = self._context
        stream = self._stream(name)
        rows: List[Mapping[str, Any]] = []
        for stream_slice in stream.slices_for(context.directory.entity(legal_entity_id), span):
            rows.extend(stream.read_records(SyncMode.full_refresh, stream_slice=stream_slice))
        fallback = self._specs[name].denied_fallback
        if fallback is not None and legal_entity_id in context.access.denied().get(name, {}):
            context.access.withdraw(name, legal_entity_id)
            logger.warning(
                f"Paycor denied the employee list of legal entity {legal_entity_id} with its employment dates "
                '(include=EmploymentDates needs Data Access "View Legal Entity Employees Employment Dates"): it is '
                "read without them, so per-employee streams read every employee and every date window there."
            )
            return self.read(fallback, legal_entity_id, span)
        return rows
