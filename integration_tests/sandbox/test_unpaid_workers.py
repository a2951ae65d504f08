"""Unpaid workers: listed only by employee lists asked with workerCategory=Unpaid, with their own pay rates."""
from __future__ import annotations

import hashlib
import json

from paycor_sandbox import Sandbox
from .helpers import Client

LIST = "/v2/legalentities/{le}/employees"
# sha256 of the seed-7, 300-employee company's employee lists (include=All), legal-entity persons and tenant
# persons, recorded before unpaid workers existed: adding them must leave all of it unchanged.
COMPANY_BEFORE_UNPAID = "cc37aefc38c02fcddc9b6f954507167f8a61c22641ae936a3d9d03eb4f100e7c"


def _all(client: Client, path: str, query: dict | None = None) -> list:
    records, query = [], dict(query or {})
    while True:
        body = client.get(path, query).json()
        records += body["records"]
        if not body["hasMoreResults"]:
            return records
        query["continuationToken"] = body["continuationToken"]


def _lists(client: Client, sb: Sandbox):
    """Per legal entity: (employees listed without a filter, workers listed with workerCategory=Unpaid)."""
    return {le.id: (_all(client, LIST.format(le=le.id)), _all(client, LIST.format(le=le.id), {"workerCategory": "Unpaid"}))
            for le in sb.company.legal_entities}


def test_given_300_employees_when_listing_unpaid_workers_then_6_listed_only_with_the_filter_each_with_pay_rates():
    with Sandbox(seed=7, employees=300) as sb:
        client = Client(sb)
        lists = _lists(client, sb)
        assert sum(len(paid) for paid, _ in lists.values()) == 300
        # 1 per 50 employees, dealt to the legal entities in turn: 2 each of the 3.
        assert [len(unpaid) for _, unpaid in lists.values()] == [2, 2, 2]
        for le_id, (paid, unpaid) in lists.items():
            assert {row["workerCategory"] for row in unpaid} == {"Unpaid"}
            assert {row["workerCategory"] for row in paid} == {"Paid"}
            assert not {row["id"] for row in unpaid} & {row["id"] for row in paid}
            assert _all(client, LIST.format(le=le_id), {"workerCategory": "Paid"}) == paid
            for worker in unpaid:
                rates = _all(client, f"/v1/employees/{worker['id']}/unpaidPayrates")
                assert 1 <= len(rates) <= 2
                assert {rate["employeeId"] for rate in rates} == {worker["id"]}
                assert len({rate["payRateId"] for rate in rates}) == len(rates)
            assert _all(client, f"/v1/employees/{paid[0]['id']}/unpaidPayrates") == []


def test_given_a_company_of_20_to_49_employees_then_one_unpaid_worker_under_19_none():
    for employees, expected in ((40, 1), (20, 1), (19, 0)):
        with Sandbox(seed=7, employees=employees) as sb:
            lists = _lists(Client(sb), sb)
            assert sum(len(unpaid) for _, unpaid in lists.values()) == expected, employees


def test_given_unpaid_workers_then_the_rest_of_the_company_is_unchanged():
    sb = Sandbox(seed=7, employees=300)
    out = []
    for le in sb.company.legal_entities:
        out.append(sb.expected_records("/v2/legalentities/{legalEntityId}/employees", {"include": ["All"]}, legalEntityId=le.id))
        out.append(sb.expected_records("/v1/legalEntities/{legalEntityId}/persons", legalEntityId=le.id))
    for tenant in sb.company.tenants:
        out.append(sb.expected_records("/v1/tenants/{tenantId}/persons", tenantId=tenant.id))
    assert hashlib.sha256(json.dumps(out, sort_keys=True).encode()).hexdigest() == COMPANY_BEFORE_UNPAID


def test_given_terminated_history_then_that_many_terminated_employees_listed_with_dates_and_the_rest_unchanged():
    plain = Sandbox(seed=7, employees=100)
    with Sandbox(seed=7, employees=100, terminated_history=1.2) as sb:
        client = Client(sb)
        listed = [row for le in sb.company.legal_entities
                  for row in _all(client, LIST.format(le=le.id), {"include": "EmploymentDates,Status"})]
        before = {e.id for e in plain.company.employees}
        added = [row for row in listed if row["id"] not in before]
        assert len(listed) == 100 + 120 and len(added) == 120
        assert {row["statusData"]["status"] for row in added} == {"Terminated"}
        ended = sorted(row["employmentDateData"]["terminationDate"][:10] for row in added)
        assert "2015-06-30" <= ended[0] and ended[-1] <= "2025-06-29"  # over the ten years before the company's anchor day
        assert sum(day >= "2024-06-30" for day in ended) > sum(day < "2016-06-30" for day in ended)  # more of them recently
        # the employees of the company without history are all still there, unchanged
        kept = {row["id"]: row for row in listed if row["id"] in before}
        for le in plain.company.legal_entities:
            for row in plain.expected_records("/v2/legalentities/{legalEntityId}/employees", {"include": ["EmploymentDates", "Status"]},
                                              legalEntityId=le.id):
                assert kept[row["id"]] == row
