"""PyAirbyte: examples/pyairbyte_duckdb.py reads the sandbox into DuckDB through the installed executable.

PyAirbyte lives in its own virtual environment (`.venv-pyairbyte`, made by `make test`); the example
runs there and starts this environment's `source-paycor`. Two runs in a row prove that the rotated
config is carried forward by `config_change_callback` (Paycor refresh tokens work once).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from paycor_sandbox import Sandbox

from helpers import CONNECTOR

ROOT = Path(__file__).resolve().parent.parent
PYAIRBYTE_PYTHON = Path(os.environ.get("PYAIRBYTE_PYTHON", ROOT / ".venv-pyairbyte" / "bin" / "python"))


def test_given_pyairbyte_when_example_runs_twice_then_duckdb_holds_employees_per_legal_entity(tmp_path, secret_watch):
    if not PYAIRBYTE_PYTHON.exists():
        pytest.fail(f"PyAirbyte's environment is missing at {PYAIRBYTE_PYTHON}: run `make test`, which creates it")
    with Sandbox(seed=7, employees=50) as sandbox:
        config_path = tmp_path / "config.json"
        config_path.write_text(json.dumps(sandbox.connector_config()))
        secret_watch.add_config(sandbox.connector_config())
        env = {"HOME": str(tmp_path), "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "AIRBYTE_OFFLINE_MODE": "1",
               "DO_NOT_TRACK": "1", "AIRBYTE_NO_TELEMETRY": "1"}
        expected = {}
        for le, _ in sandbox.company.activated_pairs():
            expected[le] = len(sandbox.expected_records("/v2/legalentities/{legalEntityId}/employees", query={"include": ["All"]}, legalEntityId=le))
        for run in range(2):
            completed = subprocess.run(
                [str(PYAIRBYTE_PYTHON), str(ROOT / "examples" / "pyairbyte_duckdb.py"), "--config", str(config_path), "--executable", CONNECTOR],
                capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300,
            )
            assert completed.returncode == 0, completed.stderr[-3000:]
            rows = [line.split("\t") for line in completed.stdout.splitlines() if line[:1].isdigit() and "\t" in line]
            assert {int(le): int(count) for le, _, count in rows} == expected, completed.stdout
            saved = json.loads(config_path.read_text())
            assert saved["credentials"]["refresh_token"] == sandbox.valid_refresh_token
            for secret in (sandbox.valid_refresh_token, saved["subscription_key"], saved["credentials"]["client_secret"]):
                assert secret not in completed.stdout + completed.stderr
        assert len(sandbox.refresh_tokens_presented) == len(set(sandbox.refresh_tokens_presented)) >= 1
    # PyAirbyte's default DuckDB cache lands in `.cache/` of the working folder (`make pyairbyte`: the repository's),
    # which git ignores
    assert list((tmp_path / ".cache").rglob("*.duckdb")), sorted(path.name for path in tmp_path.iterdir())
    assert ".cache/" in (ROOT / ".gitignore").read_text().splitlines()
