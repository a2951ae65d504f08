"""Console entry point `source-paycor`: the Airbyte protocol commands.

Compared with the CDK's `launch`, it validates the config with the connector's own rules before the
generic JSON-schema check (so a mistake reads as one sentence naming the field), and it reports a
user-caused (config) error as one trace message without a stack trace.

Like the CDK's `launch`, it prints through the CDK's `PRINT_BUFFER`, which its log handler writes to as well: the
lines of the main thread and of the workers' logs go out in their order, together, at most every 0.1 s (and with
every log line), instead of one write per message. Where stdout is unbuffered (`PYTHONUNBUFFERED`, `-u`), one
write per record (the GIL released around each) cost ~4 % of a read's CPU (bench/cpu_per_record.py).
"""

from __future__ import annotations

import logging
import sys
from typing import Any, List, Optional

from airbyte_cdk.entrypoint import AirbyteEntrypoint
from airbyte_cdk.logger import PRINT_BUFFER
from airbyte_cdk.models import FailureType
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from .authorize import authorize
from .config import parse_config
from .config_file import ConfigFile
from .source import SourcePaycor


class PaycorEntrypoint(AirbyteEntrypoint):
    def validate_connection(self, source_spec: Any, config: Any) -> None:  # type: ignore[override]
        parse_config(config)
        super().validate_connection(source_spec, config)


def _is_config_error(error: BaseException | None) -> bool:
    return isinstance(error, AirbyteTracedException) and error.failure_type == FailureType.config_error


class _NoTracebackForConfigErrors(logging.Filter):
    """A config error is the user's to fix: its log line keeps the sentence and drops the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and _is_config_error(record.exc_info[1]):
            record.exc_info = None
            record.exc_text = None
        return True


class _CheckSaysOneSentence(logging.Filter):
    """`check` answers in its CONNECTION_STATUS sentence: the CDK HTTP client's own lines about the same failure
    (the raw request, response body and headers, the exhausted-retries traceback, "Rate limit exceeded. Retrying"
    for any retry) are left out of its output; the connector's own warnings stay."""

    CDK_LINES = (
        "' request to '",
        "Retries exhausted with backoff exception",
        "Max retry limit reached",
        "BackoffException: ",
    )

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        return not any(marker in text for marker in self.CDK_LINES)


def _install_log_filter(command: Optional[str] = None) -> None:
    # Sensitive values are kept out of every log line by the source itself (`redaction.py`).
    filters: List[logging.Filter] = [_NoTracebackForConfigErrors()]
    if command == "check":
        filters.append(_CheckSaysOneSentence())
    for log_filter in filters:
        for handler in logging.getLogger().handlers + logging.getLogger("airbyte").handlers:
            handler.addFilter(log_filter)


def _emit_config_error(error: AirbyteTracedException) -> None:
    message = error.as_sanitized_airbyte_message()
    if message.trace and message.trace.error:
        message.trace.error.stack_trace = None
    print(AirbyteEntrypoint.airbyte_message_to_string(message), flush=True)


def run(args: Optional[List[str]] = None) -> None:
    args = sys.argv[1:] if args is None else args
    if args[:1] == ["authorize"]:
        sys.exit(authorize(args[1:]))
    parsed = AirbyteEntrypoint.parse_args(args)
    # Every rotated config is also written back to the `--config` file, so the next command finds the new
    # refresh token there (`config_file.py`); the CONNECTOR_CONFIG control message is printed either way.
    config_path = getattr(parsed, "config", None)
    on_rotation = ConfigFile(config_path).save if config_path else None
    entrypoint = PaycorEntrypoint(SourcePaycor(on_rotation=on_rotation))
    _install_log_filter(getattr(parsed, "command", None))
    try:
        with PRINT_BUFFER:  # as the CDK's `launch`: stdout and the log lines in one buffer (see the module's doc)
            for message in entrypoint.run(parsed):
                print(f"{message}\n", end="", flush=False)
    except AirbyteTracedException as error:
        if not _is_config_error(error):
            raise
        sys.stdout.flush()
        _emit_config_error(error)
        sys.exit(1)
    finally:
        sys.stdout.flush()
