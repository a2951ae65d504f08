"""The root of every sync: the legal entities (and their tenants) the application may read.

`GET /v1/legalentities/ActivatedLegalEntityTenantList` answers
`{"userLegalEntities": [{"legalEntityId": 501123, "tenantId": 678556}, ...]}`. It is read once per
sync (whichever stream asks first; threads wait for it: one call, with its timeout and bounded retries)
and filtered by `legal_entity_ids`.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Callable, Iterable, List, Mapping, Optional, Sequence, Tuple

from ..config_error import ConfigError

logger = logging.getLogger("airbyte")


@dataclass(frozen=True)
class ActivatedLegalEntity:
    """One legal entity the application may read, with its tenant (an entry of Paycor's activation list)."""

    legal_entity_id: int
    tenant_id: int


class LegalEntityDirectory:
    def __init__(self, fetch: Callable[[], Iterable[Mapping]], wanted: Optional[Sequence[int]]) -> None:
        self._fetch = fetch
        self._wanted = wanted
        self._lock = threading.Lock()
        self._entities: Optional[Tuple[ActivatedLegalEntity, ...]] = None

    def legal_entities(self) -> Tuple[ActivatedLegalEntity, ...]:
        with self._lock:
            if self._entities is None:
                self._entities = self._select(self._activated())
            return self._entities

    def entity(self, legal_entity_id: int) -> ActivatedLegalEntity:
        return next(entity for entity in self.legal_entities() if entity.legal_entity_id == legal_entity_id)

    def tenant_ids(self) -> List[int]:
        return list(dict.fromkeys(entity.tenant_id for entity in self.legal_entities()))

    def _activated(self) -> List[ActivatedLegalEntity]:
        entities = []
        for answer in self._fetch():
            for item in answer.get("userLegalEntities") or []:
                entities.append(ActivatedLegalEntity(int(item["legalEntityId"]), int(item["tenantId"])))
        return list(dict.fromkeys(entities))

    def _select(self, activated: List[ActivatedLegalEntity]) -> Tuple[ActivatedLegalEntity, ...]:
        wanted = self._wanted
        if not activated:
            raise ConfigError(
                "Paycor lists no activated legal entity for this application — activate it for at least one legal "
                "entity "
                "(Paycor → AppActivation) and try again."
            )
        if wanted is None:
            return tuple(activated)
        chosen = tuple(entity for entity in activated if entity.legal_entity_id in wanted)
        missing = sorted(set(wanted) - {entity.legal_entity_id for entity in chosen})
        if not chosen:
            raise ConfigError(
                f"None of the legal entities in `legal_entity_ids` ({', '.join(map(str, wanted))}) is activated for "
                "this application — "
                f"use some of {', '.join(str(entity.legal_entity_id) for entity in activated)}, or leave the field "
                "empty."
            )
        if missing:
            logger.warning(
                f"Legal entities {', '.join(map(str, missing))} of `legal_entity_ids` are not activated for this "
                "application; skipping them."
            )
        return chosen
