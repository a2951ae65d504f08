#!/usr/bin/env python
"""Calls a denied Data Access item and `skip_employees_terminated_before` save (issue 12, items 3 and 4).

    .venv/bin/python bench/call_savings.py --employees 300

Starts an in-process `paycor_sandbox.Sandbox` (no rate limit) dated on one day, runs `source-paycor read` as a
subprocess with its clock on the same day (`connector_command`), and counts the sandbox's call log per stream
(by route) and per legal entity (a per-employee call by its employee's legal entity, from the company data).

(1) A denied Data Access item on per-employee streams (`DENIED_STREAMS`, one of them windowed): the same read
    with the items allowed, denied in every legal entity, and denied in one legal entity. Per stream: the
    stream's calls in the legal entities where it is denied ÷ those legal entities (counted only where the
    stream reads at all: a product-gated stream makes no call in a legal entity without the product), its
    calls elsewhere against the allowed read's, the warnings naming it, and the last stream status the
    connector emitted (the CDK's STREAM_STATUS trace). The employee list the streams fan out from is shown
    apart: it is the shared parent of every per-employee stream, not a call of the denied stream.

(2) `skip_employees_terminated_before` one year back: every per-employee stream read without the setting,
    then with it, against a company with a terminated history. The employees skipped come from the
    sandbox's company data (termination date before the setting's day), not from the connector's logs; the
    logs' own count is shown beside them as a cross-check. A per-employee call is one employee (× one
    window for a windowed stream, whose windows are cut from `start_date` to the sync's day by the
    endpoint's documented maximum), so in proportion means calls_with ÷ calls_without = employees read ÷
    employees in the stream's population (its legal entities with the product; unpaid workers for
    `employee_unpaid_pay_rates`). `employee_custom_fields` reads in bulk (one call per legal entity and
    page): the setting does not apply to it.

`start_date` is one year back (today − 364) in every read; every stream is read full refresh.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Tuple

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from paycor_openapi.descriptions import window_limit_days  # noqa: E402
from paycor_openapi.documents import find_operation, load_documents  # noqa: E402
from _company import UNLIMITED, add_company_options, company_sandbox  # noqa: E402  (bench/_company.py)
from paycor_sandbox import Sandbox  # noqa: E402
from source_paycor.streams.catalog import STREAMS, StreamSpec  # noqa: E402

MAX_DAYS_BACK = 364
DENIED_STREAMS = ("employee_pay_rates", "employee_taxes", "employee_hours")
EMPLOYEE_LIST = "/v2/legalentities/{legalentityid}/employees"
PARENTS = {"employee_ids": "employees", "unpaid_worker_ids": "unpaid workers"}
PER_EMPLOYEE = [s for s in STREAMS if s.fan_out is not None and s.fan_out.parent in PARENTS and not s.sensitive_only]


def log(*parts: Any) -> None:
    print(*parts, file=sys.stderr, flush=True)


def connector_command(today: date) -> Tuple[List[str], Dict[str, str]]:
    """The connector's command line and environment, its clock on `today` and the `requests_per_minute` ceiling
    lifted (`bench/_connector.py`, run through the launcher `paycor_sandbox/on_day.py`)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DEPLOYMENT_MODE", "PAYCOR_CLOCK")}
    env["PAYCOR_CLOCK"] = today.isoformat()
    return [sys.executable, str(ROOT / "paycor_sandbox" / "on_day.py"), str(ROOT / "bench" / "_connector.py")], env


# ----------------------------------------------------------------------------------------- one read
@dataclass
class Read:
    label: str
    code: int = 0
    seconds: float = 0.0
    calls: Counter = field(default_factory=Counter)  # (stream or "(…)", legal entity or None) → calls
    forbidden: Counter = field(default_factory=Counter)  # the same, 403 answers only
    records: Counter = field(default_factory=Counter)
    statuses: Dict[str, List[str]] = field(default_factory=dict)
    logs: List[Tuple[str, str]] = field(default_factory=list)  # (level, message)
    errors: List[str] = field(default_factory=list)
    last_window_end: str = ""  # the latest `endDate` the connector asked for: its sync day

    def stream_calls(self, stream: str, legal_entities: Optional[Iterable[int]] = None) -> int:
        wanted = None if legal_entities is None else set(legal_entities)
        return sum(n for (name, le), n in self.calls.items() if name == stream and (wanted is None or le in wanted))

    def stream_forbidden(self, stream: str) -> int:
        return sum(n for (name, _), n in self.forbidden.items() if name == stream)

    def warnings(self, stream: str) -> List[str]:
        return [
            m for level, m in self.logs if level == "WARN" and m.startswith((f"Stream {stream} ", f"Stream {stream}:"))
        ]

    def status(self, stream: str) -> str:
        return (self.statuses.get(stream) or ["—"])[-1]


class Calls:
    """A logged call → (stream, legal entity): per-employee routes by their employee, the employee list by path."""

    def __init__(self, sb: Sandbox) -> None:
        self.spec = sb.spec
        self.employees = sb.company.employee_by_id
        self.by_template = {s.path.lower(): s.name for s in PER_EMPLOYEE}
        self.bulk = {s.bulk.path.lower(): s.name for s in PER_EMPLOYEE if s.bulk is not None}

    def __call__(self, call: Any) -> Tuple[str, Optional[int]]:
        match = self.spec.match(call.path, call.method.upper())
        if match is None:
            return "(other)", None
        route, params = match
        template = route.template.lower()
        lowered = {k.lower(): v for k, v in params.items()}
        if template == EMPLOYEE_LIST:
            query = {k.lower(): v if isinstance(v, list) else [v] for k, v in (call.query or {}).items()}
            unpaid = "unpaid" in [str(x).lower() for x in query.get("workercategory", [])]
            return ("(unpaid worker list)" if unpaid else "(employee list)"), int(lowered["legalentityid"])
        name = self.bulk.get(template) if call.method.upper() == "POST" else self.by_template.get(template)
        if name is None:
            return "(other)", None
        if "employeeid" in lowered:
            employee = self.employees.get(lowered["employeeid"].lower())
            return name, employee.legal_entity_id if employee is not None else None
        return name, int(lowered["legalentityid"])


def catalog_of(streams: Iterable[str], discovered: Dict[str, Any]) -> Dict[str, Any]:
    return {
        "streams": [
            {"stream": discovered[name], "sync_mode": "full_refresh", "destination_sync_mode": "overwrite"}
            for name in streams
        ]
    }


def discover(sb: Sandbox, workdir: Path, today: date) -> Dict[str, Any]:
    command, env = connector_command(today)
    (workdir / "discover-config.json").write_text(json.dumps(config_for(sb, today)))
    done = subprocess.run(
        command + ["discover", "--config", str(workdir / "discover-config.json")],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        env=env,
    )
    for line in done.stdout.splitlines():
        if line.startswith(b'{"type":"CATALOG"'):
            return {s["name"]: s for s in json.loads(line)["catalog"]["streams"]}
    raise SystemExit(f"discover failed: {done.stderr[-2000:].decode(errors='replace')}")


def config_for(sb: Sandbox, today: date, **settings: Any) -> Dict[str, Any]:
    """The sandbox's config (with its current refresh token: each run rotates it), unlimited, one year back."""
    config = sb.connector_config()
    config["requests_per_minute"] = UNLIMITED
    config["start_date"] = (today - timedelta(days=MAX_DAYS_BACK)).isoformat()
    config.update(settings)
    return config


def run_read(
    sb: Sandbox,
    workdir: Path,
    label: str,
    today: date,
    streams: Iterable[str],
    discovered: Dict[str, Any],
    **settings: Any,
) -> Read:
    command, env = connector_command(today)
    (workdir / f"{label}-config.json").write_text(json.dumps(config_for(sb, today, **settings)))
    (workdir / f"{label}-catalog.json").write_text(json.dumps(catalog_of(streams, discovered)))
    args = [
        "read",
        "--config",
        str(workdir / f"{label}-config.json"),
        "--catalog",
        str(workdir / f"{label}-catalog.json"),
    ]
    read = Read(label)
    sb.reset_calls()
    started = time.monotonic()
    with open(workdir / f"{label}-stderr.txt", "wb") as stderr:
        proc = subprocess.Popen(
            command + args, stdout=subprocess.PIPE, stderr=stderr, stdin=subprocess.DEVNULL, env=env
        )
        for line in proc.stdout:  # type: ignore[union-attr]
            if line.startswith(b'{"type":"RECORD"'):
                read.records[json.loads(line)["record"]["stream"]] += 1
            elif line.startswith(b'{"type":"LOG"'):
                message = json.loads(line)["log"]
                read.logs.append((message["level"], message["message"]))
            elif line.startswith(b'{"type":"TRACE"'):
                trace = json.loads(line)["trace"]
                if trace["type"] == "STREAM_STATUS":
                    status = trace["stream_status"]
                    read.statuses.setdefault(status["stream_descriptor"]["name"], []).append(status["status"])
                elif trace["type"] == "ERROR":
                    read.errors.append(trace["error"]["message"])
        read.code = proc.wait()
    read.seconds = time.monotonic() - started
    of = Calls(sb)
    for call in sb.calls:
        if call.status == 429:
            continue
        key = of(call)
        read.calls[key] += 1
        if call.status == 403:
            read.forbidden[key] += 1
        ends = {k.lower(): v for k, v in (call.query or {}).items()}.get("enddate")
        if key[0] != "(other)" and ends:
            read.last_window_end = max(read.last_window_end, str(ends[0] if isinstance(ends, list) else ends)[:10])
    log(f"[read] {label}: exit {read.code}, {sum(read.calls.values()):,} calls, {read.seconds:.0f}s")
    return read


# ----------------------------------------------------------------------------------------- ground truth
class Truth:
    """The company as the sandbox holds it: legal entities, their products, employees and termination dates."""

    def __init__(self, sb: Sandbox, today: date) -> None:
        self.company = sb.company
        self.today = today
        self.legal_entities = sorted({le for le, _ in sb.company.activated_pairs()})
        self.docs = load_documents(ROOT / "openapi")

    def reads(self, spec: StreamSpec, le: int) -> bool:
        """The stream reads this legal entity: it needs no product, or the legal entity has one of them."""
        services = self.company.legal_entity_by_id[le].services
        return not spec.product or any(services.get(flag) is True for flag in spec.product)

    def reading(self, spec: StreamSpec) -> List[int]:
        return [le for le in self.legal_entities if self.reads(spec, le)]

    def population(self, spec: StreamSpec) -> list:
        """The employees the stream fans out to (terminated ones included)."""
        people = self.company.unpaid_workers if spec.fan_out.parent == "unpaid_worker_ids" else self.company.employees
        reading = set(self.reading(spec))
        return [e for e in people if e.legal_entity_id in reading]

    def windows(self, spec: StreamSpec) -> int:
        """Windows per employee: [start_date, today + future days] cut by the endpoint's documented maximum."""
        if spec.window is None:
            return 1
        version = "v2" if spec.path.lower().startswith("/v2/") else "v1"
        operation = find_operation(self.docs[version], spec.path, "get")
        size = window_limit_days(operation) if operation else 90
        days = MAX_DAYS_BACK + spec.window.future_days + 1
        return math.ceil(days / size)

    def employees_per_le(self) -> Counter:
        return Counter(e.legal_entity_id for e in self.company.employees)


def one_year_back(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


# ----------------------------------------------------------------------------------------- reports
def ratio(a: float, b: float) -> str:
    return "—" if b == 0 else f"{a / b:.3f}"


def denied_report(truth: Truth, allowed: Read, cases: List[Tuple[str, List[int], Read]], items: Dict[str, str]) -> None:
    print("\n## (1) a denied Data Access item on a per-employee stream")
    print(
        "calls/LE: the stream's calls in the legal entities where it is denied and read ÷ those legal entities "
        "(target ≤ 1); elsewhere: its calls in the other legal entities (the allowed read's in brackets)"
    )
    head = (
        f"{'stream':<20}{'denied in':<18}{'LEs':>4}{'calls':>7}{'calls/LE':>9}{'403s':>6}"
        f"{'elsewhere':>17}{'warnings':>9}  {'status':<11}{'allowed calls':>14}"
    )
    print(head)
    for name in DENIED_STREAMS:
        spec = next(s for s in PER_EMPLOYEE if s.name == name)
        reading = truth.reading(spec)
        print(
            f"{name:<20}{'(allowed)':<18}{'—':>4}{'—':>7}{'—':>9}{allowed.stream_forbidden(name):>6}"
            f"{'—':>17}{len(allowed.warnings(name)):>9}  {allowed.status(name):<11}{allowed.stream_calls(name):>14,}"
        )
        for case, denied, read in cases:
            there = [le for le in denied if le in reading]
            others = [le for le in truth.legal_entities if le not in denied]
            calls = read.stream_calls(name, there)
            elsewhere = f"{read.stream_calls(name, others):,} ({allowed.stream_calls(name, others):,})"
            print(
                f"{'':<20}{case:<18}{len(there):>4}{calls:>7,}{ratio(calls, len(there)):>9}"
                f"{read.stream_forbidden(name):>6}{elsewhere:>17}{len(read.warnings(name)):>9}  "
                f"{read.status(name):<11}{allowed.stream_calls(name):>14,}"
            )
    print(f"\nitems denied: {'; '.join(f'{n}: “{i}”' for n, i in items.items())}")
    print("\nthe shared parent, read for these streams only (calls of the employee list, per legal entity):")
    for label, read in [("allowed", allowed)] + [(case, read) for case, _, read in cases]:
        per_le = ", ".join(f"{le}: {read.stream_calls('(employee list)', [le])}" for le in truth.legal_entities)
        print(f"  {label:<18}{per_le}")
    for case, _, read in cases:
        summary = [m for level, m in read.logs if level == "WARN" and m.startswith("Streams skipped for missing")]
        print(f"\nlast warning of the read denied in {case}:\n  {summary[-1] if summary else '(none)'}")
        print(f"  exit {read.code}; error traces: {len(read.errors)}")


def skip_report(truth: Truth, without: Read, with_: Read, before: date) -> None:
    print(f"\n## (2) skip_employees_terminated_before {before}, every per-employee stream")
    print(
        "population: the employees the stream fans out to (its legal entities with the product), terminated ones "
        "included; skipped: terminated before the setting's day (company data); logged: the count the connector logs"
    )
    print("units = employees × windows; in proportion: calls_with ÷ calls_without equals employees read ÷ population")
    print(
        f"{'stream':<36}{'win':>4}{'population':>11}{'skipped':>8}{'logged':>7}{'read/pop':>9}"
        f"{'calls w/o':>10}{'calls with':>11}{'with/w/o':>9}{'calls/unit w/o':>15}{'with':>6}  in proportion"
    )
    said = {}
    for _level, message in with_.logs:
        if message.startswith("Stream ") and " skips " in message and "terminated before" in message:
            parts = message.split()
            said[parts[1]] = int(parts[3])
    total = Counter()
    for spec in PER_EMPLOYEE:
        people = truth.population(spec)
        skipped = sum(1 for e in people if e.termination_date is not None and e.termination_date < before)
        kept = len(people) - skipped
        windows = truth.windows(spec)
        c_without, c_with = without.stream_calls(spec.name), with_.stream_calls(spec.name)
        if spec.bulk is not None:
            verdict = "n/a: bulk route, one call per legal entity and page"
        else:
            exact = c_with * len(people) == c_without * kept
            close = len(people) and abs(c_with / max(c_without, 1) - kept / len(people)) < 0.005
            verdict = "yes (exact)" if exact else ("yes (±0.005)" if close else "NO")
            total.update(
                {"pop_units": len(people) * windows, "kept_units": kept * windows, "without": c_without, "with": c_with}
            )
        per_unit_without = "—" if spec.bulk else ratio(c_without, len(people) * windows)
        per_unit_with = "—" if spec.bulk else ratio(c_with, kept * windows)
        logged = f"{said[spec.name]:,}" if spec.name in said else "—"
        print(
            f"{spec.name:<36}{windows:>4}{len(people):>11,}{skipped:>8,}{logged:>7}{ratio(kept, len(people)):>9}"
            f"{c_without:>10,}{c_with:>11,}{ratio(c_with, c_without):>9}{per_unit_without:>15}{per_unit_with:>6}  "
            f"{verdict}"
        )
    print(
        f"{'per-employee calls (bulk excluded)':<36}{'':>4}{'':>11}{'':>8}{'':>7}"
        f"{ratio(total['kept_units'], total['pop_units']):>9}{total['without']:>10,}{total['with']:>11,}"
        f"{ratio(total['with'], total['without']):>9}{ratio(total['without'], total['pop_units']):>15}"
        f"{ratio(total['with'], total['kept_units']):>6}  (read/pop here: units read ÷ units)"
    )
    for name in ("(employee list)", "(unpaid worker list)", "(other)"):
        print(
            f"{name:<36}{'':>4}{'':>11}{'':>8}{'':>7}{'':>9}{without.stream_calls(name):>10,}"
            f"{with_.stream_calls(name):>11,}{ratio(with_.stream_calls(name), without.stream_calls(name)):>9}"
        )
    all_without, all_with = sum(without.calls.values()), sum(with_.calls.values())
    print(
        f"{'ALL CALLS OF THE READ':<36}{'':>4}{'':>11}{'':>8}{'':>7}{'':>9}{all_without:>10,}{all_with:>11,}"
        f"{ratio(all_with, all_without):>9}"
    )
    print(
        f"exit without {without.code}, with {with_.code}; error traces {len(without.errors)}, {len(with_.errors)}; "
        f"records without {sum(without.records.values()):,}, with {sum(with_.records.values()):,}"
    )


# ----------------------------------------------------------------------------------------- main
def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_company_options(ap)
    ap.add_argument(
        "--today", type=date.fromisoformat, help="the sandbox's and the connector's day (default: UTC today)"
    )
    ap.add_argument("--only", choices=("denied", "skip"), help="run one of the two measurements")
    ap.add_argument("--workdir")
    args = ap.parse_args(argv)
    today = args.today or datetime.now(timezone.utc).date()
    before = one_year_back(today)
    workdir = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="paycor-savings-"))
    workdir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()

    def sandbox(denied: Optional[Dict[int, set]] = None) -> Sandbox:
        sb = company_sandbox(args, today, denied_data_access=denied)
        sb.start()
        return sb

    sb = sandbox()
    truth = Truth(sb, today)
    print(
        f"source-paycor call savings — {args.employees} employees (terminated_history {args.terminated_history}: "
        f"{len(sb.company.employees):,} in the employee lists), {args.legal_entities} legal entities, "
        f"{args.tenants} tenants, seed {args.seed}, sandbox today {today} (connector clock {today}), "
        f"start_date {today - timedelta(days=MAX_DAYS_BACK)}, skip_employees_terminated_before {before}"
    )
    timings: List[Tuple[str, Read]] = []
    try:
        discovered = discover(sb, workdir, today)
        if args.only in (None, "denied"):
            allowed = run_read(sb, workdir, "allowed", today, DENIED_STREAMS, discovered)
            timings.append(("denied: items allowed", allowed))
        if args.only in (None, "skip"):
            without = run_read(sb, workdir, "skip-without", today, [s.name for s in PER_EMPLOYEE], discovered)
            with_ = run_read(
                sb,
                workdir,
                "skip-with",
                today,
                [s.name for s in PER_EMPLOYEE],
                discovered,
                skip_employees_terminated_before=before.isoformat(),
            )
            timings += [("skip: without the setting", without), ("skip: with the setting", with_)]
    finally:
        sb.stop()

    if args.only in (None, "denied"):
        items = {
            name: sb.spec.route(next(s.path for s in STREAMS if s.name == name)).data_access for name in DENIED_STREAMS
        }
        # One legal entity: the largest of those where every denied stream reads (it has their products).
        specs = [s for s in PER_EMPLOYEE if s.name in DENIED_STREAMS]
        full = [le for le in truth.legal_entities if all(truth.reads(s, le) for s in specs)]
        one = max(full, key=lambda le: (truth.employees_per_le()[le], -le))
        cases = []
        for case, denied_les in (("every LE", truth.legal_entities), (f"one LE ({one})", [one])):
            sb = sandbox({le: set(items.values()) for le in denied_les})
            try:
                read = run_read(
                    sb,
                    workdir,
                    "denied-" + ("all" if len(denied_les) > 1 else "one"),
                    today,
                    DENIED_STREAMS,
                    discovered,
                )
            finally:
                sb.stop()
            cases.append((case, denied_les, read))
            timings.append((f"denied: {case}", read))
        denied_report(truth, allowed, cases, items)
    if args.only in (None, "skip"):
        skip_report(truth, without, with_, before)

    print("\nreads (wall seconds of `source-paycor read`, this machine, other jobs running):")
    for label, read in timings:
        print(
            f"  {label:<34}{sum(read.calls.values()):>9,} calls {read.seconds:>8.1f} s  exit {read.code}"
            f"  last window end asked {read.last_window_end or '—'}"
        )
    print(f"total {time.monotonic() - started:.0f} s; workdir {workdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
