"""Paycor's answers → what the connector does: retry, refresh, skip or fail, each with its own sentence.

One table (`PaycorErrorHandler.interpret_response`) serves every stream; a stream only says what a 404
means for it (a wrong route for the whole sync, or one stale id to skip) and which 400 bodies mean
"nothing here". Error bodies are read case-insensitively (`Title` or `title`).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any, Callable, Optional, Sequence, Union

import requests
from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.streams.http.error_handlers import (
    BackoffStrategy,
    ErrorHandler,
    ErrorResolution,
    ResponseAction,
)

from .body import InvalidBody, body_preview, is_error_body, json_body
from .envelope import parse_page

logger = logging.getLogger("airbyte")

DEFAULT_RATE_LIMIT_WAIT = 60
MAX_BACKOFF = 30
_TRY_AGAIN = re.compile(r"try again in (\d+) seconds?", re.IGNORECASE)

REFRESH_REJECTED = (
    "The refresh token was rejected (Paycor refresh tokens work once) — re-authorize the application to get a new one."
)
CLIENT_REJECTED = (
    "Paycor refused the client ID or client secret (`credentials.client_id`, `credentials.client_secret`) — "
    "copy both again from your application in Paycor's Developer Portal."
)
SUBSCRIPTION_KEY_REJECTED = (
    "Paycor refused the subscription key (`subscription_key`) — copy the APIm subscription key of this application "
    "from Paycor's Developer Portal (Security Connections) and try again."
)


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
    `error/error_description`, in any casing; the first present of each feeds the sentence.
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
    return f"{text} (correlation id {correlation})" if correlation else text


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


@dataclass(frozen=True)
class StreamErrorPolicy:
    """What differs between streams: the Data Access item they need and what a 404 means."""

    stream_name: str
    data_access: str
    skip_not_found: bool = False
    empty_when_400_says: Sequence[str] = ()


class PaycorErrorHandler(ErrorHandler):
    """The error table: one row per Paycor answer (`interpret_response`), tested row by row in
    unit_tests/test_error_table.py."""

    def __init__(
        self,
        policy: StreamErrorPolicy,
        max_retries: int = 10,
        max_time: int = 1800,
        on_answer: Optional[Callable[[], None]] = None,
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
            self._on_answer()
        resolution = self.explain_resolution(response_or_exception)
        if resolution.response_action == ResponseAction.RETRY and resolution.error_message:
            logger.warning(resolution.error_message)
        return resolution

    def explain(self, response: requests.Response) -> str:
        """The sentence for an answer (without counting it as a call)."""
        return self.explain_resolution(response).error_message or ""

    def explain_resolution(
        self, response_or_exception: Optional[Union[requests.Response, Exception]] = None
    ) -> ErrorResolution:
        name = self._policy.stream_name
        if isinstance(response_or_exception, Exception) or response_or_exception is None:
            kind = type(response_or_exception).__name__
            return ErrorResolution(
                ResponseAction.RETRY,
                FailureType.transient_error,
                f"Stream {name}: the connection to Paycor failed ({kind}); retrying.",
            )
        response = response_or_exception
        status = response.status_code
        if 200 <= status < 300:
            return self._interpret_success(response)
        if status == 401:
            if "subscription key" in (error_field(response, "message") or "").lower():
                return ErrorResolution(ResponseAction.FAIL, FailureType.config_error, SUBSCRIPTION_KEY_REJECTED)
            return ErrorResolution(
                ResponseAction.REFRESH_TOKEN_THEN_RETRY,
                FailureType.transient_error,
                f"Stream {name}: Paycor no longer accepts the access token; refreshing it once and retrying.",
            )
        if status == 403:
            return ErrorResolution(
                ResponseAction.IGNORE,
                FailureType.config_error,
                f"Stream {name} skipped: the application lacks the Paycor Data Access item "
                f'"{self._policy.data_access}" — '
                "add it on the Data Access tab of your application in Paycor's Developer Portal and re-activate the "
                "application.",
            )
        if status == 404:
            if self._policy.skip_not_found:
                return ErrorResolution(
                    ResponseAction.IGNORE,
                    FailureType.system_error,
                    f"Stream {name}: Paycor no longer finds {response.request.path_url.split('?')[0]} (404); "
                    "skipping it.",
                )
            return ErrorResolution(
                ResponseAction.FAIL,
                FailureType.config_error,
                f"Stream {name}: Paycor answered 404 Not Found ({paycor_error_text(response)}) — check that "
                "`base_url` is "
                "Paycor's API (https://apis.paycor.com) and that the legal entity is still active.",
            )
        if status == 400:
            detail = paycor_error_text(response)
            if any(phrase.lower() in detail.lower() for phrase in self._policy.empty_when_400_says):
                return ErrorResolution(
                    ResponseAction.IGNORE, FailureType.system_error, f"Stream {name}: {detail} — nothing to read."
                )
            return ErrorResolution(
                ResponseAction.FAIL,
                FailureType.system_error,
                f"Stream {name}: Paycor rejected the request as invalid ({detail}) — report this to the connector's "
                "maintainers "
                "with the correlation id.",
            )
        if status == 429:
            return ErrorResolution(
                ResponseAction.RATE_LIMITED,
                FailureType.transient_error,
                f"Stream {name}: Paycor's rate limit (calls per minute per subscription key) was reached; waiting "
                "before retrying.",
            )
        if status >= 500 or status == 408:
            return ErrorResolution(
                ResponseAction.RETRY,
                FailureType.transient_error,
                f"Stream {name}: Paycor answered {status} ({paycor_error_text(response)}); retrying.",
            )
        return ErrorResolution(
            ResponseAction.FAIL,
            FailureType.system_error,
            f"Stream {name}: Paycor answered an unexpected {status} ({paycor_error_text(response)}).",
        )

    def _interpret_success(self, response: requests.Response) -> ErrorResolution:
        name = self._policy.stream_name
        try:
            body = json_body(response)
        except InvalidBody as error:
            return self._not_records(response, str(error))
        if is_error_body(body):
            return ErrorResolution(
                ResponseAction.RETRY,
                FailureType.transient_error,
                f"Stream {name}: Paycor answered 200 with an error instead of records "
                f"({paycor_error_text(response)}); retrying.",
            )
        try:
            parse_page(body)
        except InvalidBody as error:
            return self._not_records(response, str(error))
        return ErrorResolution(ResponseAction.SUCCESS)

    def _not_records(self, response: requests.Response, reason: str) -> ErrorResolution:
        """A body that is no answer shape at all (a proxy's HTML page, JSON cut short): transient, retried."""
        endpoint = (response.request.path_url if response.request is not None else "").split("?")[0]
        return ErrorResolution(
            ResponseAction.RETRY,
            FailureType.transient_error,
            f"Stream {self._policy.stream_name}: Paycor's answer to {endpoint} was not records ({reason}; it begins "
            f'"{body_preview(response)}") — a proxy\'s page or a connection cut short; retried up to '
            f"{self._max_retries} times.",
        )


class PaycorBackoff(BackoffStrategy):
    """How long to wait before a retry: Paycor's own wait on a 429, else exponential, capped."""

    def backoff_time(
        self, response_or_exception: Optional[Union[requests.Response, requests.RequestException]], attempt_count: int
    ) -> Optional[float]:
        if isinstance(response_or_exception, requests.Response) and response_or_exception.status_code == 429:
            wait = retry_after_seconds(response_or_exception)
            return wait if wait is not None else DEFAULT_RATE_LIMIT_WAIT
        return float(min(2 ** max(attempt_count - 1, 0), MAX_BACKOFF))
