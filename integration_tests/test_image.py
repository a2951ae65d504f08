"""The image `make image` builds, run in containers as Airbyte runs it, against the Paycor sandbox.

Each command is `docker run --rm --network host <image> <command> --config /config/… [--catalog …]
[--state …]`, its input files mounted read-only, and its output is compared with the same command run
from the venv (`source-paycor`): the same spec, catalog, records and states, the same exit codes. The
refresh token rotates through the containers: `check` hands the new config back in a CONTROL message and
the next command, made to refresh, succeeds only with it. No secret may appear outside CONTROL messages.

Marked `image_tests`: `make test` runs them, a bare `pytest` deselects them; with no Docker engine they
are skipped with one line (failed under CI=true), see `docker_engine` in conftest.py.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest

from paycor_sandbox import Sandbox
from source_paycor.error_sentences import REFRESH_REJECTED, SUBSCRIPTION_KEY_REJECTED
from source_paycor.streams.catalog import STREAMS

from helpers import (
    CONNECTOR,
    RUN_TIMEOUT,
    ConnectorRun,
    SecretWatch,
    canonical_records,
    command_args,
    configured_catalog,
    connector_env,
    last_states,
    parse_run,
)

pytestmark = pytest.mark.image_tests

CONTAINER_DIR = "/config"
# One stream or more of each family, of each shape: per tenant and per legal entity, fanned out per
# employee, per pay run and per ATS job, windowed by date, and incremental (a state to resume from).
# And a Report Builder report, a stream found at run time (the sandbox's reporting user has three templates).
REPORT_STREAM = "report_employee_pay_rates"
SANDBOX_REPORTS = [REPORT_STREAM, "report_employee_phones", "report_headcount_by_department"]
READ_STREAMS = ["tenants", "employees", "departments", "employee_pay_rates", "punches", "payroll_processing",
                "paystubs", "ats_candidates", REPORT_STREAM]
INCREMENTAL = [spec.name for spec in STREAMS if spec.name in READ_STREAMS and spec.cursor_field]


class Journey(dict):
    """The runs of `journey`, by name; shown as its names only, so a failing test prints no config (secrets)."""

    def __repr__(self) -> str:
        return f"Journey({', '.join(self)})"


class Runner:
    """Runs a command in the image and from the venv, every input in a file of its own."""

    def __init__(self, image: str, docker: str, folder: Path, watch: SecretWatch) -> None:
        self.image, self.docker, self.folder, self.watch = image, docker, folder, watch
        self.count = 0

    def _next(self) -> str:
        self.count += 1
        return str(self.count)

    def image_run(self, command: str, config: Optional[Dict[str, Any]] = None, catalog: Optional[Dict[str, Any]] = None,
                  state: Optional[List[Dict[str, Any]]] = None) -> ConnectorRun:
        run_id, mounts, args = self._next(), [], [command]
        for option, value in (("config", config), ("catalog", catalog), ("state", state)):
            if value is None:
                continue
            path = self.folder / f"{option}-{run_id}.json"
            path.write_text(json.dumps(value))
            path.chmod(0o644)  # readable by the image's user (uid 1000), mounted read-only
            mounts += ["--volume", f"{path}:{CONTAINER_DIR}/{option}.json:ro"]
            args += [f"--{option}", f"{CONTAINER_DIR}/{option}.json"]
        if config is not None:
            self.watch.add_config(config)
        completed = subprocess.run([self.docker, "run", "--rm", "--network", "host", *mounts, self.image, *args],
                                   capture_output=True, text=True, timeout=RUN_TIMEOUT, stdin=subprocess.DEVNULL)
        run = parse_run(f"docker run … {command}", completed)
        self.watch.check(run)
        return run

    def venv_run(self, command: str, config: Optional[Dict[str, Any]] = None, catalog: Optional[Dict[str, Any]] = None,
                 state: Optional[List[Dict[str, Any]]] = None) -> ConnectorRun:
        if config is None:
            args = [command]
        else:
            self.watch.add_config(config)
            args = command_args(self.folder, f"venv-{self._next()}", command, config, catalog, state)
        completed = subprocess.run([CONNECTOR, *args], capture_output=True, text=True, timeout=RUN_TIMEOUT,
                                   env=connector_env(), stdin=subprocess.DEVNULL)
        run = parse_run(command, completed)
        self.watch.check(run)
        return run


@pytest.fixture(scope="module")
def journey(connector_image, docker_engine, tmp_path_factory):
    """One sync's commands, in containers and from the venv, against one sandbox."""
    watch = SecretWatch()
    runner = Runner(connector_image, docker_engine, tmp_path_factory.mktemp("image-runs"), watch)
    runs = Journey()
    # Image and venv runs read the same sandbox one after the other: each keeps under Paycor's 1000 calls a
    # minute, the sum of both would not, so the sandbox's limit is raised (the waits are tested elsewhere).
    with Sandbox(seed=7, employees=40, rate_limit_per_minute=60_000) as sandbox:
        first = sandbox.connector_config()
        runs["first_config"] = first
        runs["spec"] = (runner.image_run("spec"), runner.venv_run("spec"))
        runs["check"] = runner.image_run("check", first)
        wrong_key = {**first, "subscription_key": "0" * 32}
        runs["check_wrong_key"] = (runner.image_run("check", wrong_key), runner.venv_run("check", wrong_key))
        rotated = runs["check"].rotated_configs[-1] if runs["check"].rotated_configs else first
        runs["rotated_by_check"] = rotated
        # the next command must refresh: it can only do so with the refresh token `check` handed back
        expired = json.loads(json.dumps(rotated))
        expired["credentials"]["token_expiry_date"] = "2020-01-01T00:00:00+00:00"
        runs["discover"] = runner.image_run("discover", expired)
        config = (runs["discover"].rotated_configs or [rotated])[-1]
        runs["rotated_by_discover"] = config
        runs["discover_venv"] = runner.venv_run("discover", config)
        catalog = configured_catalog(runs["discover"].catalog, READ_STREAMS, sync_mode="incremental") if runs["discover"].messages else {"streams": []}
        runs["catalog"] = catalog
        runs["read"] = (runner.image_run("read", config, catalog), runner.venv_run("read", config, catalog))
        state = last_states(runs["read"][0].messages)
        runs["state"] = state
        runs["read_with_state"] = (runner.image_run("read", config, catalog, state), runner.venv_run("read", config, catalog, state))
        # the first config's refresh token was spent by `check`: Paycor refuses it
        runs["read_spent_token"] = (runner.image_run("read", first, catalog), runner.venv_run("read", first, catalog))
        runs["refresh_tokens_presented"] = sandbox.refresh_tokens_presented
        watch.add_sandbox(sandbox)
    runs["uid_gid"] = subprocess.run(
        [docker_engine, "run", "--rm", "--entrypoint", "python", connector_image, "-c", "import os; print(os.getuid(), os.getgid())"],
        capture_output=True, text=True, timeout=RUN_TIMEOUT,
    )
    runs["image_user"] = subprocess.run([docker_engine, "image", "inspect", "--format", "{{.Config.User}}", connector_image],
                                        capture_output=True, text=True, timeout=RUN_TIMEOUT).stdout.strip()
    return runs


def errors(run: ConnectorRun) -> List[tuple]:
    """The errors a run reported, without their stack traces (the paths differ between image and venv)."""
    return [(error["message"], error.get("failure_type")) for error in run.errors]


def without_read_times(value: Any) -> Any:
    """`value` with every `readAt` (when the sync that read per-employee records began: it differs between any two
    reads) replaced by one placeholder, so that its presence still counts but not its time."""
    if isinstance(value, dict):
        return {key: "<readAt>" if key == "readAt" else without_read_times(item) for key, item in value.items()}
    if isinstance(value, list):
        return [without_read_times(item) for item in value]
    return value


def stream_states(messages: List[Dict[str, Any]]) -> Dict[str, Any]:
    return {state["stream"]["stream_descriptor"]["name"]: without_read_times(state["stream"]["stream_state"])
            for state in last_states(messages)}


def test_given_image_when_spec_then_exactly_the_packages_spec_and_exit_0(journey):
    image, venv = journey["spec"]
    assert (image.returncode, venv.returncode) == (0, 0), image.stderr[-2000:]
    assert len(image.of_type("SPEC")) == 1
    assert image.of_type("SPEC") == venv.of_type("SPEC")


def test_given_sandbox_config_when_check_in_image_then_succeeded_and_rotated_config_in_control_message(journey):
    check = journey["check"]
    assert check.returncode == 0, check.stderr[-2000:]
    assert check.connection_status["status"] == "SUCCEEDED"
    assert len(check.rotated_configs) == 1
    rotated, first = check.rotated_configs[0], journey["first_config"]
    assert rotated["credentials"]["refresh_token"] != first["credentials"]["refresh_token"]
    assert {key: value for key, value in rotated.items() if key != "credentials"} == {key: value for key, value in first.items() if key != "credentials"}


def test_given_wrong_subscription_key_when_check_in_image_then_failed_with_the_subscription_key_sentence(journey):
    image, venv = journey["check_wrong_key"]
    assert image.connection_status == {"status": "FAILED", "message": SUBSCRIPTION_KEY_REJECTED}
    assert image.returncode == venv.returncode == 0  # a failed check is a result, not a crash
    assert "Traceback" not in image.stdout + image.stderr


def test_given_rotated_config_when_next_command_refreshes_then_it_uses_the_token_check_handed_back(journey):
    discover = journey["discover"]
    assert discover.returncode == 0, discover.stderr[-2000:]
    first = journey["first_config"]["credentials"]["refresh_token"]
    by_check = journey["rotated_by_check"]["credentials"]["refresh_token"]
    assert journey["refresh_tokens_presented"][:2] == [first, by_check]
    assert len(discover.rotated_configs) == 1
    assert discover.rotated_configs[0]["credentials"]["refresh_token"] not in (first, by_check)


def test_given_image_when_discover_then_every_stream_exactly_as_from_the_venv(journey):
    discover, venv = journey["discover"], journey["discover_venv"]
    assert (discover.returncode, venv.returncode) == (0, 0)
    assert sorted(stream["name"] for stream in discover.catalog["streams"]) == sorted(
        [*(spec.name for spec in STREAMS), *SANDBOX_REPORTS])
    assert discover.catalog == venv.catalog


def test_given_image_when_discover_and_read_then_a_report_stream_is_listed_typed_and_read_whole(journey):
    streams = {stream["name"]: stream for stream in journey["discover"].catalog["streams"]}
    properties = streams[REPORT_STREAM]["json_schema"]["properties"]
    assert properties["payRate"]["type"] == ["null", "number"] and properties["hourly"]["type"] == ["null", "boolean"]
    image, _ = journey["read"]
    rows = [message["record"]["data"] for message in image.of_type("RECORD") if message["record"]["stream"] == REPORT_STREAM]
    # the sandbox of 40 employees: one row per employee, in whichever legal entity employs them
    assert len(rows) == 40 and len({(row["legalEntityId"], row["employeeNumber"]) for row in rows}) == 40


def test_read_catalog_spans_every_stream_family_and_an_incremental_stream():
    families = {spec.family for spec in STREAMS}
    assert {spec.family for spec in STREAMS if spec.name in READ_STREAMS} == families
    assert INCREMENTAL


def test_given_catalog_of_every_family_when_read_in_image_then_the_same_records_and_states_as_from_the_venv(journey):
    image, venv = journey["read"]
    assert (image.returncode, venv.returncode) == (0, 0), image.errors or image.stderr[-2000:]
    assert [stream["stream"]["name"] for stream in journey["catalog"]["streams"]] == READ_STREAMS
    records = canonical_records(image)
    assert sorted(records) == sorted(READ_STREAMS), "a stream of the catalog delivered no record"
    assert records == canonical_records(venv)
    assert stream_states(image.messages) == stream_states(venv.messages)
    assert sorted(stream_states(image.messages)) == sorted(READ_STREAMS)
    assert not image.errors and not image.rotated_configs  # the access token of the rotated config was still valid


def test_given_state_of_the_first_read_when_read_again_in_image_then_incremental_streams_resume_as_from_the_venv(journey):
    image, venv = journey["read_with_state"]
    assert (image.returncode, venv.returncode) == (0, 0), image.errors or image.stderr[-2000:]
    assert canonical_records(image) == canonical_records(venv)
    assert stream_states(image.messages) == stream_states(venv.messages)
    first, again = canonical_records(journey["read"][0]), canonical_records(image)
    for stream in READ_STREAMS:
        if stream in INCREMENTAL:
            assert len(again.get(stream, [])) < len(first[stream]), f"{stream}: the state was not used"
        else:
            assert again[stream] == first[stream], f"{stream}: a full-refresh stream reads everything again"


def test_given_spent_refresh_token_when_read_in_image_then_exit_1_with_the_reauthorize_sentence(journey):
    image, venv = journey["read_spent_token"]
    assert image.returncode == venv.returncode == 1
    assert image.errors[0]["message"] == REFRESH_REJECTED
    assert errors(image) == errors(venv)
    assert not image.of_type("RECORD")


def test_image_runs_the_connector_as_uid_1000(journey):
    assert journey["image_user"] == "airbyte"
    assert journey["uid_gid"].returncode == 0, journey["uid_gid"].stderr
    assert journey["uid_gid"].stdout.split() == ["1000", "1000"]
