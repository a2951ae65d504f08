"""Shared helpers of the reliability suite (no tests here).

- the stream subset: one stream of each family, kept small (40–60 employees, a start date ~200 days back);
- discovery, primary keys from the discovered catalog, record identities;
- `Figures`: every test records what it did (faults per mode, syncs chained, kill points, secrets
  checked…) in `reliability-figures.json` under pytest's base temp directory, and prints it (`-s`);
- `watched`: the `run_connector` fixture, counting the secrets checked in every run's output and
  checking every run once more, at the end of the test, against every secret the test met (tokens
  rotated after the run included).
"""

from __future__ import annotations

import itertools
import json
import os
import threading
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Tuple

import pytest

from conftest import ConnectorRun, command_args, configured_catalog

FIGURES_FILE = "reliability-figures.json"
# The terminal (with `-s`) as it was before any fd capture: figures are printed there even from tests
# that capture file descriptors.
_TERMINAL = os.dup(1)


def _say(text: str) -> None:
    try:
        os.write(_TERMINAL, (text + "\n").encode())
    except OSError:
        pass

# One stream per family.
FAMILIES = {
    "departments": "lookup (one call per legal entity)",
    "tenant_employees": "tenant-level (one call sequence per tenant)",
    "employees": "legal-entity list (paged)",
    "employee_pay_rates": "per-employee fan-out",
    "punches": "date-windowed, incremental, paged (several pages per window)",
    "payroll_processing": "date-windowed, incremental (check dates)",
    "paystubs": "incremental fan-out (one call per pay run)",
}
SUBSET = list(FAMILIES)
# Several syncs a minute against one subscription key add up to more than Paycor's 1000 calls a minute
# (each process budgets only its own calls): where many syncs run back to back, the sandbox's limit is
# lifted, or the waits for it would dominate. The rate limit itself is tested in test_performance.py.
NO_RATE_LIMIT = 1_000_000
WINDOWED = {"punches": ("startDate", "endDate"), "payroll_processing": ("fromCheckDate", "toCheckDate")}


def today() -> date:
    return datetime.now(timezone.utc).date()


def start_date(days_back: int = 200) -> str:
    return (today() - timedelta(days=days_back)).isoformat()


class Figures:
    """The figures of the last run, merged into one JSON file for RELIABILITY.md."""

    _lock = threading.Lock()

    def __init__(self, path: Path) -> None:
        self.path = path

    def _load(self) -> Dict[str, Any]:
        return json.loads(self.path.read_text()) if self.path.exists() else {}

    def record(self, key: str, value: Any) -> None:
        with self._lock:
            data = self._load()
            data[key] = value
            self.path.write_text(json.dumps(data, indent=2, sort_keys=True))
        _say(f"RELIABILITY FIGURE {key}: {json.dumps(value, sort_keys=True)}  ({self.path})")

    def add(self, key: str, counts: Dict[str, int]) -> None:
        with self._lock:
            data = self._load()
            total = data.get(key, {})
            for name, amount in counts.items():
                total[name] = total.get(name, 0) + amount
            data[key] = total
            self.path.write_text(json.dumps(data, indent=2, sort_keys=True))
        _say(f"RELIABILITY FIGURE {key} += {json.dumps(counts, sort_keys=True)}")


@pytest.fixture(scope="session")
def figures(tmp_path_factory) -> Figures:
    return Figures(tmp_path_factory.getbasetemp() / FIGURES_FILE)


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
    for result in runs:  # again, now that every rotated token is known
        secret_watch.check(result)
    figures.add("secrets", {
        "runs_checked": len(runs),
        "secrets_watched": len(secret_watch.secrets),  # per test; summed over tests
        "secret_checks": len(runs) * len(secret_watch.secrets),
        "secrets_found": 0,  # a leak fails the test in `SecretWatch.check`
    })


@pytest.fixture
def in_process(capfd, tmp_path, secret_watch, watched):
    """Run a command through the console script's `run()` in this process (~0.1 s instead of ~1.5 s of
    imports): its stdout and stderr are captured at the file-descriptor level and checked for secrets."""
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
        messages = [json.loads(line) for line in captured.out.split("\n") if line.startswith("{")]
        result = ConnectorRun(f"{command} (in-process)", code, captured.out, captured.err + crash, messages)
        watched.add(result)
        return result

    return run_here


def discover(run, config: Dict[str, Any]) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    discovered = run("discover", config)
    assert discovered.returncode == 0, discovered.errors
    return discovered.catalog, (discovered.rotated_configs or [config])[-1]


def catalog_for(catalog: Dict[str, Any], names: Iterable[str]) -> Dict[str, Any]:
    """Incremental wherever the stream offers it (the state is what the interruption tests resume from)."""
    return configured_catalog(catalog, list(names), sync_mode="incremental")


def primary_keys(catalog: Dict[str, Any]) -> Dict[str, List[List[str]]]:
    return {stream["name"]: stream["source_defined_primary_key"] for stream in catalog["streams"]}


def _dig(record: Dict[str, Any], path: List[str]) -> Any:
    value: Any = record
    for part in path:
        value = value.get(part) if isinstance(value, dict) else None
    return value


def key_of(record: Dict[str, Any], key: List[List[str]]) -> str:
    return json.dumps([_dig(record, path) for path in key], default=str)


def identities(run: ConnectorRun, keys: Dict[str, List[List[str]]]) -> List[Tuple[str, str]]:
    """(stream, primary key) of every record, in order, duplicates kept."""
    return [(m["record"]["stream"], key_of(m["record"]["data"], keys[m["record"]["stream"]])) for m in run.of_type("RECORD")]


def canonical(record: Dict[str, Any]) -> str:
    # The CDK's serializer leaves out top-level nulls; a destination reads them as null.
    return json.dumps({key: value for key, value in record.items() if value is not None}, sort_keys=True)


def canonical_records(run: ConnectorRun) -> Dict[str, List[str]]:
    result: Dict[str, List[str]] = {}
    for message in run.of_type("RECORD"):
        result.setdefault(message["record"]["stream"], []).append(canonical(message["record"]["data"]))
    return {name: sorted(rows) for name, rows in result.items()}


def last_states(messages: Iterable[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """What the platform passes to the next sync: the latest STATE message of each stream."""
    latest: Dict[str, Dict[str, Any]] = {}
    for message in messages:
        if message["type"] != "STATE":
            continue
        state = message["state"]
        stream = state["stream"]
        latest[stream["stream_descriptor"]["name"]] = {"type": "STREAM", "stream": stream}
    return list(latest.values())


def data_calls(sandbox) -> list:
    return [call for call in sandbox.calls if call.path != "/sts/v1/common/token"]


def token_calls(sandbox) -> list:
    return [call for call in sandbox.calls if call.path == "/sts/v1/common/token"]


def one_value(query: Dict[str, List[str]], name: str) -> Optional[str]:
    for key, values in query.items():
        if key.lower() == name.lower() and values:
            return values[0]
    return None
