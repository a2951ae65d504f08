"""The lists a sync reads that are not offered as streams: the activation list (the directory's root) and the
employee lists that per-employee streams fan out from."""

from __future__ import annotations

from typing import Tuple

from .parts import EMPLOYMENT_DATES
from .spec import StreamSpec

# The root of every sync, read by the directory, not offered as a stream: which (legal entity,
# tenant) pairs the application may read.
ACTIVATED_LEGAL_ENTITIES = StreamSpec(
    "activated_legal_entities", "/v1/legalentities/ActivatedLegalEntityTenantList", ()
)
# The employee list that per-employee streams fan out from: ids and employment dates, 200 a page, read once per sync.
EMPLOYEE_IDS = StreamSpec(
    "employee_ids",
    "/v2/legalentities/{legalEntityId}/employees",
    ("id",),
    EMPLOYMENT_DATES,
    denied_fallback="employee_ids_undated",
)
# Unpaid workers are listed only with workerCategory=Unpaid; their pay rates have their own endpoint.
UNPAID_WORKER_IDS = StreamSpec(
    "unpaid_worker_ids",
    "/v2/legalentities/{legalEntityId}/employees",
    ("id",),
    {"workerCategory": ["Unpaid"], **EMPLOYMENT_DATES},
    denied_fallback="unpaid_worker_ids_undated",
)
# The same lists without employment dates, where Paycor denies them: every employee and every window is read.
EMPLOYEE_IDS_UNDATED = StreamSpec("employee_ids_undated", EMPLOYEE_IDS.path, ("id",))
UNPAID_WORKER_IDS_UNDATED = StreamSpec(
    "unpaid_worker_ids_undated", UNPAID_WORKER_IDS.path, ("id",), {"workerCategory": ["Unpaid"]}
)
INTERNAL_STREAMS: Tuple[StreamSpec, ...] = (
    ACTIVATED_LEGAL_ENTITIES,
    EMPLOYEE_IDS,
    UNPAID_WORKER_IDS,
    EMPLOYEE_IDS_UNDATED,
    UNPAID_WORKER_IDS_UNDATED,
)
