"""Rate limit, fewest calls and progress, against the sandbox (behaviour, not timing: see bench/).

The tests run on `TODAY` (the `on_day` mark): their windowed reads ask for the same windows whatever day the
suite runs.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

from paycor_sandbox import Faults, Sandbox

from helpers import TODAY, canonical, configured_catalog, data_calls, discover

pytestmark = pytest.mark.on_day(TODAY)


def max_calls_in_any_minute(calls) -> int:
    times = sorted(c.at for c in calls)
    best, first = 0, 0
    for last, at in enumerate(times):
        while at - times[first] >= 60:
            first += 1
        best = max(best, last - first + 1)
    return best


def test_given_budget_equal_to_paycors_limit_when_read_needs_more_calls_then_no_429_and_no_minute_over_limit(run_connector):
    # 60 employees → 60 pay-rate calls, plus the employee lists and the activation list: more than 40 a minute.
    with Sandbox(seed=7, employees=60, rate_limit_per_minute=40, today=TODAY) as sandbox:
        catalog, config = discover(run_connector, sandbox.connector_config())
        sandbox.limiter.reset()
        sandbox.reset_calls()
        read = run_connector("read", {**config, "requests_per_minute": 40, "num_workers": 8},
                             catalog=configured_catalog(catalog, ["employee_pay_rates"]))
        assert read.returncode == 0, read.errors
        calls = sandbox.calls
        assert len(calls) > 60
        assert [c for c in calls if c.status == 429] == []
        assert max_calls_in_any_minute(calls) <= 40
        employees = [e["id"] for le, _ in sandbox.company.activated_pairs()
                     for e in sandbox.expected_records("/v2/legalentities/{legalEntityId}/employees", legalEntityId=le)]
        expected = sum(len(sandbox.expected_records("/v1/employees/{employeeId}/payrates", employeeId=e)) for e in employees)
        assert len(read.records("employee_pay_rates")) == expected


def test_given_429s_with_and_without_retry_after_when_read_then_retried_and_nothing_lost(run_connector):
    names = ["departments", "employees", "employee_pay_rates", "punches"]
    results = {}
    for faults in (None, Faults(rate=0.25, modes=("429", "429_no_retry_after"), seed=3)):
        with Sandbox(seed=7, employees=40, faults=faults, retry_after_seconds=1, today=TODAY) as sandbox:
            catalog, config = discover(run_connector, sandbox.connector_config())
            read = run_connector("read", config, catalog=configured_catalog(catalog, names))
            assert read.returncode == 0, read.errors
            results[faults is None] = {name: sorted(canonical(r) for r in read.records(name)) for name in names}
            if faults is not None:
                modes = Counter(mode for _, _, mode in sandbox.fault_log)
                assert modes["429"] > 0 and modes["429_no_retry_after"] > 0
                assert sum(1 for c in sandbox.calls if c.status == 429) == sum(modes.values())
    assert results[False] == results[True]


def test_given_one_stream_selected_when_read_then_only_its_calls_and_the_activation_list(run_connector):
    with Sandbox(seed=7, employees=60, today=TODAY) as sandbox:
        catalog, config = discover(run_connector, sandbox.connector_config())
        sandbox.reset_calls()
        read = run_connector("read", config, catalog=configured_catalog(catalog, ["departments"]))
        assert read.returncode == 0
        paths = [c.path for c in sandbox.calls]
        pairs = sandbox.company.activated_pairs()
        assert paths[0] == "/v1/legalentities/ActivatedLegalEntityTenantList"
        assert sorted(paths[1:]) == sorted(f"/v2/legalentities/{le}/departments" for le, _ in pairs)


def test_given_per_employee_and_windowed_streams_when_read_then_calls_planned_and_closing_lines(run_connector):
    with Sandbox(seed=7, employees=50, today=TODAY) as sandbox:
        catalog, config = discover(run_connector, sandbox.connector_config())
        sandbox.reset_calls()
        read = run_connector("read", config, catalog=configured_catalog(catalog, ["employee_pay_rates", "punches", "departments"]))
        assert read.returncode == 0
        # No ESTIMATE: its row_estimate counts rows, which are not known before the calls; the calls are logged.
        assert not [m for m in read.of_type("TRACE") if m["trace"]["type"] == "ESTIMATE"]
        planned = {line.split(":")[0]: int(line.split(": ")[1].split(" ")[0]) for line in read.logs("INFO") if " calls planned" in line}
        pay_rate_calls = [c for c in sandbox.calls if c.path.endswith("/payrates")]
        punch_calls = [c for c in sandbox.calls if c.path.lower().endswith("/punches") and "continuationToken" not in c.query]
        assert planned == {"Stream employee_pay_rates": len(pay_rate_calls), "Stream punches": len(punch_calls)}
        assert planned["Stream employee_pay_rates"] == 50
        lines = {line.split(":")[0]: line for line in read.logs("INFO") if " records, " in line and " calls, " in line}
        assert lines["Stream employee_pay_rates"].startswith(
            f"Stream employee_pay_rates: {len(read.records('employee_pay_rates'))} records, {len(pay_rate_calls)} calls, "
        )
        assert lines["Stream departments"].startswith(f"Stream departments: {len(read.records('departments'))} records, 3 calls, ")
        statuses = [(m["trace"]["stream_status"]["stream_descriptor"]["name"], m["trace"]["stream_status"]["status"])
                    for m in read.of_type("TRACE") if m["trace"]["type"] == "STREAM_STATUS"]
        for name in ("employee_pay_rates", "punches", "departments"):
            assert (name, "STARTED") in statuses and (name, "COMPLETE") in statuses


def test_given_a_stream_planning_from_parent_reads_then_the_next_stream_starts_meanwhile(run_connector):
    # labor_profile_labor_codes plans its slices from one labor-profile read per legal entity (sequential,
    # 300 ms each); employee_pay_rates, after it in the catalog, must not wait for that planning to end.
    with Sandbox(seed=7, employees=30, legal_entities=3, latency_ms=300, today=TODAY) as sandbox:
        catalog, config = discover(run_connector, sandbox.connector_config())
        sandbox.reset_calls()
        names = ["labor_profile_labor_codes", "employee_pay_rates"]
        read = run_connector("read", config, catalog=configured_catalog(catalog, names))
        assert read.returncode == 0, read.errors
        assert [s["stream"]["name"] for s in configured_catalog(catalog, names)["streams"]] == names
        calls = data_calls(sandbox)
        profile_reads = [c.at for c in calls if c.path.lower().endswith("/laborprofiles")]
        employee_reads = [c.at for c in calls if c.path.lower().endswith("/employees")]
        assert len(profile_reads) >= 2 and employee_reads  # the legal entities with Paycor labor
        assert min(employee_reads) < max(profile_reads)
        assert read.records("labor_profile_labor_codes") and read.records("employee_pay_rates")


def test_given_payroll_after_per_employee_streams_in_the_catalog_when_read_then_payroll_starts_beside_the_first(run_connector):
    # The catalog lists two per-employee streams, then a payroll stream: the payroll stream (CPU-bound)
    # is started beside the first per-employee stream (budget-bound), not after both.
    with Sandbox(seed=7, employees=20, today=TODAY) as sandbox:
        catalog, config = discover(run_connector, sandbox.connector_config())
        names = ["employee_pay_rates", "employee_earnings", "paystubs"]
        selected = configured_catalog(catalog, names)
        assert [s["stream"]["name"] for s in selected["streams"]] == names
        read = run_connector("read", config, catalog=selected)
        assert read.returncode == 0, read.errors
        started = [m["trace"]["stream_status"]["stream_descriptor"]["name"] for m in read.of_type("TRACE")
                   if m["trace"]["type"] == "STREAM_STATUS" and m["trace"]["stream_status"]["status"] == "STARTED"]
        assert started == ["employee_pay_rates", "paystubs", "employee_earnings"]
        assert all(read.records(name) for name in names)
