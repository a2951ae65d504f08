"""`PaycorStream`: the one base stream; every stream is a `StreamSpec` row read through it.

It owns URL building, the `Ocp-Apim-Subscription-Key`, `Accept` and `User-Agent` headers, the request
timeout, continuation-token paging (stopping on a repeated token), the three answer shapes, key
casing (records land in the declared columns whatever casing Paycor used), the parent id in every
record, and the error table of `errors.py`.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any, Iterable, List, Mapping, MutableMapping, Optional

import requests

from airbyte_cdk.models import SyncMode
from airbyte_cdk.sources.streams.http import HttpStream
from airbyte_cdk.sources.streams.http.error_handlers import BackoffStrategy, ErrorHandler

from ..casing import KeyNormalizer
from ..envelope import parse_page
from ..errors import PaycorBackoff, PaycorErrorHandler, StreamErrorPolicy, json_body
from ..version import USER_AGENT
from .catalog import StreamSpec
from .context import SyncContext

PACKAGE = Path(__file__).resolve().parent.parent
ENDPOINTS: Mapping[str, Mapping[str, str]] = json.loads((PACKAGE / "endpoints.json").read_text())


def load_schema(name: str) -> Mapping[str, Any]:
    return json.loads((PACKAGE / "schemas" / f"{name}.json").read_text())


class PaycorStream(HttpStream):
    """Reads one `StreamSpec`: one slice per parent (tenant or legal entity), all pages of each."""

    def __init__(self, spec: StreamSpec, context: SyncContext) -> None:
        self.spec = spec
        self.context = context
        self.endpoint = ENDPOINTS[spec.name]
        self._schema = load_schema(spec.name)
        self._normalize = KeyNormalizer(self._schema).normalize
        self._local = threading.local()
        super().__init__(authenticator=context.authenticator, api_budget=context.api_budget)

    # --- identity -------------------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def primary_key(self) -> List[str]:
        return list(self.spec.key)

    def get_json_schema(self) -> Mapping[str, Any]:
        return self._schema

    # --- requests -------------------------------------------------------------------------------
    @property
    def url_base(self) -> str:
        return self.context.config.base_url + "/"

    def path(self, *, stream_slice: Optional[Mapping[str, Any]] = None, **_: Any) -> str:
        return self.spec.path.lstrip("/").format(**(stream_slice or {}))

    def request_params(self, next_page_token: Optional[Mapping[str, Any]] = None, **_: Any) -> MutableMapping[str, Any]:
        params: MutableMapping[str, Any] = {key: list(values) for key, values in self.spec.params.items()}
        if next_page_token:
            params.update(next_page_token)
        return params

    def request_headers(self, **_: Any) -> Mapping[str, Any]:
        return {
            "Ocp-Apim-Subscription-Key": self.context.config.subscription_key,
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
        }

    def request_kwargs(self, **_: Any) -> Mapping[str, Any]:
        return {"timeout": self.context.config.request_timeout_seconds}

    def get_error_handler(self) -> Optional[ErrorHandler]:
        return PaycorErrorHandler(
            StreamErrorPolicy(stream_name=self.spec.name, data_access=self.endpoint["data_access"]),
        )

    def get_backoff_strategy(self) -> Optional[BackoffStrategy]:
        return PaycorBackoff()

    # --- slices and pages -----------------------------------------------------------------------
    def stream_slices(self, **_: Any) -> Iterable[Optional[Mapping[str, Any]]]:
        parent = self.spec.parent_field
        if parent == "tenantId":
            return [{"tenantId": tenant_id} for tenant_id in self.context.directory.tenant_ids()]
        if parent == "legalEntityId":
            return [{"legalEntityId": entity.legal_entity_id} for entity in self.context.directory.legal_entities()]
        return [{}]

    def read_records(
        self,
        sync_mode: SyncMode,
        cursor_field: Optional[List[str]] = None,
        stream_slice: Optional[Mapping[str, Any]] = None,
        stream_state: Optional[Mapping[str, Any]] = None,
    ) -> Iterable[Mapping[str, Any]]:
        """Every page of one slice. Continuation tokens are never checkpointed (Paycor's expire)."""
        self._local.seen_tokens = set()
        yield from self._read_pages(
            lambda request, response, state, _slice: self.parse_response(response, stream_slice=_slice),
            stream_slice,
            stream_state,
        )

    def next_page_token(self, response: requests.Response) -> Optional[Mapping[str, Any]]:
        if not response.ok:
            return None
        _, token = parse_page(json_body(response), self.endpoint["shape"])
        if token is None:
            return None
        seen = self._local.seen_tokens
        if token in seen:
            self.logger.warning(f"Stream {self.name}: Paycor repeated a continuation token; stopping this slice's paging there.")
            return None
        seen.add(token)
        return {"continuationToken": token}

    def parse_response(
        self, response: requests.Response, *, stream_slice: Optional[Mapping[str, Any]] = None, **_: Any
    ) -> Iterable[Mapping[str, Any]]:
        if not response.ok:  # an answer the error table chose to skip (403, or a 400 meaning "none")
            self.logger.warning(self.get_error_handler().interpret_response(response).error_message)
            return
        records, _ = parse_page(json_body(response), self.endpoint["shape"])
        parent_ids = dict(stream_slice or {})
        normalize = self._normalize
        for record in records:
            row = normalize(record)
            for key, value in parent_ids.items():
                if row.get(key) is None:
                    row[key] = value
            yield row

