"""The private members of the Airbyte CDK this connector relies on, each checked by name.

The CDK is pinned exactly in setup.py because of them. When an upgrade moves one, the test below fails
with a sentence naming the member, the module that uses it and what for — fix that module before
loosening the pin.
"""

from __future__ import annotations

import inspect
import logging
import re
from importlib.metadata import version
from pathlib import Path

import pytest
import requests

from airbyte_cdk.sources.message import InMemoryMessageRepository
from airbyte_cdk.sources.streams.concurrent.partitions.types import PartitionCompleteSentinel
from airbyte_cdk.sources.streams.http import HttpStream
from airbyte_cdk.sources.streams.http.requests_native_auth import SingleUseRefreshTokenOauth2Authenticator
from source_paycor.source import build_context
from source_paycor.streams.base import PaycorStream
from source_paycor.streams.catalog import by_name

from .builders import config

ROOT = Path(__file__).resolve().parent.parent


def _moved(member: str, user: str, purpose: str) -> str:
    return f"airbyte-cdk {version('airbyte-cdk')} no longer has {member}, which {user} uses to {purpose} — adapt {user} before moving the pin."


def test_given_setup_py_then_cdk_pinned_to_the_installed_version():
    pin = re.search(r'"airbyte-cdk==([^"]+)"', (ROOT / "setup.py").read_text())
    assert pin is not None, "setup.py must pin airbyte-cdk exactly (==): the connector uses private CDK members"
    assert pin.group(1) == version("airbyte-cdk"), f"setup.py pins airbyte-cdk {pin.group(1)}, the suite runs {version('airbyte-cdk')}"


def _defined_by_cdk(cls: type, name: str) -> bool:
    return any(name in vars(base) for base in cls.__mro__ if base.__module__.startswith("airbyte_cdk"))


@pytest.mark.parametrize(
    "cls, member, user, purpose",
    [
        (HttpStream, "_read_pages", "source_paycor/streams/pages.py", "read every page of one slice (and re-read a slice whose token expired)"),
        (SingleUseRefreshTokenOauth2Authenticator, "_make_handled_request", "source_paycor/auth.py", "call the token endpoint with its own retries and sentences"),
        (SingleUseRefreshTokenOauth2Authenticator, "_get_config_value_by_path", "source_paycor/auth.py", "read the rotated tokens without dpath"),
        (SingleUseRefreshTokenOauth2Authenticator, "get_token_expiry_date", "source_paycor/auth.py", "parse the token expiry once per token"),
    ],
)
def test_given_cdk_class_then_private_method_the_connector_overrides_or_calls_is_there(cls, member, user, purpose):
    assert _defined_by_cdk(cls, member) and callable(getattr(cls, member)), _moved(f"{cls.__name__}.{member}", user, purpose)


def test_given_cdk_authenticator_then_the_attributes_the_connector_reads_are_set():
    stream = PaycorStream(by_name()["departments"], build_context(config(), InMemoryMessageRepository()))
    authenticator = stream.context.authenticator
    assert isinstance(getattr(authenticator, "_connector_config", None), dict), _moved(
        "SingleUseRefreshTokenOauth2Authenticator._connector_config", "source_paycor/auth.py", "look up the rotated tokens"
    )
    assert getattr(authenticator, "_token_expiry_date_config_path", None), _moved(
        "SingleUseRefreshTokenOauth2Authenticator._token_expiry_date_config_path", "source_paycor/auth.py", "find the token's expiry in the config"
    )
    session = getattr(getattr(stream, "_http_client", None), "_session", None)
    assert isinstance(session, requests.Session), _moved(
        "HttpStream._http_client._session", "source_paycor/streams/base.py", "pin the proxy and CA settings once per session"
    )


def test_given_partition_complete_sentinel_then_it_names_its_partition_and_success():
    fields = inspect.signature(PartitionCompleteSentinel).parameters
    assert {"partition", "is_successful"} <= set(fields), _moved(
        "PartitionCompleteSentinel(partition, is_successful)", "source_paycor/streams/cursor.py", "save state once a window's records are emitted"
    )


def test_full_refresh_complete_state_is_the_one_the_cdk_starts_over_from():
    """streams/employee_cursor.py ends a completed full-refresh read with the CDK's resumable-full-refresh state, so
    that the next sync starts from the first employee; the CDK's readers treat the same value as "start over"."""
    from airbyte_cdk.sources.streams.checkpoint import checkpoint_reader

    member = "airbyte_cdk.sources.streams.checkpoint.checkpoint_reader.FULL_REFRESH_COMPLETE_STATE"
    assert getattr(checkpoint_reader, "FULL_REFRESH_COMPLETE_STATE", None) == {"__ab_full_refresh_sync_complete": True}, _moved(
        member, "source_paycor/streams/employee_cursor.py", "end a completed full-refresh read"
    )


def test_given_concurrent_source_then_generators_pause_at_10000_waiting_partitions_and_are_capped():
    """`SourcePaycor._concurrent_source_for` gives the generators threads of their own because a generator pauses
    while 10,000 partitions wait in the pool, and counts on the CDK starting no more generators at once than
    the initial number, so that `num_workers` threads are always left to read (unit_tests/test_no_hang.py)."""
    from airbyte_cdk.sources.concurrent_source.concurrent_read_processor import ConcurrentReadProcessor
    from airbyte_cdk.sources.concurrent_source.concurrent_source import ConcurrentSource
    from airbyte_cdk.sources.concurrent_source.thread_pool_manager import ThreadPoolManager

    user, purpose = "source_paycor/pool.py", "keep partition generators from holding every worker"
    assert ThreadPoolManager.DEFAULT_MAX_QUEUE_SIZE == 10_000, _moved("ThreadPoolManager.DEFAULT_MAX_QUEUE_SIZE == 10_000", user, purpose)
    assert "max_concurrent_partition_generators" in inspect.signature(ConcurrentReadProcessor).parameters, _moved(
        "ConcurrentReadProcessor(max_concurrent_partition_generators=...)", user, purpose
    )
    assert "max_concurrent_partition_generators=self._initial_number_partitions_to_generate" in inspect.getsource(
        ConcurrentSource.read
    ), _moved("ConcurrentSource.read capping generators at the initial number", user, purpose)
    assert {"threadpool", "initial_number_partitions_to_generate", "queue"} <= set(inspect.signature(ConcurrentSource).parameters), _moved(
        "ConcurrentSource(threadpool, ..., initial_number_partitions_to_generate)", "source_paycor/pool.py", "build the pool of readers and generators"
    )
    assert "self._partition_reader.process_partition" in inspect.getsource(ConcurrentReadProcessor.on_partition), _moved(
        "ConcurrentReadProcessor.on_partition submitting PartitionReader.process_partition", "source_paycor/pool.py", "tell partition reads from generators"
    )
    source = ConcurrentSource.create(3, 2, logging.getLogger("test"), None, InMemoryMessageRepository())  # type: ignore[arg-type]
    assert getattr(getattr(getattr(source, "_threadpool", None), "_threadpool", None), "_max_workers", None) == 3, _moved(
        "ConcurrentSource._threadpool._threadpool (a pool of num_workers threads)", "unit_tests/test_no_hang.py", "count the threads"
    )
    assert getattr(source, "_initial_number_partitions_to_generate", None) == 2, _moved(
        "ConcurrentSource._initial_number_partitions_to_generate", "unit_tests/test_no_hang.py", "count the generators"
    )


# --- what `source_paycor/redaction.py` relies on ---------------------------------------------------------------
def test_given_cdk_failed_call_text_then_the_bodies_and_headers_it_quotes_come_last_after_request_body():
    from airbyte_cdk.sources.streams.http.http_client import HttpClient

    text = inspect.getsource(HttpClient._handle_error_resolution)
    marker, last = "Request (body): '", "Response (headers): '"
    assert marker in text and text.index(marker) < text.index("Response (body): '") < text.index(last), _moved(
        "HttpClient's failed-call text \"… Request (body): '…'. Response (body): '…'. Response (headers): '…'.\"",
        "source_paycor/redaction.py",
        "withhold the bodies and headers it quotes (everything from `Request (body): '` on)",
    )
    assert "internal_message=error_message" in text, _moved(
        "HttpClient's failed-call text as the trace's internal_message", "source_paycor/redaction.py", "mask it"
    )


def test_given_cdk_entrypoint_then_the_source_is_asked_for_its_spec_before_every_command():
    from airbyte_cdk.entrypoint import AirbyteEntrypoint

    text = inspect.getsource(AirbyteEntrypoint.run)
    assert "self.source.spec(" in text and text.index("self.source.spec(") < text.index('if cmd == "spec"'), _moved(
        "AirbyteEntrypoint.run asking the source for its spec first", "source_paycor/source.py (SourcePaycor.spec)",
        "put the sensitive-value log filter on the handlers of every command",
    )


def test_given_cdk_stream_failure_then_its_trace_is_the_exception_unfiltered_and_the_closing_line_quotes_its_repr():
    from airbyte_cdk.exception_handler import generate_failed_streams_error_message
    from airbyte_cdk.sources.concurrent_source.concurrent_read_processor import ConcurrentReadProcessor

    assert "exception.exception.as_airbyte_message(" in inspect.getsource(ConcurrentReadProcessor.on_exception), _moved(
        "ConcurrentReadProcessor.on_exception emitting the stream's exception as it is", "source_paycor/streams/pages.py",
        "mask the exception of a failed call before the CDK emits it (`redaction.clean_exception`)",
    )
    assert "__repr__()" in inspect.getsource(generate_failed_streams_error_message), _moved(
        "generate_failed_streams_error_message quoting repr(exception)", "source_paycor/redaction.py",
        "mask the exception's args, which its repr quotes",
    )


def test_given_cdk_logger_then_its_log_lines_go_to_the_print_buffer_run_py_prints_through():
    """run.py prints through `airbyte_cdk.logger.PRINT_BUFFER`, as the CDK's `launch` does: one locked buffer for the
    messages and the log lines, so that a block of messages never interleaves with a log line a worker writes."""
    from airbyte_cdk.logger import PRINT_BUFFER, init_logger

    init_logger("airbyte")
    streams = [getattr(handler, "stream", None) for handler in logging.getLogger().handlers]
    assert any(stream is PRINT_BUFFER for stream in streams), _moved(
        "the log handler writing to airbyte_cdk.logger.PRINT_BUFFER", "source_paycor/run.py", "print messages and log lines through one buffer"
    )
