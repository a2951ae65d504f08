"""No sensitive value in logs, traces or error sentences, however the connector is launched.

The CDK writes what Paycor answered in three places the connector's records never pass through: its ERROR
line on a failed call (the whole response body and headers, and Paycor's error message), the trace's
`internal_message` (the same text), and `--debug`'s "Receiving response" lines (each answer's body). So:

- `SensitiveLogFilter`, on every handler of the root logger (where every `airbyte…` logger's records end up),
  masks each record: the CDK's request and response bodies and headers are withheld, and the rest — the
  message, a traceback, `--debug`'s extras — goes through `sensitive.mask_text`; a `--debug` body that is JSON
  has every sensitive field nulled and shaped values masked (`sensitive.redacted`).
- `clean_exception` masks an `AirbyteTracedException`'s message and internal message in place (its `args`
  too, which the CDK's closing "did not sync successfully" line quotes through `repr`); `clean_trace` masks a
  TRACE message's error. The streams clean what a failed call raises, `SourcePaycor` cleans every trace it
  emits and every exception that leaves a command.

`install()` is called by `SourcePaycor` when it is built and at the start of every command (the CDK's
entrypoint asks for the spec first), so it holds when launched through `run.py`, the CDK's `launch()`, its
test wrappers or PyAirbyte. Installing twice changes nothing.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Optional

import orjson
from airbyte_cdk.models import AirbyteMessage, TraceType, Type
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from .body import mask_digit_runs
from .sensitive import mask_text, redacted

# The CDK's failed-call text (`HttpClient._handle_error_resolution`, pinned in unit_tests/test_cdk_internals.py):
# "… and error message: '…'. Request (body): '…'. Response (body): '…'. Response (headers): '…'."
_CDK_BODIES = re.compile(r" ?Request \(body\): '.*", re.DOTALL)
BODIES_WITHHELD = " (request and response bodies and headers withheld by the connector: they may hold sensitive values)"
# Attributes every log record has; anything else is an extra (`--debug`'s url, headers, body).
_STANDARD = frozenset(logging.LogRecord("", 0, "", 0, None, None, None).__dict__) | {"message", "asctime"}


def scrub(text: str) -> str:
    """Text the connector may print: the CDK's quoted bodies and headers withheld, sensitive values masked."""
    if not text:
        return text
    if "Request (body): '" in text:
        text = _CDK_BODIES.sub(BODIES_WITHHELD, text, count=1)
    return mask_text(text)


def _debug_body(body: str) -> str:
    try:
        return orjson.dumps(redacted(orjson.loads(body))).decode()
    except orjson.JSONDecodeError:
        return mask_text(mask_digit_runs(body))


class SensitiveLogFilter(logging.Filter):
    """Masks every log record that reaches a handler (see the module's doc)."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a record whose arguments do not fit its message: leave it to the handler
            return True
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = scrub(self._formatter.formatException(record.exc_info))
        for name, value in list(record.__dict__.items()):
            if name in _STANDARD or not isinstance(value, str) or not value:
                continue
            setattr(record, name, _debug_body(value) if name == "body" else scrub(value))
        return True


def _handlers() -> list:
    return [*logging.getLogger().handlers, *logging.getLogger("airbyte").handlers]


def install() -> None:
    """Puts the filter on every handler of the root and `airbyte` loggers that lacks it."""
    for handler in _handlers():
        if not any(isinstance(existing, SensitiveLogFilter) for existing in handler.filters):
            handler.addFilter(SensitiveLogFilter())


def clean_exception(error: BaseException) -> BaseException:
    """The exception, its sentences masked in place (an `AirbyteTracedException`'s message, internal message
    and args)."""
    if isinstance(error, AirbyteTracedException):
        error.internal_message = scrub(error.internal_message) if error.internal_message else error.internal_message
        error.message = scrub(error.message) if error.message else error.message
        error.args = (error.internal_message,)
    return error


def clean_trace(message: AirbyteMessage) -> AirbyteMessage:
    """A TRACE message with its error's message, internal message and stack trace masked; others as they are."""
    trace = message.trace if message.type == Type.TRACE else None
    error: Optional[Any] = trace.error if trace is not None and trace.type == TraceType.ERROR else None
    if error is not None:
        error.message = scrub(error.message) if error.message else error.message
        error.internal_message = scrub(error.internal_message) if error.internal_message else error.internal_message
        error.stack_trace = scrub(error.stack_trace) if error.stack_trace else error.stack_trace
    return message
