"""People: employees and persons, per tenant and per legal entity (family "people")."""

from __future__ import annotations

from typing import Tuple

from .parts import ACCRUALS, ONBOARDING
from .spec import StreamSpec

ROWS: Tuple[StreamSpec, ...] = (
    StreamSpec(
        "tenant_employees",
        "/v2/tenants/{tenantId}/employees",
        ("id",),
        family="people",
        description="The tenant-wide employee list (ids, numbers, names).",
    ),
    StreamSpec(
        "tenant_persons",
        "/v1/tenants/{tenantId}/persons",
        ("id",),
        family="people",
        description="The tenant-wide person list (ids and names).",
    ),
    StreamSpec(
        "employees",
        "/v2/legalentities/{legalEntityId}/employees",
        ("id",),
        {"include": ["All"]},
        family="people",
        description="Full employee records (include=All), 200 per page.",
    ),
    StreamSpec(
        "persons",
        "/v1/legalEntities/{legalEntityId}/persons",
        ("id",),
        family="people",
        description="Persons behind the employees, without social security numbers.",
    ),
    StreamSpec(
        "employee_identifying_data",
        "/v2/legalentities/{legalEntityId}/employeesIdentifyingData",
        ("employeeId",),
        {"include": ["Active", "Inactive"]},
        family="people",
        description="Names, numbers and status of active and inactive employees; SSN and birth date only with "
        "`include_sensitive_data` (and the optional Data Access item for them).",
    ),
    StreamSpec(
        "onboarding_employees",
        "/v2/legalentities/{legalEntityId}/onboardingemployees",
        ("onboardingEmployeeId",),
        family="people",
        product=ONBOARDING,
        description="New hires still in Paycor Onboarding, with their onboarding progress.",
    ),
    StreamSpec(
        "time_off_accruals",
        "/v2/legalentities/{legalEntityId}/timeoffaccruals",
        ("employeeId",),
        family="people",
        product=ACCRUALS,
        description="Each employee's current time-off balances, per time-off type.",
    ),
)
