"""`PaycorStream`: the one base stream; every stream is a `StreamSpec` row read through it.

This module holds its identity (name, key, cursor, schema) and its requests: URL and route (a `Bulk` row's
method and body), the `Ocp-Apim-Subscription-Key`, `Accept` and `User-Agent` headers, query parameters,
the timeout and the error table of `errors.py`. Its slices are planned by `slicing.StreamSlicing` (tenants,
legal entities, fan-outs, enumerated values, date windows, product gating), and its pages and records read
by `pages.PageReading` (paging, answers of any shape, shaped records, parent ids, 403s per legal entity).
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any, List, Mapping, MutableMapping, Optional, Tuple, Union

from airbyte_cdk.sources.streams.http import HttpStream
from airbyte_cdk.sources.streams.http.error_handlers import BackoffStrategy, ErrorHandler

from ..dates import add_days
from ..errors import PaycorBackoff, PaycorErrorHandler, StreamErrorPolicy
from ..http_session import pin_environment
from ..shaping import RecordShaper
from ..version import USER_AGENT
from .answer_cache import is_replayed, route_through_cache
from .catalog import StreamSpec, lists_read_twice
from .context import SyncContext
from .cursor import WINDOW_END, WINDOW_START, LegalEntityWindowCursor
from .employee_cursor import EmployeeCursor
from .pages import PageReading
from .slicing import StreamSlicing
from .stats import StreamStats

PACKAGE = Path(__file__).resolve().parent.parent
ENDPOINTS: Mapping[str, Mapping[str, Any]] = json.loads((PACKAGE / "endpoints.json").read_text())
CONTEXT_KEYS = ("legalEntityId", "tenantId", WINDOW_START, WINDOW_END)
LISTS_READ_TWICE = lists_read_twice()


def load_schema(name: str) -> Mapping[str, Any]:
    return json.loads((PACKAGE / "schemas" / f"{name}.json").read_text())


class PaycorStream(StreamSlicing, PageReading, HttpStream):
    """Reads one `StreamSpec`: one partition per slice, all pages of each."""

    def __init__(
        self,
        spec: StreamSpec,
        context: SyncContext,
        *,
        endpoint: Optional[Mapping[str, Any]] = None,
        schema: Optional[Mapping[str, Any]] = None,
    ) -> None:
        """`endpoint` and `schema` default to the generated files of the catalog's row; streams found at run
        time (Report Builder reports) pass their own."""
        self.spec = spec
        self.context = context
        self.endpoint = endpoint if endpoint is not None else ENDPOINTS[spec.name]
        self.window_cursor: Optional[LegalEntityWindowCursor] = None
        self.employee_cursor: Optional[EmployeeCursor] = None
        self._schema = schema if schema is not None else load_schema(spec.name)
        # Keys, types and sensitive values of every record, compiled once from the schema.
        self._shaper = RecordShaper(self._schema, redact=not context.config.include_sensitive_data)
        self._local = threading.local()
        self.stats = StreamStats(spec.name)
        # The calls announced so far (grows when a bulk route falls back to the fan-out).
        self._estimate = 0
        self._estimate_lock = threading.Lock()
        super().__init__(authenticator=context.authenticator, api_budget=context.api_budget)
        # The CDK offers no hook for its session; pinning the environment saves a third of the CPU per call.
        pin_environment(self._http_client._session, context.config.base_url)
        if spec.name in LISTS_READ_TWICE:
            route_through_cache(self._http_client._session, context.answer_cache, context.config.base_url)

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
        for key, days in spec.dated_params.items():
            params[key] = add_days(self.context.today, days).isoformat()
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
        read_timeout = self.context.config.request_timeout_seconds
        connect_timeout = self.context.connect_timeout_seconds
        return {"timeout": read_timeout if connect_timeout is None else (connect_timeout, read_timeout)}

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
                max_time=self.context.retry_seconds,
                on_answer=lambda answer: self.stats.count_call(replayed=is_replayed(answer)),
            )
        return table

    def get_error_handler(self) -> Optional[ErrorHandler]:
        return self.error_table

    def get_backoff_strategy(self) -> Optional[BackoffStrategy]:
        return PaycorBackoff()
