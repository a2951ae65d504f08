#!/usr/bin/env python
"""Connector CPU per record of whole reads, two revisions on one sandbox, alternately (prints numbers; not a test).

    .venv/bin/python bench/cpu_per_record.py --before 6b17ba4 [--rounds 2] [--employees 1000] [--terminated-history 0]
    .venv/bin/python bench/cpu_per_record.py --rounds 1 --py-spy /tmp/prof [--gil]   # this tree only, under py-spy

Starts ONE in-process sandbox (no rate limit, the real clock: no time-machine in the connector's process), then
runs `source-paycor discover` and `read` of every stream of the catalog (incremental where supported, no state:
a first sync, as bench/ab_sync.py does) of each revision in turn, `--rounds` times, alternating, so both see the
same machine load. The `--before` commit is checked out into a temporary worktree; the after side is this tree.
Each read's stdout goes to a file; its CPU is the child's rusage (user + system, `os.wait4`), so the harness
and the sandbox do not count. Per side it prints the best CPU ÷ records (µs per record) and the after ÷ before
ratio.

It also compares the two sides' outputs byte for byte: the RECORD lines of each stream (as the connector wrote
them, key order included) with `emitted_at` and the `readAt` value blanked, sorted; and each stream's last STATE line (the order of records, and the states between, follow the
threads').

`--cprofile FILE` runs one more read of this tree under cProfile (per-thread CPU time, bench/_connector.py) and
prints its top functions. `--py-spy DIR` records the after side's read with py-spy (`--idle` off; `--gil` also records a second read
with only the samples that hold the GIL) into DIR/<name>.txt (collapsed stacks), and prints the functions with
the most samples (self and inclusive).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _company import UNLIMITED, add_company_options, company_sandbox  # noqa: E402  (bench/_company.py)
from ab_sync import first_sync_catalog  # noqa: E402  (bench/ab_sync.py: the same first-sync catalog)

RECORD = b'{"type":"RECORD"'
STATE = b'{"type":"STATE"'
STREAM_RE = re.compile(rb'"stream":"([^"]+)"')
NAME_RE = re.compile(rb'"stream_descriptor":\{"name":"([^"]+)"')
EMITTED_AT = re.compile(rb'"emitted_at":\d+')
READ_AT = re.compile(rb'"readAt":"[^"]*"')


def log(*parts: Any) -> None:
    print(*parts, file=sys.stderr, flush=True)


def git(*args: str) -> str:
    return subprocess.run(["git", *args], capture_output=True, text=True, check=True, cwd=ROOT).stdout.strip()


class Side:
    def __init__(self, label: str, tree: Path, commit: str) -> None:
        self.label, self.tree, self.commit = label, tree, commit
        self.cpu: List[float] = []
        self.wall: List[float] = []
        self.records: List[int] = []
        self.calls: List[int] = []
        self.system: List[float] = []  # CPU seconds in the kernel (part of `cpu`)
        self.digests: Dict[str, Dict[str, str]] = {}

    def command(self) -> List[str]:
        # This tree's launcher lifts the `requests_per_minute` ceiling; the revision comes from PYTHONPATH.
        return [sys.executable, str(ROOT / "bench" / "_connector.py")]

    def env(self, profile: Optional[Path] = None) -> Dict[str, str]:
        env = {
            k: v for k, v in os.environ.items() if k not in ("DEPLOYMENT_MODE", "PAYCOR_CLOCK", "PAYCOR_BENCH_PROFILE")
        }
        env["PYTHONPATH"] = str(self.tree)
        if profile is not None:
            env["PAYCOR_BENCH_PROFILE"] = str(profile)  # cProfile of every thread, CPU time (bench/_connector.py)
        return env


def config_for(sandbox: Any) -> Dict[str, Any]:
    config = sandbox.connector_config()
    config["requests_per_minute"] = UNLIMITED
    return config


def catalog_of(side: Side, sandbox: Any, workdir: Path) -> Path:
    config_path = workdir / f"{side.label}-discover-config.json"
    config_path.write_text(json.dumps(config_for(sandbox)))
    out = subprocess.run(
        side.command() + ["discover", "--config", str(config_path)],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        env=side.env(),
        cwd=side.tree,
    )
    configured = first_sync_catalog(out.stdout, out.stderr, side.label)
    path = workdir / f"{side.label}-catalog.json"
    path.write_text(json.dumps(configured))
    return path


def read(
    side: Side, sandbox: Any, workdir: Path, catalog: Path, prefix: List[str], profile: Optional[Path] = None
) -> Tuple[float, float, Path]:
    """One read: (CPU seconds of the connector, wall seconds, its stdout file); its calls and system CPU in `side`."""
    config_path = workdir / f"{side.label}-config.json"
    config_path.write_text(json.dumps(config_for(sandbox)))
    out_path = workdir / f"{side.label}-stdout.jsonl"
    sandbox.reset_calls()
    with open(out_path, "wb") as out, open(workdir / f"{side.label}-stderr.txt", "wb") as err:
        start = time.monotonic()
        process = subprocess.Popen(
            prefix + side.command() + ["read", "--config", str(config_path), "--catalog", str(catalog)],
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            env=side.env(profile),
            cwd=side.tree,
        )
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.monotonic() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{side.label}: read exited {os.waitstatus_to_exitcode(status)}; see {workdir}")
    side.calls.append(len(sandbox.calls))
    side.system.append(usage.ru_stime)
    return usage.ru_utime + usage.ru_stime, wall, out_path


def digests(path: Path) -> Tuple[int, Dict[str, str], Counter]:
    """Records, and per stream a digest of its RECORD lines and of its last STATE line (emitted_at, readAt blanked):
    the states between depend on the order the threads deliver slices in."""
    lines: Dict[str, List[bytes]] = defaultdict(list)
    final: Dict[str, bytes] = {}
    records = 0
    counts: Counter = Counter()
    with open(path, "rb") as out:
        for line in out:
            if line.startswith(RECORD):
                records += 1
                match = STREAM_RE.search(line, 0, 400)
                name = match.group(1).decode() if match else "?"
                counts[name] += 1
                lines[name].append(READ_AT.sub(b'"readAt":""', EMITTED_AT.sub(b'"emitted_at":0', line)))
            elif line.startswith(STATE):
                match = NAME_RE.search(line)
                name = match.group(1).decode() if match else "(global)"
                final[name + " (final state)"] = READ_AT.sub(b'"readAt":""', line)
    for name, line in final.items():
        lines[name].append(line)
    digest = {name: hashlib.sha256(b"".join(sorted(values))).hexdigest()[:16] for name, values in lines.items()}
    return records, digest, counts


def hot_functions(collapsed: Path, top: int = 40) -> str:
    """The functions with most samples in py-spy's collapsed stacks: self (the leaf frame) and inclusive."""
    own: Counter = Counter()
    inclusive: Counter = Counter()
    total = 0
    for line in collapsed.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack:
            continue
        count = int(count_text)
        total += count
        frames = [re.sub(r":\d+\)$", ")", frame) for frame in stack.split(";")]  # lines folded into functions
        own[frames[-1]] += count
        for frame in set(frames):
            inclusive[frame] += count
    out = [f"{total} samples"]
    out.append("self:")
    out += [f"  {count / total:6.1%}  {frame}" for frame, count in own.most_common(top)]
    out.append("inclusive:")
    out += [f"  {count / total:6.1%}  {frame}" for frame, count in inclusive.most_common(top)]
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--before", help="the commit to compare with (omitted: this tree only)")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--py-spy", dest="py_spy", help="a folder: record this tree's read with py-spy into it")
    ap.add_argument("--gil", action="store_true", help="with --py-spy: also a read recorded with --gil")
    ap.add_argument("--rate", type=int, default=50, help="py-spy samples per second")
    ap.add_argument(
        "--cprofile",
        help="a file: also one read of this tree under cProfile (every thread's CPU time), its top functions printed",
    )
    add_company_options(ap, employees=1000)
    args = ap.parse_args()
    dirty = bool(git("status", "--porcelain", "source_paycor"))
    after = Side("after", ROOT, git("rev-parse", "--short", "HEAD") + (" + uncommitted changes" if dirty else ""))
    scratch = Path(tempfile.mkdtemp(prefix="paycor-cpu-"))
    sides = [after]
    try:
        if args.before:
            before_tree = scratch / "before-tree"
            subprocess.run(
                ["git", "worktree", "add", "--detach", str(before_tree), args.before],
                check=True,
                capture_output=True,
                cwd=ROOT,
            )
            sides.insert(0, Side("before", before_tree, git("rev-parse", "--short", args.before)))
        with company_sandbox(args, today=None) as sandbox:
            catalogs = {side.label: catalog_of(side, sandbox, scratch) for side in sides}
            for round_ in range(args.rounds):
                for side in sides:
                    cpu, wall, out = read(side, sandbox, scratch, catalogs[side.label], [])
                    records, digest, counts = digests(out)
                    side.cpu.append(cpu)
                    side.wall.append(wall)
                    side.records.append(records)
                    side.digests.setdefault("first", digest)
                    side.digests["last"] = digest
                    log(
                        f"round {round_ + 1} {side.label}: {records} records, {side.calls[-1]} calls, CPU {cpu:.1f} s "
                        f"(system {side.system[-1]:.1f} s), wall {wall:.1f} s, {cpu / max(records, 1) * 1e6:.1f} µs/record"
                    )
            if args.py_spy:
                folder = Path(args.py_spy)
                folder.mkdir(parents=True, exist_ok=True)
                py_spy = str(Path(sys.executable).parent / "py-spy")
                for mode in ["all"] + (["gil"] if args.gil else []):
                    target = folder / f"{mode}.txt"
                    prefix = [
                        py_spy,
                        "record",
                        "--format",
                        "raw",
                        "--rate",
                        str(args.rate),
                        "--threads",
                        "--subprocesses",
                        "--output",
                        str(target),
                        *(["--gil"] if mode == "gil" else []),
                        "--",
                    ]
                    cpu, wall, out = read(after, sandbox, scratch, catalogs["after"], prefix)
                    shutil.copy(out, folder / f"{mode}-stdout.jsonl")
                    report = hot_functions(target)
                    (folder / f"{mode}-top.txt").write_text(report)
                    print(f"== py-spy ({mode}), wall {wall:.1f} s ==\n{report}")
            if args.cprofile:
                import pstats

                read(after, sandbox, scratch, catalogs["after"], [], profile=Path(args.cprofile).resolve())
                print(f"== cProfile (CPU time of every thread) ==")
                stats = pstats.Stats(args.cprofile)
                stats.sort_stats("tottime").print_stats(40)
                stats.sort_stats("cumulative").print_stats(60)
    finally:
        if args.before:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(scratch / "before-tree")], capture_output=True, cwd=ROOT
            )
    print(
        f"{args.employees} employees, terminated history ×{args.terminated_history}, {args.rounds} rounds, "
        "connector CPU (rusage user+sys) ÷ records, best round"
    )
    best = {}
    for side in sides:
        per_record = min(cpu / records * 1e6 for cpu, records in zip(side.cpu, side.records))
        best[side.label] = per_record
        print(
            f"  {side.label:<7} {side.commit:<32} records {side.records[-1]:>9}  calls {side.calls[-1]:>7}  CPU "
            f"{' '.join(f'{c:.1f}' for c in side.cpu)} s (system {' '.join(f'{c:.1f}' for c in side.system)} s)"
            f"  → {per_record:.1f} µs/record"
        )
    if args.before:
        print(f"  after ÷ before: {best['after'] / best['before']:.3f}")
        first, second = sides[0].digests["last"], sides[1].digests["last"]
        differ = sorted(name for name in set(first) | set(second) if first.get(name) != second.get(name))
        print(
            f"  output bytes (records, states; emitted_at and readAt blanked): "
            f"{len(differ)} of {len(set(first) | set(second))} streams differ"
            + (f": {', '.join(differ)}" if differ else "")
        )
    shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
