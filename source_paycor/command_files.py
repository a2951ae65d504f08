"""The files a command is given — `--config`, `--catalog`, `--state` — read with one sentence per mistake.

The CDK reads them (`BaseConnector.read_config`, `Source.read_catalog`, `Source.read_state`); a file that is
missing, unreadable or not what the command expects becomes a config error with its sentence (`error_sentences.py`),
not a stack trace.
"""

from __future__ import annotations

from typing import Any, List, MutableMapping

from airbyte_cdk.connector import BaseConnector
from airbyte_cdk.models import AirbyteStateMessage, ConfiguredAirbyteCatalog
from airbyte_cdk.sources import Source

from .config_error import ConfigError
from .error_sentences import (
    CATALOG_FILE_INVALID,
    CONFIG_FILE_MISSING,
    CONFIG_FILE_NOT_JSON,
    CONFIG_FILE_UNREADABLE,
    STATE_FILE_INVALID,
)


def read_config_file(config_path: str) -> MutableMapping[str, Any]:
    try:
        return BaseConnector.read_config(config_path)
    except FileNotFoundError:
        raise ConfigError(CONFIG_FILE_MISSING.format(path=config_path)) from None
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise ConfigError(CONFIG_FILE_UNREADABLE.format(path=config_path, reason=reason)) from None
    except ValueError:
        raise ConfigError(CONFIG_FILE_NOT_JSON.format(path=config_path)) from None


def read_catalog_file(catalog_path: str) -> ConfiguredAirbyteCatalog:
    try:
        return Source.read_catalog(catalog_path)
    except Exception:
        raise ConfigError(CATALOG_FILE_INVALID.format(path=catalog_path)) from None


def read_state_file(state_path: str) -> List[AirbyteStateMessage]:
    try:
        return Source.read_state(state_path)
    except Exception:
        raise ConfigError(STATE_FILE_INVALID.format(path=state_path)) from None
