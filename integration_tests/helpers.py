"""Helpers of the integration tests (no tests, no fixtures here: `conftest.py` builds its fixtures on them).

- running the connector: `ConnectorRun` (a run's parsed messages), `command_args`, `connector_env`,
  `connector_command`, `make_runner` (the installed `source-paycor` console script in a subprocess, every run
  checked for secrets by a `SecretWatch`);
- the day: `TODAY`, the day the date-dependent tests run on (`on_day`, the `on_day` mark), and `start_date`;
- catalogs: `configured_catalog`, `catalog_for`, `discover`, `discover_and_read`, `primary_keys`;
- comparing records: `canonical`, `canonical_records`, `key_of`, `identities`, `last_states`;
- the sandbox's calls: `data_calls`, `token_calls`, `one_value`;
- the reliability suite: its stream subset and `Figures` (what every test measured,
  merged into `reliability-figures.json`, which `scripts/reliability_figures.py` turns into
  RELIABILITY.md's figures).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from paycor_sandbox.on_day import PATH as ON_DAY  # noqa: E402
from paycor_sandbox.on_day import VARIABLE as CLOCK  # noqa: E402

CONNECTOR = shutil.which("source-paycor", path=str(Path(sys.executable).parent)) or "source-paycor"
TOKEN_PATH = "/sts/v1/common/token"
RUN_TIMEOUT = 300


# --- the day ------------------------------------------------------------------------------------------
# The day the date-dependent integration tests run on, whatever day the suite runs: the sandbox's `today` and
# the clock of the test and of the connectors it runs (a module marked `pytest.mark.on_day(TODAY)`, see
# conftest.py, or `with on_day(TODAY):` of `paycor_sandbox/on_day.py`).
TODAY = date(2026, 11, 29)


def start_date(days_back: int = 200) -> str:
    """`days_back` days before `TODAY`, as the config writes it."""
    return (TODAY - timedelta(days=days_back)).isoformat()


# --- a run of the connector ---------------------------------------------------------------------------
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


def messages_of(stdout: str) -> List[Dict[str, Any]]:
    """The Airbyte messages among a run's stdout lines."""
    return [json.loads(line) for line in (line.strip() for line in stdout.splitlines()) if line.startswith("{")]


def parse_run(command: str, completed: subprocess.CompletedProcess) -> ConnectorRun:
    return ConnectorRun(command, completed.returncode, completed.stdout, completed.stderr, messages_of(completed.stdout))


class SecretWatch:
    """Collects every secret a test handled and checks a run's output for them."""

    def __init__(self) -> None:
        self.secrets: set = set()

    def add_config(self, config: Dict[str, Any]) -> None:
        credentials = config.get("credentials") or {}
        for value in (config.get("subscription_key"), *(credentials.get(k) for k in ("client_secret", "refresh_token", "access_token"))):
            if isinstance(value, str) and len(value.strip()) >= 8:
                self.secrets.add(value.strip())

    def add_sandbox(self, sandbox) -> None:
        self.add_config(sandbox.connector_config())
        self.secrets.update(token for token in sandbox.refresh_tokens_presented if len(token) >= 8)

    def leaks(self, run: ConnectorRun) -> List[str]:
        """The first four characters of every known secret found in the run's output outside CONTROL messages."""
        for config in run.rotated_configs:
            self.add_config(config)
        outside_control = [line for line in run.stdout.splitlines() if '"type":"CONTROL"' not in line.replace(" ", "")]
        text = "\n".join(outside_control) + "\n" + run.stderr
        return sorted(secret[:4] + "…" for secret in self.secrets if secret in text)

    def check(self, run: ConnectorRun) -> None:
        leaked = self.leaks(run)
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


def connector_command(today: Optional[date] = None) -> Tuple[List[str], Dict[str, str]]:
    """How to start `source-paycor`: (command, environment). Without `today`, the console script on the real clock.
    With `today`, the console script through the launcher `paycor_sandbox/on_day.py`, its clock starting at this
    process's reading, which the test moved to `today` first (`on_day`, or the module's `on_day` mark): the
    connector, the sandbox and any in-process run then share one timeline."""
    if today is None:
        return [CONNECTOR], connector_env()
    now = datetime.now(timezone.utc)
    if now.date() != today:
        raise AssertionError(f"the connector is to run on {today}, but this process's clock reads {now:%Y-%m-%d %H:%M} UTC: "
                             f"move it there first (`with on_day({today!r}):`, or mark the module `pytest.mark.on_day`)")
    return [sys.executable, str(ON_DAY), CONNECTOR], {**connector_env(), CLOCK: now.isoformat()}


Runner = Callable[..., ConnectorRun]


def make_runner(directory: Path, watch: SecretWatch, today: Optional[date] = None) -> Runner:
    """`run(command, config, catalog=None, state=None, extra_args=(), timeout=300)`: `source-paycor <command>`
    in a subprocess, its inputs in files of their own in `directory`; every run's output is checked for secrets.
    With `today`, the connector runs on that day, on this process's clock (`connector_command`): give the sandbox
    the same day."""
    counter = iter(range(10_000))

    def run(command: str, config: Dict[str, Any], catalog: Optional[Dict[str, Any]] = None,
            state: Optional[List[Dict[str, Any]]] = None, extra_args: tuple = (), timeout: float = RUN_TIMEOUT) -> ConnectorRun:
        watch.add_config(config)
        launcher, env = connector_command(today)
        args = [*launcher, *command_args(directory, str(next(counter)), command, config, catalog, state), *extra_args]
        completed = subprocess.run(args, capture_output=True, text=True, timeout=timeout, env=env, stdin=subprocess.DEVNULL)
        result = parse_run(command, completed)
        watch.check(result)
        return result

    return run


# --- catalogs -----------------------------------------------------------------------------------------
def configured_catalog(catalog: Dict[str, Any], names: Optional[Iterable[str]] = None, sync_mode: str = "full_refresh") -> Dict[str, Any]:
    wanted = None if names is None else set(names)
    streams = []
    for stream in catalog["streams"]:
        if wanted is not None and stream["name"] not in wanted:
            continue
        mode = sync_mode if sync_mode in stream["supported_sync_modes"] else "full_refresh"
        entry = {"stream": stream, "sync_mode": mode, "destination_sync_mode": "append_dedup" if mode == "incremental" else "overwrite"}
        if mode == "incremental":
            entry["cursor_field"] = stream.get("default_cursor_field", [])
            entry["primary_key"] = stream.get("source_defined_primary_key", [])
        streams.append(entry)
    return {"streams": streams}


def catalog_for(catalog: Dict[str, Any], names: Iterable[str]) -> Dict[str, Any]:
    """Incremental wherever the stream offers it (the state is what the interruption tests resume from)."""
    return configured_catalog(catalog, list(names), sync_mode="incremental")


def discover(run: Runner, config: Dict[str, Any]) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """The discovered catalog, and the config to go on with (the one `discover` handed back, if any)."""
    discovered = run("discover", config)
    assert discovered.returncode == 0, (discovered.errors, discovered.stdout[-2000:])
    return discovered.catalog, (discovered.rotated_configs or [config])[-1]


def discover_and_read(run: Runner, config: Dict[str, Any], names: Optional[Iterable[str]] = None, sync_mode: str = "full_refresh",
                      state: Optional[List[Dict[str, Any]]] = None):
    """`discover`, then `read` of `names` (every stream when None): (discover run, read run, last config, configured catalog)."""
    discovered = run("discover", config)
    assert discovered.returncode == 0, (discovered.errors, discovered.stdout[-2000:])
    config = (discovered.rotated_configs or [config])[-1]
    catalog = configured_catalog(discovered.catalog, names, sync_mode)
    read = run("read", config, catalog=catalog, state=state)
    return discovered, read, (read.rotated_configs or [config])[-1], catalog


def primary_keys(catalog: Dict[str, Any]) -> Dict[str, List[List[str]]]:
    # Report streams (Report Builder) have no source-defined key: the user picks one.
    return {stream["name"]: stream.get("source_defined_primary_key", []) for stream in catalog["streams"]}


# --- records ------------------------------------------------------------------------------------------
def canonical(record: Dict[str, Any]) -> str:
    # The CDK's serializer leaves out top-level nulls; a destination reads them as null. `readAt` (when the sync that
    # read a per-employee record began) differs from read to read by design.
    return json.dumps({key: value for key, value in record.items() if value is not None and key != "readAt"},
                      sort_keys=True)


def canonical_records(run: ConnectorRun) -> Dict[str, List[str]]:
    """Every stream's records, canonical and sorted."""
    result: Dict[str, List[str]] = {}
    for message in run.of_type("RECORD"):
        result.setdefault(message["record"]["stream"], []).append(canonical(message["record"]["data"]))
    return {name: sorted(rows) for name, rows in result.items()}


def _dig(record: Dict[str, Any], path: Union[str, Sequence[str]]) -> Any:
    value: Any = record
    for part in ([path] if isinstance(path, str) else path):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def key_of(record: Dict[str, Any], key: Sequence[Union[str, Sequence[str]]]) -> tuple:
    """The record's primary key: `key` as a catalog gives it (paths: `[["legalEntityId"], ["id"]]`) or as field names."""
    return tuple(_dig(record, path) for path in key)


def identities(run: ConnectorRun, keys: Dict[str, List[List[str]]]) -> List[Tuple[str, tuple]]:
    """(stream, primary key) of every record, in order, duplicates kept."""
    return [(m["record"]["stream"], key_of(m["record"]["data"], keys[m["record"]["stream"]])) for m in run.of_type("RECORD")]


def last_states(messages: Iterable[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """What the platform passes to the next sync: the latest STATE message of each stream."""
    latest: Dict[str, Dict[str, Any]] = {}
    for message in messages:
        if message["type"] != "STATE":
            continue
        stream = message["state"]["stream"]
        latest[stream["stream_descriptor"]["name"]] = {"type": "STREAM", "stream": stream}
    return list(latest.values())


# --- the sandbox's calls ------------------------------------------------------------------------------
def data_calls(sandbox) -> list:
    return [call for call in sandbox.calls if call.path != TOKEN_PATH]


def token_calls(sandbox) -> list:
    return [call for call in sandbox.calls if call.path == TOKEN_PATH]


def one_value(query: Dict[str, List[str]], name: str) -> Optional[str]:
    for key, values in query.items():
        if key.lower() == name.lower() and values:
            return values[0]
    return None


# --- the reliability suite ----------------------------------------------------------------------------
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


FIGURES_FILE = "reliability-figures.json"
# The terminal (with `-s`) as it was before any fd capture: figures are printed there even from tests
# that capture file descriptors.
_TERMINAL = os.dup(1)


def _say(text: str) -> None:
    try:
        os.write(_TERMINAL, (text + "\n").encode())
    except OSError:
        pass


class Figures:
    """What the tests measured, merged into one JSON file (`scripts/reliability_figures.py` makes RELIABILITY.md's figures of it).

    Every pytest-xdist worker writes the same file, so each change is made under a lock on the file (`flock`),
    as well as a lock of the threads of one worker."""

    _lock = threading.Lock()

    def __init__(self, path: Path) -> None:
        self.path = path

    @contextmanager
    def _changing(self) -> Iterator[Dict[str, Any]]:
        """The file's figures, written back when the block ends; no other thread or worker changes them meanwhile."""
        with self._lock, open(self.path.with_suffix(".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            data = json.loads(self.path.read_text()) if self.path.exists() else {}
            yield data
            self.path.write_text(json.dumps(data, indent=2, sort_keys=True))

    def record(self, key: str, value: Any) -> None:
        with self._changing() as data:
            data[key] = value
        _say(f"RELIABILITY FIGURE {key}: {json.dumps(value, sort_keys=True)}  ({self.path})")

    def add(self, key: str, counts: Dict[str, int]) -> None:
        """Sums `counts` into the figure `key` (figures that several tests, or test cases, add to)."""
        with self._changing() as data:
            total = data.get(key, {})
            for name, amount in counts.items():
                total[name] = total.get(name, 0) + amount
            data[key] = total
        _say(f"RELIABILITY FIGURE {key} += {json.dumps(counts, sort_keys=True)}")


def session_figures(tmp_path_factory) -> Figures:
    """The figures of this test session, in `reliability-figures.json` under pytest's base temp directory — the
    session's, shared by every pytest-xdist worker (a worker's own base temp is a folder of it)."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    return Figures(base / FIGURES_FILE)
