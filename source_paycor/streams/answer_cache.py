"""Answers of the lists one sync reads twice — as a selected stream and as the parent of other streams —
asked of Paycor once and replayed to the second reader.

`services`, `pay_groups`, `labor_profiles`, `ats_accounts`, `ats_jobs` and `payroll_processing` are
streams of their own and the parents other streams fan out from (`parent_rows.ParentRows`); each reader
is its own stream object (its own pages, shaping, counts and messages), so both send the same requests.
The sessions of those streams share one `AnswerCache`: the first request for a URL goes to Paycor
(another thread asking for the same URL meanwhile waits for it), a whole list in one answer (a 200
holding records and no continuation token, asked without one) is kept for the rest of the sync, and the
same URL later is answered from it — without a call, and without asking the call budget: a session routed
through the cache hands a request it will replay straight to its adapter, past the CDK's rate-limiting `send`. A list of
several pages is read by each reader, as Paycor's continuation tokens may be single-use or expire (a
replayed first page would hand out a spent token, and the connector's re-read of a slice after an
expired token needs a fresh one). Errors and retries are never kept: they go to Paycor as before.

What is kept is small (a few lists per legal entity, pay runs of a year), and only for those routes.

The wait for another reader's answer is bounded: the lock of a URL is held across one network call (the
call budget is drawn before, retries happen after), each of whose socket operations ends within the
request's timeout; a reader waits at most `PATIENCE_FACTOR` times its own request timeout, then asks
Paycor itself (said once per sync).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any, Dict, Mapping, Optional, Set

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from ..body import InvalidBody
from ..dates import seconds
from ..envelope import response_page

# Set on a replayed response (the CDK reads the same attribute of requests-cache responses: no quota spent).
REPLAYED = "from_cache"
# A reader waits for another reader's answer to the same URL at most this many times its request timeout.
PATIENCE_FACTOR = 2
# The patience of a request sent without a timeout (the connector sends none such: `request_kwargs`).
UNTIMED_PATIENCE = 120.0

logger = logging.getLogger("airbyte")


def patience(kwargs: Mapping[str, Any]) -> float:
    """How long a request sent with `kwargs` waits for another reader's answer to its URL."""
    timeout = kwargs.get("timeout")
    if isinstance(timeout, tuple):
        timeout = sum(part for part in timeout if isinstance(part, (int, float))) or None
    if isinstance(timeout, (int, float)) and timeout > 0:
        return PATIENCE_FACTOR * float(timeout)
    return UNTIMED_PATIENCE


def is_replayed(answer: Any) -> bool:
    return bool(getattr(answer, REPLAYED, False))


@dataclass(frozen=True)
class _KeptAnswer:
    status_code: int
    reason: Optional[str]
    headers: Mapping[str, str]
    content: bytes
    encoding: Optional[str]

    @classmethod
    def of(cls, response: requests.Response) -> "_KeptAnswer":
        return cls(response.status_code, response.reason, dict(response.headers), response.content, response.encoding)

    def replay(self, request: requests.PreparedRequest) -> requests.Response:
        response = requests.Response()
        response.status_code = self.status_code
        response.reason = self.reason  # type: ignore[assignment]
        response.headers = CaseInsensitiveDict(self.headers)
        response._content = self.content
        response._content_consumed = True  # type: ignore[attr-defined]
        response.encoding = self.encoding
        response.url = request.url or ""
        response.request = request
        response.elapsed = seconds(0)
        setattr(response, REPLAYED, True)
        return response


def _whole_list(response: requests.Response) -> bool:
    """A 200 that is a list's only page: records in any envelope, no continuation token, none asked with."""
    if response.status_code != 200 or "continuationToken=" in (response.request.url or ""):
        return False
    try:
        return response_page(response).next_token is None
    except InvalidBody:
        return False


class AnswerCache:
    """The kept answers of one sync, by URL (GET only)."""

    def __init__(self) -> None:
        self._kept: Dict[str, _KeptAnswer] = {}
        self._locks: Dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        self._said: Set[str] = set()

    def will_replay(self, request: Any) -> bool:
        """Whether `request` will be answered from a kept answer (it then asks no slot of the call budget)."""
        return isinstance(request, requests.PreparedRequest) and request.method == "GET" and request.url in self._kept

    def send(self, request: requests.PreparedRequest, adapter: BaseAdapter, **kwargs: Any) -> requests.Response:
        url = request.url or ""
        if request.method != "GET":
            return adapter.send(request, **kwargs)
        with self._guard:
            lock = self._locks.setdefault(url, threading.Lock())
        # One request per URL at a time: the second reader waits for the first answer, for a bounded time.
        waited = patience(kwargs)
        if not lock.acquire(timeout=waited):
            self._say_once(
                "slow",
                f"A list read both as a stream and as a parent of other streams had no answer after {waited:g} s; "
                "its second reader asks Paycor itself.",
            )
            return adapter.send(request, **kwargs)
        try:
            kept = self._kept.get(url)
            if kept is not None:
                return kept.replay(request)
            response = adapter.send(request, **kwargs)
            if _whole_list(response):
                self._kept[url] = _KeptAnswer.of(response)
            return response
        finally:
            lock.release()

    def _say_once(self, key: str, message: str) -> None:
        with self._guard:
            if key in self._said:
                return
            self._said.add(key)
        logger.warning(message)


class _CachingAdapter(BaseAdapter):
    """A transport adapter that sends through the session's own adapter, by way of the answer cache."""

    def __init__(self, cache: AnswerCache, inner: BaseAdapter) -> None:
        super().__init__()
        self._cache = cache
        self._inner = inner

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        return self._cache.send(request, self._inner, **kwargs)

    def close(self) -> None:
        self._inner.close()


def route_through_cache(session: requests.Session, cache: AnswerCache, base_url: str) -> None:
    """Route `session`'s requests to `base_url` through `cache` (keeping the session's own adapter).

    A request the cache will replay skips the session's own `send` (the CDK's `LimiterSession` draws a slot of the
    call budget there): plain `requests.Session.send` hands it to the adapter, which replays it.
    """
    prefix = base_url.rstrip("/") + "/"
    session.mount(prefix, _CachingAdapter(cache, session.get_adapter(prefix)))
    budgeted_send = session.send

    def send(request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        if cache.will_replay(request):
            return requests.Session.send(session, request, **kwargs)
        return budgeted_send(request, **kwargs)

    session.send = send  # type: ignore[method-assign]
