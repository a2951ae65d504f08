"""Airbyte source connector for Paycor."""

from .source import SourcePaycor
from .version import __version__

__all__ = ["SourcePaycor", "__version__"]
