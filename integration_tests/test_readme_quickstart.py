"""README.md's quickstart block, run verbatim as a new user would: in a copy of the repository without `secrets/`
(the files git would give a fresh clone, the venv linked in so that `make .venv/.installed` has nothing to do),
with `bash -e`, within a time bound."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
from pathlib import Path

from helpers import ROOT, connector_env

QUICKSTART = re.compile(r"<!-- quickstart:begin -->\s*```sh\n(?P<block>.*?)```\s*<!-- quickstart:end -->", re.DOTALL)
BOUND_SECONDS = 180


def quickstart_block() -> str:
    match = QUICKSTART.search((ROOT / "README.md").read_text())
    assert match, "README.md has no quickstart block between <!-- quickstart:begin --> and <!-- quickstart:end -->"
    return match.group("block")


def fresh_clone(target: Path) -> Path:
    """The repository's files as a clone has them (tracked, or new and not ignored), their times kept, plus the venv."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    (target / ".venv").symlink_to(ROOT / ".venv")
    return target


def test_given_a_fresh_clone_when_the_readme_quickstart_runs_verbatim_then_every_command_succeeds(tmp_path):
    block = quickstart_block()
    clone = fresh_clone(tmp_path / "source-paycor")
    assert not (clone / "secrets").exists()
    pid_file = clone / "secrets" / "sandbox.pid"
    try:
        completed = subprocess.run(["bash", "-e", "-c", block], cwd=clone, capture_output=True, text=True,
                                   timeout=BOUND_SECONDS, env=connector_env(), stdin=subprocess.DEVNULL)
    finally:
        if pid_file.exists():  # stopped by the block's last line; stopped here if the block failed before it
            try:
                os.kill(int(pid_file.read_text()), signal.SIGTERM)
            except (ProcessLookupError, ValueError):
                pass
    assert completed.returncode == 0, (completed.stdout[-3000:], completed.stderr[-3000:])
    statuses = [json.loads(line)["connectionStatus"] for line in completed.stdout.splitlines() if '"CONNECTION_STATUS"' in line]
    assert [status["status"] for status in statuses] == ["SUCCEEDED"]
    spec = [json.loads(line) for line in (clone / "secrets" / "spec.jsonl").read_text().splitlines() if line.startswith("{")]
    assert [message["type"] for message in spec if message["type"] == "SPEC"] == ["SPEC"]
    records = [json.loads(line) for line in (clone / "secrets" / "records.jsonl").read_text().splitlines() if '"RECORD"' in line]
    catalog = json.loads((clone / "examples" / "configured_catalog.json").read_text())
    assert {message["record"]["stream"] for message in records} == {entry["stream"]["name"] for entry in catalog["streams"]}
    assert completed.stdout.strip().splitlines()[-1] == str(len(records))  # the block's `grep -c`
    errors = [line for line in (clone / "secrets" / "records.jsonl").read_text().splitlines() if '"type":"TRACE"' in line and '"ERROR"' in line]
    assert not errors, errors[:2]
