"""Every served GET path answers bodies that validate against the OpenAPI 200 response schema."""
from __future__ import annotations

import re

import pytest

from paycor_sandbox.jsonschema_openapi import validator_for
from paycor_sandbox.openapi import default_spec

CORE = [
    "/v1/legalentities/ActivatedLegalEntityTenantList", "/v1/tenants/{tenantId}", "/v1/tenants/{tenantId}/employees",
    "/v2/tenants/{tenantId}/employees", "/v1/legalentities/{legalEntityId}",
    "/v2/legalentities/{legalEntityId}/employees", "/v1/legalentities/{legalEntityId}/employees",
    "/v1/legalEntities/{legalEntityId}/persons", "/v2/legalentities/{legalEntityId}/departments",
    "/v1/legalentities/{legalEntityId}/departments", "/v1/legalentities/{legalEntityId}/jobtitles",
    "/v2/legalentities/{legalEntityId}/worklocations", "/v1/legalentities/{legalEntityId}/worklocations",
    "/v1/legalentities/{legalEntityId}/payGroups", "/v1/legalentities/{legalEntityId}/earnings",
    "/v1/legalentities/{legalEntityId}/deductions", "/v1/legalentities/{legalEntityId}/taxes",
    "/v1/legalentities/{legalEntityId}/services", "/v1/tenants/{tenantId}/persons",
    "/v1/tenants/{tenantId}/jobtitles", "/v1/tenants/{tenantId}/worklocations", "/v2/employees/{employeeId}",
    "/v1/employees/{employeeId}/person", "/v1/tenants/{tenantId}/persons/{personId}",
]

_VALIDATORS: dict = {}


def validate(route, body):
    key = route.key
    if key not in _VALIDATORS:
        _VALIDATORS[key] = validator_for(route.doc.data, route.schema)
    errors = sorted(_VALIDATORS[key].iter_errors(body), key=lambda e: list(e.absolute_path))
    assert not errors, f"{route.template}: " + "; ".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in errors[:5])


def fill(template: str, sb) -> str:
    le = sb.company.legal_entities[0]
    emp = sb.company.employees_of_legal_entity(le.id)[1]
    values = {"legalEntityId": le.id, "tenantId": le.tenant_id, "employeeId": emp.id,
              "personId": sb.company.person_of(emp).id}
    return re.sub(r"\{(\w+)\}", lambda m: str(values.get(m.group(1), "1")), template)


@pytest.mark.parametrize("template", CORE)
@pytest.mark.parametrize("include", [None, "All"])
def test_core_paths_conform(sandbox, client, template, include):
    route = default_spec().route(template)
    params = {"include": include} if include and route.include_values else None
    bodies = client.pages(fill(template, sandbox), params)
    for body in bodies:
        validate(route, body)
    assert bodies
