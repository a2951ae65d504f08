"""The pages and records of a `PaycorStream`: continuation-token paging, re-reads after expired tokens,
answers of any shape, records shaped against the schema, parent ids, row keys, 403s gated per legal entity.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from typing import TYPE_CHECKING, Any, Iterable, List, Mapping, Optional, Tuple

import requests
from airbyte_cdk.models import FailureType, SyncMode
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from ..envelope import response_page
from ..redaction import clean_exception
from ..shaping import RecordShaper, Tally
from .catalog import READ_AT, dig

if TYPE_CHECKING:  # the class is mixed into `PaycorStream`, an HttpStream, which holds what it uses
    from airbyte_cdk.sources.streams.http import HttpStream as _StreamBase

    from ..errors import PaycorErrorHandler
    from .catalog import StreamSpec
    from .context import SyncContext
    from .stats import StreamStats
else:
    _StreamBase = object


MAX_SLICE_RESTARTS = 5
# An empty page reached by a token is an expired token, unless re-reads keep finding it at the same place.
GENUINE_EMPTY_CONFIRMATIONS = 2


class PageReading(_StreamBase):
    """The page and record reading of `PaycorStream` (mixed into it)."""

    spec: "StreamSpec"
    context: "SyncContext"
    stats: "StreamStats"
    endpoint: Mapping[str, Any]
    _local: threading.local
    _shaper: RecordShaper

    if TYPE_CHECKING:  # defined by `PaycorStream` and `StreamSlicing`, the classes this one is mixed with

        @property
        def error_table(self) -> PaycorErrorHandler: ...
        def is_bulk(self, stream_slice: Optional[Mapping[str, Any]]) -> bool: ...
        def route(self, stream_slice: Optional[Mapping[str, Any]]) -> Tuple[str, str]: ...
        def say_once(self, key: Any, message: str, level: int = logging.INFO) -> None: ...
        def _fan_rows(self, legal_entity_id: int) -> List[Mapping[str, Any]]: ...
        def _add_planned_calls(self, calls: int) -> None: ...

    # --- pages and records ----------------------------------------------------------------------
    def read_records(
        self,
        sync_mode: SyncMode,
        cursor_field: Optional[List[str]] = None,
        stream_slice: Optional[Mapping[str, Any]] = None,
        stream_state: Optional[Mapping[str, Any]] = None,
    ) -> Iterable[Mapping[str, Any]]:
        """Every page of one slice. Continuation tokens are never checkpointed (Paycor's expire).

        A continuation token that has expired answers an empty last page: the slice is then read again
        from its first page, skipping the records already emitted (Paycor's order is stable), so
        nothing is lost and nothing is emitted twice.

        A bulk slice denied by a 403 is read again through the fan-out: one slice per parent, in turn.
        """
        if not self.is_bulk(stream_slice):
            yield from self._read_gated(stream_slice, stream_state)
            return
        self._local.bulk_denied = None
        yield from self._counted(self._read_slice(stream_slice, stream_state))
        denied = self._local.bulk_denied
        if denied is None:
            return
        legal_entity_id = int((stream_slice or {})["legalEntityId"])
        rows = self._fan_rows(legal_entity_id)
        self._add_planned_calls(len(rows))
        first = self.context.said_once.unsaid([(self.name, "bulk denied")])
        bulk = self.spec.bulk
        assert bulk is not None  # a bulk slice
        self.logger.log(
            logging.WARNING if first else logging.INFO,
            f"Stream {self.name}: Paycor denied {bulk.method} {bulk.path} in legal entity {legal_entity_id} (the "
            f'application lacks Data Access "{denied}"): reading it with one call per '
            f"{self.spec.fan_out.parent if self.spec.fan_out else 'parent'} record instead ({len(rows)} calls)"
            + (
                f' — add "{denied}" on the Data Access tab of the application to read it in bulk; further legal '
                "entities where it is denied are logged at INFO."
                if first
                else "."
            ),
        )
        for row in rows:
            yield from self._read_gated({"legalEntityId": legal_entity_id, **row}, stream_state)

    def _read_gated(
        self, stream_slice: Optional[Mapping[str, Any]], stream_state: Optional[Mapping[str, Any]]
    ) -> Iterable[Mapping[str, Any]]:
        """One slice, behind the access gate: a 403 on a (stream, parent) skips its other slices without a call.
        The probe settles with its first record (its first answer was no 403), else when the slice ends."""
        parent = self._parent_of(stream_slice)
        probe = self.context.access.enter(self.name, parent)
        if probe is None:
            return  # a 403 denied this stream in this legal entity: said once, when it came
        try:
            for record in self._counted(self._read_slice(stream_slice, stream_state)):
                if probe:
                    probe = False
                    self.context.access.settle(self.name, parent)
                yield record
        finally:
            if probe:
                self.context.access.settle(self.name, parent)

    def _counted(self, records: Iterable[Mapping[str, Any]]) -> Iterable[Mapping[str, Any]]:
        """The records, counted in the stream's totals as they are emitted (also when the read stops early)."""
        emitted = 0
        try:
            for record in records:
                emitted += 1
                yield record
        finally:
            self.stats.count_records(emitted)

    @staticmethod
    def _parent_of(stream_slice: Optional[Mapping[str, Any]]) -> Any:
        slice_values = stream_slice or {}
        return slice_values.get("legalEntityId", slice_values.get("tenantId"))

    def _read_slice(
        self, stream_slice: Optional[Mapping[str, Any]], stream_state: Optional[Mapping[str, Any]]
    ) -> Iterable[Mapping[str, Any]]:
        """The records of one slice, read again from its first page after an expired token (see `read_records`)."""
        emitted, expired_at, confirmations = 0, None, 0
        self._local.method = self.route(stream_slice)[0]
        for attempt in range(MAX_SLICE_RESTARTS + 1):
            self._local.seen_tokens = set()
            self._local.row_keys = {}
            self._local.expired = False
            self._local.pages = 0
            seen = 0  # records of this pass, the skipped ones included
            records: Iterable[Any] = self._read_pages(
                lambda request, response, state, _slice: self.parse_response(response, stream_slice=_slice),
                stream_slice,
                stream_state,
            )
            try:
                for record in records:
                    seen += 1
                    if seen <= emitted:
                        continue
                    emitted += 1
                    yield record
            except AirbyteTracedException as error:
                # The CDK's text of a failed call quotes Paycor's body and headers (`redaction.py`).
                clean_exception(error)
                raise
            if attempt:
                self.stats.count_reread_calls(self._local.pages)
            if not self._local.expired:
                return
            confirmations = confirmations + 1 if seen == emitted == expired_at else 0
            if confirmations >= GENUINE_EMPTY_CONFIRMATIONS:
                # The same empty page at the same place, read after read: a genuinely empty last page.
                self.logger.warning(
                    f"Stream {self.name}: the page after record {seen} of a slice was empty on {confirmations + 1} "
                    "reads — "
                    "Paycor's own empty last page, not an expired token; the slice ends there."
                )
                return
            expired_at = seen
            self.logger.warning(
                f"Stream {self.name}: a continuation token expired after {seen} records; reading the slice again "
                "from its first page."
            )
        raise AirbyteTracedException(
            message=f"Stream {self.name}: Paycor's continuation tokens kept expiring for one slice — "
            "run the sync again.",
            failure_type=FailureType.transient_error,
        )

    def next_page_token(self, response: requests.Response) -> Optional[Mapping[str, Any]]:
        if not response.ok:
            return None
        records, token, _ = response_page(response)
        if not records and "continuationToken=" in (response.request.url or ""):
            self._local.expired = True  # a page reached by a token should hold records
            return None
        if token is None:
            return None
        seen = self._local.seen_tokens
        if token in seen:
            self.logger.warning(
                f"Stream {self.name}: Paycor repeated a continuation token; stopping this slice's paging there."
            )
            return None
        seen.add(token)
        return {"continuationToken": token}

    def parse_response(
        self, response: requests.Response, *, stream_slice: Optional[Mapping[str, Any]] = None, **_: Any
    ) -> Iterable[Mapping[str, Any]]:
        if response.status_code == 403 and self.is_bulk(stream_slice):  # `read_records` falls back to the fan-out
            self._local.bulk_denied = self.endpoint["bulk"]["data_access"]
            return
        if response.status_code == 403:  # a missing Data Access item: the same answer for every slice of this parent
            parent = self._parent_of(stream_slice)
            if self.context.access.deny(self.name, parent, self.endpoint["data_access"]):
                self.logger.warning(
                    self.error_table.explain(response)
                    + f" (legal entity {parent}: its other slices of this stream are skipped without a call)"
                )
            return
        if not response.ok:  # an answer the error table chose to skip (a stale id, a 400 meaning "none")
            self.logger.warning(self.error_table.explain(response))
            return
        self._local.pages = getattr(self._local, "pages", 0) + 1
        page = response_page(response)
        if page.not_objects:
            self.say_once(
                "not objects",
                f"Stream {self.name}: Paycor's answer held {page.not_objects} list items that are not objects; no "
                "record can be made of them.",
                logging.WARNING,
            )
        slice_values = stream_slice or {}
        added = {key: slice_values[key] for key in self.spec.record_fields if key in slice_values}
        if self.spec.per_employee:
            added[READ_AT] = self.context.read_at
        shape, tally = self._shaper.shape, Tally()
        rows = [shape(record, tally) for record in page.records]
        self._report(tally)
        carried = self.spec.bulk.fields if self.spec.bulk is not None and self.is_bulk(stream_slice) else {}
        unkeyed = 0
        for row in rows:
            for key, value in added.items():
                if row.get(key) is None:
                    row[key] = value
            for key, source in carried.items():
                if row.get(key) is None:
                    row[key] = dig(row, source)
            if any(row.get(key) is None for key in carried):
                unkeyed += 1
                continue
            if self.spec.row_key:
                row["rowKey"] = self._row_key(row)
            yield row
        if unkeyed:
            self.say_once(
                "unkeyed bulk records",
                f"Stream {self.name}: {unkeyed} records of the bulk route lack "
                f"{', '.join(f'{source} ({key})' for key, source in carried.items())}, part of the primary key; "
                "they are not emitted (later pages are not counted here).",
                logging.WARNING,
            )

    def _report(self, tally: Tally) -> None:
        """Adds a page's shaping to the stream's totals; names drift (undeclared or mistyped fields) once."""
        if not (tally.coerced or tally.mismatched or tally.withheld or tally.undeclared):
            return  # the usual page: every value as declared
        self.stats.add_tally(tally)
        said = self.context.said_once.unsaid
        undeclared = [name for _, _, name in said((self.name, "undeclared", name) for name in sorted(tally.undeclared))]
        mismatched = [
            name for _, _, name in said((self.name, "mismatched", name) for name in sorted(tally.mismatched_fields))
        ]
        if undeclared:
            self.logger.warning(
                f"Stream {self.name}: Paycor sent fields its document does not declare, kept as camelCase columns: "
                f"{', '.join(undeclared)}."
            )
        if mismatched:
            self.logger.warning(
                f"Stream {self.name}: values of {', '.join(mismatched)} did not match their declared type and could "
                "not be converted "
                "without loss; they are kept as they came (counted in the stream's closing line)."
            )

    def _row_key(self, row: Mapping[str, Any]) -> str:
        """A stable id for a row Paycor gives none: its identifying fields and its occurrence among equals."""
        identity = json.dumps([row.get("legalEntityId"), *(row.get(field) for field in self.spec.row_key)], default=str)
        seen = self._local.row_keys
        occurrence = seen.get(identity, 0)
        seen[identity] = occurrence + 1
        return hashlib.sha256(f"{identity}#{occurrence}".encode()).hexdigest()[:32]
