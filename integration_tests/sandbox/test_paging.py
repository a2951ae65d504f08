"""Paging, ground truth, includes, filters, errors for ids and routes."""
from __future__ import annotations

import pytest

from paycor_sandbox import Sandbox
from .helpers import Client

PAGED = [
    "/v2/legalentities/{legalEntityId}/employees", "/v1/legalentities/{legalEntityId}/employees",
    "/v1/legalEntities/{legalEntityId}/persons", "/v2/legalentities/{legalEntityId}/departments",
    "/v1/legalentities/{legalEntityId}/jobtitles", "/v2/legalentities/{legalEntityId}/worklocations",
    "/v1/legalentities/{legalEntityId}/payGroups", "/v1/legalentities/{legalEntityId}/earnings",
    "/v1/legalentities/{legalEntityId}/deductions", "/v1/legalentities/{legalEntityId}/taxes",
]


@pytest.fixture(scope="module")
def big():
    with Sandbox(seed=11, employees=900) as sb:
        yield sb, Client(sb)


@pytest.mark.parametrize("template", PAGED)
def test_pages_and_records_match_ground_truth(big, template):
    sb, c = big
    for le in sb.company.legal_entities:
        bodies = c.pages(template.replace("{legalEntityId}", str(le.id)))
        assert len(bodies) == sb.expected_pages(template, legalEntityId=le.id)
        records = [r for b in bodies for r in b["records"]]
        assert records == sb.expected_records(template, legalEntityId=le.id)


def test_employee_pages_hold_200_and_split_unevenly(big):
    sb, c = big
    counts = []
    for le in sb.company.legal_entities:
        bodies = c.pages(f"/v2/legalentities/{le.id}/employees")
        sizes = [len(b["records"]) for b in bodies]
        assert all(s == 200 for s in sizes[:-1]) and 0 < sizes[-1] <= 200
        assert bodies[-1]["continuationToken"] is None and bodies[-1]["additionalResultsUrl"] is None
        counts.append(sum(sizes))
    assert sum(counts) == 900 and len(set(counts)) == len(counts)


def test_persons_page_100_and_additional_results_url(big):
    sb, c = big
    le = sb.company.legal_entities[0]
    r = c.get(f"/v1/legalEntities/{le.id}/persons")
    body = r.json()
    assert len(body["records"]) == 100 and body["hasMoreResults"] is True
    url = body["additionalResultsUrl"]
    assert url.startswith(f"/v1/legalEntities/{le.id}/persons?") and body["continuationToken"] in url
    nxt = c.session.get(f"{sb.base_url}{url}", headers=c.headers()).json()
    assert nxt["records"] == sb.expected_records("/v1/legalEntities/{legalEntityId}/persons", legalEntityId=le.id)[100:200]
    # tokens are reusable
    again = c.get(f"/v1/legalEntities/{le.id}/persons", {"continuationToken": body["continuationToken"]}).json()
    assert again == nxt


def test_paths_are_case_insensitive(sandbox, client):
    le = sandbox.company.legal_entities[0].id
    a = client.get(f"/v1/legalEntities/{le}/payGroups").json()
    b = client.get(f"/V1/LEGALENTITIES/{le}/paygroups").json()
    assert a == b and a["records"]


def test_include_gates_employee_sub_objects(sandbox, client):
    le = sandbox.company.legal_entities[0].id
    plain = client.get(f"/v2/legalentities/{le}/employees").json()["records"][0]
    for k in ("employmentDateData", "statusData", "positionData", "workLocation"):
        assert plain[k] is None
    assert plain["firstName"] and plain["employeeNumber"]
    full = client.get(f"/v2/legalentities/{le}/employees", {"include": "All"}).json()["records"][0]
    assert all(full[k] for k in ("employmentDateData", "statusData", "positionData", "workLocation"))
    some = client.get(f"/v2/legalentities/{le}/employees", [("include", "Status"), ("include", "Position")]).json()
    rec = some["records"][0]
    assert rec["statusData"] and rec["positionData"] and rec["employmentDateData"] is None


def test_ssn_only_when_asked(sandbox, client):
    le = sandbox.company.legal_entities[0].id
    plain = client.get(f"/v1/legalEntities/{le}/persons").json()["records"]
    assert all(p["socialSecurityNumber"] is None for p in plain)
    asked = client.get(f"/v1/legalEntities/{le}/persons", {"include": "SocialSecurityNumber"}).json()["records"]
    import re
    assert all(re.fullmatch(r"\d{3}-\d{2}-\d{4}", p["socialSecurityNumber"]) for p in asked)
    assert all(p["demographicData"] is None for p in asked)


def test_employee_status_filter(sandbox, client):
    le = sandbox.company.legal_entities[0].id
    recs = [r for b in client.pages(f"/v2/legalentities/{le}/employees", {"statusFilter": "Terminated", "include": "Status"})
            for r in b["records"]]
    assert recs and all(r["statusData"]["status"] == "Terminated" for r in recs)


def test_relationships_are_consistent(sandbox):
    sb = sandbox
    le = sb.company.legal_entities[0]
    emps = sb.expected_records("/v2/legalentities/{legalEntityId}/employees", {"include": "All"}, legalEntityId=le.id)
    depts = {d["id"] for d in sb.expected_records("/v2/legalentities/{legalEntityId}/departments", legalEntityId=le.id)}
    locs = {w["id"] for w in sb.expected_records("/v2/legalentities/{legalEntityId}/worklocations", legalEntityId=le.id)}
    groups = {g["payGroupId"] for g in sb.expected_records("/v1/legalentities/{legalEntityId}/payGroups", legalEntityId=le.id)}
    persons = {p["id"] for p in sb.expected_records("/v1/legalEntities/{legalEntityId}/persons", legalEntityId=le.id)}
    ids = {e["id"] for e in emps}
    for e in emps:
        assert e["department"]["id"] in depts and e["workLocation"]["id"] in locs
        assert e["positionData"]["payGroupId"] in groups and e["person"]["id"] in persons
        assert e["legalEntity"]["id"] == str(le.id)
        mgr = e["positionData"]["manager"]
        assert mgr is None or mgr["id"] in ids
    statuses = [e["statusData"]["status"] for e in emps]
    assert statuses.count("Active") > len(statuses) / 2 and "Terminated" in statuses


def test_some_person_holds_two_employee_records():
    sb = Sandbox(seed=7, employees=600)
    assert any(len(p.employee_idx) == 2 for p in sb.company.persons)


def test_same_seed_same_company():
    a, b = Sandbox(seed=3, employees=50), Sandbox(seed=3, employees=50)
    le = a.company.legal_entities[0].id
    t = "/v2/legalentities/{legalEntityId}/employees"
    assert a.expected_records(t, legalEntityId=le) == b.expected_records(t, legalEntityId=le)
    assert Sandbox(seed=4, employees=50).company.legal_entities[0].id != le


def test_unknown_ids_and_routes(sandbox, client):
    r = client.get("/v1/legalentities/123/employees")
    assert r.status_code == 404 and set(r.json()) == {"CorrelationId", "Title", "Detail", "Source"}
    assert client.get("/v1/tenants/1/employees").status_code == 404
    assert client.get("/v2/employees/00000000-0000-4000-8000-000000000000").status_code == 404
    assert client.get("/v1/nothing/here").status_code == 404
    other = sandbox.company.unactivated_legal_entities[0].id
    r = client.get(f"/v1/legalentities/{other}/employees")
    assert r.status_code == 403 and r.json()["Title"]


def test_single_object_and_array_shapes(sandbox, client):
    t = sandbox.company.tenants[0]
    body = client.get(f"/v1/tenants/{t.id}").json()
    assert body["id"] == t.id and body["name"] == t.name
    le = sandbox.company.legal_entities[0].id
    arr = client.get(f"/v1/legalentities/{le}/statusReasons/TerminationReason")
    assert client.get(f"/v1/legalentities/{le}/statusReasons/Terminated").status_code == 400  # not a documented category
    assert arr.status_code == 200 and isinstance(arr.json(), list)
    svc = [client.get(f"/v1/legalentities/{x.id}/services").json() for x in sandbox.company.legal_entities]
    assert any(s["performTime"] for s in svc) and any(not s["performTime"] for s in svc)
