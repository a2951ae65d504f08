"""What every stream of one sync shares: settings, the authenticator, the call budget, the directory."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from airbyte_cdk.sources.streams.call_rate import APIBudget

from ..auth import PaycorAuthenticator
from ..config import PaycorConfig

if TYPE_CHECKING:
    from .directory import LegalEntityDirectory


@dataclass
class SyncContext:
    config: PaycorConfig
    authenticator: PaycorAuthenticator
    api_budget: APIBudget
    directory: "LegalEntityDirectory" = None  # type: ignore[assignment]
