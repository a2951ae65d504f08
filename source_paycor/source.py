"""SourcePaycor: validates the config, builds one authenticator, lists the streams."""

from __future__ import annotations

import logging
from typing import Any, List, Mapping, MutableMapping, Optional, Tuple

from airbyte_cdk.models import AirbyteConnectionStatus, Status
from airbyte_cdk.sources import AbstractSource
from airbyte_cdk.sources.streams import Stream
from airbyte_cdk.sources.streams.call_rate import APIBudget

from .auth import PaycorAuthenticator
from .config import ConfigError, parse_config
from .streams.base import PaycorStream
from .streams.catalog import STREAMS
from .streams.context import SyncContext
from .streams.directory import LegalEntityDirectory


def build_context(raw_config: MutableMapping[str, Any]) -> SyncContext:
    config = parse_config(raw_config)
    context = SyncContext(
        config=config,
        authenticator=PaycorAuthenticator(raw_config, config),
        api_budget=APIBudget(policies=[]),
    )
    context.directory = LegalEntityDirectory(context)
    return context


class SourcePaycor(AbstractSource):
    # The config is validated by `parse_config`, whose messages name the field and the fix.
    check_config_against_spec = False

    def __init__(self) -> None:
        super().__init__()
        self._contexts: dict = {}

    def _context(self, config: Mapping[str, Any]) -> SyncContext:
        # One context per config dict for the whole command: the directory is read once.
        key = id(config)
        if key not in self._contexts:
            self._contexts[key] = build_context(config)  # type: ignore[arg-type]
        return self._contexts[key]

    def read_config(self, config_path: str) -> Mapping[str, Any]:
        try:
            return super().read_config(config_path)
        except (ValueError, OSError):
            raise ConfigError(f"The configuration file {config_path} does not hold a JSON object — write the config as JSON with the fields of the connector's spec.")

    @property
    def stop_sync_on_stream_failure(self) -> bool:
        """Go on with the other streams after a stream fails, unless the credentials were refused."""
        return any(context.authenticator.refusal is not None for context in self._contexts.values())

    def check(self, logger: logging.Logger, config: Mapping[str, Any]) -> AirbyteConnectionStatus:
        context = self._context(config)
        entities = context.directory.legal_entities()
        tenants = context.directory.tenant_ids()
        message = f"Connected to Paycor: {len(entities)} legal entities in {len(tenants)} tenants are readable."
        logger.info(message)
        return AirbyteConnectionStatus(status=Status.SUCCEEDED, message=message)

    def check_connection(self, logger: logging.Logger, config: Mapping[str, Any]) -> Tuple[bool, Optional[Any]]:
        status = self.check(logger, config)
        return status.status == Status.SUCCEEDED, status.message

    def streams(self, config: Mapping[str, Any]) -> List[Stream]:
        context = self._context(config)
        return [PaycorStream(spec, context) for spec in STREAMS]

    def discover(self, logger: logging.Logger, config: Mapping[str, Any]):
        # Discovery proves the credentials too: one call, which rotates the refresh token if it must.
        self._context(config).directory.legal_entities()
        return super().discover(logger, config)
