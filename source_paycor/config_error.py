"""`ConfigError`: a mistake only the user can fix — in the config, in a file a command is given (config, catalog,
state), in the application's activation — raised as an Airbyte config error whose one sentence says what to do.
"""

from __future__ import annotations

from typing import Any

from airbyte_cdk.models import FailureType
from airbyte_cdk.utils.traced_exception import AirbyteTracedException


class ConfigError(AirbyteTracedException):
    """A mistake in the configuration that only the user can fix."""

    def __init__(self, message: str) -> None:
        super().__init__(message=message, internal_message=message, failure_type=FailureType.config_error)

    def as_airbyte_message(self, stream_descriptor: Any = None) -> Any:
        """The sentence is the whole story: no stack trace for the user to wade through."""
        message = super().as_airbyte_message(stream_descriptor=stream_descriptor)
        if message.trace is not None and message.trace.error is not None:
            message.trace.error.stack_trace = None
        return message
