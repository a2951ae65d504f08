"""What every stream of one sync shares: settings, the authenticator, the call budget, the directory
of legal entities, the parent rows read once for the streams fanning out from them, the answer cache, and the
sync's date."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional

from airbyte_cdk.sources.message import MessageRepository
from airbyte_cdk.sources.streams.call_rate import APIBudget

from ..auth import PaycorAuthenticator
from ..config import PaycorConfig
from ..dates import Day
from .access import AccessGate
from .answer_cache import AnswerCache
from .said_once import SaidOnce

if TYPE_CHECKING:
    from .catalog import StreamSpec
    from .directory import LegalEntityDirectory
    from .parent_rows import ParentRows

# The stream whose single record per legal entity lists the Paycor products it has.
SERVICES = "services"


@dataclass
class SyncContext:
    config: PaycorConfig
    authenticator: PaycorAuthenticator
    api_budget: APIBudget
    today: Day
    message_repository: MessageRepository
    # When this sync began (ISO date-time, UTC): the `readAt` of per-employee records.
    read_at: str = ""
    directory: "LegalEntityDirectory" = None  # type: ignore[assignment]
    parent_rows: "ParentRows" = None  # type: ignore[assignment]
    # Answers of the lists read both as streams and as parents, kept for their second reader.
    answer_cache: AnswerCache = field(default_factory=AnswerCache)
    said_once: SaidOnce = field(default_factory=SaidOnce)
    # Which (stream, legal entity) pairs a 403 denied.
    access: AccessGate = field(default_factory=AccessGate)
    # How long a call's retries may last (the CDK's `max_time`), and the connect timeout of each call (None: the
    # request timeout): `check` shortens both, so a wrong or unreachable `base_url` is answered in seconds.
    retry_seconds: int = 1800
    connect_timeout_seconds: Optional[float] = None

    def missing_product(self, spec: "StreamSpec", legal_entity_id: int) -> Optional[str]:
        """The product a legal entity lacks for `spec` (from its services), or None when it may be read."""
        if not spec.product:
            return None
        services = self.parent_rows.records(SERVICES, legal_entity_id)
        if not services:  # services unreadable: try the endpoint and let Paycor answer
            return None
        if any(services[0].get(flag) for flag in spec.product):
            return None
        return "the Paycor product " + " or ".join(spec.product)
