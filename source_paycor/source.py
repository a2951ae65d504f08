"""SourcePaycor: validates the config, builds one authenticator and one call budget, lists the streams.

Streams are read concurrently by the CDK's `ConcurrentSource` (each `PaycorStream` wrapped in the
CDK's `StreamFacade`): every slice (a tenant, a legal entity, an employee, a date window) is a
partition, read by `num_workers` threads (beside the threads that plan the slices) that share one `APIBudget`
of `requests_per_minute` calls.
"""

from __future__ import annotations

import functools
import inspect
import logging
import re
from typing import Any, Callable, Dict, Iterable, Iterator, List, Mapping, MutableMapping, Optional, Tuple

import requests
from airbyte_cdk.models import (
    AirbyteCatalog,
    AirbyteConnectionStatus,
    AirbyteMessage,
    AirbyteStateMessage,
    ConfiguredAirbyteCatalog,
    ConnectorSpecification,
    FailureType,
    Level,
    Status,
    SyncMode,
    Type,
)
from airbyte_cdk.sources.concurrent_source.concurrent_source import ConcurrentSource
from airbyte_cdk.sources.concurrent_source.concurrent_source_adapter import ConcurrentSourceAdapter
from airbyte_cdk.sources.connector_state_manager import ConnectorStateManager
from airbyte_cdk.sources.message import InMemoryMessageRepository, MessageRepository
from airbyte_cdk.sources.streams import Stream
from airbyte_cdk.sources.streams.concurrent.cursor import Cursor
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from .auth import PaycorAuthenticator
from .budget import PaycorBudget
from .command_files import read_catalog_file, read_config_file, read_state_file
from .config import parse_config
from .config_error import ConfigError
from .dates import now, to_the_second, today
from .error_sentences import CHECK_UNREACHABLE
from .pool import concurrent_source
from .redaction import clean_exception, clean_trace, install, scrub
from .reports import ReportStreams
from .streams.access import incomplete_if_denied
from .streams.base import PaycorStream
from .streams.catalog import ACTIVATED_LEGAL_ENTITIES, STREAMS, by_name, parent_kept_fields
from .streams.context import SyncContext
from .streams.cursor import DeliveryQueue, LegalEntityWindowCursor
from .streams.directory import LegalEntityDirectory
from .streams.employee_cursor import EmployeeCursor
from .streams.order import reading_order
from .streams.parent_reader import ParentReader
from .streams.parent_rows import ParentRows
from .streams.stats import ReportingFinalStateCursor, StreamStats

logger = logging.getLogger("airbyte")
# Streams whose slices are generated at the same time (see `_concurrent_source_for`).
CONCURRENT_STREAMS = 2
# `check` answers within ~20 s when Paycor's API does not answer at `base_url`: its retries stop after this
# many seconds, and a host that does not accept the connection is given up after CHECK_CONNECT_TIMEOUT seconds.
CHECK_RETRY_SECONDS = 8
CHECK_CONNECT_TIMEOUT = 5.0


def build_context(
    raw_config: MutableMapping[str, Any],
    message_repository: MessageRepository,
    on_rotation: Optional[Callable[[Mapping[str, Any]], Any]] = None,
) -> SyncContext:
    config = parse_config(raw_config)
    budget = PaycorBudget(config.requests_per_minute)
    context = SyncContext(
        config=config,
        authenticator=PaycorAuthenticator(raw_config, config, api_budget=budget, on_rotation=on_rotation),
        api_budget=budget,
        today=today(),
        read_at=to_the_second(now()),
        message_repository=message_repository,
    )

    def read_activated() -> Iterable[Mapping[str, Any]]:
        return PaycorStream(ACTIVATED_LEGAL_ENTITIES, context).read_records(SyncMode.full_refresh, stream_slice={})

    context.directory = LegalEntityDirectory(read_activated, config.legal_entity_ids)
    context.parent_rows = ParentRows(ParentReader(context, by_name()).read, parent_kept_fields())
    return context


def _check_failure(error: AirbyteTracedException, base_url: str) -> str:
    """The sentence of a failed check: Paycor's answer in the error table's words, or, when every retry went
    unanswered (the CDK's "Exhausted available request attempts"), one naming `base_url` and what came back instead
    (the token endpoint's own sentence already names it)."""
    message = error.message or ""
    if "Exhausted available request attempts" not in message:
        return message
    gave_up = getattr(error, "_exception", None)  # the CDK's backoff exception, with the last answer if there was one
    last = getattr(gave_up, "response", None)
    if isinstance(last, requests.Response):
        reason = f"HTTP {last.status_code}" if last.status_code != 200 else "an answer that is not Paycor's records"
    else:  # no answer: the kind of connection failure is in the sentence of the error table (CONNECTION_GAVE_UP)
        kind = re.search(r"failed \((\w+)\) on every attempt", str(gave_up or ""))
        reason = f"{kind.group(1)} on every attempt" if kind else "no answer"
    return CHECK_UNREACHABLE.format(base_url=base_url, reason=reason)


def _log_summary(logger: logging.Logger, stats: StreamStats) -> None:
    logger.info(stats.summary())


def _handed_over(command: Callable[..., Any]) -> Callable[..., Any]:
    """The command run by the source built for its config (and, for `read`, its state) when this one is bare
    (`SourcePaycor._for_command`), else by this one."""
    signature = inspect.signature(command)

    def runner(self: SourcePaycor, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> SourcePaycor:
        arguments = signature.bind(self, *args, **kwargs).arguments
        source = self._for_command(arguments["config"], arguments.get("state"))
        return self if source is None else source

    if inspect.isgeneratorfunction(command):

        @functools.wraps(command)
        def reading(self: SourcePaycor, *args: Any, **kwargs: Any) -> Iterator[Any]:
            yield from command(runner(self, args, kwargs), *args, **kwargs)

        return reading

    @functools.wraps(command)
    def handed_over(self: SourcePaycor, *args: Any, **kwargs: Any) -> Any:
        return command(runner(self, args, kwargs), *args, **kwargs)

    return handed_over


class SourcePaycor(ConcurrentSourceAdapter):
    """The source of one command, built from what the command receives — its config and, for `read`, its
    state — as the CDK's current sources are. Its `SyncContext` (settings, authenticator, call budget,
    directory of legal entities) is made once, from that config, when a command first needs it.

    Built bare (`SourcePaycor()`: the entrypoint, the CDK's test wrappers and standard suite build it so),
    it builds the source of each command from that command's arguments and hands the command to it.
    """

    # The config is validated by `parse_config`, whose messages name the field and the fix.
    check_config_against_spec = False

    def __init__(
        self,
        config: Optional[MutableMapping[str, Any]] = None,
        state: Optional[List[AirbyteStateMessage]] = None,
        *,
        message_repository: Optional[MessageRepository] = None,
        on_rotation: Optional[Callable[[Mapping[str, Any]], Any]] = None,
    ) -> None:
        install()  # no sensitive value in any log line, however the connector is launched (`redaction.py`)
        self._config = config
        # Called with the whole config after every refresh-token rotation (run.py: written back to `--config`).
        self._on_rotation = on_rotation
        self._state = list(state or [])
        self._message_repository = message_repository or InMemoryMessageRepository(Level.INFO)
        self._delivery_cursors: dict = {}
        # The streams the configured catalog reads incrementally (known once `read` has the catalog).
        self._incremental: frozenset = frozenset()
        # The CDK's public way to size the reading: a concurrent source made with the command's `num_workers`.
        workers = parse_config(config).num_workers if config is not None else 1
        super().__init__(self._concurrent_source_for(workers))

    def _for_command(
        self, config: Mapping[str, Any], state: Optional[List[AirbyteStateMessage]] = None
    ) -> Optional[SourcePaycor]:
        """The source built for this command when this one was built bare, else None (this one is it). The
        entrypoint empties the bare source's message repository: both share it."""
        if self._config is not None:
            return None
        return SourcePaycor(
            config,  # type: ignore[arg-type]
            state,
            message_repository=self._message_repository,
            on_rotation=self._on_rotation,
        )

    @functools.cached_property
    def context(self) -> SyncContext:
        """What every stream of this command shares, made from the config the source was built with."""
        assert self._config is not None, "a bare SourcePaycor hands its commands to a source built for them"
        return build_context(self._config, self._message_repository, self._on_rotation)

    @functools.cached_property
    def reports(self) -> ReportStreams:
        """The Report Builder report streams of this command (`source_paycor/reports/`): none outside discover and
        the reads that select them."""
        return ReportStreams(self.context)

    @property
    def message_repository(self) -> MessageRepository:
        return self._message_repository

    def _concurrent_source_for(self, num_workers: int) -> ConcurrentSource:
        """`num_workers` threads read partitions (slices); up to `CONCURRENT_STREAMS` more generate them
        (`pool.py`: generators never hold every thread, whatever `num_workers` is).

        Streams generating partitions at once: two, so a stream's parent reads and planning overlap the previous
        stream's last calls, and streams heavy in records (CPU) run beside streams heavy in calls (the call
        budget). The queue tells the window cursors when a partition's records have all been emitted, so no
        state runs ahead of them.
        """
        return concurrent_source(
            num_workers,
            min(CONCURRENT_STREAMS, num_workers),
            logger,
            self._slice_logger,
            self._message_repository,
            queue=DeliveryQueue(self._delivered),
        )

    def _delivered(self, partition: Any) -> None:
        cursor = self._delivery_cursors.get(partition.stream_name())  # the window and per-employee cursors
        if cursor is not None:
            cursor.delivered(partition)

    def spec(self, logger: logging.Logger) -> ConnectorSpecification:
        """The CDK's spec; the entrypoint asks for it before every command, which is when the log filter is put on
        the handlers of that moment (`redaction.install`)."""
        install()
        return super().spec(logger)

    # The files a command is given, each mistake one sentence (`command_files.py`).
    read_config = staticmethod(read_config_file)
    read_catalog = staticmethod(read_catalog_file)
    read_state = staticmethod(read_state_file)

    def check(self, logger: logging.Logger, config: Mapping[str, Any]) -> AirbyteConnectionStatus:
        """The CDK's check through `check_connection`, with its sentence kept either way (the CDK's own check
        reports no message on success and the `repr` of it on failure). A config error (a refused key or refresh
        token) is a FAILED check with its one sentence, not a TRACE with the CDK's internal message."""
        try:
            succeeded, message = self.check_connection(logger, config)
        except AirbyteTracedException as error:
            if error.failure_type != FailureType.config_error or not error.message:
                raise
            succeeded, message = False, error.message
        return AirbyteConnectionStatus(status=Status.SUCCEEDED if succeeded else Status.FAILED, message=message)

    @_handed_over
    def check_connection(self, logger: logging.Logger, config: Mapping[str, Any]) -> Tuple[bool, Optional[Any]]:
        """Reads the activated legal entities: what is readable, or why Paycor failed. A config error (a
        refused refresh token, no legal entity left) raises, for the entrypoint to report in its words."""
        context = self.context
        context.retry_seconds = CHECK_RETRY_SECONDS
        context.connect_timeout_seconds = CHECK_CONNECT_TIMEOUT
        context.authenticator.connect_timeout_seconds = CHECK_CONNECT_TIMEOUT
        directory = context.directory
        try:
            entities = directory.legal_entities()
        except AirbyteTracedException as error:
            if error.failure_type == FailureType.config_error:
                clean_exception(error)
                raise
            # Paycor unreachable or failing: a check answers FAILED with the reason, not a crash.
            return False, scrub(_check_failure(error, context.config.base_url))
        tenants = directory.tenant_ids()
        message = f"Connected to Paycor: {len(entities)} legal entities in {len(tenants)} tenants are readable."
        logger.info(message)
        return True, message

    @_handed_over
    def discover(self, logger: logging.Logger, config: Mapping[str, Any]) -> AirbyteCatalog:
        # Discovery proves the credentials too: one call, which rotates the refresh token if it must.
        try:
            self.context.directory.legal_entities()
        except AirbyteTracedException as error:
            clean_exception(error)
            raise
        self.reports.discovering()
        return super().discover(logger, config)

    @_handed_over
    def read(
        self,
        logger: logging.Logger,
        config: Mapping[str, Any],
        catalog: ConfiguredAirbyteCatalog,
        state: Optional[List[AirbyteStateMessage]] = None,
    ) -> Iterator[AirbyteMessage]:
        context = self.context
        offered = {spec.name for spec in STREAMS}
        unknown = [configured.stream.name for configured in catalog.streams if configured.stream.name not in offered]
        unknown = self.reports.select(catalog.streams, unknown)
        if unknown:
            raise ConfigError(
                f"The catalog asks for stream {unknown[0]}, which this connector does not offer — run `discover` "
                "again and select from its streams."
            )
        self._incremental = frozenset(
            configured.stream.name for configured in catalog.streams if configured.sync_mode == SyncMode.incremental
        )
        # Budget-bound and CPU-bound streams read side by side (`streams/order.py`).
        catalog = ConfiguredAirbyteCatalog(
            streams=reading_order(catalog.streams, lambda configured: configured.stream.name)
        )
        denied = context.access
        try:
            for message in super().read(logger, config, catalog, state):
                # Only a TRACE message is marked or cleaned: a record passes as it is (no three calls per record).
                if message.type != Type.TRACE:
                    yield message
                    continue
                yield clean_trace(self.reports.mark(incomplete_if_denied(message, denied)))
        except AirbyteTracedException as error:
            clean_exception(error)
            raise
        summary = denied.summary()
        if summary:
            logger.warning(summary)

    @_handed_over
    def streams(self, config: Mapping[str, Any]) -> List[Stream]:
        """Every stream, its cursor starting from the state this source was built with."""
        context = self.context
        state_manager = ConnectorStateManager(state=self._state)
        streams: List[Stream] = []
        for spec in STREAMS:
            stream = PaycorStream(spec, context)
            cursor: Cursor
            on_finish = functools.partial(_log_summary, logger, stream.stats)
            state = state_manager.get_stream_state(spec.name, None)
            if spec.per_employee and spec.window is None:
                employee_cursor = EmployeeCursor(
                    spec.name,
                    state,
                    self.message_repository,
                    state_manager,
                    context.read_at,
                    incremental=spec.name in self._incremental,
                    on_finish=on_finish,
                )
                stream.employee_cursor = employee_cursor
                self._delivery_cursors[spec.name] = employee_cursor
                cursor = employee_cursor
            elif spec.cursor_field:
                window_cursor = LegalEntityWindowCursor(
                    spec.name,
                    spec.cursor_field,
                    state,
                    self.message_repository,
                    state_manager,
                    context.today,
                    on_finish=on_finish,
                    read_at=context.read_at,
                    incremental=spec.name in self._incremental,
                )
                stream.window_cursor = window_cursor
                self._delivery_cursors[spec.name] = window_cursor
                cursor = window_cursor
            else:
                cursor = ReportingFinalStateCursor(stream.stats, self.message_repository)
            streams.append(self.convert_to_concurrent_stream(logger, stream, state_manager, cursor))
        for report in self.reports.streams():
            cursor = ReportingFinalStateCursor(report.stats, self.message_repository)
            streams.append(self.convert_to_concurrent_stream(logger, report, state_manager, cursor))
        return streams
