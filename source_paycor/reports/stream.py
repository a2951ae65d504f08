"""One Report Builder template as a stream: `GET /v1/Reporting/{legalEntityId}/TemplateData/{templateId}/{userId}`
for every legal entity the sync reads, every page, every row.

It is a `PaycorStream` (the same requests, call budget, error table and 403 handling per legal entity as every
stream) whose `StreamSpec` is made at run time. Each page holds data sets (`{headers, data, footers,
totalRows}`); each row of `data` becomes a record (`rows.RowReader`), shaped against the stream's schema (so
numeric strings become numbers, and drift is said once), with `legalEntityId` and `templateId` added. Paging
follows the envelope's `continuationToken` (or the one in `additionalResultsUrl`), though Paycor's document
declares none on this route. A 404 ends the stream incomplete with one warning: its other legal entities are
not asked.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Mapping, MutableMapping, Optional, Set, Tuple
from urllib.parse import quote

import requests
from airbyte_cdk.models import SyncMode

from ..envelope import response_page
from ..shaping import Tally
from ..streams.base import PaycorStream
from ..streams.catalog import StreamSpec
from ..streams.context import SyncContext
from .columns import Column, columns_of, field
from .rows import RowReader

TEMPLATE_DATA = "/v1/Reporting/{legalEntityId}/TemplateData/{templateId}/{userId}"
TEMPLATE_DATA_ACCESS = "View Single Report Template of a User"
TEMPLATE_DATA_ENDPOINT: Mapping[str, Any] = {
    "data_access": TEMPLATE_DATA_ACCESS,
    "path": TEMPLATE_DATA,
    "shape": "paged",
}


@dataclass(frozen=True)
class ReportTemplate:
    """A template of a reporting user, as `ReportIdentifiers` lists it, and the stream name it was given."""

    template_id: str
    display_name: str
    user_id: str
    # The reporting user's legal entity (where discovery reads the template's first page).
    user_legal_entity_id: Optional[int]
    stream_name: str = ""


def template_path(template: ReportTemplate) -> str:
    """TemplateData's path with the template and user filled in (the legal entity stays a placeholder)."""
    return TEMPLATE_DATA.replace("{templateId}", quote(template.template_id, safe="")).replace(
        "{userId}", quote(template.user_id, safe="")
    )


def template_spec(template: ReportTemplate) -> StreamSpec:
    return StreamSpec(
        template.stream_name,
        template_path(template),
        primary_key=(),  # none: the platform lets the user choose one (Report Builder rows carry no declared id)
        family="reports",
        parent_in_key=False,
        skip_not_found=True,  # a 404 reaches `parse_response`, which ends the stream incomplete
        description=f'Rows of the Report Builder report "{template.display_name}" (template {template.template_id}).',
    )


class ReportStream(PaycorStream):
    """Reads one report template in every legal entity of the sync."""

    def __init__(self, template: ReportTemplate, context: SyncContext, schema: Mapping[str, Any]) -> None:
        super().__init__(template_spec(template), context, endpoint=TEMPLATE_DATA_ENDPOINT, schema=schema)
        self.template = template
        self._readers: Dict[str, Tuple[RowReader, List[Column]]] = {}
        self._readers_lock = threading.Lock()
        # Legal entities where Paycor answered 404 for the template: the stream then ends incomplete.
        self.not_found: Set[Any] = set()
        # The first slice's first answer comes before the other slices ask (a 404 is then asked once).
        self._first_answered = threading.Event()
        self._first_taken = False

    def read_records(
        self,
        sync_mode: SyncMode,
        cursor_field: Optional[List[str]] = None,
        stream_slice: Optional[Mapping[str, Any]] = None,
        stream_state: Optional[Mapping[str, Any]] = None,
    ) -> Iterable[Mapping[str, Any]]:
        with self._readers_lock:
            first, self._first_taken = not self._first_taken, True
        if not first:  # bounded: past it, the slice asks anyway (at worst one more 404)
            self._first_answered.wait(timeout=3 * self.context.config.request_timeout_seconds)
        try:
            if self.not_found:  # the template is gone: no further call (said once, when the 404 came)
                return
            yield from super().read_records(sync_mode, cursor_field, stream_slice, stream_state)
        finally:
            if first:
                self._first_answered.set()

    def _reader(self, headers: Any) -> RowReader:
        """The row reader of a list of headers (made once per distinct list: usually once per stream)."""
        key = repr(headers)
        with self._readers_lock:
            made = self._readers.get(key)
            if made is None:
                columns = columns_of(headers)
                made = self._readers[key] = (RowReader(columns), columns)
                unknown = sorted({repr(column.unknown_code) for column in columns if column.unknown_code is not None})
                if unknown:
                    self.say_once(
                        ("types", key),
                        f"Stream {self.name}: Paycor sent clientDataType {', '.join(unknown)}, which its document "
                        "does not list; those columns are read as strings.",
                        logging.WARNING,
                    )
        return made[0]

    def parse_response(
        self, response: requests.Response, *, stream_slice: Optional[Mapping[str, Any]] = None, **_: Any
    ) -> Iterable[Mapping[str, Any]]:
        self._first_answered.set()
        if response.status_code == 404:
            legal_entity_id = self._parent_of(stream_slice)
            first = not self.not_found
            self.not_found.add(legal_entity_id)
            if first:
                self.logger.warning(
                    f"Stream {self.name}: Paycor answered 404 for report template {self.template.template_id} "
                    f'("{self.template.display_name}") in legal entity {legal_entity_id} — the template was deleted '
                    "or its user can no longer read it, so the stream ends incomplete; run `discover` again."
                )
            return
        if not response.ok:  # 403 (per legal entity, as every stream) and the answers the error table skips
            yield from super().parse_response(response, stream_slice=stream_slice)
            return
        self._local.pages = getattr(self._local, "pages", 0) + 1
        page = response_page(response)
        legal_entity_id = (stream_slice or {}).get("legalEntityId")
        template_id = self.template.template_id
        shape, tally = self._shaper.shape, Tally()
        out: List[MutableMapping[str, Any]] = []
        for data_set in page.records:
            reader = self._reader(field(data_set, "headers"))
            rows = field(data_set, "data")
            if rows is None:
                continue
            if not isinstance(rows, list):
                rows = [rows]
            for row in rows:
                record = reader.record(row)
                if record is None:
                    continue
                shaped = shape(record, tally)
                shaped["legalEntityId"] = legal_entity_id
                shaped["templateId"] = template_id
                out.append(shaped)
            self._say_dropped(reader)
        self._report(tally)
        yield from out

    def _say_dropped(self, reader: RowReader) -> None:
        if reader.surplus:
            self.say_once(
                "surplus",
                f"Stream {self.name}: rows held more values than the report has headers; the values beyond the "
                "last header are not emitted (counted from the first page they appeared on).",
                logging.WARNING,
            )
        if reader.not_rows:
            self.say_once(
                "not rows",
                f"Stream {self.name}: the report's data held entries that are neither objects nor lists; no record "
                "can be made of them.",
                logging.WARNING,
            )
