"""Sensitive values the connector was never told about stay out of records, logs and traces.

The sandbox's realistic mode makes up sensitive field names from their patterns (`paycor_sandbox/unlisted.py`,
which does not read the connector's list), puts values of their kind under them at depth 1–3 in both casings,
and answers error bodies quoting such values (`quoting_errors`: a 500 that is retried, or a 409 that fails the
stream or `check`). Every run below is searched, in all it printed (records, LOG and TRACE messages, `--debug`
lines, stderr), for every value the sandbox wrote (`sb.realism.injected`) and every SSN, birth date and account
number of the company; each test states how many values were injected.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timezone

import pytest

from paycor_sandbox import Realism, Sandbox
from source_paycor.streams.catalog import STREAMS

from helpers import CLOCK, ON_DAY, TODAY, ConnectorRun, catalog_for, command_args, connector_command, connector_env, parse_run
from realism_helpers import injected_leaks, sensitive_values

pytestmark = pytest.mark.on_day(TODAY)
PEOPLE = ["persons", "tenant_persons", "employees", "tenant_employees", "employee_identifying_data", "employee_direct_deposits"]
UNLISTED = ("unlisted_sensitive", "quoting_errors", "unasked_sensitive")


def _lenient(run_connector, secret_watch, tmp_path):
    """`run_connector`, for `--debug` reads of many records: the console script's DEBUG lines and RECORD lines,
    printed by several threads, can run into each other (seen with 6 streams at once); such lines are left out
    of the messages (the leak checks read the whole text)."""
    counter = iter(range(100))

    def run(command, config, catalog=None, extra_args=()):
        launcher, env = connector_command(TODAY)
        args = [*launcher, *command_args(tmp_path, f"lenient{next(counter)}", command, config, catalog), *extra_args]
        completed = subprocess.run(args, capture_output=True, text=True, timeout=300, env=env, stdin=subprocess.DEVNULL)
        messages = []
        for line in (line.strip() for line in completed.stdout.splitlines()):
            try:
                messages.append(json.loads(line)) if line.startswith("{") else None
            except json.JSONDecodeError:
                pass
        result = ConnectorRun(command, completed.returncode, completed.stdout, completed.stderr, messages)
        secret_watch.add_config(config)
        secret_watch.check(result)
        return result

    return run


def _company_leaks(text: str, truth: dict) -> list:
    return sorted(value for value in truth["ssns"] | truth["account_numbers"] | truth["birth_dates"] if value in text)


def _traces(run) -> list:
    return [m["trace"]["error"] for m in run.of_type("TRACE") if m["trace"].get("type") == "ERROR"]


@pytest.mark.parametrize("debug", [False, True], ids=["plain", "debug"])
def test_given_unlisted_sensitive_names_when_people_streams_read_with_and_without_debug_then_no_value_anywhere(
    run_connector, secret_watch, tmp_path, debug
):
    run_connector = _lenient(run_connector, secret_watch, tmp_path) if debug else run_connector
    with Sandbox(seed=7, employees=40, realistic=Realism(deviations=UNLISTED), today=TODAY) as sandbox:
        config = sandbox.connector_config()
        discovered = run_connector("discover", config)
        config = (discovered.rotated_configs or [config])[-1]
        read = run_connector("read", config, catalog=catalog_for(discovered.catalog, PEOPLE),
                             extra_args=("--debug",) if debug else ())
        truth = sensitive_values(sandbox)
    injected = truth["injected"]
    # 40 employees, 6 streams: 589 values under made-up names, 2 of them quoted in error bodies (seed 7).
    assert len(injected) >= 550 and sum(injection.path.startswith("error:") for injection in injected) >= 2, len(injected)
    assert read.returncode == 0, read.errors
    assert read.counts().get("persons") and read.counts().get("employees")
    text = discovered.stdout + discovered.stderr + read.stdout + read.stderr
    assert injected_leaks(text, truth) == []
    assert _company_leaks(text, truth) == []
    if debug:
        bodies = [m for m in read.of_type("DEBUG") if m["message"] == "Receiving response" and m["data"].get("body")]
        assert len(bodies) > 10  # the answers were shown, their sensitive values withheld
    withheld = [line for line in read.logs() if "sensitive values withheld" in line]
    assert {line.split(":")[0] for line in withheld} >= {"Stream persons", "Stream employees"}


@pytest.mark.parametrize("debug", [False, True], ids=["plain", "debug"])
def test_given_error_bodies_quoting_values_that_fail_streams_then_traces_and_logs_carry_none(run_connector, secret_watch, tmp_path,
                                                                                           debug):
    run_connector = _lenient(run_connector, secret_watch, tmp_path) if debug else run_connector
    # Every route drawn for `quoting_errors` answers its first call 409 with Paycor's words quoting a value.
    realism = Realism(deviations=("quoting_errors",), quoting_status=409)
    with Sandbox(seed=7, employees=20, realistic=realism, today=TODAY) as sandbox:
        config = sandbox.connector_config()
        sandbox.realism.quoting_error(sandbox.spec.route("/v1/legalentities/ActivatedLegalEntityTenantList", "GET"))
        discovered = run_connector("discover", config)
        config = (discovered.rotated_configs or [config])[-1]
        # The streams of one call per legal entity or tenant whose route quotes a value, and the people streams.
        quoting = {template.lower() for template in sandbox.realism.routes_with("quoting_errors")}
        names = [spec.name for spec in STREAMS if spec.path.lower() in quoting and not (spec.fan_out or spec.window)]
        read = run_connector("read", config, catalog=catalog_for(discovered.catalog, [*names, *PEOPLE]),
                             extra_args=("--debug",) if debug else ())
        truth = sensitive_values(sandbox)
    failed = {error["stream_descriptor"]["name"] for error in _traces(read) if error.get("stream_descriptor")}
    quoted = [injection for injection in truth["injected"] if injection.path.startswith("error:")]
    # Seed 7: 9 streams whose route quotes a value in a 409 (the activated legal entities' quoted once more,
    # before `discover`): each fails with its trace; 10 values quoted.
    assert len(names) >= 5 and failed == set(names) and len(quoted) == len(names) + 1, (names, failed, len(quoted))
    assert read.returncode != 0
    assert all(error["message"].startswith("Stream ") and "Paycor answered an unexpected 409 (Conflict:" in error["message"]
               for error in _traces(read) if error.get("stream_descriptor"))
    assert any(error.get("internal_message") and "withheld by the connector" in error["internal_message"] for error in _traces(read))
    assert injected_leaks(read.stdout + read.stderr, truth) == []


def test_given_check_answered_by_an_error_quoting_a_value_then_failed_check_in_the_connectors_words_without_it(run_connector):
    with Sandbox(seed=7, employees=5, realistic=Realism(deviations=("quoting_errors",), quoting_status=409), today=TODAY) as sandbox:
        check = run_connector("check", sandbox.connector_config())
        truth = sensitive_values(sandbox)
    (injection,) = truth["injected"]
    assert check.connection_status["status"] == "FAILED"
    assert "Paycor answered an unexpected 409 (Conflict:" in check.connection_status["message"]
    assert injected_leaks(check.stdout + check.stderr, truth) == [], injection


def test_given_check_answered_by_a_500_quoting_a_value_then_retried_succeeded_and_the_warning_masked(run_connector):
    with Sandbox(seed=7, employees=5, realistic=Realism(deviations=("quoting_errors",)), today=TODAY) as sandbox:
        check = run_connector("check", sandbox.connector_config())
        truth = sensitive_values(sandbox)
    assert len(truth["injected"]) == 1
    assert check.connection_status["status"] == "SUCCEEDED"
    assert any("answered 500 (Internal Server Error:" in line for line in check.logs("WARN"))
    assert injected_leaks(check.stdout + check.stderr, truth) == []


LAUNCH = """import sys
from airbyte_cdk.entrypoint import launch
from source_paycor import SourcePaycor
launch(SourcePaycor(), sys.argv[1:])
"""


@pytest.mark.parametrize("debug", [False, True], ids=["plain", "debug"])
def test_given_launch_through_the_cdk_entrypoint_when_check_and_read_meet_quoting_errors_then_no_value_anywhere(tmp_path, debug):
    """Not `source-paycor` (run.py): the CDK's own `launch(source, args)`, its uncaught-exception hook included."""
    script = tmp_path / "launch_cdk.py"
    script.write_text(LAUNCH)
    env = {**connector_env(), CLOCK: datetime.now(timezone.utc).isoformat()}

    def launch(command, config, catalog=None):
        args = [sys.executable, str(ON_DAY), str(script), *command_args(tmp_path, f"{command}{debug}", command, config, catalog)]
        completed = subprocess.run([*args, *(["--debug"] if debug else [])], capture_output=True, text=True, timeout=300, env=env,
                                   stdin=subprocess.DEVNULL)
        return parse_run(command, completed)

    with Sandbox(seed=7, employees=20, realistic=Realism(deviations=UNLISTED, quoting_status=409), today=TODAY) as sandbox:
        config = sandbox.connector_config()
        check = launch("check", config)  # the activated legal entities answer 409 quoting a value
        config = (check.rotated_configs or [config])[-1]
        discovered = launch("discover", config)
        config = (discovered.rotated_configs or [config])[-1]
        read = launch("read", config, catalog_for(discovered.catalog, [*PEOPLE, "departments", "employee_pay_rates"]))
        truth = sensitive_values(sandbox)
    assert check.connection_status["status"] == "FAILED"
    assert discovered.catalog["streams"]
    assert read.records() and _traces(read)  # records of the streams that worked, traces of those that failed
    # 20 employees, 8 streams: 446–448 values under made-up names (as the threads meet the fan-out), 2 quoted in 409s.
    assert len(truth["injected"]) >= 400
    text = "".join(run.stdout + run.stderr for run in (check, discovered, read))
    assert injected_leaks(text, truth) == []
    assert _company_leaks(text, truth) == []
    assert json.dumps(_traces(read)).count("withheld by the connector") >= 1
