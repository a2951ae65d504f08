#!/usr/bin/env python
"""What an interrupted first sync costs: killed at a share of its calls, retried from its last states (issue 18).

    .venv/bin/python bench/resume.py --employees 300
    .venv/bin/python bench/resume.py --employees 10000                     # the issue's figure
    .venv/bin/python bench/resume.py --employees 300 --kill-at 0.3 --streams employee_pay_rates,employee_hours

For each sync mode (full refresh, then incremental where the connector supports it — the streams it does not
support incrementally are read in full refresh in that case too), against one in-process sandbox dated today (no
rate limit), through `bench/_connector.py` as a subprocess:

  1. a clean first sync (no state) of the selected streams: its calls (the sandbox's call log) and its records;
  2. the same read again, killed with SIGKILL when the call log reaches `--kill-at` × the clean read's calls;
  3. a retry with the last STATE message of each stream the killed read printed, as the platform retries an attempt.

It reports killed + retried calls ÷ the clean read's calls, and checks that every record of the clean read (primary
key from the catalog, and content) was delivered by the killed read or the retry. A record of the killed read counts
as delivered only when a STATE message of its stream followed it (what a destination commits); records printed after
a stream's last state are dropped, as the platform drops an attempt's uncommitted tail.

Every run writes `bench/results/resume.json` and its section of `bench/RESULTS.md` (`--no-results`: not).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from _company import ROOT, UNLIMITED, add_company_options, company_facts, company_sandbox  # bench/_company.py: first (ROOT on sys.path)
import results  # bench/results.py
from paycor_sandbox import Sandbox

CONNECTOR = [sys.executable, str(ROOT / "bench" / "_connector.py")]
# The four per-employee streams of issue 18's measurement (1.61 × before the connector's work).
DEFAULT_STREAMS = ("employee_pay_rates", "employee_earnings", "employee_deductions", "employee_taxes")
START_DAYS_BACK = 364


def log(*parts: Any) -> None:
    print(*parts, file=sys.stderr, flush=True)


class Read:
    """One `source-paycor read`: its calls, its records (key → content digest, per stream, committed or not), its states."""

    def __init__(self) -> None:
        self.calls = 0
        self.exit: Optional[int] = None
        self.committed: Dict[str, Dict[Tuple, bytes]] = {}  # stream → key → digest, covered by a later STATE of the stream
        self.pending: Dict[str, Dict[Tuple, bytes]] = {}  # printed after the stream's last STATE so far
        self.states: Dict[str, dict] = {}  # stream → its last STATE message's `state`
        self.state_count = 0

    def delivered(self, committed_only: bool) -> Dict[str, Dict[Tuple, bytes]]:
        if committed_only:
            return self.committed
        out = {stream: dict(rows) for stream, rows in self.committed.items()}
        for stream, rows in self.pending.items():
            out.setdefault(stream, {}).update(rows)
        return out


def digest(data: Any) -> bytes:
    """The record's content, without `readAt` (when the read that delivered it began: it differs between any two reads
    by design, so it would make every record of the killed and the retried read "changed")."""
    if isinstance(data, dict):
        data = {key: value for key, value in data.items() if key != "readAt"}
    return hashlib.blake2b(json.dumps(data, sort_keys=True, separators=(",", ":")).encode(), digest_size=8).digest()


def key_of(data: Dict[str, Any], key_paths: List[List[str]]) -> Tuple:
    out = []
    for path in key_paths:
        value: Any = data
        for part in path:
            value = value.get(part) if isinstance(value, dict) else None
        out.append(json.dumps(value, sort_keys=True))
    return tuple(out)


def run_read(sb: Sandbox, workdir: Path, label: str, config: Dict[str, Any], catalog: Dict[str, Any],
             keys: Dict[str, List[List[str]]], state: Optional[list] = None, kill_at_calls: Optional[int] = None) -> Read:
    (workdir / f"{label}-config.json").write_text(json.dumps(config))
    (workdir / f"{label}-catalog.json").write_text(json.dumps(catalog))
    args = CONNECTOR + ["read", "--config", str(workdir / f"{label}-config.json"), "--catalog", str(workdir / f"{label}-catalog.json")]
    if state is not None:
        (workdir / f"{label}-state.json").write_text(json.dumps(state))
        args += ["--state", str(workdir / f"{label}-state.json")]
    sb.reset_calls()
    read = Read()
    env = {k: v for k, v in os.environ.items() if k not in ("PAYCOR_CLOCK", "DEPLOYMENT_MODE")}
    with open(workdir / f"{label}-stderr.txt", "wb") as stderr:
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=stderr, stdin=subprocess.DEVNULL, env=env)
        done = threading.Event()

        def watch() -> None:  # every wait has a bound: the read's own end
            while not done.wait(0.01):
                if sb.call_count >= kill_at_calls:  # type: ignore[operator]
                    proc.send_signal(signal.SIGKILL)
                    return

        watcher = threading.Thread(target=watch, daemon=True) if kill_at_calls else None
        if watcher is not None:
            watcher.start()
        for line in proc.stdout:  # type: ignore[union-attr]
            if line.startswith(b'{"type":"RECORD"'):
                record = json.loads(line)["record"]
                stream = record["stream"]
                read.pending.setdefault(stream, {})[key_of(record["data"], keys[stream])] = digest(record["data"])
            elif line.startswith(b'{"type":"STATE"'):
                message = json.loads(line)["state"]
                stream = (message.get("stream") or {}).get("stream_descriptor", {}).get("name", "")
                read.states[stream] = message
                read.state_count += 1
                read.committed.setdefault(stream, {}).update(read.pending.pop(stream, {}))
        read.exit = proc.wait()
        done.set()
    read.calls = sb.call_count
    return read


def compare(clean: Read, killed: Read, retried: Read) -> Dict[str, Any]:
    """Every clean record delivered by killed (committed part) ∪ retried, with the same content?"""
    missing: Counter = Counter()
    changed: Counter = Counter()
    twice = 0
    before, after = killed.delivered(committed_only=True), retried.delivered(committed_only=False)
    expected = clean.delivered(committed_only=False)
    for stream, rows in expected.items():
        for key, content in rows.items():
            contents = [found for found in (before.get(stream, {}).get(key), after.get(stream, {}).get(key)) if found is not None]
            if not contents:
                missing[stream] += 1
            elif content not in contents:
                changed[stream] += 1
            if len(contents) == 2:
                twice += 1
    return {
        "clean_records": sum(len(rows) for rows in expected.values()),
        "missing": sum(missing.values()), "missing_per_stream": dict(missing),
        "changed": sum(changed.values()), "changed_per_stream": dict(changed),
        "delivered_twice": twice,
    }


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    add_company_options(ap)
    ap.add_argument("--streams", default=",".join(DEFAULT_STREAMS), help="comma-separated streams to read")
    ap.add_argument("--kill-at", type=float, default=0.6, help="kill when the call log reaches this share of the clean read's calls")
    ap.add_argument("--modes", default="full_refresh,incremental", help="sync modes to measure (comma-separated)")
    ap.add_argument("--workdir")
    results.add_results_option(ap)
    args = ap.parse_args(argv)
    provenance = results.provenance()  # before anything is written
    today = datetime.now(timezone.utc).date()
    workdir = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="paycor-resume-"))
    workdir.mkdir(parents=True, exist_ok=True)
    names = [name.strip() for name in args.streams.split(",") if name.strip()]
    started = time.monotonic()
    sb = company_sandbox(args, today)
    sb.start()
    cases = []
    try:
        def config() -> Dict[str, Any]:
            out = sb.connector_config()  # the currently valid (single-use) refresh token
            out.update(requests_per_minute=UNLIMITED, start_date=today.fromordinal(today.toordinal() - START_DAYS_BACK).isoformat())
            return out

        (workdir / "discover-config.json").write_text(json.dumps(config()))
        discover = subprocess.run(CONNECTOR + ["discover", "--config", str(workdir / "discover-config.json")], capture_output=True,
                                  stdin=subprocess.DEVNULL)
        catalog = next((json.loads(line)["catalog"] for line in discover.stdout.splitlines() if line.startswith(b'{"type":"CATALOG"')), None)
        if catalog is None:
            raise SystemExit(f"discover failed: {discover.stderr[-2000:].decode(errors='replace')}")
        offered = {stream["name"]: stream for stream in catalog["streams"]}
        unknown = sorted(set(names) - set(offered))
        if unknown:
            raise SystemExit(f"unknown streams: {unknown}")
        keys = {name: offered[name].get("source_defined_primary_key") or [] for name in names}
        for mode in [m.strip() for m in args.modes.split(",") if m.strip()]:
            streams, modes = [], {}
            for name in names:
                stream = offered[name]
                used = "incremental" if mode == "incremental" and "incremental" in stream.get("supported_sync_modes", []) else "full_refresh"
                modes[name] = used
                streams.append({"stream": stream, "sync_mode": used,
                                "destination_sync_mode": "append_dedup" if used == "incremental" else "overwrite",
                                **({"primary_key": keys[name]} if used == "incremental" else {})})
            configured = {"streams": streams}
            clean = run_read(sb, workdir, f"{mode}-clean", config(), configured, keys)
            log(f"[{mode}] clean: exit {clean.exit}, {clean.calls:,} calls ({time.monotonic() - started:.0f}s)")
            kill_at = max(1, int(clean.calls * args.kill_at))
            killed = run_read(sb, workdir, f"{mode}-killed", config(), configured, keys, kill_at_calls=kill_at)
            log(f"[{mode}] killed at {kill_at:,}: exit {killed.exit}, {killed.calls:,} calls, {len(killed.states)} streams with a state "
                f"({time.monotonic() - started:.0f}s)")
            retried = run_read(sb, workdir, f"{mode}-retried", config(), configured, keys, state=list(killed.states.values()))
            log(f"[{mode}] retried: exit {retried.exit}, {retried.calls:,} calls ({time.monotonic() - started:.0f}s)")
            cases.append({"mode": mode, "sync_modes": modes, "clean_calls": clean.calls, "clean_exit": clean.exit,
                          "kill_at_calls": kill_at, "killed_calls": killed.calls, "retried_calls": retried.calls,
                          "exits": [killed.exit, retried.exit], "states_resumed_from": len(killed.states),
                          **compare(clean, killed, retried)})
    finally:
        sb.stop()
    data = results.figures("resume", argv, provenance, company=company_facts(args), today=today.isoformat(), streams=names,
                           kill_fraction=args.kill_at, cases=cases, seconds=round(time.monotonic() - started))
    results.print_and_publish(data, results.resume_text, write=not args.no_results)
    print(f"\nworkdir {workdir}; {time.monotonic() - started:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
