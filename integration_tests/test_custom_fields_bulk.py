"""employee_custom_fields: one POST per legal entity and page, and per-employee reads where that POST is denied.

Ground truth is the sandbox's company: each legal entity's employees, and what
`GET /v1/employees/{employeeId}/customfields` answers for each of them (the per-employee read)."""

from __future__ import annotations

from paycor_sandbox import Sandbox

from helpers import configured_catalog, data_calls, discover

BULK = "/v1/legalentities/{legalEntityId}/customfields"
PER_EMPLOYEE = "/v1/employees/{employeeId}/customfields"
BULK_ITEM = "Legal Entity CustomFields"


def per_employee_truth(sandbox: Sandbox) -> dict:
    """(employeeId, customFieldId) → the per-employee record, with the ids the connector adds."""
    truth = {}
    for legal_entity_id, _ in sandbox.company.activated_pairs():
        for employee in sandbox.company.employees_of_legal_entity(legal_entity_id):
            for record in sandbox.expected_records(PER_EMPLOYEE, employeeId=employee.id):
                truth[(employee.id, record["customFieldId"])] = {**record, "employeeId": employee.id}
    return truth


def keyed(records: list) -> dict:
    return {(r["employeeId"], r["customFieldId"]): r for r in records}


def test_given_bulk_route_allowed_when_read_then_one_post_per_legal_entity_page_and_the_per_employee_records(run_connector):
    with Sandbox(seed=7, employees=300) as sandbox:
        catalog, config = discover(run_connector, sandbox.connector_config())
        sandbox.reset_calls()
        read = run_connector("read", config, catalog=configured_catalog(catalog, ["employee_custom_fields"]))
        assert read.returncode == 0, read.errors
        pairs = sandbox.company.activated_pairs()
        pages = {le: sandbox.expected_pages(BULK, method="POST", legalEntityId=le) for le, _ in pairs}
        assert max(pages.values()) >= 2  # continuation paging is exercised
        calls = [c for c in data_calls(sandbox) if c.path != "/v1/legalentities/ActivatedLegalEntityTenantList"]
        assert all(c.method == "POST" and c.status == 200 for c in calls), [(c.method, c.path) for c in calls]
        for le, _ in pairs:
            mine = [c for c in calls if c.path == f"/v1/legalentities/{le}/customfields"]
            assert len(mine) == pages[le]
            assert ["continuationToken" in c.query for c in mine] == [False] + [True] * (pages[le] - 1)
        assert len(calls) == sum(pages.values())
        truth = per_employee_truth(sandbox)
        records = keyed(read.records("employee_custom_fields"))
        assert len(read.records("employee_custom_fields")) == len(truth) == len(records)
        assert records.keys() == truth.keys()
        for key, record in records.items():
            want = {**truth[key], "customFieldsOptions": None}  # the bulk route sends no options
            assert {name: record.get(name) for name in want} == want, key
        assert not [w for w in read.logs("WARN") if "employee_custom_fields" in w]


def test_given_bulk_route_denied_when_read_then_one_403_per_legal_entity_then_per_employee_reads_and_one_warning(run_connector):
    with Sandbox(seed=7, employees=60) as probe:
        legal_entities = [le for le, _ in probe.company.activated_pairs()]
    denied = {le: {BULK_ITEM} for le in legal_entities}
    with Sandbox(seed=7, employees=60, denied_data_access=denied) as sandbox:
        catalog, config = discover(run_connector, sandbox.connector_config())
        sandbox.reset_calls()
        read = run_connector("read", config, catalog=configured_catalog(catalog, ["employee_custom_fields"]))
        assert read.returncode == 0, read.errors
        calls = data_calls(sandbox)
        posts = [c for c in calls if c.method == "POST"]
        assert sorted(c.path for c in posts) == sorted(f"/v1/legalentities/{le}/customfields" for le in legal_entities)
        assert {c.status for c in posts} == {403}
        employees = [e.id for le in legal_entities for e in sandbox.company.employees_of_legal_entity(le)]
        gets = [c for c in calls if c.path.endswith("/customfields") and c.method == "GET"]
        assert sorted(c.path for c in gets) == sorted(f"/v1/employees/{employee}/customfields" for employee in employees)
        truth = per_employee_truth(sandbox)
        records = keyed(read.records("employee_custom_fields"))
        assert len(read.records("employee_custom_fields")) == len(truth)
        for key, record in records.items():
            assert {name: record.get(name) for name in truth[key]} == truth[key], key
        assert records.keys() == truth.keys()
        warnings = [w for w in read.logs("WARN") if "employee_custom_fields" in w]
        assert len(warnings) == 1, warnings
        assert f'lacks Data Access "{BULK_ITEM}"' in warnings[0] and "one call per employee_ids record" in warnings[0]
        statuses = {m["trace"]["stream_status"]["status"] for m in read.of_type("TRACE") if m["trace"]["type"] == "STREAM_STATUS"}
        assert "INCOMPLETE" not in statuses


def test_given_realistic_answers_when_bulk_read_then_the_same_records_as_the_per_employee_read(run_connector):
    from paycor_sandbox.realism import Realism

    with Sandbox(seed=7, employees=300, realistic=Realism()) as sandbox:
        drawn = sandbox.realism.deviations_for("POST " + BULK)
        assert drawn  # the realistic mode applies to the POST route
        catalog, config = discover(run_connector, sandbox.connector_config())
        read = run_connector("read", config, catalog=configured_catalog(catalog, ["employee_custom_fields"]))
        assert read.returncode == 0, read.errors
        truth = per_employee_truth(sandbox)
        records = keyed(read.records("employee_custom_fields"))
        assert records.keys() == truth.keys() and len(read.records("employee_custom_fields")) == len(truth)
        for key, record in records.items():
            assert record["value"] == truth[key]["value"] and record["fieldName"] == truth[key]["fieldName"], key
