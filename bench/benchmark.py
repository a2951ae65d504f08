#!/usr/bin/env python
"""Throughput benchmark of `source-paycor` against the local Paycor sandbox (prints numbers; not a test).

    /work/venv/bin/python bench/benchmark.py --employees 10000 --speedup 20
    /work/venv/bin/python bench/benchmark.py --latency-bound --employees 2000
    /work/venv/bin/python bench/benchmark.py --cpu-employees 20000

The sandbox runs in this process (`paycor_sandbox.Sandbox`); the connector runs as a subprocess, as
users run it, so its CPU and peak RSS are measured alone (`os.wait4` rusage of the child).

`--speedup F` compresses time: the sandbox's limit and the connector's `requests_per_minute` are R×F,
latency and jitter are divided by F. Both nominal and scaled numbers are printed. Budgets above
Paycor's 1000/min need `bench/_connector.py`, which only lifts the config's ceiling.

The planned calls are the calls the connector's own slicing plans (not a minimum: `bench/honest_minimum.py` computes
that without the connector), counted on a separate Sandbox with the same seed (so the measured call log is untouched):
for every slice of every selected stream, the pages of the request that slice makes (`Sandbox.expected_pages`), plus
1 activation list, 1 token and the shared parent reads (employee lists, services, pay runs, ...) the slices needed.
A read that makes more calls than planned retried or re-read; fewer, it skipped.

`--results` writes the run's JSON to bench/results/benchmark.json and its section of bench/RESULTS.md (`bench/results.py`).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import results  # noqa: E402  (bench/results.py)
from _company import UNLIMITED, add_company_options, company_sandbox  # noqa: E402  (bench/_company.py)
from paycor_sandbox import Sandbox  # noqa: E402

CONNECTOR = [sys.executable, str(ROOT / "bench" / "_connector.py")]
TOKEN_PATH = "/sts/v1/common/token"
ACTIVATION_PATH = "/v1/legalentities/activatedlegalentitytenantlist"
RECORD_PREFIX = b'{"type":"RECORD"'
STREAM_RE = re.compile(rb'"stream":"([^"]+)"')
ID_SEGMENT = re.compile(r"^(\d+|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$")


# --------------------------------------------------------------------------------------------- helpers
def log(*parts: Any) -> None:
    print(*parts, file=sys.stderr, flush=True)


def connector_config(sb: Sandbox, requests_per_minute: int, num_workers: Optional[int]) -> Dict[str, Any]:
    """A fresh config: the sandbox's currently valid (single-use) refresh token, no access token."""
    config = sb.connector_config()
    config["requests_per_minute"] = int(requests_per_minute)
    if num_workers is not None:
        config["num_workers"] = int(num_workers)
    return config


def placeholders(template: str) -> List[str]:
    return re.findall(r"\{(\w+)\}", template)


class TemplateOf:
    """Request path → the OpenAPI template it matched (cached on the path with its ids blanked)."""

    def __init__(self, sb: Sandbox) -> None:
        self.spec = sb.spec
        self.cache: Dict[str, str] = {}

    def __call__(self, path: str) -> str:
        if path.lower().rstrip("/") == TOKEN_PATH:
            return "POST " + TOKEN_PATH
        norm = "/".join("1" if ID_SEGMENT.match(seg) else seg for seg in path.split("/"))
        hit = self.cache.get(norm)
        if hit is None:
            match = self.spec.match(path)
            hit = self.cache[norm] = match[0].template if match else path
        return hit


def machine_busy_seconds() -> float:
    """CPU-seconds all cores of the machine spent busy since boot (/proc/stat), to see other work competing."""
    with open("/proc/stat") as stat:
        fields = [int(x) for x in stat.readline().split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


# --------------------------------------------------------------------------------------------- running the connector
class Run:
    def __init__(self, label: str) -> None:
        self.label = label
        self.wall = 0.0
        self.returncode: Optional[int] = None
        self.records = 0
        self.by_stream: Counter = Counter()
        self.cpu_user = 0.0
        self.cpu_sys = 0.0
        self.maxrss_mb = 0.0
        self.errors: List[str] = []
        self.incomplete: List[str] = []
        self.catalog: Optional[Dict[str, Any]] = None
        self.stderr_tail = ""
        self.truncated = False
        self.loads: List[float] = []
        self.rss_samples: List[tuple] = []  # (seconds since start, VmRSS MB)

    @property
    def cpu(self) -> float:
        return self.cpu_user + self.cpu_sys


def _sample_rss(pid: int, start: float, samples: List[tuple], done: threading.Event, every: float,
                loads: Optional[List[float]] = None) -> None:
    while not done.wait(every):
        if loads is not None:
            loads.append(os.getloadavg()[0])  # the machine's 1-minute load: other work competing for the cores
        try:
            with open(f"/proc/{pid}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        samples.append((round(time.monotonic() - start, 1), round(int(line.split()[1]) / 1024.0, 1)))
                        break
        except OSError:
            return


def run_connector(command: str, config: Dict[str, Any], workdir: Path, label: str,
                  catalog: Optional[Dict[str, Any]] = None, timeout: float = 6 * 3600,
                  profile: Optional[str] = None, max_seconds: Optional[float] = None,
                  tracemalloc_path: Optional[str] = None) -> Run:
    """Run `source-paycor <command>`; `max_seconds` stops a read early (SIGTERM) and marks it truncated."""
    run = Run(label)
    config_path = workdir / f"{label}-config.json"
    config_path.write_text(json.dumps(config))
    args = list(CONNECTOR) + [command, "--config", str(config_path)]
    if catalog is not None:
        catalog_path = workdir / f"{label}-catalog.json"
        catalog_path.write_text(json.dumps(catalog))
        args += ["--catalog", str(catalog_path)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEPLOYMENT_MODE") and k != "PAYCOR_BENCH_PROFILE"}
    if tracemalloc_path:
        env["PAYCOR_BENCH_TRACEMALLOC"] = str(Path(tracemalloc_path).resolve())
    if profile:
        env["PAYCOR_BENCH_PROFILE"] = str(Path(profile).resolve())  # every thread, merged (see bench/_connector.py)
    stderr_path = workdir / f"{label}-stderr.txt"
    with open(stderr_path, "wb") as stderr:
        start = time.monotonic()
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=stderr, stdin=subprocess.DEVNULL, env=env, bufsize=1 << 20)
        killer = threading.Timer(timeout, proc.kill)
        killer.daemon = True
        killer.start()
        stopper = None
        if max_seconds:
            def stop() -> None:
                run.truncated = True
                proc.terminate()
            stopper = threading.Timer(max_seconds, stop)
            stopper.daemon = True
            stopper.start()
        sampled = threading.Event()
        threading.Thread(target=_sample_rss, args=(proc.pid, start, run.rss_samples, sampled, 2.0, run.loads), daemon=True).start()
        for line in proc.stdout:  # type: ignore[union-attr]
            if line.startswith(RECORD_PREFIX):
                run.records += 1
                match = STREAM_RE.search(line, 0, 400)
                run.by_stream[match.group(1).decode() if match else "?"] += 1
                continue
            if not line.startswith(b"{"):
                continue
            message = json.loads(line)
            kind = message.get("type")
            if kind == "CATALOG":
                run.catalog = message["catalog"]
            elif kind == "TRACE":
                trace = message["trace"]
                if trace.get("type") == "ERROR":
                    run.errors.append(trace["error"].get("message", ""))
                elif trace.get("type") == "STREAM_STATUS":
                    status = trace["stream_status"]
                    if status.get("status") == "INCOMPLETE":
                        run.incomplete.append(status["stream_descriptor"]["name"])
        _, status, usage = os.wait4(proc.pid, 0)
        run.wall = time.monotonic() - start
        sampled.set()
        killer.cancel()
        if stopper is not None:
            stopper.cancel()
        proc.returncode = run.returncode = os.waitstatus_to_exitcode(status)
    run.cpu_user, run.cpu_sys = usage.ru_utime, usage.ru_stime
    run.maxrss_mb = usage.ru_maxrss / 1024.0  # KiB on Linux
    run.stderr_tail = stderr_path.read_text(errors="replace")[-2000:]
    return run


def call_stats(sb: Sandbox, template_of: TemplateOf) -> Dict[str, Any]:
    calls = sb.calls
    statuses = Counter(call.status for call in calls)
    by_template = Counter(template_of(call.path) for call in calls if call.status != 429)
    span = (calls[-1].at - calls[0].at) if len(calls) > 1 else 0.0
    return {
        "calls": len(calls),
        "rate_limited_429": statuses.get(429, 0),
        "token_calls": sum(1 for call in calls if call.path.lower().rstrip("/") == TOKEN_PATH),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "api_span_s": span,
        "by_template": dict(by_template),
    }


def rate_timeline(sb: Sandbox, template_of: TemplateOf, rate_per_min: Optional[float], speedup: float) -> Dict[str, Any]:
    """Calls per nominal minute (60/F scaled seconds) over the read; minutes that used < 90% of R, and what ran then."""
    calls = sb.calls
    if not calls:
        return {}
    bucket = 60.0 / speedup
    start = calls[0].at
    counts: Counter = Counter()
    templates: Dict[int, Counter] = defaultdict(Counter)
    for call in calls:
        index = int((call.at - start) // bucket)
        counts[index] += 1
        templates[index][template_of(call.path)] += 1
    last = max(counts)
    series = [counts.get(i, 0) for i in range(last + 1)]
    out: Dict[str, Any] = {"bucket_scaled_s": round(bucket, 3), "calls_per_nominal_minute": series}
    if rate_per_min:
        # The last minute is partial by nature; the others should each carry ~R calls.
        under = [i for i in range(last) if series[i] < 0.9 * rate_per_min]
        out["minutes"] = last + 1
        out["minutes_under_90pct_of_R"] = len(under)
        out["calls_missing_in_those_minutes"] = int(sum(rate_per_min - series[i] for i in under))
        out["under_full_minutes"] = [
            {"minute": i, "calls": series[i], "top": [f"{t} ×{n}" for t, n in templates[i].most_common(3)]} for i in under[:25]
        ]
    return out


def configured_catalog(catalog: Dict[str, Any], names: Optional[List[str]]) -> Dict[str, Any]:
    streams = []
    for stream in catalog["streams"]:
        if names is not None and stream["name"] not in names:
            continue
        streams.append({"stream": stream, "sync_mode": "full_refresh", "destination_sync_mode": "overwrite"})
    return {"streams": streams}


# --------------------------------------------------------------------------------------------- ground truth
def planned_calls(args: argparse.Namespace, stream_names: List[str], today) -> Dict[str, Any]:
    """Pages every slice the connector plans for the selected streams, plus activation, token and shared parent reads.

    Runs the connector's own slicing in-process against a second, unthrottled Sandbox with the same seed.
    """
    import logging

    from airbyte_cdk.models import Level
    from airbyte_cdk.sources.message import InMemoryMessageRepository

    from source_paycor.source import build_context
    from source_paycor.streams.base import PaycorStream
    from source_paycor.streams.catalog import by_name

    logging.getLogger("airbyte").setLevel(logging.ERROR)  # the slicing's INFO lines are not this script's output
    started = time.monotonic()
    ref = company_sandbox(args, today)
    ref.start()
    try:
        import source_paycor.config as config_module  # same ceiling lift as bench/_connector.py, in-process

        low_high = config_module.NUMERIC_SETTINGS["requests_per_minute"]
        config_module.NUMERIC_SETTINGS["requests_per_minute"] = (low_high[0], low_high[1], UNLIMITED)
        config = connector_config(ref, UNLIMITED, None)
        context = build_context(config, InMemoryMessageRepository(Level.INFO))
        specs = by_name()
        pages_cache: Dict[Any, int] = {}
        errors: Counter = Counter()

        def pages(stream: "PaycorStream", piece: Dict[str, Any]) -> tuple:
            spec = stream.spec
            method, template = stream.route(piece)  # a bulk route: one POST per legal entity and page
            path = "/" + stream.path(stream_slice=piece)
            query = stream.request_params(stream_slice=piece)
            flat = tuple(sorted((k.lower(), str(x)) for k, v in query.items() for x in (v if isinstance(v, list) else [v])))
            key = (method, path.lower(), flat)
            if key not in pages_cache:
                ids = {name: piece[name] for name in placeholders(template)}
                try:
                    pages_cache[key] = ref.expected_pages(template, query=query, method=method, **ids)
                except Exception as error:  # the answer is an error: one call, which the connector skips or fails on
                    errors[(spec.name, getattr(error, "status", type(error).__name__))] += 1
                    pages_cache[key] = 1
            return key, pages_cache[key]

        per_stream: Dict[str, Dict[str, int]] = {}
        per_template: Counter = Counter()
        unique: Dict[Any, int] = {}
        for name in stream_names:
            spec = specs[name]
            stream = PaycorStream(spec, context)
            slices = total = 0
            for piece in stream.stream_slices():
                key, n = pages(stream, dict(piece or {}))
                slices += 1
                total += n
                unique[key] = n
            per_stream[name] = {"slices": slices, "pages": total}
            per_template[spec.path] += total

        # Shared parent reads the slicing needed (each (parent, legal entity) once per sync).
        shared: Dict[str, Dict[str, int]] = {}
        for parent, legal_entity_id in sorted(context.parent_rows._cache):  # noqa: SLF001 (read-only look at what was read)
            spec = specs[parent]
            stream = PaycorStream(spec, context)
            entry = shared.setdefault(parent, {"legal_entities": 0, "pages": 0, "also_a_selected_stream": parent in stream_names})
            entry["legal_entities"] += 1
            for piece in stream.slices_for(context.directory.entity(legal_entity_id)):
                key, n = pages(stream, dict(piece))
                entry["pages"] += n
                per_template[spec.path] += n
                unique[key] = n
        stream_pages = sum(item["pages"] for item in per_stream.values())
        shared_pages = sum(item["pages"] for item in shared.values())
        per_template["/v1/legalentities/ActivatedLegalEntityTenantList"] += 1
        per_template["POST " + TOKEN_PATH] += 1
        return {
            "planned_calls": 2 + stream_pages + shared_pages,
            "distinct_planned_calls": 2 + sum(unique.values()),
            "stream_pages": stream_pages,
            "shared_parent_pages": shared_pages,
            "per_stream": per_stream,
            "shared": shared,
            "per_template": dict(per_template),
            "error_slices": {f"{name}:{status}": n for (name, status), n in errors.items()},
            "seconds": round(time.monotonic() - started, 1),
        }
    finally:
        ref.stop()


# --------------------------------------------------------------------------------------------- report
def fmt(value: Any, digits: int = 2) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def table(rows: List[tuple]) -> str:
    width = max(len(row[0]) for row in rows)
    lines = []
    for row in rows:
        if len(row) == 1:
            lines.append(row[0])
        else:
            lines.append(f"  {row[0]:<{width}}  " + "  ".join(f"{fmt(cell):>18}" for cell in row[1:]))
    return "\n".join(lines)


def calls_bound(calls: int, wall: float, rate_per_min: Optional[float]) -> Dict[str, Any]:
    """The least wall time the calls made need at R (calls ÷ R), and the wall time over it: the rate-limit bound of a
    run measured without the planned calls (`--skip-planned`), and of runs read back with `--report`."""
    if not rate_per_min or not calls:
        return {"calls_bound_s": None, "wall_over_calls_bound": None}
    bound = calls / (rate_per_min / 60.0)
    return {"calls_bound_s": round(bound, 3), "wall_over_calls_bound": round(wall / bound, 3)}


def run_summary(run: Run, stats: Dict[str, Any], planned: Optional[Dict[str, Any]], rate_per_min: Optional[float],
                speedup: float) -> Dict[str, Any]:
    needed = planned["planned_calls"] if planned else None
    planned_bound = (needed / (rate_per_min / 60.0)) if (needed and rate_per_min) else None
    per100k = (run.cpu / run.records * 100_000) if run.records else None
    return {
        "label": run.label,
        "returncode": run.returncode,
        "records": run.records,
        "records_by_stream": dict(sorted(run.by_stream.items())),
        "calls": stats["calls"],
        "rate_limited_429": stats["rate_limited_429"],
        "token_calls": stats["token_calls"],
        "statuses": stats["statuses"],
        "wall_s": round(run.wall, 3),
        "wall_nominal_s": round(run.wall * speedup, 1),
        "api_span_s": round(stats["api_span_s"], 3),
        "planned_bound_s": round(planned_bound, 3) if planned_bound else None,
        "planned_bound_nominal_s": round(planned_bound * speedup, 1) if planned_bound else None,
        "wall_over_planned_bound": round(run.wall / planned_bound, 3) if planned_bound else None,
        **calls_bound(stats["calls"], run.wall, rate_per_min),
        "calls_over_planned": round(stats["calls"] / needed, 4) if needed else None,
        "calls_over_distinct_planned": round(stats["calls"] / planned["distinct_planned_calls"], 4) if planned else None,
        "calls_per_s": round(stats["calls"] / run.wall, 1) if run.wall else None,
        "records_per_s": round(run.records / run.wall, 1) if run.wall else None,
        "cpu_user_s": round(run.cpu_user, 2),
        "cpu_sys_s": round(run.cpu_sys, 2),
        "cpu_s": round(run.cpu, 2),
        "cpu_utilisation_cores": round(run.cpu / run.wall, 2) if run.wall else None,
        "cpu_s_per_100k_records": round(per100k, 2) if per100k else None,
        "cpu_ms_per_call": round(run.cpu / stats["calls"] * 1000, 3) if stats["calls"] else None,
        "records_per_cpu_s": round(run.records / run.cpu, 1) if run.cpu else None,
        "peak_rss_mb": round(run.maxrss_mb, 1),
        "truncated": run.truncated,
        "machine_load_1min_mean": round(sum(run.loads) / len(run.loads), 2) if run.loads else None,
        "machine_load_1min_max": round(max(run.loads), 2) if run.loads else None,
        "rss_mb_samples": _thin(run.rss_samples, 40),
        "errors": run.errors[:10],
        "incomplete_streams": run.incomplete,
    }


def _thin(samples: List[tuple], keep: int) -> List[tuple]:
    if len(samples) <= keep:
        return samples
    step = len(samples) / keep
    return [samples[int(i * step)] for i in range(keep)] + [samples[-1]]


def template_diff(stats: Dict[str, Any], planned: Dict[str, Any], limit: int = 12) -> List[str]:
    """Templates where the connector called more (or fewer) times than its slicing planned."""
    measured = Counter(stats["by_template"])
    needed = Counter(planned["per_template"])
    diffs = []
    for template in set(measured) | set(needed):
        delta = measured[template] - needed[template]
        if delta:
            diffs.append((abs(delta), template, measured[template], needed[template]))
    diffs.sort(reverse=True)
    return [f"    {template}: made {made:,}, planned {need:,} ({made - need:+,})" for _, template, made, need in diffs[:limit]]


# --------------------------------------------------------------------------------------------- main
def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_company_options(ap, employees=10_000, legal_entities=5)
    ap.add_argument("--latency-ms", type=float, default=150.0, help="nominal per-call latency")
    ap.add_argument("--jitter-ms", type=float, default=50.0, help="nominal jitter (±)")
    ap.add_argument("--rate-limit", type=int, default=1000, help="nominal R, calls per minute (sandbox limit = connector budget)")
    ap.add_argument("--speedup", type=float, default=1.0, help="R×F, latency÷F")
    ap.add_argument("--num-workers", type=int, default=None, help="default: the connector's default")
    ap.add_argument("--connector-rpm", type=int, default=None,
                    help="requests_per_minute given to the connector (default: the sandbox's scaled limit)")
    ap.add_argument("--retry-after", type=int, default=1, help="sandbox Retry-After seconds on 429")
    ap.add_argument("--streams", help="comma-separated streams to read (default: every discovered stream)")
    ap.add_argument("--exclude-streams", help="comma-separated streams to leave out")
    ap.add_argument("--skip-single", action="store_true", help="skip the num_workers=1 read")
    ap.add_argument("--skip-planned", "--skip-minimum", dest="skip_planned", action="store_true",
                    help="skip counting the calls the connector's slicing plans (--skip-minimum: its former name)")
    ap.add_argument("--latency-bound", action="store_true", help="no rate limit: latency is the bottleneck")
    ap.add_argument("--cpu-employees", type=int, default=None,
                    help="CPU micro-benchmark: read only `employees` of N employees, latency 0, no limit")
    ap.add_argument("--profile", help="run the (first) read under cProfile, writing this .prof file")
    ap.add_argument("--tracemalloc", help="trace the (first) read's memory with tracemalloc; write the top allocations here")
    ap.add_argument("--max-read-seconds", type=float, default=None,
                    help="stop each read after this many seconds (SIGTERM) and report it as truncated (for peak-RSS runs)")
    ap.add_argument("--timeout", type=float, default=6 * 3600, help="seconds per connector run")
    ap.add_argument("--workdir", help="keep configs, catalogs and stderr logs here")
    ap.add_argument("--json", dest="json_path", help="also write the results JSON here")
    ap.add_argument("--report", metavar="JSON", help="print the report of a results JSON written by --json, and stop")
    ap.add_argument("--results", action="store_true",
                    help="write bench/results/benchmark.json and the run's section of bench/RESULTS.md (bench/results.py)")
    args = ap.parse_args(argv)
    provenance = results.provenance()  # before anything is written
    if args.report:
        result = json.loads(Path(args.report).read_text())
        if "minimum" in result and "planned" not in result:  # written before the planned calls were named so
            print("  (a JSON of before issue 18: its \"minimum\" was the connector's planned calls)")
        rate = result["settings"]["scaled"]["rate_limit_per_min"]
        for run in result["runs"]:  # the bound, from the run's own calls and wall time (older JSONs lack it)
            run.update(calls_bound(run["calls"], run["wall_s"], rate))
        print_report(result)
        return 0

    mode = "cpu" if args.cpu_employees else ("latency-bound" if args.latency_bound else "rate-limited")
    if mode == "cpu":
        args.employees = args.cpu_employees
        args.latency_ms = args.jitter_ms = 0.0
        args.streams = "employees"
        args.skip_single = True
    F = args.speedup
    limited = mode == "rate-limited"
    nominal_rpm = args.rate_limit if limited else None
    scaled_rpm = int(round(args.rate_limit * F)) if limited else UNLIMITED
    connector_rpm = args.connector_rpm or scaled_rpm
    latency, jitter = args.latency_ms / F, args.jitter_ms / F
    today = datetime.now(timezone.utc).date()
    workdir = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="paycor-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)

    settings = {
        "mode": mode, "employees": args.employees, "tenants": args.tenants, "legal_entities": args.legal_entities,
        "seed": args.seed, "speedup": F,
        "nominal": {"rate_limit_per_min": nominal_rpm, "latency_ms": args.latency_ms, "jitter_ms": args.jitter_ms},
        "scaled": {"rate_limit_per_min": scaled_rpm if limited else None, "latency_ms": latency, "jitter_ms": jitter,
                   "connector_requests_per_minute": connector_rpm},
        "num_workers": args.num_workers or "default",
        "machine": {"nproc": os.cpu_count(), "python": sys.version.split()[0]},
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    log(f"[bench] {json.dumps(settings)}")
    log(f"[bench] workdir {workdir}")

    t0 = time.monotonic()
    sb = Sandbox(seed=args.seed, employees=args.employees, tenants=args.tenants, legal_entities=args.legal_entities,
                 rate_limit_per_minute=scaled_rpm, latency_ms=latency, jitter_ms=jitter,
                 retry_after_seconds=args.retry_after, today=today, terminated_history=args.terminated_history)
    sb.start()
    log(f"[bench] sandbox up in {time.monotonic() - t0:.1f}s at {sb.base_url}")
    template_of = TemplateOf(sb)
    result: Dict[str, Any] = {"settings": settings}
    try:
        discover = run_connector("discover", connector_config(sb, connector_rpm, args.num_workers), workdir, "discover")
        if discover.catalog is None:
            log(discover.stderr_tail)
            raise SystemExit(f"discover failed (exit {discover.returncode}): {discover.errors}")
        names = [stream["name"] for stream in discover.catalog["streams"]]
        if args.streams:
            wanted = [name.strip() for name in args.streams.split(",") if name.strip()]
            unknown = sorted(set(wanted) - set(names))
            if unknown:
                raise SystemExit(f"unknown streams: {unknown}")
            names = [name for name in names if name in wanted]
        if args.exclude_streams:
            dropped = {name.strip() for name in args.exclude_streams.split(",")}
            names = [name for name in names if name not in dropped]
        catalog = configured_catalog(discover.catalog, names)
        result["streams"] = names
        log(f"[bench] discover: {len(discover.catalog['streams'])} streams, reading {len(names)}; wall {discover.wall:.1f}s")
        result["discover"] = {"wall_s": round(discover.wall, 2), "cpu_s": round(discover.cpu, 2), "peak_rss_mb": round(discover.maxrss_mb, 1)}

        planned = None
        if not args.skip_planned:
            log("[bench] counting the calls the connector's slicing plans (separate Sandbox, same seed)…")
            with open(os.devnull, "w") as devnull, contextlib.redirect_stdout(devnull):
                # In-process, the authenticator prints CONNECTOR_CONFIG (with the reference sandbox's tokens) to stdout.
                planned = planned_calls(args, names, today)
            log(f"[bench] planned {planned['planned_calls']:,} calls (distinct {planned['distinct_planned_calls']:,}) in {planned['seconds']}s")
            result["planned"] = planned

        runs = [("read", args.num_workers)]
        if not args.skip_single:
            runs.append(("read_single_worker", 1))
        summaries = []
        for index, (label, workers) in enumerate(runs):
            sb.reset_calls()
            sb.limiter.reset()
            time.sleep(0.5)
            log(f"[bench] {label}: num_workers={workers or 'default'} requests_per_minute={connector_rpm} …")
            harness_before = resource.getrusage(resource.RUSAGE_SELF)
            busy_before = machine_busy_seconds()
            run = run_connector("read", connector_config(sb, connector_rpm, workers), workdir, label, catalog=catalog,
                                timeout=args.timeout, profile=args.profile if index == 0 else None,
                                max_seconds=args.max_read_seconds,
                                tracemalloc_path=args.tracemalloc if index == 0 else None)
            harness_after = resource.getrusage(resource.RUSAGE_SELF)
            busy = machine_busy_seconds() - busy_before
            harness_cpu = (harness_after.ru_utime - harness_before.ru_utime) + (harness_after.ru_stime - harness_before.ru_stime)
            stats = call_stats(sb, template_of)
            summary = run_summary(run, stats, planned, scaled_rpm if limited else None, F)
            summary["timeline"] = rate_timeline(sb, template_of, scaled_rpm if limited else None, F)
            # The fixed cost of a process (imports, schemas, streams, one call), measured by discover, taken out.
            net_cpu = max(run.cpu - discover.cpu, 1e-9)
            summary["cpu_s_net_of_startup"] = round(net_cpu, 2)
            summary["records_per_cpu_s_net_of_startup"] = round(run.records / net_cpu, 1) if run.records else None
            summary["cpu_s_per_100k_records_net_of_startup"] = round(net_cpu / run.records * 100_000, 2) if run.records else None
            summary["num_workers"] = workers or "default"
            # This process: the sandbox (one GIL, so at most ~1 core) and the stdout reader. Near 1.0 = harness-bound.
            summary["harness_cpu_s"] = round(harness_cpu, 1)
            summary["harness_utilisation_cores"] = round(harness_cpu / run.wall, 2) if run.wall else None
            # Everything else on the machine during the read (other users' tests, CI): the cores the benchmark did not get.
            other = max(busy - harness_cpu - run.cpu, 0.0)
            summary["other_processes_cpu_s"] = round(other, 1)
            summary["other_processes_cores"] = round(other / run.wall, 2) if run.wall else None
            if planned:
                summary["template_diff"] = template_diff(stats, planned)
            if run.returncode != 0:
                summary["stderr_tail"] = run.stderr_tail[-800:]
            summaries.append(summary)
            log(f"[bench] {label}: exit {run.returncode}, {run.records:,} records, {stats['calls']:,} calls, wall {run.wall:.1f}s")
        result["runs"] = summaries
        if mode == "cpu":
            # The fixed cost of a read process (imports, 70+ schemas and streams, token, activation list): the same read
            # against a 50-employee company. What is left is the per-record cost.
            base = Sandbox(seed=args.seed, employees=50, tenants=args.tenants, legal_entities=args.legal_entities,
                           rate_limit_per_minute=UNLIMITED, today=today)
            base.start()
            try:
                base_discover = run_connector("discover", connector_config(base, connector_rpm, None), workdir, "baseline-discover")
                base_run = run_connector("read", connector_config(base, connector_rpm, args.num_workers), workdir, "baseline-read",
                                         catalog=configured_catalog(base_discover.catalog, names))
            finally:
                base.stop()
            for summary in summaries:
                marginal = max(summary["cpu_s"] - base_run.cpu, 1e-9)
                summary["fixed_cost_read_cpu_s"] = round(base_run.cpu, 2)
                summary["fixed_cost_read_records"] = base_run.records
                summary["records_per_cpu_s_marginal"] = round((summary["records"] - base_run.records) / marginal, 1)
                summary["cpu_s_per_100k_records_marginal"] = round(marginal / max(summary["records"] - base_run.records, 1) * 100_000, 2)
        if len(summaries) == 2 and summaries[0]["wall_s"]:
            result["single_over_default_wall"] = round(summaries[1]["wall_s"] / summaries[0]["wall_s"], 2)
    finally:
        sb.stop()

    print_report(result)
    text = json.dumps(result, default=str)
    if args.results:
        result.update(results.figures("benchmark", argv, provenance, company={"employees": args.employees}))
        log(f"[results] {results.publish('benchmark', result)} and bench/RESULTS.md")
    if args.json_path:
        Path(args.json_path).write_text(json.dumps(result, indent=2, default=str))
    print(text)
    return 0


def print_report(result: Dict[str, Any]) -> None:
    print(report_text(result), end="")
    sys.stdout.flush()


def report_text(result: Dict[str, Any]) -> str:
    """The report of a results JSON (what the run printed; `--report` and bench/RESULTS.md's section print it)."""
    import io

    text = io.StringIO()
    with contextlib.redirect_stdout(text):
        _report(result)
    return text.getvalue()


def _report(result: Dict[str, Any]) -> None:
    s = result["settings"]
    runs = result["runs"]
    planned = result.get("planned")
    print(f"source-paycor benchmark — mode {s['mode']}, {s['employees']:,} employees, {s['legal_entities']} legal entities, "
          f"{s['tenants']} tenants, seed {s['seed']}, {len(result['streams'])} streams")
    if "discover" in result:
        d = result["discover"]
        print(f"  discover (startup baseline): wall {d['wall_s']} s, CPU {d['cpu_s']} s, peak RSS {d['peak_rss_mb']} MB")
    print(f"  machine: nproc {s['machine']['nproc']}, Python {s['machine']['python']}, {s['date']}")
    nominal, scaled = s["nominal"], s["scaled"]
    print(f"  nominal: R={fmt(nominal['rate_limit_per_min']) if nominal['rate_limit_per_min'] else 'unlimited'}/min, "
          f"latency {nominal['latency_ms']:.0f}±{nominal['jitter_ms']:.0f} ms;  "
          f"scaled ×{s['speedup']:g}: R={fmt(scaled['rate_limit_per_min']) if scaled['rate_limit_per_min'] else 'unlimited'}/min, "
          f"latency {scaled['latency_ms']:.1f}±{scaled['jitter_ms']:.1f} ms, connector requests_per_minute={fmt(scaled['connector_requests_per_minute'])}")
    if planned:
        print(f"  planned calls (the connector's own slicing): {planned['planned_calls']:,} (stream pages {planned['stream_pages']:,} "
              f"+ shared parent pages {planned['shared_parent_pages']:,} + activation 1 + token 1); each distinct request once: "
              f"{planned['distinct_planned_calls']:,}")
        if planned["error_slices"]:
            print(f"  slices answered with an error (counted as 1 call): {planned['error_slices']}")
    rows: List[tuple] = [("metric", *[f"{r['label']} (w={r['num_workers']})" for r in runs])]
    keys = [
        ("exit code", "returncode"), ("records", "records"), ("calls made", "calls"), ("429s received", "rate_limited_429"),
        ("token calls", "token_calls"), ("calls ÷ planned", "calls_over_planned"), ("calls ÷ distinct planned", "calls_over_distinct_planned"),
        ("wall s (scaled)", "wall_s"), ("wall s (nominal = ×F)", "wall_nominal_s"), ("API span s (first→last call)", "api_span_s"),
        ("planned calls ÷ R s (scaled)", "planned_bound_s"), ("planned calls ÷ R s (nominal)", "planned_bound_nominal_s"),
        ("wall ÷ (planned calls ÷ R)", "wall_over_planned_bound"), ("calls made ÷ R s (scaled)", "calls_bound_s"),
        ("wall ÷ (calls made ÷ R)", "wall_over_calls_bound"), ("calls/s (scaled)", "calls_per_s"), ("records/s (scaled)", "records_per_s"),
        ("connector CPU s (user+sys)", "cpu_s"), ("CPU utilisation (cores)", "cpu_utilisation_cores"),
        ("CPU s per 100k records", "cpu_s_per_100k_records"), ("CPU ms per call", "cpu_ms_per_call"),
        ("records per CPU-second (/core)", "records_per_cpu_s"),
        ("machine load (1-min avg, mean)", "machine_load_1min_mean"), ("machine load (1-min avg, max)", "machine_load_1min_max"),
        ("other processes on the machine (cores)", "other_processes_cores"),
        ("harness CPU s (sandbox+bench)", "harness_cpu_s"), ("harness utilisation (cores)", "harness_utilisation_cores"),
        ("  … net of startup (discover CPU)", "records_per_cpu_s_net_of_startup"),
        ("CPU s per 100k, net of startup", "cpu_s_per_100k_records_net_of_startup"),
        ("fixed cost: CPU s of a 50-employee read", "fixed_cost_read_cpu_s"),
        ("records per CPU-s, marginal (−fixed)", "records_per_cpu_s_marginal"),
        ("CPU s per 100k records, marginal", "cpu_s_per_100k_records_marginal"), ("peak RSS MB", "peak_rss_mb"), ("truncated", "truncated"),
    ]
    for title, key in keys:
        rows.append((title, *[r.get(key) for r in runs]))
    print(table(rows))
    if "single_over_default_wall" in result:
        print(f"  wall(num_workers=1) ÷ wall(default) = {result['single_over_default_wall']}×")
    for r in runs:
        if r["errors"] or r["incomplete_streams"]:
            print(f"  {r['label']}: errors {r['errors'][:3]} incomplete {r['incomplete_streams']}")
        timeline = r.get("timeline") or {}
        if "minutes_under_90pct_of_R" in timeline:
            print(f"  {r['label']}: {timeline['minutes_under_90pct_of_R']} of {timeline['minutes']} nominal minutes used < 90% of R "
                  f"({timeline['calls_missing_in_those_minutes']:,} calls short); first ones: "
                  + "; ".join(f"min {m['minute']}: {m['calls']} ({', '.join(m['top'][:2])})" for m in timeline["under_full_minutes"][:6]))
        if r.get("template_diff"):
            print(f"  {r['label']}: templates where calls differ from the planned ones:")
            print("\n".join(r["template_diff"]))


if __name__ == "__main__":
    sys.exit(main())
