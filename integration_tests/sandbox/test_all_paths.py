"""Every GET path of both documents is served, and its bodies validate against the 200 schema."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from paycor_sandbox import Sandbox
from paycor_sandbox.extras import ats_account_ids, ats_job_ids
from paycor_sandbox.openapi import default_spec
from paycor_sandbox.reports import report_builder
from .helpers import TODAY, Client
from .test_conformance import validate

ROUTES = default_spec().routes


@pytest.fixture(scope="module")
def env():
    with Sandbox(seed=7, employees=120, today=TODAY) as sb:
        c = Client(sb)
        le = next(x for x in sb.company.legal_entities if x.services["performTime"])
        emp = next(e for e in sb.company.employees_of_legal_entity(le.id) if e.status == "Active" and e.hourly)
        today = sb.today()
        runs = sb.expected_records("/v1/legalentities/{legalEntityId}/payrollProcessing",
                                   {"fromCheckDate": str(today - timedelta(days=60))}, legalEntityId=le.id)
        run = runs[-1]
        values = {"legalEntityId": le.id, "tenantId": le.tenant_id, "employeeId": emp.id,
                  "personId": sb.company.person_of(emp).id, "departmentId": le.departments[0].id,
                  "workLocationId": le.work_locations[0].id, "statusCategory": "TerminationReason", "scope": "sandbox",
                  "taxCode": "FED"}
        values["atsAccountId"] = ats_account_ids(sb, le.id)[0]
        values["atsJobId"] = ats_job_ids(sb, values["atsAccountId"])[0]
        # Report Builder: the application's scope key, its reporting user and one of the user's templates
        values.update(scope=sb.auth.scope, userId=report_builder(sb).users[0].user_id,
                      templateId=report_builder(sb).templates[0].template_id)
        deposits = c.get(f"/v1/employees/{emp.id}/DirectDeposits").json()["records"]
        values["directDepositId"] = deposits[0]["id"]
        query = {"startDate": str(today - timedelta(days=14)), "endDate": str(today),
                 "fromCheckDate": str(today - timedelta(days=60)), "toCheckDate": str(today),
                 "plannerId": run["plannerId"], "entityType": "1"}
        yield sb, c, values, query


def _path(template, values):
    return re.sub(r"\{(\w+)\}", lambda m: str(values.get(m.group(1), "3f2504e0-4f89-41d3-9a0c-0305e82c3301")), template)


@pytest.mark.parametrize("route", ROUTES, ids=[r.template for r in ROUTES])
def test_every_get_path(env, route):
    sb, c, values, query = env
    params = {}
    names = {p["name"] for p in route.operation.get("parameters", []) if p.get("in") == "query"}
    for name in names:
        if name in query and (name in route.required_query() or name in ("plannerId", "startDate", "endDate")):
            params[name] = query[name]
    if route.include_values and "All" in route.include_values:
        params["include"] = "All"
    path = _path(route.template, values)
    if route.shape in ("binary", "none"):
        r = c.get(path, params)
        assert r.status_code == 200 and r.content
        return
    bodies = c.pages(path, params)
    for body in bodies:
        validate(route, body)
