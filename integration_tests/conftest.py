"""Integration fixtures, a thin layer over `helpers.py`: the Paycor sandbox on a free loopback port, the
connector run as users run it, and the reliability suite's figures.

A module marked `pytest.mark.on_day(day)` runs on that day: each of its tests moves this process's clock to
noon UTC of it (time-machine, ticking: `frozen_day`), the `sandbox` fixture answers on it, and `run_connector`
starts every connector on this clock (`paycor_sandbox/on_day.py`), so that the sandbox, the in-process runs and
the subprocess runs share one timeline whatever day the suite runs.

`run_connector` starts the installed `source-paycor` console script in a subprocess, parses every
message and — for every run of every integration test — asserts that no secret (subscription key,
client secret, refresh or access token) appears in stdout or stderr outside a CONNECTOR_CONFIG
control message. `watched` is `run_connector` that also checks every run once more at the end of the
test, against every secret the test met (tokens rotated after the run included), and records what it
checked in the figures; `in_process` runs a command through the console script's `run()` in this
process.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import pytest

from helpers import ROOT, ConnectorRun, Figures, SecretWatch, command_args, make_runner, messages_of, session_figures
from paycor_sandbox import Sandbox
from paycor_sandbox.on_day import on_day


@pytest.fixture(autouse=True)
def frozen_day(request) -> Iterator[Optional[date]]:
    """The day of the module's `on_day` mark, this process's clock moved to its noon UTC for the test (ticking);
    None without the mark: the real clock."""
    mark = request.node.get_closest_marker("on_day")
    if mark is None:
        yield None
        return
    with on_day(mark.args[0]):
        yield mark.args[0]


@pytest.fixture
def secret_watch():
    return SecretWatch()


@pytest.fixture
def run_connector(tmp_path, secret_watch, frozen_day):
    """Run `source-paycor <command>` with files for config/catalog/state (on the test's day, if it has one);
    returns the parsed run."""
    return make_runner(tmp_path, secret_watch, today=frozen_day)


@pytest.fixture
def sandbox(secret_watch, frozen_day):
    with Sandbox(seed=7, employees=300, today=frozen_day) as running:
        yield running
        secret_watch.add_sandbox(running)


# --- the reliability suite ---------------------------------------------------------------------------
@pytest.fixture(scope="session")
def figures(tmp_path_factory) -> Figures:
    """What the tests measured (`session_figures`)."""
    return session_figures(tmp_path_factory)


@pytest.fixture
def watched(run_connector, secret_watch, figures):
    """`run_connector`, remembering every run (and any run the test adds, e.g. a killed one)."""
    runs: List[ConnectorRun] = []
    sandboxes: list = []

    def run(*args, **kwargs) -> ConnectorRun:
        result = run_connector(*args, **kwargs)
        runs.append(result)
        return result

    def add(result: ConnectorRun) -> None:
        """A run made another way (killed, or in-process): its output is checked for secrets too."""
        secret_watch.check(result)
        runs.append(result)

    run.runs = runs
    run.add = add
    run.sandboxes = sandboxes
    run.watch = secret_watch
    yield run
    for sandbox in sandboxes:
        secret_watch.add_sandbox(sandbox)
    # again, now that every rotated token is known
    leaks = {result.command: leaked for result in runs if (leaked := secret_watch.leaks(result))}
    figures.add("secrets", {
        "runs_checked": len(runs),
        "secrets_watched": len(secret_watch.secrets),  # per test; summed over tests
        "secret_checks": len(runs) * len(secret_watch.secrets),
        "secrets_found": sum(len(leaked) for leaked in leaks.values()),
    })
    assert not leaks, f"secrets leaked (found once every rotated token was known): {leaks}"


@pytest.fixture
def in_process(capfd, tmp_path, secret_watch, watched):
    """Run a command through the console script's `run()` in this process (~0.1 s instead of ~1.5 s of
    imports), on the test's clock: its stdout and stderr are captured at the file-descriptor level and checked
    for secrets."""
    from source_paycor.run import run as console_script

    counter = itertools.count()

    def run_here(command: str, config: Dict[str, Any], catalog: Optional[Dict[str, Any]] = None,
                 state: Optional[List[Dict[str, Any]]] = None) -> ConnectorRun:
        secret_watch.add_config(config)
        args = command_args(tmp_path, f"in-process-{next(counter)}", command, config, catalog, state)
        capfd.readouterr()
        code, crash = 0, ""
        try:
            console_script(args)
        except SystemExit as exit_:
            code = exit_.code or 0
        except Exception as error:  # the console script would print it as a TRACE and exit 1
            code, crash = 1, f"{type(error).__name__}: {error}"
        captured = capfd.readouterr()
        result = ConnectorRun(f"{command} (in-process)", code, captured.out, captured.err + crash, messages_of(captured.out))
        watched.add(result)
        return result

    return run_here


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


# An image test's bound (pytest-timeout, pytest.ini): the image build of its session fixture, then its runs.
IMAGE_TEST_TIMEOUT = IMAGE_BUILD_TIMEOUT + 900


def pytest_collection_modifyitems(items):
    for item in items:
        if item.get_closest_marker("image_tests") is not None and item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(IMAGE_TEST_TIMEOUT))


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
