"""Tenants and legal entities: one record per parent (family "company")."""

from __future__ import annotations

from typing import Tuple

from .spec import StreamSpec

ROWS: Tuple[StreamSpec, ...] = (
    StreamSpec(
        "tenants",
        "/v1/tenants/{tenantId}",
        ("id",),
        family="company",
        parent_in_key=False,
        description="Each tenant (company) of the activated legal entities.",
    ),
    StreamSpec(
        "legal_entities",
        "/v1/legalentities/{legalEntityId}",
        ("id",),
        family="company",
        parent_in_key=False,
        description="Each activated legal entity (Paycor client).",
    ),
    StreamSpec(
        "legal_entity_settings",
        "/v1/legalentities/{legalEntityId}/settings",
        ("legalEntityId",),
        family="company",
        description="The configured settings of each legal entity (one record per legal entity).",
    ),
    StreamSpec(
        "legal_entity_lock_details",
        "/v1/legalEntities/{legalEntityId}/LockDetails",
        ("legalEntityId",),
        family="company",
        description="Whether each legal entity is locked, and since or until when.",
    ),
    StreamSpec(
        "services",
        "/v1/legalentities/{legalEntityId}/services",
        ("legalEntityId",),
        family="company",
        description="The Paycor products of each legal entity.",
    ),
)
