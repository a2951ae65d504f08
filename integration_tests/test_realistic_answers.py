"""The connector against a sandbox that answers like the real Paycor, not like its document.

`Sandbox(realistic=Realism(...))` deviates per endpoint (seeded): other answer shapes than documented,
ids and numbers as strings, strings as numbers, booleans as strings, PascalCase keys, undeclared fields,
missing optional fields, null arrays, sensitive values sent unasked, date-times without `Z`, proxy HTML
pages, error bodies in other spellings. A full read of every stream in that mode must exit 0, deliver the
same records as a read of the document-faithful sandbox (compared by `realism_helpers.canonical`, written
from the deviations' definitions, not from the connector), validate against each stream's schema, and
carry no sensitive value of the company while `include_sensitive_data` is off.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any, Dict, List

import jsonschema
import pytest

from paycor_sandbox import ALL_DEVIATIONS, Realism, Sandbox
from source_paycor.streams.catalog import STREAMS

from conftest import configured_catalog
from realism_helpers import canonical, find_sensitive, sensitive_values

EMPLOYEES = 40
ALL_NAMES = [spec.name for spec in STREAMS]
SENSITIVE_ONLY = {spec.name for spec in STREAMS if spec.sensitive_only}
# The sensitive fields the document declares for these streams (compared apart when sensitive data is on).
SENSITIVE_NAMES = ("socialSecurityNumber", "ssn", "birthDate", "unmaskedAccountNumber", "routingNumber", "employeeAccountNumber",
                   "documentNumber", "listASecondDocumentNumber", "listAThirdDocumentNumber", "foreignPassportNumber", "alienAdmissionNumber")


def full_read(run_connector, sandbox: Sandbox, sensitive: bool):
    config = {**sandbox.connector_config(), "include_sensitive_data": sensitive}
    discovered = run_connector("discover", config)
    assert discovered.returncode == 0, discovered.stdout[-2000:]
    config = (discovered.rotated_configs or [config])[-1]
    read = run_connector("read", config, catalog=configured_catalog(discovered.catalog), timeout=600)
    assert read.returncode == 0 and not read.errors, (read.errors, read.stderr[-2000:])
    return discovered.catalog, read


def by_stream(read, ignore=()) -> Dict[str, List[str]]:
    rows: Dict[str, List[str]] = defaultdict(list)
    for message in read.of_type("RECORD"):
        rows[message["record"]["stream"]].append(json.dumps(canonical(message["record"]["data"], ignore), sort_keys=True))
    return {name: sorted(values) for name, values in rows.items()}


def schema_violations(catalog: Dict[str, Any], read) -> List[str]:
    validators = {stream["name"]: jsonschema.Draft7Validator(stream["json_schema"]) for stream in catalog["streams"]}
    problems = []
    for message in read.of_type("RECORD"):
        name, data = message["record"]["stream"], message["record"]["data"]
        for error in validators[name].iter_errors(data):
            problems.append(f"{name}: {'.'.join(map(str, error.absolute_path))}: {error.message[:120]}")
    return problems




def _sandbox(realistic: bool, casing: str = "camel") -> Sandbox:
    return Sandbox(seed=7, employees=EMPLOYEES, casing=casing, realistic=Realism(deviations=ALL_DEVIATIONS) if realistic else None)


@pytest.mark.parametrize("casing", ["camel", "pascal"])
def test_given_realistic_answers_when_every_stream_read_then_same_records_as_the_document_valid_and_no_sensitive_value(
    casing, run_connector, secret_watch
):
    with _sandbox(False, casing) as faithful:
        secret_watch.add_sandbox(faithful)
        _, expected = full_read(run_connector, faithful, sensitive=False)
    with _sandbox(True, casing) as realistic:
        secret_watch.add_sandbox(realistic)
        catalog, got = full_read(run_connector, realistic, sensitive=False)
        truth = sensitive_values(realistic)
        applied = realistic.realism.applied

    # Every deviation was met in this read, and every stream delivered records (sensitive-only ones read nothing).
    assert {name for name, routes in applied.items() if routes} >= set(ALL_DEVIATIONS) - {"error_body_casing"}, applied
    counts = got.counts()
    assert [name for name in ALL_NAMES if name not in SENSITIVE_ONLY and not counts.get(name)] == [], json.dumps([counts, expected.counts()])
    assert [name for name in SENSITIVE_ONLY if counts.get(name)] == []

    # The same records as the document-faithful read, after the deviations a correct client undoes.
    want, have = by_stream(expected), by_stream(got)
    differing = [name for name in ALL_NAMES if want.get(name) != have.get(name)]
    assert differing == [], {name: (len(want.get(name, [])), len(have.get(name, []))) for name in differing}

    assert schema_violations(catalog, got)[:10] == []

    # No sensitive value of the company anywhere: not in records, not in logs.
    leaks = [(kind, path) for kind, path, _ in find_sensitive([m["record"]["data"] for m in got.of_type("RECORD")], truth)
             if kind != "birth_date" or "birth" in path.lower()]
    assert leaks == []
    text = got.stdout + got.stderr
    assert [value for value in truth["ssns"] | truth["account_numbers"] if value in text] == []

    # Drift and coercion are visible: undeclared fields named once per stream, counts in the closing lines.
    warnings = got.logs("WARN", "WARNING")
    drift = [line for line in warnings if "does not declare" in line]
    assert drift and all("extraInternalCode" in line or "rowVersion" in line or "isInternalOnly" in line or "lastSyncedBy" in line for line in drift)
    assert len(drift) == len({line.split(":")[0] for line in drift})  # once per stream
    closing = [line for line in got.logs() if " values coerced to their declared type" in line]
    assert len(closing) == len(ALL_NAMES)  # every stream closes with its line, the sensitive-only ones with 0 records
    assert sum(int(line.split("; ")[1].split(" values coerced")[0]) for line in closing) > 0
    assert any("sensitive values nulled" in line for line in closing)


def test_given_realistic_answers_and_sensitive_data_on_when_read_then_sensitive_only_streams_deliver_too(run_connector, secret_watch):
    with _sandbox(False) as faithful:
        secret_watch.add_sandbox(faithful)
        _, expected = full_read(run_connector, faithful, sensitive=True)
    with _sandbox(True, "pascal") as realistic:
        secret_watch.add_sandbox(realistic)
        catalog, got = full_read(run_connector, realistic, sensitive=True)
    counts = got.counts()
    assert [name for name in ALL_NAMES if not counts.get(name)] == []
    # Sensitive values sent unasked in the realistic read are compared apart: the faithful read did not ask for them all.
    want, have = by_stream(expected, SENSITIVE_NAMES), by_stream(got, SENSITIVE_NAMES)
    assert [name for name in ALL_NAMES if want.get(name) != have.get(name)] == []
    assert schema_violations(catalog, got)[:10] == []
