"""`PaycorStream`: the one base stream; every stream is a `StreamSpec` row read through it.

It owns URL building, the `Ocp-Apim-Subscription-Key`, `Accept` and `User-Agent` headers, the request
timeout, continuation-token paging (stopping on a repeated token), the three answer shapes, key
casing (records land in the declared columns whatever casing Paycor used), the slices (tenants, legal
entities, fan-outs, enumerated values, date windows), the parent ids in every record, sensitive
fields, product gating and the error table of `errors.py`.

A row with a `Bulk` route reads one (paged) call per legal entity, with the route's method and body; a 403
there sends that legal entity through the row's fan-out (one call per employee), said once.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import threading
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Iterable, Iterator, List, Mapping, MutableMapping, NamedTuple, Optional, Tuple, Union

import requests
from airbyte_cdk.models import FailureType, SyncMode
from airbyte_cdk.sources.streams.http import HttpStream
from airbyte_cdk.sources.streams.http.error_handlers import BackoffStrategy, ErrorHandler
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from ..body import json_body
from ..envelope import parse_page
from ..errors import PaycorBackoff, PaycorErrorHandler, StreamErrorPolicy
from ..http_session import pin_environment
from ..shaping import RecordShaper, Tally
from ..version import USER_AGENT
from .catalog import StreamSpec
from .context import ActivatedLegalEntity, SyncContext
from .cursor import WINDOW_END, WINDOW_START, LegalEntityWindowCursor
from .progress import StreamStats, emit_estimate
from .windows import sync_start, windows

PACKAGE = Path(__file__).resolve().parent.parent
ENDPOINTS: Mapping[str, Mapping[str, Any]] = json.loads((PACKAGE / "endpoints.json").read_text())
CONTEXT_KEYS = ("legalEntityId", "tenantId", WINDOW_START, WINDOW_END)
MAX_SLICE_RESTARTS = 5
# An empty page reached by a token is an expired token, unless re-reads keep finding it at the same place.
GENUINE_EMPTY_CONFIRMATIONS = 2


def load_schema(name: str) -> Mapping[str, Any]:
    return json.loads((PACKAGE / "schemas" / f"{name}.json").read_text())


def _as_date(value: Any) -> Optional[date]:
    try:
        return date.fromisoformat(str(value)[:10])
    except (TypeError, ValueError):
        return None


def _dig(record: Mapping[str, Any], dotted: str) -> Any:
    """The value at a dotted path of a record (None where a step is missing)."""
    value: Any = record
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


class SlicePlan(NamedTuple):
    """The slices of one parent: how many there will be, and the slices themselves, made on demand."""

    total: int
    slices: Iterator[Mapping[str, Any]]


class PaycorStream(HttpStream):
    """Reads one `StreamSpec`: one partition per slice, all pages of each."""

    def __init__(self, spec: StreamSpec, context: SyncContext) -> None:
        self.spec = spec
        self.context = context
        self.endpoint = ENDPOINTS[spec.name]
        self.window_cursor: Optional[LegalEntityWindowCursor] = None
        self._schema = load_schema(spec.name)
        # Keys, types and sensitive values of every record, compiled once from the schema.
        self._shaper = RecordShaper(self._schema, redact=not context.config.include_sensitive_data)
        self._local = threading.local()
        self.stats = StreamStats(spec.name)
        # The calls announced in the ESTIMATE so far (grows when a bulk route falls back to the fan-out).
        self._estimate = 0
        self._estimate_lock = threading.Lock()
        super().__init__(authenticator=context.authenticator, api_budget=context.api_budget)
        # The CDK offers no hook for its session; pinning the environment saves a third of the CPU per call.
        pin_environment(self._http_client._session, context.config.base_url)

    # --- identity -------------------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def primary_key(self) -> List[str]:
        return list(self.spec.key)

    @property
    def cursor_field(self) -> List[str]:
        return [self.spec.cursor_field] if self.spec.cursor_field else []

    def get_json_schema(self) -> Mapping[str, Any]:  # type: ignore[override]  # (the CDK's is an lru_cache)
        return self._schema

    # --- requests -------------------------------------------------------------------------------
    @property
    def url_base(self) -> str:
        return self.context.config.base_url + "/"

    def is_bulk(self, stream_slice: Optional[Mapping[str, Any]]) -> bool:
        """True for a slice of the bulk route: a legal entity, without the fan-out's fields."""
        spec = self.spec
        if spec.bulk is None or spec.fan_out is None:
            return False
        return not any(name in (stream_slice or {}) for name in spec.fan_out.fields)

    def route(self, stream_slice: Optional[Mapping[str, Any]]) -> Tuple[str, str]:
        """(HTTP method, OpenAPI path template) a slice is read with."""
        bulk = self.spec.bulk
        if bulk is not None and self.is_bulk(stream_slice):
            return bulk.method, bulk.path
        return "GET", self.spec.path

    @property
    def http_method(self) -> str:
        # The CDK asks without the slice: the method of the slice this thread is reading (`_read_slice`).
        return str(getattr(self._local, "method", "GET"))

    def path(self, *, stream_slice: Optional[Mapping[str, Any]] = None, **_: Any) -> str:
        return self.route(stream_slice)[1].lstrip("/").format(**(stream_slice or {}))

    def request_body_data(
        self,
        stream_state: Optional[Mapping[str, Any]] = None,
        stream_slice: Optional[Mapping[str, Any]] = None,
        next_page_token: Optional[Mapping[str, Any]] = None,
    ) -> Optional[Union[Mapping[str, Any], str]]:
        # The JSON body as text: the CDK drops a falsy `request_body_json`, and Paycor requires `{}`.
        bulk = self.spec.bulk
        if bulk is None or bulk.body is None or not self.is_bulk(stream_slice):
            return None
        return json.dumps(bulk.body)

    def request_params(
        self,
        stream_state: Optional[Mapping[str, Any]] = None,
        stream_slice: Optional[Mapping[str, Any]] = None,
        next_page_token: Optional[Mapping[str, Any]] = None,
    ) -> MutableMapping[str, Any]:
        spec = self.spec
        if self.is_bulk(stream_slice):  # the bulk route takes its body, and the page's token
            return dict(next_page_token or {})
        params: MutableMapping[str, Any] = {key: list(values) for key, values in spec.params.items()}
        if self.context.config.include_sensitive_data:
            params.update({key: list(values) for key, values in spec.sensitive_params.items()})
        for setting, extra in spec.setting_params.items():
            if getattr(self.context.config, setting) is not None:
                params.update({key: list(values) for key, values in extra.items()})
        for key, days in spec.dated_params.items():
            params[key] = (self.context.today + timedelta(days=days)).isoformat()
        record_only = spec.fan_out.record_only if spec.fan_out else ()
        for key, value in (stream_slice or {}).items():
            if key in CONTEXT_KEYS or key in record_only or "{" + key + "}" in spec.path:
                continue
            params[key] = value
        if spec.window and stream_slice:
            params[spec.window.start_param] = stream_slice[WINDOW_START]
            params[spec.window.end_param] = stream_slice[WINDOW_END]
        if next_page_token:
            params.update(next_page_token)
        return params

    def request_headers(
        self,
        stream_state: Optional[Mapping[str, Any]] = None,
        stream_slice: Optional[Mapping[str, Any]] = None,
        next_page_token: Optional[Mapping[str, Any]] = None,
    ) -> Mapping[str, Any]:
        headers = {
            "Ocp-Apim-Subscription-Key": self.context.config.subscription_key,
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
        }
        if self.request_body_data(stream_state, stream_slice, next_page_token) is not None:
            headers["Content-Type"] = "application/json"
        return headers

    def request_kwargs(
        self,
        stream_state: Optional[Mapping[str, Any]] = None,
        stream_slice: Optional[Mapping[str, Any]] = None,
        next_page_token: Optional[Mapping[str, Any]] = None,
    ) -> Mapping[str, Any]:
        return {"timeout": self.context.config.request_timeout_seconds}

    @property
    def error_table(self) -> PaycorErrorHandler:
        """The stream's row of the error table (made once)."""
        table: Optional[PaycorErrorHandler] = getattr(self, "_error_table", None)
        if table is None:
            table = self._error_table = PaycorErrorHandler(
                StreamErrorPolicy(
                    stream_name=self.spec.name,
                    data_access=self.endpoint["data_access"],
                    skip_not_found=self.spec.skip_not_found,
                    empty_when_400_says=self.spec.empty_when_400_says,
                ),
                on_answer=self.stats.count_call,
            )
        return table

    def get_error_handler(self) -> Optional[ErrorHandler]:
        return self.error_table

    def get_backoff_strategy(self) -> Optional[BackoffStrategy]:
        return PaycorBackoff()

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
            # Fan-outs and windows: plan every legal entity first (counting, not listing, the slices), so the UI
            # gets the number of calls to come while the slices themselves are made one at a time.
            plans = [self.plan(entity) for entity in self.context.directory.legal_entities()]
            self._say_terminated_skipped()
            self._add_to_estimate(sum(plan.total for plan in plans))
            for plan in plans:
                yield from plan.slices

    def _add_to_estimate(self, calls: int) -> None:
        """Announce `calls` more calls: the ESTIMATE is the total announced so far."""
        with self._estimate_lock:
            self._estimate += calls
            total = self._estimate
        emit_estimate(self.context.message_repository, self.spec.name, total)

    def slices_for(self, entity: ActivatedLegalEntity) -> Iterable[Mapping[str, Any]]:
        """Every slice of one legal entity (all windows from the state, or the whole range without a cursor)."""
        return self.plan(entity).slices

    def plan(self, entity: ActivatedLegalEntity) -> "SlicePlan":
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
        return self._plan({"legalEntityId": entity.legal_entity_id}, entity.legal_entity_id)

    def _plan(self, base: Mapping[str, Any], legal_entity_id: Optional[int]) -> "SlicePlan":
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
            spans = list(self._windows(legal_entity_id))
            if cursor is not None:
                for start, end in spans:
                    cursor.register(legal_entity_id, start, end, len(fan_rows) * len(combos))
            # Window by window (every employee's first window, then every employee's second...), so the
            # saved date moves forward during a long fan-out rather than only at its end.
            dated = [{WINDOW_START: start.isoformat(), WINDOW_END: end.isoformat()} for start, end in spans]
            slices = ({**base, **fan, **combo, **span} for span in dated for fan in fan_rows for combo in combos)
            return SlicePlan(len(dated) * len(fan_rows) * len(combos), slices)
        if spec.fan_out_cursor is not None and legal_entity_id is not None:
            # `_fan_rows` keeps only parents with a date, so `today` never stands in.
            days = [_as_date(fan.get(spec.fan_out_cursor)) or self.context.today for fan in fan_rows]
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
        ended = _as_date(value)
        return ended is not None and ended < before

    def _fan_rows(self, legal_entity_id: int) -> List[Mapping[str, Any]]:
        fan_out = self.spec.fan_out
        if fan_out is None:
            return [{}]
        rows = []
        for parent in self.context.shared.records(fan_out.parent, legal_entity_id):
            if self._terminated_before(parent):
                self.stats.terminated_skipped += 1
                continue
            row = {name: parent.get(source) for name, source in fan_out.fields.items()}
            if any(value is None for value in row.values()):
                continue
            rows.append(row)
        cursor = self.spec.fan_out_cursor
        if cursor is not None:
            start = self._start(legal_entity_id)
            dated = [(day, row) for day, row in ((_as_date(row[cursor]), row) for row in rows) if day is not None]
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

    def _windows(self, legal_entity_id: int) -> List[Tuple[date, date]]:
        future_days = self.spec.window.future_days if self.spec.window is not None else 0
        end = self.context.today + timedelta(days=future_days)
        return windows(self._start(legal_entity_id), end, int(self.endpoint.get("max_days") or 90))

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
        emitted = 0
        try:
            for record in self._read_slice(stream_slice, stream_state):
                emitted += 1
                yield record
        finally:
            self.stats.count_records(emitted)
        denied = self._local.bulk_denied
        if denied is None:
            return
        legal_entity_id = int((stream_slice or {})["legalEntityId"])
        rows = self._fan_rows(legal_entity_id)
        self._add_to_estimate(len(rows))
        first = self.context.said.new([(self.name, "bulk denied")])
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
        """One slice, behind the access gate: a 403 on a (stream, parent) skips its other slices without a call."""
        parent = self._parent_of(stream_slice)
        probe = self.context.access.enter(self.name, parent)
        if probe is None:
            return  # a 403 denied this stream in this legal entity: said once, when it came
        emitted = 0
        try:
            for record in self._read_slice(stream_slice, stream_state):
                emitted += 1
                yield record
        finally:
            self.stats.count_records(emitted)
            if probe:
                self.context.access.settle(self.name, parent)

    @staticmethod
    def _parent_of(stream_slice: Optional[Mapping[str, Any]]) -> Any:
        piece = stream_slice or {}
        return piece.get("legalEntityId", piece.get("tenantId"))

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
            for record in records:
                seen += 1
                if seen <= emitted:
                    continue
                emitted += 1
                yield record
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
        records, token, _ = parse_page(json_body(response))
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
        page = parse_page(json_body(response))
        if page.not_objects:
            self.say_once(
                "not objects",
                f"Stream {self.name}: Paycor's answer held {page.not_objects} list items that are not objects; no "
                "record can be made of them.",
                logging.WARNING,
            )
        piece = stream_slice or {}
        added = {key: piece[key] for key in self.spec.record_fields if key in piece}
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
                    row[key] = _dig(row, source)
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
        if not (tally.coerced or tally.mismatched or tally.redacted or tally.undeclared):
            return  # the usual page: every value as declared
        self.stats.add_tally(tally)
        said = self.context.said.new
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
