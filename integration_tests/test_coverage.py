"""Every stream of the catalog against the Paycor sandbox: one full read, ground-truth counts, fan-outs,
incremental windows, product gating, sensitive data, casing; and every GET path of Paycor's documents
is either a stream or listed (with its reason) in README.md's "Endpoints not read".

The full read uses a sandbox of 50 employees and a `start_date` two weeks back, so that the whole
read stays under the connector's 1000 calls a minute (about 880 calls, a few seconds). Every read runs on
`TODAY` (the `on_day` mark; the full read, made once for the module, moves its clock itself).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional

import pytest
from jsonschema import Draft7Validator

from paycor_sandbox import Sandbox
from paycor_sandbox.on_day import on_day
from source_paycor.streams.catalog import INTERNAL_STREAMS, STREAMS, by_name

from helpers import TODAY, SecretWatch, canonical, configured_catalog, discover_and_read, key_of, last_states, make_runner

pytestmark = pytest.mark.on_day(TODAY)

ROOT = Path(__file__).resolve().parent.parent
SPECS = {spec.name: spec for spec in STREAMS}
ENDPOINTS = json.loads((ROOT / "source_paycor" / "endpoints.json").read_text())
DOCUMENTS = {version: json.loads((ROOT / "openapi" / f"paycor-{version}.json").read_text()) for version in ("v1", "v2")}

FULL_EMPLOYEES = 50
FULL_DAYS_BACK = 14
# Streams that legitimately deliver nothing in a default read of the sandbox.
EMPTY_IN_SANDBOX = {
    "employee_i9_verifications": "sensitive-only stream, `include_sensitive_data` is off",
    "retirement_data": "sensitive-only stream, `include_sensitive_data` is off",
}
SANDBOX_REPORTS = ("report_employee_pay_rates", "report_employee_phones", "report_headcount_by_department")
SSN_DASHED = re.compile(r"\b\d{3}-\d{2}-\d{4}\b")
NINE_DIGITS = re.compile(r"\b\d{9}\b")


# --- helpers ---------------------------------------------------------------------------------------
def day(value: str) -> date:
    return date.fromisoformat(value[:10])


def leaves(value: Any, path: str = "") -> Iterable[tuple]:
    """(dotted path, value) of every scalar in a record."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for item in value:
            yield from leaves(item, path)
    else:
        yield path, value


def has_product(sandbox: Sandbox, legal_entity_id: int, product) -> bool:
    services = sandbox.company.legal_entity(legal_entity_id).services
    return not product or any(services.get(flag) for flag in product)


def calls_to(sandbox: Sandbox, template: str, **fixed) -> list:
    """Sandbox calls whose path matches an OpenAPI template (placeholders match one segment)."""
    pattern = "^" + re.sub(r"\\\{(\w+)\\\}", lambda m: f"(?P<{m.group(1)}>[^/]+)", re.escape(template)) + "/?$"
    regex = re.compile(pattern, re.IGNORECASE)
    found = []
    for call in sandbox.calls:
        match = regex.match(call.path)
        if match and all(str(match.group(k)).lower() == str(v).lower() for k, v in fixed.items()):
            found.append(call)
    return found


def window_calls(sandbox: Sandbox, spec, legal_entity_id: Optional[int] = None) -> List[tuple]:
    """(start, end) of every window call a windowed stream made, earliest first (calls run concurrently)."""
    fixed = {"legalEntityId": legal_entity_id} if legal_entity_id is not None else {}
    out = []
    for call in calls_to(sandbox, spec.path, **fixed):
        start, end = call.query.get(spec.window.start_param), call.query.get(spec.window.end_param)
        if start and end and "continuationToken" not in call.query:
            out.append((day(start[0]), day(end[0])))
    return sorted(out)


def config_for(sandbox: Sandbox, days_back: Optional[int] = None, **extra) -> Dict[str, Any]:
    config = sandbox.connector_config()
    if days_back is not None:
        config["start_date"] = str(sandbox.today() - timedelta(days=days_back))
    config.update(extra)
    return config


# --- the full read ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def full(tmp_path_factory):
    watch = SecretWatch()
    run = make_runner(tmp_path_factory.mktemp("full"), watch, today=TODAY)
    with Sandbox(seed=7, employees=FULL_EMPLOYEES, rate_limit_per_minute=100_000, today=TODAY) as sandbox:
        with on_day(TODAY):  # module-scoped: set up before the tests' own clock moves
            config = config_for(sandbox, FULL_DAYS_BACK)
            discovered = run("discover", config)
            assert discovered.returncode == 0, discovered.stdout[-2000:]
            config = (discovered.rotated_configs or [config])[-1]
            sandbox.reset_calls()
            read = run("read", config, catalog=configured_catalog(discovered.catalog))
        watch.add_sandbox(sandbox)
        yield sandbox, discovered, read


def test_given_every_stream_when_full_read_then_exit_0_records_valid_and_keys_unique(full):
    sandbox, discovered, read = full
    assert read.returncode == 0, read.errors
    assert not read.errors
    assert not read.logs("ERROR", "FATAL")
    streams = {stream["name"]: stream for stream in discovered.catalog["streams"]}
    # the API streams, and the sandbox's Report Builder templates (checked in integration_tests/test_reports.py)
    assert sorted(streams) == sorted([*SPECS, *SANDBOX_REPORTS])
    counts = read.counts()
    for name, stream in streams.items():
        records = read.records(name)
        if name in SANDBOX_REPORTS:  # no source-defined key: the user chooses one
            assert records and not stream.get("source_defined_primary_key"), name
            continue
        if name in EMPTY_IN_SANDBOX:
            assert not records, f"{name}: {EMPTY_IN_SANDBOX[name]}"
            continue
        assert records, f"{name} delivered no records"
        validator = Draft7Validator(stream["json_schema"])
        for record in records:
            problems = sorted(validator.iter_errors(record), key=lambda e: list(e.absolute_path))
            assert not problems, f"{name}: {problems[0].message[:200]} at {list(problems[0].absolute_path)}"
        key = stream["source_defined_primary_key"]
        assert key, name
        keys = [key_of(record, key) for record in records]
        assert all(None not in k for k in keys), f"{name}: a primary key field is empty"
        duplicates = [k for k, n in Counter(keys).items() if n > 1]
        assert not duplicates, f"{name}: duplicate primary keys {duplicates[:3]}"
    assert set(counts) == set(SPECS) - set(EMPTY_IN_SANDBOX) | set(SANDBOX_REPORTS)
    # the sandbox answered every call; none was refused as invalid
    assert {call.status for call in sandbox.calls} == {200}
    # beyond 1000 calls the connector waits a minute for its budget: keep this test fast
    assert len(sandbox.calls) < 1000


def test_given_full_read_then_record_counts_match_the_sandbox_ground_truth(full):
    sandbox, _, read = full
    pairs = sandbox.company.activated_pairs()

    # a lookup: time-off types of the legal entities that have a time-off product
    spec = SPECS["time_off_types"]
    truth = [
        {**record, "legalEntityId": le}
        for le, _ in pairs if has_product(sandbox, le, spec.product)
        for record in sandbox.expected_records(spec.path, legalEntityId=le)
    ]
    assert sorted(map(canonical, read.records("time_off_types"))) == sorted(map(canonical, truth)) and truth

    # per employee: earnings (include=All) of every employee of every legal entity
    spec = SPECS["employee_earnings"]
    truth = [
        {**record, "legalEntityId": le, "employeeId": employee.id}
        for le, _ in pairs for employee in sandbox.company.employees_of_legal_entity(le)
        for record in sandbox.expected_records(spec.path, query={"include": ["All"]}, employeeId=employee.id)
    ]
    assert sorted(map(canonical, read.records("employee_earnings"))) == sorted(map(canonical, truth)) and truth
    assert len(read.records("employee_benefit_classifications")) == FULL_EMPLOYEES

    # windowed: unassigned punches, summed over the windows the connector used
    spec = SPECS["unassigned_punches"]
    expected = 0
    for le, _ in pairs:
        windows = window_calls(sandbox, spec, le)
        if not has_product(sandbox, le, spec.product):
            assert not windows
            continue
        assert windows and windows[0][0] == sandbox.today() - timedelta(days=FULL_DAYS_BACK) and max(end for _, end in windows) == sandbox.today()
        for start, end in windows:
            expected += len(sandbox.expected_records(spec.path, query={"startDate": str(start), "endDate": str(end)}, legalEntityId=le))
    assert len(read.records("unassigned_punches")) == expected > 0

    # fan-out: paystubs, summed over the pay runs read; each carries its run's planner id and check date
    runs = {run["plannerId"]: run for run in read.records("payroll_processing")}
    stubs = read.records("paystubs")
    expected = sum(
        len(sandbox.expected_records(SPECS["paystubs"].path, query={"plannerId": planner}, legalEntityId=run["legalEntityId"]))
        for planner, run in runs.items()
        if day(run["checkDate"]) >= sandbox.today() - timedelta(days=FULL_DAYS_BACK)
    )
    assert len(stubs) == expected > 0
    for stub in stubs:
        assert stub["plannerId"] in runs and stub["checkDate"] == runs[stub["plannerId"]]["checkDate"]
        assert stub["grossAmount"] is not None and stub["earnings"]  # include=All
    # and the ATS chain: candidates of every job of every account
    expected = sum(
        len(sandbox.expected_records(SPECS["ats_candidates"].path, legalEntityId=job["legalEntityId"],
                                     atsAccountId=job["atsAccountId"], atsJobId=job["id"]))
        for job in read.records("ats_jobs")
    )
    assert len(read.records("ats_candidates")) == expected > 0


def test_given_full_read_then_windows_respect_paycors_date_rules(full):
    sandbox, _, _ = full
    today = sandbox.today()
    for spec in STREAMS:
        if spec.window is None:
            continue
        windows = window_calls(sandbox, spec)
        assert windows, spec.name
        max_days = ENDPOINTS[spec.name]["max_days"]
        for start, end in windows:
            assert 0 <= (end - start).days < max_days, (spec.name, start, end, max_days)
            assert end <= today + timedelta(days=spec.window.future_days), (spec.name, end)
            if spec.window.future_days == 0:
                assert start <= today, (spec.name, start)
        if spec.window.future_days:
            # only endpoints whose document does not forbid it read ahead
            version = spec.path.split("/")[1]
            operation = next(ops["get"] for path, ops in DOCUMENTS[version]["paths"].items() if path.lower() == spec.path.lower())
            assert "must not be in future" not in (operation.get("description") or ""), spec.name


def test_given_lean_legal_entity_when_full_read_then_product_streams_skip_it_with_one_info_line(full):
    sandbox, _, read = full
    lean = sandbox.company.activated_pairs()[-1][0]
    assert not sandbox.company.legal_entity(lean).services["performTime"]
    gated = [spec for spec in STREAMS if spec.product and not has_product(sandbox, lean, spec.product)]
    assert {"punches", "schedules", "unassigned_punches", "time_off_requests", "employee_hours"} <= {spec.name for spec in gated}
    lean_employees = {employee.id for employee in sandbox.company.employees_of_legal_entity(lean)}
    info = read.logs("INFO")
    for spec in gated:
        lines = [line for line in info if line.startswith(f"Stream {spec.name} skips legal entity {lean}:")]
        assert len(lines) == 1, (spec.name, lines)
        if "{employeeId}" in spec.path:
            assert not [c for c in calls_to(sandbox, spec.path) if c.path.split("/")[3] in lean_employees], spec.name
        else:
            assert not calls_to(sandbox, spec.path, legalEntityId=lean), spec.name
        assert all(record.get("legalEntityId") != lean for record in read.records(spec.name))
    assert not any(f"skips legal entity {lean}" in line for line in read.logs("WARN", "ERROR"))
    assert not read.errors


def test_given_sensitive_data_off_when_full_read_then_no_ssn_or_bank_number_anywhere(full):
    sandbox, _, read = full
    company = sandbox.company
    feins = {le.fein for le in company.legal_entities}  # a company's federal id is public, and 9 digits
    ssns = {person.ssn for person in company.persons} | {person.ssn.replace("-", "") for person in company.persons}
    for message in read.messages:
        if message["type"] == "RECORD":
            values = leaves(message["record"]["data"])
        elif message["type"] == "LOG":
            values = [("log", message["log"]["message"])]
        else:
            continue
        for path, value in values:
            text = str(value)
            assert not SSN_DASHED.search(text), (path, text)
            assert all(match in feins for match in NINE_DIGITS.findall(text)), (message.get("record", {}).get("stream"), path, text)
            assert text not in ssns
    for name in ("employee_direct_deposits", "employee_hsa_accounts"):
        records = read.records(name)
        assert records
        for record in records:
            assert record.get("routingNumber") is None and record.get("unmaskedAccountNumber") is None
            assert re.fullmatch(r"\*+\d{4}", record["maskedAccountNumber"])
    identifying = read.records("employee_identifying_data")
    assert len(identifying) == FULL_EMPLOYEES and all(r.get("socialSecurityNumber") is None and r.get("birthDate") is None for r in identifying)
    # the requests never ask for more than the defaults
    for call in sandbox.calls:
        assert "includeUnmaskedAccountNumber" not in call.query, call.path
        if "identifyingdata" in call.path.lower() or call.path.lower().endswith("/persons"):
            assert not {"SocialSecurityNumber", "All"} & set(call.query.get("include", [])), call
    for name in EMPTY_IN_SANDBOX:
        if SPECS[name].sensitive_only:
            said = [line for line in read.logs() if line.startswith(f"Stream {name} holds only sensitive data")]
            assert len(said) == 1, (name, said)
            assert not calls_to(sandbox, SPECS[name].path)


# --- focused reads ---------------------------------------------------------------------------------
def test_given_three_per_employee_streams_when_read_then_employee_list_read_once_per_legal_entity(run_connector):
    with Sandbox(seed=7, employees=30, rate_limit_per_minute=100_000, today=TODAY) as sandbox:
        _, read, _, _ = discover_and_read(run_connector, sandbox.connector_config(),
                                          ["employee_pay_rates", "employee_taxes", "employee_certifications"])
        assert read.returncode == 0 and not read.errors
        for le, _ in sandbox.company.activated_pairs():
            lists = calls_to(sandbox, "/v2/legalentities/{legalEntityId}/employees", legalEntityId=le)
            assert len(lists) == sandbox.expected_pages("/v2/legalentities/{legalEntityId}/employees", legalEntityId=le) == 1
            employees = sandbox.company.employees_of_legal_entity(le)
            for name in ("employee_pay_rates", "employee_taxes", "employee_certifications"):
                calls = [c for c in calls_to(sandbox, SPECS[name].path) if c.path.split("/")[3] in {e.id for e in employees}]
                assert len(calls) == len(employees), name
        assert len({(r["employeeId"], r["id"]) for r in read.records("employee_pay_rates")}) == len(read.records("employee_pay_rates"))


def test_given_state_when_read_again_then_starts_at_saved_less_lookback_and_old_start_date_is_clamped(run_connector):
    names = ["unassigned_punches", "missed_punch_requests"]
    with Sandbox(seed=7, employees=30, rate_limit_per_minute=100_000, today=TODAY) as sandbox:
        today = sandbox.today()
        time_les = [le for le, _ in sandbox.company.activated_pairs() if has_product(sandbox, le, SPECS["unassigned_punches"].product)]
        # first read, from start_date
        first_config = config_for(sandbox, 100, lookback_window_days=10)
        _, first, config, catalog = discover_and_read(run_connector, first_config, names, "incremental")
        assert first.returncode == 0 and not first.errors
        state = last_states(first.messages)
        assert sorted(s["stream"]["stream_descriptor"]["name"] for s in state) == sorted(names)
        for entry in state:
            spec = SPECS[entry["stream"]["stream_descriptor"]["name"]]
            saved = {s["partition"]["legalEntityId"]: s["cursor"][spec.cursor_field] for s in entry["stream"]["stream_state"]["states"]}
            assert saved == {le: today.isoformat() for le in time_les}
            for le in time_les:
                windows = window_calls(sandbox, spec, le)
                assert windows[0][0] == today - timedelta(days=100) and windows[-1][1] == today
                assert all((b[0] - a[1]).days == 1 for a, b in zip(windows, windows[1:]))  # contiguous, no gap
                assert all((end - start).days < ENDPOINTS[spec.name]["max_days"] for start, end in windows)
        # second read with that state: from the saved date less the lookback
        sandbox.reset_calls()
        second = run_connector("read", {**config, "lookback_window_days": 10}, catalog=catalog, state=state)
        assert second.returncode == 0 and not second.errors
        for name in names:
            for le in time_les:
                windows = window_calls(sandbox, SPECS[name], le)
                assert windows[0] == (today - timedelta(days=10), today), name
        # a start_date more than a year back starts at today - 364, and the log says so, naming `start_date`
        sandbox.reset_calls()
        old = {**config, "start_date": str(today - timedelta(days=500))}
        third = run_connector("read", old, catalog=catalog)
        assert third.returncode == 0 and not third.errors
        for name in names:
            for le in time_les:
                windows = window_calls(sandbox, SPECS[name], le)
                assert windows[0][0] == today - timedelta(days=364), name
                assert all(start <= today and (end - start).days < ENDPOINTS[name]["max_days"] for start, end in windows)
            # The clamp is a warning, once per stream.
            said = [line for line in third.logs("WARN") if line.startswith(f"Stream {name}:") and "`start_date`" in line]
            assert len(said) == 1, (name, said)


def test_given_sensitive_data_on_when_read_then_ssns_and_bank_numbers_are_delivered(run_connector):
    names = ["employee_identifying_data", "employee_direct_deposits", "employee_i9_verifications", "retirement_data"]
    with Sandbox(seed=7, employees=20, rate_limit_per_minute=100_000, today=TODAY) as sandbox:
        config = config_for(sandbox, 15, include_sensitive_data=True)
        _, read, _, _ = discover_and_read(run_connector, config, names)
        assert read.returncode == 0 and not read.errors
        persons = {employee.id: sandbox.company.person_of(employee) for employee in sandbox.company.employees}
        identifying = read.records("employee_identifying_data")
        assert identifying and all(r["socialSecurityNumber"] == persons[r["employeeId"]].ssn.replace("-", "") for r in identifying)
        assert all(NINE_DIGITS.fullmatch(r["routingNumber"]) for r in read.records("employee_direct_deposits"))
        assert len(read.records("employee_i9_verifications")) == len(sandbox.company.employees)
        retirement = read.records("retirement_data")
        assert retirement and all(r["ssn"] and r["plannerId"] and r["checkDate"] for r in retirement)
        assert not any("holds only sensitive data" in line for line in read.logs())


FAMILIES = ["time_off_types", "status_reasons", "employee_direct_deposits", "employee_benefit_classifications",
            "unassigned_punches", "schedules", "paystubs", "general_ledger", "pay_schedule", "ats_candidates"]


def test_given_pascal_case_answers_when_read_then_valid_and_equal_to_the_camel_case_read(run_connector):
    records: Dict[str, Dict[str, List[str]]] = {}
    for casing in ("camel", "pascal"):
        with Sandbox(seed=7, employees=30, casing=casing, rate_limit_per_minute=100_000, today=TODAY) as sandbox:
            discovered, read, _, _ = discover_and_read(run_connector, config_for(sandbox, 20), FAMILIES)
            assert read.returncode == 0 and not read.errors
            schemas = {stream["name"]: stream["json_schema"] for stream in discovered.catalog["streams"]}
            for name in FAMILIES:
                validator = Draft7Validator(schemas[name])
                assert all(not list(validator.iter_errors(record)) for record in read.records(name)), (casing, name)
            records[casing] = {name: sorted(map(canonical, read.records(name))) for name in FAMILIES}
    for name in FAMILIES:
        assert records["camel"][name], name
        assert records["pascal"][name] == records["camel"][name], name


# --- the catalog against Paycor's documents ---------------------------------------------------------
def not_read_table() -> Dict[str, str]:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Endpoints not read", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `GET (\S+)` \| (.+?) \|$", section, re.MULTILINE)
    return {path: reason for path, reason in rows}


def test_every_get_path_is_a_stream_or_listed_as_not_read_with_a_reason():
    every = {path for document in DOCUMENTS.values() for path, ops in document["paths"].items() if "get" in ops}
    read = {spec.path for spec in (*STREAMS, *INTERNAL_STREAMS)}
    left_out = not_read_table()
    assert all(reason.strip() for reason in left_out.values())
    lower = lambda paths: {p.lower() for p in paths}  # noqa: E731
    assert lower(read) <= lower(every), "a stream reads a path the documents do not have"
    assert not lower(read) & lower(left_out), "a path is both read and listed as not read"
    assert lower(every) == lower(read) | lower(left_out), sorted(lower(every) - lower(read) - lower(left_out))
    assert len(left_out) == len(lower(left_out))
    assert by_name()["employee_ids"].path in read
