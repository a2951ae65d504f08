"""Recruiting (Paycor ATS): accounts → jobs → candidates (family "recruiting")."""

from __future__ import annotations

from typing import Tuple

from .spec import FanOut, StreamSpec

ROWS: Tuple[StreamSpec, ...] = (
    # No Services flag names the ATS product: not gated; a 404 (no ATS for the legal entity, a job gone
    # since it was listed) skips that one call.
    StreamSpec(
        "ats_accounts",
        "/v1/legalEntities/{legalEntityId}/ats/accounts",
        ("id",),
        family="recruiting",
        skip_not_found=True,
        description="The applicant tracking (ATS) accounts of each legal entity.",
    ),
    StreamSpec(
        "ats_jobs",
        "/v1/legalEntities/{legalEntityId}/ats/{atsAccountId}/jobs",
        ("atsAccountId", "id"),
        {"include": ["All"]},
        family="recruiting",
        fan_out=FanOut("ats_accounts", {"atsAccountId": "id"}),
        skip_not_found=True,
        description="The jobs of each ATS account, with hiring managers, recruiters and team (include=All).",
    ),
    StreamSpec(
        "ats_candidates",
        "/v1/legalEntities/{legalEntityId}/ats/{atsAccountId}/jobs/{atsJobId}/candidates",
        ("atsJobId", "id"),
        family="recruiting",
        fan_out=FanOut("ats_jobs", {"atsAccountId": "atsAccountId", "atsJobId": "id"}),
        skip_not_found=True,
        description="The candidates of each ATS job (one call per job).",
    ),
)
