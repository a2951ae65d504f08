"""Report Builder reports as streams: one stream per report template of the reporting user(s).

`ReportStreams` is the source's one hook: `discover` asks it for every template's stream (with schemas from
their headers), `read` hands it the catalog's report streams (their schemas come from the catalog), and it
marks a stream whose template Paycor no longer finds as INCOMPLETE. Outside those two commands it offers
nothing and makes no call.

- `discovery.py`: which templates (ReportingUsers, ReportIdentifiers) and their headers;
- `naming.py`: stream and column names from display names;
- `columns.py`: columns and JSON schema from the headers (`clientDataType` as a name or a code);
- `rows.py`: rows keyed by field id or display name, or arrays in header order → records;
- `stream.py`: `ReportStream`, a `PaycorStream` reading TemplateData in every legal entity of the sync.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, Iterable, List, Mapping, Optional

from airbyte_cdk.models import (
    AirbyteMessage,
    AirbyteStreamStatus,
    ConfiguredAirbyteStream,
    TraceType,
    Type,
)

from ..streams.context import SyncContext
from .discovery import ReportDiscovery
from .naming import STREAM_PREFIX
from .stream import ReportStream, ReportTemplate

__all__ = ["ReportStreams", "ReportStream", "ReportTemplate", "STREAM_PREFIX"]

logger = logging.getLogger("airbyte")


class ReportStreams:
    """The report streams of one command (see the module's docstring)."""

    def __init__(self, context: SyncContext) -> None:
        self.context = context
        self._mode: Optional[str] = None  # None (offer nothing), "discover" or "read"
        self._selected: Dict[str, Mapping[str, Any]] = {}
        self._streams: Optional[List[ReportStream]] = None
        self.missing: List[ConfiguredAirbyteStream] = []

    def discovering(self) -> None:
        """`discover`: every template is offered, its schema made from its first page's headers."""
        self._mode = "discover"

    def select(self, configured: Iterable[ConfiguredAirbyteStream], unknown: List[str]) -> List[str]:
        """`read`: the catalog's streams named `report_…` among those no catalog row offers are report streams;
        returns the names still unknown."""
        wanted = {
            stream.stream.name: stream
            for stream in configured
            if stream.stream.name in unknown and stream.stream.name.startswith(STREAM_PREFIX)
        }
        if not wanted:
            return unknown
        self._mode = "read"
        self._selected = {name: stream.stream.json_schema for name, stream in wanted.items()}
        offered = {stream.name for stream in self.streams()}
        self.missing = [stream for name, stream in wanted.items() if name not in offered]
        for stream in self.missing:
            logger.warning(
                f"Stream {stream.stream.name}: no Report Builder template of the reporting user(s) has this stream "
                "name now (renamed or deleted in Paycor, or Report Builder no longer readable) — it reads nothing "
                "this sync (the CDK marks it INCOMPLETE); run `discover` again, or pin the name to the template's "
                "ID in `report_templates`."
            )
        return [name for name in unknown if name not in wanted]

    def streams(self) -> List[ReportStream]:
        if self._streams is None:
            self._streams = self._build()
        return self._streams

    def _build(self) -> List[ReportStream]:
        if self._mode is None:
            return []
        discovery = ReportDiscovery(self.context)
        templates = discovery.templates()
        if self._mode == "discover":
            found = discovery.schemas(templates)
            if found:
                logger.info(
                    f"Report Builder: {len(found)} report streams: "
                    + ", ".join(f"{template.stream_name} (template {template.template_id})" for template, _ in found)
                    + "."
                )
            return [ReportStream(template, self.context, schema) for template, schema in found]
        return [
            ReportStream(template, self.context, self._selected[template.stream_name])
            for template in templates
            if template.stream_name in self._selected
        ]

    def mark(self, message: AirbyteMessage) -> AirbyteMessage:
        """A report stream that met a 404 ends INCOMPLETE (the CDK would say COMPLETE: nothing raised)."""
        trace = message.trace if message.type == Type.TRACE else None
        status = trace.stream_status if trace is not None and trace.type == TraceType.STREAM_STATUS else None
        if status is None or status.status != AirbyteStreamStatus.COMPLETE or self._streams is None:
            return message
        if any(stream.not_found and stream.name == status.stream_descriptor.name for stream in self._streams):
            status.status = AirbyteStreamStatus.INCOMPLETE
        return message
