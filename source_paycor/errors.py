"""Paycor's answers → what the connector does: retry, refresh, skip or fail, each with its own sentence.

Errors are data: `PAYCOR_ERROR_MAPPING` (status or exception → action, failure type, sentence) is layered
on the CDK's `DEFAULT_ERROR_MAPPING`; where Paycor's row only rewords the CDK's, the CDK's action and
failure type are kept. Small functions stand in for the rows that depend on the body (a 401 about the
subscription key or the token, a 400 saying "nothing here", a 200 that is not records) or on the stream
(what a 404 means). The sentences of Paycor's answers, of the token endpoint (`auth.py`, `source-paycor
authorize`), of the check and of the files a command is given (`command_files.py`) are constants of this module,
written once, and so is the one `PaycorBackoff`. Other sentences live beside the rule that says them: a config
mistake's in `config.py`, a catalog row's in `streams/catalog/checks.py`, a sync's notes (skips, drift, denials,
fallbacks) in the stream module that notices them (`streams/slicing.py`, `pages.py`, `access.py`,
`parent_reader.py`, the cursors), the config write-back's in `config_file.py`, the reports' in `reports/`.
Error bodies are read case-insensitively (`Title` or `title`).
"""

from __future__ import annotations

import logging
import re
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
from .sensitive import mask_text

logger = logging.getLogger("airbyte")

DEFAULT_RATE_LIMIT_WAIT = 60
MAX_BACKOFF = 30
_TRY_AGAIN = re.compile(r"try again in (\d+) seconds?", re.IGNORECASE)

# --- The sentences ------------------------------------------------------------------------------------------
# The token endpoint's refusals (`auth.py`, `authorize.py`) and the check's.
REFRESH_REJECTED = (
    "The refresh token was rejected (Paycor refresh tokens work once, and this one was used already) — run again with "
    "the newest config the connector saved: the `--config` file it writes each rotated config back to, or, where that "
    "file was not writable, the config of the last CONNECTOR_CONFIG control message (in Airbyte: the connection's "
    "saved config); only if neither is newer, re-authorize the application to get a new one."
)
CLIENT_REJECTED = (
    "Paycor refused the client ID or client secret (`credentials.client_id`, `credentials.client_secret`) — "
    "copy both again from your application in Paycor's Developer Portal."
)
SUBSCRIPTION_KEY_REJECTED = (
    "Paycor refused the subscription key (`subscription_key`) — copy the APIm subscription key of this application "
    "from Paycor's Developer Portal (Security Connections) and try again."
)
# A config file that is missing, unreadable or not JSON (`command_files.py`, `authorize.py`); `{path}` is the file.
CONFIG_FILE_MISSING = (
    "The configuration file {path} does not exist — pass the path of your config JSON with `--config` (the sandbox "
    "writes one with `--config-out`)."
)
CONFIG_FILE_UNREADABLE = "The configuration file {path} cannot be read ({reason}) — make it readable and try again."
CONFIG_FILE_NOT_JSON = (
    "The configuration file {path} does not hold a JSON object — write the config as JSON with the fields of the "
    "connector's spec."
)
# A catalog or state file that is not what `read` expects (`command_files.py`).
CATALOG_FILE_INVALID = (
    "The catalog file {path} is not an Airbyte configured catalog — build it from the streams `discover` lists."
)
STATE_FILE_INVALID = (
    "The state file {path} is not a list of Airbyte state messages — pass the state the last sync emitted, or none."
)
# Data calls. Templates over the facts of one answer (`_AnswerFacts`): {stream}, {status}, {paycor} (Paycor's own
# words, `paycor_error_text`), {endpoint}, {data_access}, {kind} (of a connection failure), {reason} and
# {preview} (of a body that is not records), {max_retries}.
CONNECTION_FAILED = "Stream {stream}: the connection to Paycor failed ({kind}); retrying."
# A URL no call can be sent to (`requests`' InvalidURL, InvalidSchema, MissingSchema): no retry mends it. Also
# the token endpoint's (`auth.py`), with {kind} only.
BASE_URL_UNUSABLE = (
    "Paycor cannot be called at `base_url` ({kind}) — set it to https://apis.paycor.com, or "
    "https://apis-sandbox.paycor.com for Paycor's sandbox."
)
ACCESS_TOKEN_REFUSED = "Stream {stream}: Paycor no longer accepts the access token; refreshing it once and retrying."
DATA_ACCESS_MISSING = (
    'Stream {stream} skipped: the application lacks the Paycor Data Access item "{data_access}" — '
    "add it on the Data Access tab of your application in Paycor's Developer Portal and re-activate the application."
)
NO_LONGER_FOUND = "Stream {stream}: Paycor no longer finds {endpoint} (404); skipping it."
NOT_FOUND = (
    "Stream {stream}: Paycor answered 404 Not Found ({paycor}) — check that `base_url` is Paycor's API "
    "(https://apis.paycor.com) and that the legal entity is still active."
)
NOTHING_TO_READ = "Stream {stream}: {paycor} — nothing to read."
INVALID_REQUEST = (
    "Stream {stream}: Paycor rejected the request as invalid ({paycor}) — report this to the connector's "
    "maintainers with the correlation id."
)
RATE_LIMITED = (
    "Stream {stream}: Paycor's rate limit (calls per minute per subscription key) was reached; waiting before retrying."
)
RETRYING = "Stream {stream}: Paycor answered {status} ({paycor}); retrying."
UNEXPECTED = "Stream {stream}: Paycor answered an unexpected {status} ({paycor})."
ERROR_INSTEAD_OF_RECORDS = "Stream {stream}: Paycor answered 200 with an error instead of records ({paycor}); retrying."
NOT_RECORDS = (
    'Stream {stream}: Paycor\'s answer to {endpoint} was not records ({reason}; it begins "{preview}") — '
    "a proxy's page or a connection cut short; retried up to {max_retries} times."
)
# What a retried answer says when its last attempt failed too (the CDK puts it in its final error): the
# retrying sentences above are logged at each retry, these end the stream, and none says "retrying".
CONNECTION_GAVE_UP = (
    "Stream {stream}: the connection to Paycor failed ({kind}) on every attempt — check `base_url` and the network, "
    "then try again."
)
ACCESS_TOKEN_GAVE_UP = (
    "Stream {stream}: Paycor did not accept the access token even after refreshing it once — check that the "
    "application is still activated in Paycor, then try again."
)
RATE_LIMIT_GAVE_UP = (
    "Stream {stream}: Paycor's rate limit (calls per minute per subscription key) was still reached after every wait — "
    "lower `requests_per_minute` or stop other applications sharing the subscription key during syncs."
)
SERVER_GAVE_UP = "Stream {stream}: Paycor answered {status} ({paycor}) on every attempt — try again later."
ERROR_INSTEAD_OF_RECORDS_GAVE_UP = (
    "Stream {stream}: Paycor answered 200 with an error instead of records ({paycor}) on every attempt — try again "
    "later."
)
GAVE_UP = {
    CONNECTION_FAILED: CONNECTION_GAVE_UP,
    ACCESS_TOKEN_REFUSED: ACCESS_TOKEN_GAVE_UP,
    RATE_LIMITED: RATE_LIMIT_GAVE_UP,
    RETRYING: SERVER_GAVE_UP,
    ERROR_INSTEAD_OF_RECORDS: ERROR_INSTEAD_OF_RECORDS_GAVE_UP,
}
# `check` when Paycor's API did not answer at `base_url` (`source.py`); {reason} is what came back instead.
CHECK_UNREACHABLE = (
    "Paycor's API did not answer at `base_url` {base_url} ({reason}) — check `base_url` (https://apis.paycor.com, "
    "or https://apis-sandbox.paycor.com for Paycor's sandbox) and the network, then try again."
)


# --- Reading Paycor's answers -------------------------------------------------------------------------------
def _error_value(response: requests.Response, name: str) -> Any:
    """A top-level value of an error body, whatever its casing; None when absent or the body is not a JSON object."""
    try:
        body = json_body(response)
    except InvalidBody:
        return None
    if not isinstance(body, dict):
        return None
    wanted = name.lower()
    return next((value for key, value in body.items() if key.lower() == wanted and value is not None), None)


def error_field(response: requests.Response, name: str) -> Optional[str]:
    """A top-level field of an error body as text, whatever its casing; None when absent or not JSON."""
    value = _error_value(response, name)
    return None if value is None else str(value)


def _validation_errors(response: requests.Response) -> Optional[str]:
    """ASP.NET's `errors` of a problem-details body (`{"errors": {"field": ["message"]}}`), one line."""
    errors = _error_value(response, "errors")
    if not isinstance(errors, dict) or not errors:
        return None
    parts = []
    for field_name, messages in errors.items():
        text = "; ".join(str(m) for m in messages) if isinstance(messages, list) else str(messages)
        parts.append(f"{field_name}: {text}")
    return ", ".join(parts)


def paycor_error_text(response: requests.Response) -> str:
    """`Title: Detail (correlation id …)` from an error body in any of Paycor's spellings, or the HTTP reason.

    Paycor's gateway and services answer errors as `title/detail`, `Title/Detail`, `message` or OAuth's
    `error/error_description`, in any casing; the first present of each feeds the sentence. Paycor's words may
    quote what was sent (an SSN, a birth date): they pass through `sensitive.mask_text` before any sentence.
    """
    title = (
        error_field(response, "title")
        or error_field(response, "message")
        or error_field(response, "error")
        or error_field(response, "error_description")
        or response.reason
        or ""
    )
    detail = (
        error_field(response, "detail") or error_field(response, "error_description") or _validation_errors(response)
    )
    correlation = error_field(response, "correlationId")
    text = f"{title}: {detail}" if detail and detail != title else title
    return mask_text(f"{text} (correlation id {correlation})" if correlation else text)


def retry_after_seconds(response: requests.Response) -> Optional[float]:
    """Paycor's wait for a 429: the Retry-After header, else the body's "Try again in N seconds"."""
    header = response.headers.get("Retry-After")
    if header:
        try:
            return max(float(header), 0.0)
        except ValueError:
            pass
    match = _TRY_AGAIN.search(error_field(response, "message") or response.text or "")
    return float(match.group(1)) if match else None


def subscription_key_refused(response: requests.Response) -> bool:
    """Paycor's gateway (APIm) refused the subscription key: a 401 saying so, from any endpoint."""
    return response.status_code == 401 and "subscription key" in (error_field(response, "message") or "").lower()


def token_refusal(response: requests.Response) -> Optional[str]:
    """The sentence for a refusal of the token endpoint that names the config field at fault, else None."""
    if subscription_key_refused(response):
        return SUBSCRIPTION_KEY_REJECTED
    if (error_field(response, "error") or "").lower() == "invalid_client":
        return CLIENT_REJECTED
    return None


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
