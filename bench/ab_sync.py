#!/usr/bin/env python
"""Before/after proof of one sync: two revisions of the connector against the same sandbox (prints numbers; not a test).

    .venv/bin/python bench/ab_sync.py --before 9be5bc6 [--after HEAD] [--employees 300] [--terminated-history 1.2]

Checks both revisions out into temporary `git worktree`s, starts ONE in-process `paycor_sandbox.Sandbox` (this
tree's sandbox, no rate limit, `today` fixed to `--day`) and runs each revision's `source-paycor discover` and
`read` against it, every stream of that revision's catalog (incremental where supported, no state: a first
sync), with the same config (`start_date` fixed) and the connector's clock on the same day as the sandbox's
(`connector_command`). The revision is picked by PYTHONPATH (the CDK pin is the same at both).

Per stream it compares:
  - records: the count, and a hash of the canonical records (each record's data as JSON with sorted keys, the
    list sorted); where they differ, records matched by the stream's primary key say which fields changed;
  - calls: the sandbox's call log of the read, each call as method, route template, query (continuation token
    left out) and status, attributed to a stream by this tree's catalog (the shared employee-list route by its
    query parameters);
  - messages: the distinct WARN/ERROR/FATAL log lines and error traces (attributed to the stream they name,
    else "(sync)"), the stream statuses in order, and the final state.

Prints a table of the streams that differ, the differences in detail and a summary line. With `--control` the
before revision is read a second time at the end: its differences with the first read are the noise floor.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from _company import UNLIMITED, add_company_options, company_sandbox  # noqa: E402  (bench/_company.py)
from paycor_sandbox import Sandbox  # noqa: E402
from source_paycor.streams.catalog import by_name  # noqa: E402  (only to name the stream of a route)

DAY = date(2026, 11, 29)  # the sandbox's today and the connector's; integration_tests use the same day
DAYS_BACK = 364  # start_date: a year back, Paycor's limit for windowed endpoints
PROBLEM_LEVELS = {"FATAL", "CRITICAL", "ERROR", "WARN", "WARNING"}
TOKEN_PATH = "/sts/v1/common/token"
ACTIVATION = "/v1/legalentities/activatedlegalentitytenantlist"


def log(*parts: Any) -> None:
    print(*parts, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------------------- the launcher
def connector_command(tree: Path, day: date) -> Tuple[List[str], Dict[str, str]]:
    """The command and environment that run `tree`'s connector with its clock on `day`.

    The one place that knows the launcher: this tree's `paycor_sandbox/on_day.py` (the clock on PAYCOR_CLOCK)
    around its `bench/_connector.py` (the `requests_per_minute` ceiling lifted), with `tree` first on PYTHONPATH
    so that `source_paycor` is that revision's.
    """
    env = {key: value for key, value in os.environ.items() if key not in ("DEPLOYMENT_MODE", "PAYCOR_CLOCK")}
    env["PYTHONPATH"] = str(tree)
    env["PAYCOR_CLOCK"] = day.isoformat()
    return [sys.executable, str(ROOT / "paycor_sandbox" / "on_day.py"), str(ROOT / "bench" / "_connector.py")], env


# ----------------------------------------------------------------------------------------- one read
READ_AT_SEEN = "<readAt>"


def without_read_at(value: Any) -> Any:
    """`value` with every key named `readAt`, at any depth, set to one placeholder.

    `readAt` (when the sync began) differs between any two reads; its presence still counts, its time does not.
    """
    if isinstance(value, dict):
        return {key: READ_AT_SEEN if key == "readAt" else without_read_at(item) for key, item in value.items()}
    if isinstance(value, list):
        return [without_read_at(item) for item in value]
    return value


@dataclass
class StreamRun:
    records: List[str] = field(default_factory=list)  # canonical JSON of each record's data
    calls: Counter = field(default_factory=Counter)  # (method, template, query, status) → count
    messages: set = field(default_factory=set)
    statuses: List[str] = field(default_factory=list)
    state: Optional[str] = None
    primary_key: List[List[str]] = field(default_factory=list)

    def records_hash(self) -> str:
        return hashlib.sha256("\n".join(sorted(self.records)).encode()).hexdigest()[:12]


@dataclass
class SyncRun:
    label: str
    commit: str
    exit_code: int = 0
    seconds: float = 0.0
    streams: Dict[str, StreamRun] = field(default_factory=lambda: defaultdict(StreamRun))
    catalog: set = field(default_factory=set)  # the streams of the revision's discover


class StreamOfCall:
    """A logged call → the stream it served: its route's stream in this tree's catalog (fan-out parents included);
    where streams share a route (the employee list), the one whose fixed query parameters the call carries."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.spec = sandbox.spec
        self.routes: Dict[Tuple[str, str], list] = defaultdict(list)
        for spec in by_name().values():
            self.routes[("GET", spec.path.lower())].append(spec)
            if spec.bulk is not None:
                self.routes[(spec.bulk.method.upper(), spec.bulk.path.lower())].append(spec)

    def template(self, call) -> str:
        match = self.spec.match(call.path, call.method.upper())
        return match[0].template if match else call.path

    def __call__(self, call, query: Dict[str, List[str]]) -> str:
        path = call.path.lower().rstrip("/")
        if path == TOKEN_PATH:
            return "(token)"
        if path == ACTIVATION:
            return "(activation list)"
        candidates = self.routes.get((call.method.upper(), self.template(call).lower()), [])

        def carried(spec) -> int:
            params = {k.lower(): {str(v).lower() for v in values} for k, values in spec.params.items()}
            if any(not values <= set(query.get(name, [])) for name, values in params.items()):
                return -1
            return len(params)

        ranked = sorted(((carried(spec), spec.name) for spec in candidates), reverse=True)
        if ranked and ranked[0][0] >= 0:
            return ranked[0][1]
        return f"(route {call.method.upper()} {self.template(call)})"


def stream_named(message: str, names: List[str]) -> str:
    """The stream a message names first (whole words), else "(sync)"."""
    found = [
        (match.start(), name) for name in names for match in [re.search(rf"\b{re.escape(name)}\b", message)] if match
    ]
    return min(found)[1] if found else "(sync)"



def first_sync_catalog(stdout: bytes, stderr: bytes, label: str) -> Dict[str, Any]:
    """The configured catalog of a first sync of every stream `discover` printed (incremental where supported)."""
    catalog = next(
        (json.loads(line)["catalog"] for line in stdout.splitlines() if line.startswith(b'{"type":"CATALOG"')), None
    )
    if catalog is None:
        raise SystemExit(f"{label}: discover failed: {stderr[-2000:].decode(errors='replace')}")
    streams = []
    for stream in catalog["streams"]:
        incremental = "incremental" in stream.get("supported_sync_modes", [])
        streams.append(
            {
                "stream": stream,
                "sync_mode": "incremental" if incremental else "full_refresh",
                "destination_sync_mode": "append" if incremental else "overwrite",
            }
        )
    return {"streams": streams}

def read(sandbox: Sandbox, tree: Path, commit: str, label: str, workdir: Path, day: date, start_date: date) -> SyncRun:
    command, env = connector_command(tree, day)
    config = sandbox.connector_config()
    config.update(requests_per_minute=UNLIMITED, start_date=start_date.isoformat())
    config_path = workdir / f"{label}-config.json"
    config_path.write_text(json.dumps(config))
    discover = subprocess.run(
        command + ["discover", "--config", str(config_path)],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        env=env,
        cwd=tree,
    )
    configured = first_sync_catalog(discover.stdout, discover.stderr, label)
    catalog_path = workdir / f"{label}-catalog.json"
    catalog_path.write_text(json.dumps(configured))
    # The refresh token rotated during discover: the sandbox's current one, and discover's calls left out.
    config = sandbox.connector_config()
    config.update(requests_per_minute=UNLIMITED, start_date=start_date.isoformat())
    config_path.write_text(json.dumps(config))
    run = SyncRun(label, commit)
    names = sorted((s["name"] for s in catalog["streams"]), key=len, reverse=True)
    run.catalog = {s["name"] for s in catalog["streams"]}
    for stream in catalog["streams"]:
        run.streams[stream["name"]].primary_key = stream.get("source_defined_primary_key") or []
    sandbox.reset_calls()
    started = time.monotonic()
    with open(workdir / f"{label}-stderr.txt", "wb") as stderr:
        process = subprocess.Popen(
            command + ["read", "--config", str(config_path), "--catalog", str(catalog_path)],
            stdout=subprocess.PIPE,
            stderr=stderr,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=tree,
        )
        for line in process.stdout:  # type: ignore[union-attr]
            if not line.startswith(b"{"):
                continue
            message = json.loads(line)
            kind = message.get("type")
            if kind == "RECORD":
                record = message["record"]
                # `readAt` (when the sync that read a per-employee record began) differs between any two reads.
                data = {key: value for key, value in record["data"].items() if key != "readAt"}
                run.streams[record["stream"]].records.append(json.dumps(data, sort_keys=True))
            elif kind == "LOG" and message["log"]["level"] in PROBLEM_LEVELS:
                text = f"{message['log']['level']}: {message['log']['message']}"
                run.streams[stream_named(message["log"]["message"], names)].messages.add(text)
            elif kind == "TRACE" and message["trace"].get("type") == "ERROR":
                error = message["trace"]["error"]
                stream = (error.get("stream_descriptor") or {}).get("name") or stream_named(error["message"], names)
                run.streams[stream].messages.add(f"TRACE ERROR ({error.get('failure_type')}): {error['message']}")
            elif kind == "TRACE" and message["trace"].get("type") == "STREAM_STATUS":
                status = message["trace"]["stream_status"]
                statuses = run.streams[status["stream_descriptor"]["name"]].statuses
                if not statuses or statuses[-1] != status["status"]:
                    statuses.append(status["status"])
            elif kind == "STATE":
                state = message["state"]
                if state.get("type") == "STREAM":
                    name = state["stream"]["stream_descriptor"]["name"]
                    stream_state = without_read_at(state["stream"].get("stream_state"))
                    run.streams[name].state = json.dumps(stream_state, sort_keys=True)
        run.exit_code = process.wait()
    run.seconds = time.monotonic() - started
    stream_of = StreamOfCall(sandbox)
    for call in sandbox.calls:
        query = {
            key.lower(): sorted(str(v).lower() for v in (value if isinstance(value, list) else [value]))
            for key, value in (call.query or {}).items()
            if key.lower() != "continuationtoken"
        }
        shown = "&".join(f"{key}={','.join(values)}" for key, values in sorted(query.items()))
        run.streams[stream_of(call, query)].calls[
            (call.method.upper(), stream_of.template(call), shown, call.status)
        ] += 1
    return run


# ----------------------------------------------------------------------------------------- comparing
def route_counts(calls: Counter) -> Counter:
    """Calls per route and status (the query folded in)."""
    out: Counter = Counter()
    for (method, template, _query, status), count in calls.items():
        out[f"{method} {template} → {status}"] += count
    return out


def field_changes(before: StreamRun, after: StreamRun) -> str:
    """Records matched by primary key: how many only on one side, and which top-level fields changed how often."""
    if not before.primary_key or before.primary_key != after.primary_key:
        return "no common primary key to match records"

    def keyed(run: StreamRun) -> Dict[str, dict]:
        out = {}
        for text in run.records:
            record = json.loads(text)
            key = []
            for path in run.primary_key:
                value: Any = record
                for part in path:
                    value = value.get(part) if isinstance(value, dict) else None
                key.append(value)
            out[json.dumps(key)] = record
        return out

    old, new = keyed(before), keyed(after)
    changed: Counter = Counter()
    changed_records = 0
    for key in old.keys() & new.keys():
        if old[key] != new[key]:
            changed_records += 1
            for name in old[key].keys() | new[key].keys():
                if name not in new[key]:
                    changed[f"-{name}"] += 1
                elif name not in old[key]:
                    changed[f"+{name}"] += 1
                elif old[key][name] != new[key][name]:
                    changed[name] += 1
    fields = ", ".join(f"{name} ×{count}" for name, count in changed.most_common(8))
    return (
        f"{len(old.keys() - new.keys())} only before, {len(new.keys() - old.keys())} only after, "
        f"{changed_records} changed" + (f" (fields: {fields})" if fields else "")
    )


def compare(before: SyncRun, after: SyncRun, show: frozenset = frozenset()) -> int:
    """Print the table of differences (and the rows of the streams in `show`, identical or not), the details and
    the summary; the number of streams that differ."""
    catalog = before.catalog | after.catalog
    names = sorted(set(before.streams) | set(after.streams), key=lambda n: (n not in catalog, n))
    rows, details, differing = [], [], []
    for name in names:
        old, new = before.streams.get(name, StreamRun()), after.streams.get(name, StreamRun())
        same_records = old.records_hash() == new.records_hash()
        same_calls = old.calls == new.calls
        same_messages = old.messages == new.messages and old.statuses == new.statuses and old.state == new.state
        if same_records and same_calls and same_messages:
            if name in show:
                rows.append(
                    f"{name:<34}{len(old.records):>9,}{len(new.records):>9,}{'=':>5}"
                    f"{sum(old.calls.values()):>9,}{sum(new.calls.values()):>9,}{'=':>5}{'=':>6}  (shown: identical)"
                )
            continue
        differing.append(name)
        rows.append(
            f"{name:<34}{len(old.records):>9,}{len(new.records):>9,}{'=' if same_records else '≠':>5}"
            f"{sum(old.calls.values()):>9,}{sum(new.calls.values()):>9,}{'=' if same_calls else '≠':>5}"
            f"{'=' if same_messages else '≠':>6}"
        )
        lines = [f"{name}:"]
        if not same_records:
            lines.append(f"  records {old.records_hash()} → {new.records_hash()}: {field_changes(old, new)}")
        if not same_calls:
            old_routes, new_routes = route_counts(old.calls), route_counts(new.calls)
            for route in sorted(old_routes.keys() | new_routes.keys()):
                if old_routes[route] != new_routes[route]:
                    lines.append(f"  calls {route}: {old_routes[route]:,} → {new_routes[route]:,}")
            if old_routes == new_routes:
                moved = sum(((old.calls - new.calls) + (new.calls - old.calls)).values())
                lines.append(f"  calls: same count per route, {moved:,} calls with another query")
        for message in sorted(old.messages - new.messages):
            lines.append(f"  only before: {message}")
        for message in sorted(new.messages - old.messages):
            lines.append(f"  only after:  {message}")
        if old.statuses != new.statuses:
            lines.append(f"  statuses {'>'.join(old.statuses) or '—'} → {'>'.join(new.statuses) or '—'}")
        if old.state != new.state:
            lines.append(f"  final state {old.state} → {new.state}")
        details.append("\n".join(lines))
    total = lambda run, what: sum(what(s) for s in run.streams.values())  # noqa: E731
    print(
        f"\n{before.label} {before.commit} (exit {before.exit_code}, {before.seconds:.0f} s) → "
        f"{after.label} {after.commit} (exit {after.exit_code}, {after.seconds:.0f} s)"
    )
    print(
        f"  records {total(before, lambda s: len(s.records)):,} → {total(after, lambda s: len(s.records)):,}; "
        f"calls {total(before, lambda s: sum(s.calls.values())):,} → {total(after, lambda s: sum(s.calls.values())):,}"
    )
    print(
        f"  distinct WARN/ERROR messages {total(before, lambda s: len(s.messages)):,} → "
        f"{total(after, lambda s: len(s.messages)):,}; streams not COMPLETE "
        f"{sum(s.statuses[-1:] != ['COMPLETE'] for n, s in before.streams.items() if n in before.catalog)} → "
        f"{sum(s.statuses[-1:] != ['COMPLETE'] for n, s in after.streams.items() if n in after.catalog)}"
    )
    if rows:
        print(f"\n{'stream':<34}{'records':>9}{'records':>9}{'same':>5}{'calls':>9}{'calls':>9}{'same':>5}{'msgs':>6}")
        print(f"{'':<34}{'before':>9}{'after':>9}{'hash':>5}{'before':>9}{'after':>9}{'log':>5}{'same':>6}")
        print("\n".join(rows))
        if details:
            print("\n" + "\n".join(details))
    streams = [n for n in names if n in catalog]
    print(
        f"\nSUMMARY {before.commit} → {after.commit}: {len(streams)} streams and "
        f"{len(names) - len(streams)} other call groups (token, activation list, fan-out parent lists) compared; "
        f"{len(names) - len(differing)} identical in records, calls and messages; {len(differing)} differ"
        + (f": {', '.join(differing)}" if differing else "")
    )
    return len(differing)


# ----------------------------------------------------------------------------------------- main
def checkout(revision: str, scratch: Path, label: str) -> Tuple[Path, str]:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", revision], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.strip()
    tree = scratch / label
    subprocess.run(["git", "worktree", "add", "--detach", str(tree), commit], check=True, capture_output=True, cwd=ROOT)
    return tree, commit


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--before", required=True)
    ap.add_argument("--after", default="HEAD")
    add_company_options(ap)
    ap.add_argument("--day", type=date.fromisoformat, default=DAY, help=f"the frozen day (default {DAY})")
    ap.add_argument(
        "--deny",
        action="append",
        default=[],
        metavar="ITEM",
        help="a Data Access item the sandbox denies (403) in its first activated legal entity (repeatable)",
    )
    ap.add_argument("--show", action="append", default=[], metavar="STREAM", help="print its row even if identical")
    ap.add_argument("--control", action="store_true", help="read the before revision again at the end (noise floor)")
    ap.add_argument("--workdir")
    args = ap.parse_args(argv)
    start_date = args.day - timedelta(days=DAYS_BACK)
    workdir = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="paycor-ab-"))
    workdir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as scratch:
        trees = []
        try:
            before_tree, before_commit = checkout(args.before, Path(scratch), "before")
            trees.append(before_tree)
            after_tree, after_commit = checkout(args.after, Path(scratch), "after")
            trees.append(after_tree)
            print(
                f"ab_sync: before {before_commit}, after {after_commit}; one sandbox: seed {args.seed}, "
                f"{args.employees} employees (terminated_history {args.terminated_history}), "
                f"{args.legal_entities} legal "
                f"entities, {args.tenants} tenants, no rate limit, today {args.day}; connector clock {args.day}, "
                f"start_date {start_date}, every stream (incremental where supported, no state)"
            )
            sandbox = company_sandbox(args, args.day)
            denied_in = min(legal_entity for legal_entity, _ in sandbox.company.activated_pairs())
            if args.deny:
                sandbox.denied_data_access = {denied_in: set(args.deny)}
                print(f"  denied in legal entity {denied_in}: " + ", ".join(f'"{item}"' for item in args.deny))
            with sandbox:
                runs = []
                for label, tree, commit in [
                    ("before", before_tree, before_commit),
                    ("after", after_tree, after_commit),
                ] + ([("before-again", before_tree, before_commit)] if args.control else []):
                    runs.append(read(sandbox, tree, commit, label, workdir, args.day, start_date))
                    log(
                        f"[{label} {commit}] exit {runs[-1].exit_code}, {runs[-1].seconds:.0f} s "
                        f"({time.monotonic() - started:.0f} s)"
                    )
        finally:
            for tree in trees:
                subprocess.run(["git", "worktree", "remove", "--force", str(tree)], capture_output=True, cwd=ROOT)
    if args.control:
        print("\n== control: the before revision read twice ==")
        compare(runs[0], runs[2], frozenset(args.show))
    print("\n== before → after ==")
    compare(runs[0], runs[1], frozenset(args.show))
    print(f"\nworkdir {workdir}; {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
