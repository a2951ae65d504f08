"""One legal entity the application may read, with its tenant (an entry of Paycor's activation list).

A module of its own so that `directory.py` (which builds them) and `context.py` (which holds the
directory) do not import each other.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ActivatedLegalEntity:
    legal_entity_id: int
    tenant_id: int
