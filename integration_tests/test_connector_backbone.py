"""The connector end to end against the Paycor sandbox: discovery, every stream, casing, auth, skips."""

from __future__ import annotations

from typing import Any, Dict, List

from paycor_sandbox import Sandbox
from source_paycor.error_sentences import CLIENT_REJECTED, REFRESH_REJECTED, SUBSCRIPTION_KEY_REJECTED
from source_paycor.streams.catalog import STREAMS

from helpers import canonical, configured_catalog, discover_and_read, key_of

ALL_NAMES = [spec.name for spec in STREAMS]
# The backbone's streams: one call sequence per tenant or legal entity (no fan-out, windows or enumerations).
CORE = [spec for spec in STREAMS if not (spec.window or spec.fan_out or spec.each or spec.dated_params or spec.sensitive_only)]


# The sensitive fields of the backbone's streams, as the sandbox's company holds them (default config: nulled).
SENSITIVE_FIELDS = {
    "persons": (("socialSecurityNumber",), ("demographicData", "birthDate")),
    "employee_identifying_data": (("socialSecurityNumber",), ("birthDate",)),
}

SANDBOX_REPORTS = ["report_employee_pay_rates", "report_employee_phones", "report_headcount_by_department"]

def null_field(row: Dict[str, Any], path) -> None:
    holder = row
    for name in path[:-1]:
        holder = holder.get(name) if isinstance(holder, dict) else None
    if isinstance(holder, dict) and path[-1] in holder:
        holder[path[-1]] = None


def expected_records(sandbox: Sandbox, legal_entity_ids=None) -> Dict[str, List[Dict[str, Any]]]:
    """Ground truth per stream: the sandbox's records of every slice, with the parent id added, legal
    entities without the stream's product left out and sensitive fields nulled (the default config)."""
    pairs = [(le, tenant) for le, tenant in sandbox.company.activated_pairs() if legal_entity_ids is None or le in legal_entity_ids]
    tenants = list(dict.fromkeys(tenant for _, tenant in pairs))
    result: Dict[str, List[Dict[str, Any]]] = {}
    for spec in CORE:
        parent = spec.parent_field
        ids = tenants if parent == "tenantId" else [
            le for le, _ in pairs if not spec.product or any(sandbox.company.legal_entity(le).services.get(flag) for flag in spec.product)
        ]
        rows = []
        for parent_id in ids:
            for record in sandbox.expected_records(spec.path, query=dict(spec.params), **{parent: parent_id}):
                row = {**record, parent: record.get(parent) if record.get(parent) is not None else parent_id}
                for path in SENSITIVE_FIELDS.get(spec.name, ()):
                    null_field(row, path)
                rows.append(row)
        result[spec.name] = rows
    return result


def test_given_sandbox_company_when_full_read_then_every_stream_delivers_exactly_the_ground_truth(sandbox, run_connector):
    discovered, read, _, _ = discover_and_read(run_connector, sandbox.connector_config(), [spec.name for spec in CORE])
    assert read.returncode == 0, read.errors
    # the 76 API streams, and the sandbox's three Report Builder templates (integration_tests/test_reports.py)
    assert sorted(s["name"] for s in discovered.catalog["streams"]) == sorted(ALL_NAMES + SANDBOX_REPORTS)
    truth = expected_records(sandbox)
    for spec in CORE:
        got = read.records(spec.name)
        assert len(got) == len(truth[spec.name]) > 0, spec.name
        assert sorted(map(canonical, got)) == sorted(map(canonical, truth[spec.name])), spec.name
        keys = [key_of(record, spec.key) for record in got]
        assert len(set(keys)) == len(keys), f"duplicate primary keys in {spec.name}"
    assert len(read.records("employees")) == 300
    # one call per page: employees come 200 a page
    employee_calls = [c for c in sandbox.calls if c.path.lower().endswith("/employees") and "/v2/legalentities/" in c.path.lower()]
    expected_pages = sum(sandbox.expected_pages("/v2/legalentities/{legalEntityId}/employees", query={"include": ["All"]}, legalEntityId=le)
                         for le, _ in sandbox.company.activated_pairs())
    assert len(employee_calls) == expected_pages
    assert all(c.query.get("include") == ["All"] for c in employee_calls)
    # the activation list is read once per command
    activation_calls = [c for c in sandbox.calls if c.path.lower().endswith("activatedlegalentitytenantlist")]
    assert len(activation_calls) == 2  # discover + read


def test_given_pascal_case_answers_when_read_then_same_records_in_the_same_columns(run_connector):
    records = {}
    for casing in ("camel", "pascal"):
        with Sandbox(seed=7, employees=120, casing=casing) as sandbox:
            _, read, _, _ = discover_and_read(run_connector, sandbox.connector_config(), ["employees", "persons", "departments", "tenants"])
            assert read.returncode == 0, read.errors
            records[casing] = {name: sorted(map(canonical, read.records(name))) for name in ("employees", "persons", "departments", "tenants")}
    assert records["pascal"] == records["camel"]
    assert all(records["camel"][name] for name in records["camel"])


def test_given_legal_entity_filter_when_read_then_only_that_entity_and_its_tenant(sandbox, run_connector):
    le, tenant = sandbox.company.activated_pairs()[-1]
    config = {**sandbox.connector_config(), "legal_entity_ids": [le]}
    _, read, _, _ = discover_and_read(run_connector, config, ["employees", "tenants", "departments"])
    assert {r["legalEntityId"] for r in read.records("employees")} == {le}
    assert [r["id"] for r in read.records("tenants")] == [tenant]
    assert len(read.records("employees")) == len(sandbox.expected_records("/v2/legalentities/{legalEntityId}/employees", query={"include": ["All"]}, legalEntityId=le))


def test_given_check_then_counts_reported_and_rotation_chain_holds_across_commands(sandbox, run_connector):
    first = sandbox.connector_config()
    check = run_connector("check", first)
    assert check.connection_status["status"] == "SUCCEEDED"
    pairs = sandbox.company.activated_pairs()
    assert check.connection_status["message"] == (
        f"Connected to Paycor: {len(pairs)} legal entities in {len({t for _, t in pairs})} tenants are readable."
    )
    # check rotated the refresh token and handed the new one over
    assert len(check.rotated_configs) == 1
    rotated = check.rotated_configs[0]
    assert rotated["credentials"]["refresh_token"] == sandbox.valid_refresh_token != first["credentials"]["refresh_token"]
    assert rotated["subscription_key"] == first["subscription_key"] and rotated["base_url"] == first["base_url"]
    assert rotated["credentials"]["access_token"] and rotated["credentials"]["token_expiry_date"]
    # discover and read go on with the rotated config; the access token is still valid, so no new refresh
    _, read, _, _ = discover_and_read(run_connector, rotated, ["departments"])
    assert read.returncode == 0 and read.records("departments")
    assert sandbox.refresh_tokens_presented == [first["credentials"]["refresh_token"]]
    # the spent token is refused by Paycor: the user is told to re-authorize, without a stack trace
    stale = run_connector("read", first, catalog=configured_catalog(run_connector("discover", rotated).catalog, ["departments"]))
    assert stale.returncode != 0
    assert REFRESH_REJECTED in [error["message"] for error in stale.errors]
    assert "Traceback" not in stale.stdout
    assert sandbox.refresh_tokens_presented.count(first["credentials"]["refresh_token"]) == 2


def test_given_revoked_access_token_when_read_then_refreshed_once_and_nothing_lost(sandbox, run_connector):
    check = run_connector("check", sandbox.connector_config())
    config = check.rotated_configs[-1]
    sandbox.revoke_access_tokens()  # the access token in `config` still looks valid for 30 minutes
    discovered = run_connector("discover", config)
    config = discovered.rotated_configs[-1]
    assert len(discovered.rotated_configs) == 1
    _, read, _, _ = discover_and_read(run_connector, config, ["departments", "employees"])
    assert read.returncode == 0
    assert len(read.records("employees")) == 300


def test_given_token_about_to_expire_when_read_then_refreshed_before_the_first_call(sandbox, run_connector):
    check = run_connector("check", sandbox.connector_config())
    config = check.rotated_configs[-1]
    config["credentials"]["token_expiry_date"] = "2020-01-01T00:00:00+00:00"
    sandbox.reset_calls()
    discovered = run_connector("discover", config)
    assert [c.path for c in sandbox.calls][:2] == ["/sts/v1/common/token", "/v1/legalentities/ActivatedLegalEntityTenantList"]
    assert all(c.status == 200 for c in sandbox.calls)
    assert len(discovered.rotated_configs) == 1


def test_given_missing_data_access_for_one_legal_entity_when_read_then_that_slice_skipped_with_warning(run_connector):
    with Sandbox(seed=7, employees=120) as probe:
        denied_le = probe.company.activated_pairs()[0][0]
    with Sandbox(seed=7, employees=120, denied_data_access={denied_le: {"View Legal Entity Departments Information"}}) as sandbox:
        _, read, _, _ = discover_and_read(run_connector, sandbox.connector_config(), ["departments", "job_titles"])
        assert read.returncode == 0, read.errors
        assert read.records("departments") and denied_le not in {r["legalEntityId"] for r in read.records("departments")}
        assert denied_le in {r["legalEntityId"] for r in read.records("job_titles")}
        warnings = read.logs("WARN")
        assert any('Stream departments skipped: the application lacks the Paycor Data Access item "View Legal Entity Departments Information"' in w for w in warnings)
        assert not read.errors


def test_given_wrong_subscription_key_or_client_secret_when_check_then_failed_with_the_field_named(sandbox, run_connector):
    wrong_key = {**sandbox.connector_config(), "subscription_key": "0" * 32}
    check = run_connector("check", wrong_key)
    assert check.connection_status["status"] == "FAILED"
    assert check.connection_status["message"] == SUBSCRIPTION_KEY_REJECTED
    wrong_secret = sandbox.connector_config()
    wrong_secret["credentials"]["client_secret"] = "x" * 40
    check = run_connector("check", wrong_secret)
    assert check.connection_status["status"] == "FAILED"
    assert check.connection_status["message"] == CLIENT_REJECTED
    assert "Traceback" not in check.stdout


def test_given_unreachable_host_when_check_then_clear_failure_without_secrets(run_connector):
    config = {
        "base_url": "http://127.0.0.1:9",
        "subscription_key": "0123456789abcdef0123456789abcdef",
        "scope": "00112233445566778899aabbccddeeff",
        "credentials": {"client_id": "a1b2c3d4e5f6a7b8c9d0", "client_secret": "s" * 40, "refresh_token": "r" * 64},
    }
    check = run_connector("check", config, timeout=120)
    assert check.connection_status["status"] == "FAILED"
    assert check.connection_status["message"] == (
        "Paycor's token endpoint at `base_url` http://127.0.0.1:9 did not answer after 5 attempts (ConnectionError while connecting) — "
        "check `base_url` and the network, then try again."
    )


def test_given_skip_employees_terminated_before_when_read_then_no_call_for_them_and_one_line_per_stream(run_connector):
    skip_before = "2024-06-30"
    with Sandbox(seed=7, employees=30, terminated_history=1.2) as sandbox:
        config = {**sandbox.connector_config(), "skip_employees_terminated_before": skip_before}
        sandbox.reset_calls()
        _, read, _, _ = discover_and_read(run_connector, config, ["employee_pay_rates", "employee_taxes"])
        employees = sandbox.company.employees
        calls = sandbox.calls
    assert read.returncode == 0, read.errors
    # ground truth: the sandbox company's termination dates (the history ends them over ten years before 2025-06-30)
    gone = {e.id for e in employees if e.termination_date is not None and e.termination_date.isoformat() < skip_before}
    kept = {e.id for e in employees} - gone
    assert len(employees) == 66 and len(gone) > 20 and len(kept) > 30
    for path in ("payrates", "taxes"):
        called = [c.path.split("/")[3] for c in calls if c.path.endswith("/" + path)]
        assert sorted(called) == sorted(kept), path
    lists = [c for c in calls if c.path.endswith("/employees")]
    assert lists and all(c.query.get("include") == ["EmploymentDates"] for c in lists)
    for stream in ("employee_pay_rates", "employee_taxes"):
        said = [line for line in read.logs() if line.startswith(f"Stream {stream} skips ")]
        assert said == [f"Stream {stream} skips {len(gone)} employees terminated before {skip_before} (`skip_employees_terminated_before`): "
                        "their rows of this stream are absent."]
    assert {r["employeeId"] for r in read.records("employee_pay_rates")} == kept


def test_given_no_skip_setting_when_read_then_every_employee_called(run_connector):
    with Sandbox(seed=7, employees=30, terminated_history=1.2) as sandbox:
        sandbox.reset_calls()
        _, read, _, _ = discover_and_read(run_connector, sandbox.connector_config(), ["employee_pay_rates"])
        employees = sandbox.company.employees
        calls = sandbox.calls
    assert read.returncode == 0, read.errors
    assert sorted(c.path.split("/")[3] for c in calls if c.path.endswith("/payrates")) == sorted(e.id for e in employees)
    # Employment dates are asked always (the employment spans and the incremental skip need them): same pages.
    assert all(c.query.get("include") == ["EmploymentDates"] for c in calls if c.path.endswith("/employees"))
    assert not [line for line in read.logs() if " skips " in line and "terminated" in line]
