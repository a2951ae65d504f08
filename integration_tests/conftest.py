"""Integration fixtures: the Paycor sandbox on a free loopback port, and the connector run as users run it.

`run_connector` starts the installed `source-paycor` console script in a subprocess, parses every
message and — for every run of every integration test — asserts that no secret (subscription key,
client secret, refresh or access token) appears in stdout or stderr outside a CONNECTOR_CONFIG
control message.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from paycor_sandbox import Sandbox  # noqa: E402

CONNECTOR = shutil.which("source-paycor", path=str(Path(sys.executable).parent)) or "source-paycor"


@dataclass
class ConnectorRun:
    command: str
    returncode: int
    stdout: str
    stderr: str
    messages: List[Dict[str, Any]] = field(default_factory=list)

    def of_type(self, kind: str) -> List[Dict[str, Any]]:
        return [message for message in self.messages if message["type"] == kind]

    def records(self, stream: Optional[str] = None) -> List[Dict[str, Any]]:
        return [m["record"]["data"] for m in self.of_type("RECORD") if stream is None or m["record"]["stream"] == stream]

    def counts(self) -> Dict[str, int]:
        result: Dict[str, int] = {}
        for message in self.of_type("RECORD"):
            result[message["record"]["stream"]] = result.get(message["record"]["stream"], 0) + 1
        return result

    @property
    def rotated_configs(self) -> List[Dict[str, Any]]:
        return [m["control"]["connectorConfig"]["config"] for m in self.of_type("CONTROL")]

    @property
    def errors(self) -> List[Dict[str, Any]]:
        return [m["trace"]["error"] for m in self.of_type("TRACE") if m["trace"]["type"] == "ERROR"]

    def logs(self, *levels: str) -> List[str]:
        return [m["log"]["message"] for m in self.of_type("LOG") if not levels or m["log"]["level"] in levels]

    @property
    def catalog(self) -> Dict[str, Any]:
        return self.of_type("CATALOG")[0]["catalog"]

    @property
    def connection_status(self) -> Dict[str, Any]:
        return self.of_type("CONNECTION_STATUS")[-1]["connectionStatus"]


class SecretWatch:
    """Collects every secret a test handled and checks a run's output for them."""

    def __init__(self) -> None:
        self.secrets: set = set()

    def add_config(self, config: Dict[str, Any]) -> None:
        credentials = config.get("credentials") or {}
        for value in (config.get("subscription_key"), *(credentials.get(k) for k in ("client_secret", "refresh_token", "access_token"))):
            if isinstance(value, str) and len(value.strip()) >= 8:
                self.secrets.add(value.strip())

    def add_sandbox(self, sandbox: Sandbox) -> None:
        self.add_config(sandbox.connector_config())
        self.secrets.update(token for token in sandbox.refresh_tokens_presented if len(token) >= 8)

    def check(self, run: ConnectorRun) -> None:
        for config in run.rotated_configs:
            self.add_config(config)
        outside_control = [line for line in run.stdout.splitlines() if '"type":"CONTROL"' not in line.replace(" ", "")]
        text = "\n".join(outside_control) + "\n" + run.stderr
        leaked = sorted(secret[:4] + "…" for secret in self.secrets if secret in text)
        assert not leaked, f"secrets leaked in the output of `{run.command}`: {leaked}"


def command_args(directory: Path, run_id: str, command: str, config: Dict[str, Any],
                 catalog: Optional[Dict[str, Any]] = None, state: Optional[List[Dict[str, Any]]] = None) -> List[str]:
    """`command --config F [--catalog F] [--state F]`, each input written to a JSON file of its own in `directory`."""
    args = [command]
    for option, value in (("config", config), ("catalog", catalog), ("state", state)):
        if value is not None:
            path = directory / f"{option}-{run_id}.json"
            path.write_text(json.dumps(value))
            args += [f"--{option}", str(path)]
    return args


def connector_env() -> Dict[str, str]:
    """This environment without `DEPLOYMENT_MODE*` (the CDK would run the connector as in Airbyte Cloud)."""
    return {key: value for key, value in os.environ.items() if not key.startswith("DEPLOYMENT_MODE")}


@pytest.fixture
def secret_watch():
    return SecretWatch()


@pytest.fixture
def run_connector(tmp_path, secret_watch):
    """Run `source-paycor <command>` with files for config/catalog/state; returns the parsed run."""
    counter = iter(range(10_000))

    def run(command: str, config: Dict[str, Any], catalog: Optional[Dict[str, Any]] = None,
            state: Optional[List[Dict[str, Any]]] = None, extra_args: tuple = (), timeout: float = 300) -> ConnectorRun:
        secret_watch.add_config(config)
        args = [CONNECTOR, *command_args(tmp_path, str(next(counter)), command, config, catalog, state), *extra_args]
        completed = subprocess.run(args, capture_output=True, text=True, timeout=timeout, env=connector_env(), stdin=subprocess.DEVNULL)
        messages = []
        for line in completed.stdout.splitlines():
            line = line.strip()
            if line.startswith("{"):
                messages.append(json.loads(line))
        result = ConnectorRun(command, completed.returncode, completed.stdout, completed.stderr, messages)
        secret_watch.check(result)
        return result

    return run


def configured_catalog(catalog: Dict[str, Any], names: Optional[List[str]] = None, sync_mode: str = "full_refresh") -> Dict[str, Any]:
    streams = []
    for stream in catalog["streams"]:
        if names is not None and stream["name"] not in names:
            continue
        mode = sync_mode if sync_mode in stream["supported_sync_modes"] else "full_refresh"
        entry = {"stream": stream, "sync_mode": mode, "destination_sync_mode": "append_dedup" if mode == "incremental" else "overwrite"}
        if mode == "incremental":
            entry["cursor_field"] = stream.get("default_cursor_field", [])
            entry["primary_key"] = stream.get("source_defined_primary_key", [])
        streams.append(entry)
    return {"streams": streams}


@pytest.fixture
def sandbox(secret_watch):
    with Sandbox(seed=7, employees=300) as running:
        yield running
        secret_watch.add_sandbox(running)


# --- the connector image, run in containers as Airbyte runs it ---------------------------------------
# Image tests carry the `image_tests` marker: a bare `pytest` deselects them (pytest.ini), `make test`
# selects them. They need a Docker engine: outside CI, with none answering, they are skipped with one
# line saying why; under CI=true (where .ci/run starts one) that is a failure with the reason.
BUILD_IMAGE = ROOT / "scripts" / "build_image.sh"
IMAGE_BUILD_TIMEOUT = 900
_no_engine_reason: List[str] = []


def engine_problem() -> Optional[str]:
    """Why no Docker engine answers, or None when one does."""
    docker = shutil.which("docker")
    if docker is None:
        return "no docker client on PATH"
    try:
        answer = subprocess.run([docker, "version", "--format", "{{.Server.Version}}"], capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired:
        return "`docker version` did not answer in 30 s"
    if answer.returncode != 0 or not answer.stdout.strip():
        lines = (answer.stderr.strip() or answer.stdout.strip() or f"exit code {answer.returncode}").splitlines()
        return f"no Docker engine answers ({lines[-1]})"
    return None


@pytest.fixture(scope="session")
def docker_engine() -> str:
    """The Docker client, once an engine answers it."""
    problem = engine_problem()
    if problem is None:
        return shutil.which("docker")
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and {problem}: the image tests must run in CI (.ci/run starts dockerd with scripts/dockerd.sh)", pytrace=False)
    if not _no_engine_reason:
        _no_engine_reason.append(problem)
    pytest.skip(f"image tests skipped: {problem}")


def pytest_terminal_summary(terminalreporter):
    if _no_engine_reason:
        terminalreporter.write_line(f"image tests skipped: {_no_engine_reason[0]} (set DOCKER_HOST, or see scripts/dockerd.sh)")


@pytest.fixture(scope="session")
def connector_image(docker_engine) -> str:
    """`make image`'s image, built once per session (on the stand-in base where the pinned one cannot be pulled)."""
    try:
        built = subprocess.run([str(BUILD_IMAGE)], cwd=ROOT, capture_output=True, text=True, timeout=IMAGE_BUILD_TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"scripts/build_image.sh did not finish in {IMAGE_BUILD_TIMEOUT} s", pytrace=False)
    if built.returncode != 0:
        pytest.fail(f"scripts/build_image.sh failed ({built.returncode}):\n{built.stderr[-4000:]}", pytrace=False)
    return built.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="session")
def host_network_docker(tmp_path_factory, docker_engine) -> Path:
    """A folder holding `docker` that runs every `docker run` with `--network host`, for the CDK's own image
    tests: this engine has no bridge, and the sandbox they read listens on the host's loopback."""
    folder = tmp_path_factory.mktemp("host-network-docker")
    shim = folder / "docker"
    shim.write_text(
        "#!/bin/sh\n"
        f'if [ "$1" = run ]; then shift; exec "{docker_engine}" run --network host "$@"; fi\n'
        f'exec "{docker_engine}" "$@"\n'
    )
    shim.chmod(0o755)
    return folder
