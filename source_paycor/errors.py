"""Paycor's answers → what the connector does: retry, refresh, skip or fail, each with its own sentence.

Errors are data: `PAYCOR_ERROR_MAPPING` (status or exception → action, failure type, sentence) is layered
on the CDK's `DEFAULT_ERROR_MAPPING`; where Paycor's row only rewords the CDK's, the CDK's action and
failure type are kept. Small functions stand in for the rows that depend on the body (a 401 about the
subscription key or the token, a 400 saying "nothing here", a 200 that is not records) or on the stream
(what a 404 means). Here a retry is decided, and how long it waits: the one `PaycorBackoff`, of data calls and of
the token call. The rows' sentences are constants of `error_sentences.py` (its docstring says where the others
live); Paycor's error bodies are read by `error_body.py`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Callable, Dict, Mapping, Optional, Sequence, Tuple, Type, Union

import requests
from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.streams.http.error_handlers import (
    BackoffStrategy,
    ErrorHandler,
    ErrorResolution,
    ResponseAction,
)
from airbyte_cdk.sources.streams.http.error_handlers.default_error_mapping import DEFAULT_ERROR_MAPPING
from requests.exceptions import InvalidSchema, InvalidURL, MissingSchema, RequestException

from .body import InvalidBody, body_preview, is_error_body, json_body
from .envelope import response_page
from .error_body import paycor_error_text, retry_after_seconds, subscription_key_refused
from .error_sentences import (
    ACCESS_TOKEN_REFUSED,
    BASE_URL_UNUSABLE,
    CONNECTION_FAILED,
    DATA_ACCESS_MISSING,
    ERROR_INSTEAD_OF_RECORDS,
    GAVE_UP,
    INVALID_REQUEST,
    NO_LONGER_FOUND,
    NOT_FOUND,
    NOT_RECORDS,
    NOTHING_TO_READ,
    RATE_LIMITED,
    RETRYING,
    SUBSCRIPTION_KEY_REJECTED,
    UNEXPECTED,
)

logger = logging.getLogger("airbyte")

DEFAULT_RATE_LIMIT_WAIT = 60
MAX_BACKOFF = 30


def _endpoint(response: requests.Response) -> str:
    return (response.request.path_url if response.request is not None else "").split("?")[0]


# --- The table ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class StreamErrorPolicy:
    """What differs between streams: the Data Access item they need and what a 404 means."""

    stream_name: str
    data_access: str
    skip_not_found: bool = False
    empty_when_400_says: Sequence[str] = ()


class _AnswerFacts(Dict[str, Any]):
    """What a sentence may name about one answer, each fact worked out only when a sentence names it."""

    def __init__(
        self, answer: Union[requests.Response, Exception, None], policy: StreamErrorPolicy, max_retries: int
    ) -> None:
        super().__init__(stream=policy.stream_name, data_access=policy.data_access, max_retries=max_retries)
        self.answer = answer
        self.policy = policy

    def __missing__(self, name: str) -> Any:
        answer = self.answer
        if name == "kind":
            value: Any = type(answer).__name__
        elif not isinstance(answer, requests.Response):
            raise KeyError(name)
        elif name == "status":
            value = answer.status_code
        elif name == "paycor":
            value = paycor_error_text(answer)
        elif name == "endpoint":
            value = _endpoint(answer)
        elif name == "preview":
            value = body_preview(answer)
        else:
            raise KeyError(name)
        self[name] = value
        return value


# A row: the resolution, whose sentence is a template over `_AnswerFacts`; or a small function of the answer for the
# rows that depend on its body or on the stream.
Row = Union[ErrorResolution, Callable[[requests.Response, _AnswerFacts], ErrorResolution]]


def _reworded(key: Union[int, Type[Exception]], sentence: str) -> ErrorResolution:
    """The CDK's default row for `key` (its action and failure type), said in the connector's words."""
    default = DEFAULT_ERROR_MAPPING[key]
    return ErrorResolution(default.response_action, default.failure_type, sentence)


_RETRIED_CONNECTION = ErrorResolution(ResponseAction.RETRY, FailureType.transient_error, CONNECTION_FAILED)
_UNUSABLE_URL = ErrorResolution(ResponseAction.FAIL, FailureType.config_error, BASE_URL_UNUSABLE)
UNUSABLE_URL_ERRORS = (InvalidURL, InvalidSchema, MissingSchema)
_INVALID_REQUEST = _reworded(400, INVALID_REQUEST)
_UNEXPECTED = _reworded(405, UNEXPECTED)


def _answered_ok(response: requests.Response, facts: _AnswerFacts) -> ErrorResolution:
    """A 2xx is records, or an error in disguise, or no answer shape at all (a proxy's HTML page, JSON cut
    short): both retried."""
    try:
        if is_error_body(json_body(response)):
            return ErrorResolution(ResponseAction.RETRY, FailureType.transient_error, ERROR_INSTEAD_OF_RECORDS)
        response_page(response)
    except InvalidBody as error:
        facts["reason"] = str(error)
        return ErrorResolution(ResponseAction.RETRY, FailureType.transient_error, NOT_RECORDS)
    return ErrorResolution(ResponseAction.SUCCESS)


def _bad_request(response: requests.Response, facts: _AnswerFacts) -> ErrorResolution:
    """Some endpoints answer 400 with a sentence that means "none here" (the stream lists its phrases)."""
    detail = facts["paycor"].lower()
    if any(phrase.lower() in detail for phrase in facts.policy.empty_when_400_says):
        return ErrorResolution(ResponseAction.IGNORE, FailureType.system_error, NOTHING_TO_READ)
    return _INVALID_REQUEST


def _unauthorized(response: requests.Response, facts: _AnswerFacts) -> ErrorResolution:
    """A 401 about the subscription key is the user's to fix; any other, the access token's (refreshed once)."""
    if subscription_key_refused(response):
        return ErrorResolution(ResponseAction.FAIL, FailureType.config_error, SUBSCRIPTION_KEY_REJECTED)
    return ErrorResolution(ResponseAction.REFRESH_TOKEN_THEN_RETRY, FailureType.transient_error, ACCESS_TOKEN_REFUSED)


def _not_found(response: requests.Response, facts: _AnswerFacts) -> ErrorResolution:
    """A 404 is one stale id to skip for the streams that say so (`skip_not_found`), else a wrong route."""
    if facts.policy.skip_not_found:
        return ErrorResolution(ResponseAction.IGNORE, FailureType.system_error, NO_LONGER_FOUND)
    return ErrorResolution(ResponseAction.FAIL, FailureType.config_error, NOT_FOUND)


PAYCOR_ERROR_MAPPING: Mapping[Union[int, str, Type[Exception]], Row] = {
    # Every failed connection is retried, but a URL no call can be sent to (`base_url` is validated before).
    Exception: _RETRIED_CONNECTION,
    RequestException: _RETRIED_CONNECTION,
    **{kind: _UNUSABLE_URL for kind in UNUSABLE_URL_ERRORS},
    **{status: _answered_ok for status in range(200, 300)},
    400: _bad_request,
    401: _unauthorized,
    403: ErrorResolution(ResponseAction.IGNORE, FailureType.config_error, DATA_ACCESS_MISSING),
    404: _not_found,
    405: _UNEXPECTED,
    408: _reworded(408, RETRYING),
    429: _reworded(429, RATE_LIMITED),
    **{status: _reworded(status, RETRYING) for status in (500, 502, 503, 504)},
}
ERROR_MAPPING: Mapping[Union[int, str, Type[Exception]], Row] = {**DEFAULT_ERROR_MAPPING, **PAYCOR_ERROR_MAPPING}


def _row(answer: Union[requests.Response, Exception, None]) -> Row:
    if not isinstance(answer, requests.Response):  # the most specific exception class with a row
        kinds = type(answer).__mro__ if isinstance(answer, Exception) else (Exception,)
        return next(ERROR_MAPPING[kind] for kind in kinds if kind in ERROR_MAPPING)
    status = answer.status_code
    row = ERROR_MAPPING.get(status)
    if row is not None:
        return row
    return ERROR_MAPPING[500] if status >= 500 else _UNEXPECTED


class PaycorErrorHandler(ErrorHandler):
    """The error table (`ERROR_MAPPING`) for one stream, tested row by row in unit_tests/test_error_table.py."""

    def __init__(
        self,
        policy: StreamErrorPolicy,
        max_retries: int = 10,
        max_time: int = 1800,
        on_answer: Optional[Callable[[Any], None]] = None,
    ) -> None:
        self._policy = policy
        self._max_retries = max_retries
        self._max_time = max_time
        self._on_answer = on_answer

    @property
    def max_retries(self) -> Optional[int]:
        return self._max_retries

    @property
    def max_time(self) -> Optional[int]:
        return self._max_time

    def interpret_response(
        self, response_or_exception: Optional[Union[requests.Response, Exception]] = None
    ) -> ErrorResolution:
        """Called by the CDK once per attempt of every call (which is also how calls are counted).

        A retried answer is said in the connector's own words (the CDK's backoff line calls every retry
        "Rate limit exceeded", a 502 or a proxy's page included).
        """
        if self._on_answer is not None:
            self._on_answer(response_or_exception)
        resolution, template = self._resolve(response_or_exception)
        if resolution.response_action == ResponseAction.RETRY and resolution.error_message:
            logger.warning(resolution.error_message)
        # The sentence that ends the stream if this was the last attempt: the CDK quotes it in its final error,
        # where "retrying" would be wrong (`GAVE_UP`).
        final = GAVE_UP.get(template or "")
        if final is None:
            return resolution
        facts = _AnswerFacts(response_or_exception, self._policy, self._max_retries)
        return ErrorResolution(resolution.response_action, resolution.failure_type, final.format_map(facts))

    def explain(self, response: requests.Response) -> str:
        """The sentence for an answer (without counting it as a call)."""
        return self.explain_resolution(response).error_message or ""

    def explain_resolution(
        self, response_or_exception: Optional[Union[requests.Response, Exception]] = None
    ) -> ErrorResolution:
        return self._resolve(response_or_exception)[0]

    def _resolve(
        self, response_or_exception: Optional[Union[requests.Response, Exception]]
    ) -> Tuple[ErrorResolution, Optional[str]]:
        """The row's resolution with its sentence written out, and the sentence's template."""
        row = _row(response_or_exception)
        facts = _AnswerFacts(response_or_exception, self._policy, self._max_retries)
        if not isinstance(row, ErrorResolution):
            assert isinstance(response_or_exception, requests.Response)  # functions are rows of statuses only
            row = row(response_or_exception, facts)
        if row.error_message is None:
            return row, None
        resolution = ErrorResolution(row.response_action, row.failure_type, row.error_message.format_map(facts))
        return resolution, row.error_message


# --- Waiting ------------------------------------------------------------------------------------------------
def rate_limit_wait(response: requests.Response) -> float:
    """How long to hold back after a 429: Paycor's own wait, else a minute (its window)."""
    wait = retry_after_seconds(response)
    return DEFAULT_RATE_LIMIT_WAIT if wait is None else wait


class PaycorBackoff(BackoffStrategy):
    """How long to wait before a retry, of a data call or of the token call: Paycor's own wait on a 429,
    else exponential, capped."""

    def backoff_time(
        self, response_or_exception: Optional[Union[requests.Response, requests.RequestException]], attempt_count: int
    ) -> Optional[float]:
        if isinstance(response_or_exception, requests.Response) and response_or_exception.status_code == 429:
            return rate_limit_wait(response_or_exception)
        return float(min(2 ** max(attempt_count - 1, 0), MAX_BACKOFF))
