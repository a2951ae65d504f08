#!/usr/bin/env python
"""Connector calls against an honest minimum, per stream and stream family (issue 12, item 1).

    .venv/bin/python bench/honest_minimum.py --employees 300

What it does: starts an in-process `paycor_sandbox.Sandbox` (no rate limit), runs `source-paycor read`
(as a subprocess, through `bench/_connector.py`, which only lifts the `requests_per_minute` ceiling) for

  (a) a first sync: every stream, `start_date` one year back (today − 364, Paycor's limit), no state;
  (b) a daily incremental sync: a first sync dated one day earlier (the Sandbox's `today` and the
      connector's clock, moved by `paycor_sandbox/on_day.py`), then an incremental read (incremental
      where the stream supports it) against a Sandbox dated today, from that sync's final state;

counts the sandbox's call log per stream (each call mapped to its OpenAPI route and, for the shared
employee-list route, its query), and compares it with a minimum computed here from the sandbox's ground
truth WITHOUT the connector's slicing (`PaycorStream.stream_slices`/`plan` are never called; only the
catalog's declarative rows `source_paycor.streams.catalog` are read, for the path, parameters, fan-out
parent, window and product flags of each stream).

Assumptions of the minimum (a client that knows Paycor's documents, not the connector):

 1. Token and activation list: 1 call each per sync (`overhead` family).
 2. One call per page: pages = ceil(records / page size), at least 1, with the sandbox's page sizes
    (200 for the employee lists, 100 elsewhere), via `Sandbox.expected_pages` of the exact request.
 3. Tenant-scoped streams: one request per activated tenant; legal-entity-scoped: one per activated legal
    entity (× each value of an enumerated path parameter, e.g. `statusCategory`).
 4. Product-gated streams (`StreamSpec.product`): no call for a legal entity without one of the service
    flags; the flags come from the `services` stream, which is itself read and counted once.
 5. `sensitive_only` streams: 0 calls (the read runs without `include_sensitive_data`, like the connector).
 6. An answer that is an error (403 Data Access, 404, 400) costs 1 call: a client cannot know without asking.
 7. Fan-outs: one request per record of the parent (all employees the list returns, terminated ones
    included, as the connector reads with `skip_employees_terminated_before` unset). The parent list is
    free when it is itself a selected stream with the same records (the `employees` list with
    include=All carries every id; `labor_profiles`, `pay_groups`, `ats_accounts`, `ats_jobs`,
    `payroll_processing` are selected streams). The unpaid-worker list (`workerCategory=Unpaid`) is not
    a selected stream, so its pages are counted once per legal entity (row `unpaid_worker_ids`).
 8. Bulk routes: where Paycor's documents have a legal-entity route returning the same records as a
    per-employee route, the minimum uses it. Searched: every POST whose summary starts "Get"
    (`paycor_openapi.documents.post_reads`) and every legal-entity GET whose 200 schema equals a
    per-employee GET's. Found: POST /v1/legalentities/{legalEntityId}/customfields (employee_custom_fields);
    the others (punches, timeoffaccruals, timeoffrequests, payschedule) are per-employee twins of routes
    the catalog already reads per legal entity. No bulk route exists for the other employee_* streams.
 9. Windowed streams: the range [start, today + future_days] cut greedily into windows of the endpoint's
    documented maximum (`paycor_openapi.descriptions.window_limit_days`: "no greater than N days", 90
    when unstated), each window's pages counted. First sync: start = today − 364. Incremental: start =
    (previous sync's day) − lookback_window_days (the connector's default, 30: the same re-read the
    connector is configured to make), clamped to one year back.
10. Pay-run fan-outs (paystubs, general ledgers, …): one request per pay run of `payroll_processing`
    in the range (incremental: check date ≥ the incremental start of 9).
11. Full-refresh streams cost the same in the incremental sync as in the first sync.

Not a strict lower bound everywhere: a cleverer window partition could save a page where records
straddle a window boundary, and (6) counts calls no client can avoid only because it cannot know.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from paycor_openapi.descriptions import window_limit_days  # noqa: E402
from paycor_openapi.documents import find_operation, load_documents  # noqa: E402
from _company import UNLIMITED, add_company_options, company_sandbox  # noqa: E402  (bench/_company.py)
from paycor_sandbox import Sandbox  # noqa: E402
from source_paycor.streams.catalog import STREAMS, by_name  # noqa: E402

# `_connector.py` through the launcher `paycor_sandbox/on_day.py`: the connector's clock on PAYCOR_CLOCK (the day-before
# sync), or on the real clock when it is unset.
CONNECTOR = [sys.executable, str(ROOT / "paycor_sandbox" / "on_day.py"), str(ROOT / "bench" / "_connector.py")]
TOKEN_PATH = "/sts/v1/common/token"
ACTIVATION = "/v1/legalentities/activatedlegalentitytenantlist"
EMPLOYEE_LIST = "/v2/legalentities/{legalentityid}/employees"
MAX_DAYS_BACK = 364
LOOKBACK_DAYS = 30  # the connector's default lookback_window_days (source_paycor/spec.yaml)


def log(*parts: Any) -> None:
    print(*parts, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------------------- the minimum
class Minimum:
    """Calls per stream a client needs for the same records, from the sandbox's ground truth."""

    def __init__(self, sb: Sandbox, today: date, incremental_from: Optional[date]) -> None:
        self.sb, self.today = sb, today
        self.incremental_from = incremental_from  # None: a first sync
        self.docs = load_documents(ROOT / "openapi")
        self.errors: Counter = Counter()
        pairs = sb.company.activated_pairs()
        self.legal_entities = sorted({le for le, _ in pairs})
        self.tenants = sorted({tenant for _, tenant in pairs})
        self.services = {le: self.records("/v1/legalentities/{legalEntityId}/services", legalEntityId=le) for le in self.legal_entities}

    # sandbox ground truth ------------------------------------------------------------------
    def pages(self, template: str, query: Optional[dict] = None, method: str = "GET", body: Optional[dict] = None,
              name: str = "", **ids: Any) -> int:
        try:
            return self.sb.expected_pages(template, query=query, method=method, body=body, **ids)
        except Exception as error:  # noqa: BLE001  an error answer: one call (assumption 6)
            self.errors[(name, getattr(error, "status", type(error).__name__))] += 1
            return 1

    def records(self, template: str, query: Optional[dict] = None, **ids: Any) -> list:
        try:
            return self.sb.expected_records(template, query=query, **ids)
        except Exception:  # noqa: BLE001
            return []

    def max_days(self, path: str) -> int:
        version = "v2" if path.lower().startswith("/v2/") else "v1"
        operation = find_operation(self.docs[version], path, "get")
        return window_limit_days(operation) if operation else 90

    # helpers --------------------------------------------------------------------------------
    def has_product(self, spec, le: int) -> bool:
        if not spec.product:
            return True
        flags = self.services[le]
        flags = flags[0] if isinstance(flags, list) and flags else flags
        return isinstance(flags, dict) and any(bool(flags.get(flag)) for flag in spec.product)

    def start(self) -> date:
        floor = self.today - timedelta(days=MAX_DAYS_BACK)
        if self.incremental_from is None:
            return floor
        return max(floor, self.incremental_from - timedelta(days=LOOKBACK_DAYS))

    def windows(self, spec) -> List[Tuple[date, date]]:
        start = self.start() if spec.cursor_field else self.today - timedelta(days=MAX_DAYS_BACK)
        end = self.today + timedelta(days=spec.window.future_days)
        size = self.max_days(spec.path)
        out = []
        while start <= end:
            stop = min(start + timedelta(days=size - 1), end)
            out.append((start, stop))
            start = stop + timedelta(days=1)
        return out

    def base_query(self, spec) -> Dict[str, Any]:
        query: Dict[str, Any] = {k: list(v) for k, v in spec.params.items()}
        for name, days in spec.dated_params.items():
            query[name] = (self.today + timedelta(days=days)).isoformat()
        return query

    def parent_records(self, parent: str, le: int) -> list:
        """The fan-out parent's records for one legal entity (from the sandbox, not the connector)."""
        pspec = by_name()[parent]
        if pspec.window is not None:  # pay runs in the range
            rows = []
            for lo, hi in self.windows(pspec):
                query = {pspec.window.start_param: lo.isoformat(), pspec.window.end_param: hi.isoformat()}
                rows += self.records(pspec.path, query=query, legalEntityId=le)
            return rows
        if pspec.fan_out is not None:  # a parent that is itself a fan-out (ats_jobs of ats_accounts)
            rows = []
            for grand in self.parent_records(pspec.fan_out.parent, le):
                ids, query = self.fan_request(pspec, grand, le)
                rows += [dict(r, **{k: grand.get(v) for k, v in pspec.fan_out.fields.items()}) for r in self.records(pspec.path, query=query, **ids)]
            return rows
        return self.records(pspec.path, query=self.base_query(pspec) or None, legalEntityId=le)

    def fan_request(self, spec, parent: Dict[str, Any], le: int) -> Tuple[Dict[str, Any], Dict[str, Any]]:
        ids: Dict[str, Any] = {"legalEntityId": le} if "{legalEntityId}" in spec.path else {}
        query = self.base_query(spec)
        for name, field in spec.fan_out.fields.items():
            value = parent
            for part in field.split("."):
                value = value.get(part) if isinstance(value, dict) else None
            if "{" + name + "}" in spec.path:
                ids[name] = value
            elif name not in spec.fan_out.record_only:
                query[name] = str(value)
        return ids, query

    # per stream -----------------------------------------------------------------------------
    def stream(self, spec) -> int:
        if spec.sensitive_only:
            return 0
        if spec.scope == "tenant":
            return sum(self.pages(spec.path, query=self.base_query(spec) or None, name=spec.name, tenantId=t) for t in self.tenants)
        total = 0
        for le in self.legal_entities:
            if not self.has_product(spec, le):
                continue
            total += self.stream_for(spec, le)
        return total

    def stream_for(self, spec, le: int) -> int:
        if spec.bulk is not None:  # assumption 8: the documented legal-entity route
            body = dict(spec.bulk.body) if spec.bulk.body is not None else None
            return self.pages(spec.bulk.path, method=spec.bulk.method, body=body, name=spec.name, legalEntityId=le)
        combos: List[Dict[str, Any]] = [{}]
        for name, values in spec.each.items():
            combos = [dict(c, **{name: v}) for c in combos for v in values]
        total = 0
        for combo in combos:
            if spec.fan_out is not None:
                parents = self.parent_records(spec.fan_out.parent, le)
                if spec.fan_out_cursor and self.incremental_from is not None:
                    since = self.start()
                    parents = [p for p in parents if str(p.get(spec.fan_out_cursor) or "9999")[:10] >= since.isoformat()]
                for parent in parents:
                    ids, query = self.fan_request(spec, parent, le)
                    ids.update({k: v for k, v in combo.items() if "{" + k + "}" in spec.path})
                    total += self.windowed(spec, ids, query)
            else:
                ids = {"legalEntityId": le, **{k: v for k, v in combo.items() if "{" + k + "}" in spec.path}}
                total += self.windowed(spec, ids, self.base_query(spec))
        return total

    def windowed(self, spec, ids: Dict[str, Any], query: Dict[str, Any]) -> int:
        if spec.window is None:
            return self.pages(spec.path, query=query or None, name=spec.name, **ids)
        total = 0
        for lo, hi in self.windows(spec):
            q = dict(query, **{spec.window.start_param: lo.isoformat(), spec.window.end_param: hi.isoformat()})
            total += self.pages(spec.path, query=q, name=spec.name, **ids)
        return total

    def all(self) -> Dict[str, int]:
        out = {"(token)": 1, "(activation list)": 1}
        for spec in STREAMS:
            out[spec.name] = self.stream(spec)
        # Assumption 7: the unpaid-worker list is no selected stream; the employee-id list is the `employees` stream.
        unpaid = by_name()["unpaid_worker_ids"]
        if any(s.fan_out and s.fan_out.parent == "unpaid_worker_ids" for s in STREAMS):
            out["unpaid_worker_ids"] = sum(self.pages(unpaid.path, query=self.base_query(unpaid), name="unpaid_worker_ids", legalEntityId=le)
                                           for le in self.legal_entities)
        out["employee_ids"] = 0
        return out


# ----------------------------------------------------------------------------------------- the connector
class StreamOf:
    """A logged call → the stream it served (by route template; the employee-list route by its query)."""

    def __init__(self, sb: Sandbox) -> None:
        self.spec = sb.spec
        self.by_template: Dict[str, str] = {}
        self.bulk: List[Tuple[str, Any, str]] = []  # (method, path regex, stream): bulk POSTs are matched here
        for spec in STREAMS:
            self.by_template.setdefault(spec.path.lower(), spec.name)
            if spec.bulk is not None:
                pattern = re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(spec.bulk.path.lower()))
                self.bulk.append((spec.bulk.method.upper(), re.compile("^" + pattern + "$"), spec.name))

    def __call__(self, call) -> str:
        path = call.path.lower().rstrip("/")
        if path == TOKEN_PATH:
            return "(token)"
        if path == ACTIVATION:
            return "(activation list)"
        for method, pattern, name in self.bulk:
            if call.method.upper() == method and pattern.match(path):
                return name
        match = self.spec.match(call.path)
        template = (match[0].template if match else call.path).lower()
        if template == EMPLOYEE_LIST:
            query = {k.lower(): [str(x).lower() for x in (v if isinstance(v, list) else [v])] for k, v in (call.query or {}).items()}
            if "unpaid" in query.get("workercategory", []):
                return "unpaid_worker_ids"
            if "all" in query.get("include", []):
                return "employees"
            return "employee_ids"
        return self.by_template.get(template, "other:" + template)


def run_read(sb: Sandbox, workdir: Path, label: str, start_date: date, incremental: bool,
             state: Optional[list] = None, today: Optional[date] = None) -> Tuple[Counter, Counter, list, int]:
    """`source-paycor read` (all streams); (calls per stream, records per stream, final state messages, exit code)."""
    config = sb.connector_config()
    config["requests_per_minute"] = UNLIMITED
    config["start_date"] = start_date.isoformat()
    (workdir / f"{label}-config.json").write_text(json.dumps(config))
    env = {k: v for k, v in os.environ.items() if k != "PAYCOR_CLOCK"}
    if today is not None:
        env["PAYCOR_CLOCK"] = today.isoformat()
    discover = subprocess.run(CONNECTOR + ["discover", "--config", str(workdir / f"{label}-config.json")],
                              capture_output=True, stdin=subprocess.DEVNULL, env=env)
    catalog = None
    for line in discover.stdout.splitlines():
        if line.startswith(b'{"type":"CATALOG"'):
            catalog = json.loads(line)["catalog"]
    if catalog is None:
        raise SystemExit(f"discover failed: {discover.stderr[-2000:].decode(errors='replace')}")
    streams = []
    for stream in catalog["streams"]:
        mode = "incremental" if incremental and "incremental" in stream.get("supported_sync_modes", []) else "full_refresh"
        streams.append({"stream": stream, "sync_mode": mode, "destination_sync_mode": "append" if mode == "incremental" else "overwrite"})
    (workdir / f"{label}-catalog.json").write_text(json.dumps({"streams": streams}))
    # Discover's own calls are not part of the read.
    config = sb.connector_config()
    config["requests_per_minute"] = UNLIMITED
    config["start_date"] = start_date.isoformat()
    (workdir / f"{label}-config.json").write_text(json.dumps(config))
    args = CONNECTOR + ["read", "--config", str(workdir / f"{label}-config.json"), "--catalog", str(workdir / f"{label}-catalog.json")]
    if state is not None:
        (workdir / f"{label}-state.json").write_text(json.dumps(state))
        args += ["--state", str(workdir / f"{label}-state.json")]
    sb.reset_calls()
    records: Counter = Counter()
    states: Dict[Any, dict] = {}
    with open(workdir / f"{label}-stderr.txt", "wb") as stderr:
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=stderr, stdin=subprocess.DEVNULL, env=env)
        for line in proc.stdout:  # type: ignore[union-attr]
            if line.startswith(b'{"type":"RECORD"'):
                records[json.loads(line)["record"]["stream"]] += 1
            elif line.startswith(b'{"type":"STATE"'):
                message = json.loads(line)["state"]
                key = message.get("type"), json.dumps(message.get("stream", {}).get("stream_descriptor"))
                states[key] = message
        code = proc.wait()
    stream_of = StreamOf(sb)
    calls = Counter(stream_of(call) for call in sb.calls if call.status != 429)
    return calls, records, list(states.values()), code


# ----------------------------------------------------------------------------------------- report
def report(title: str, calls: Counter, minimum: Dict[str, int], records: Counter) -> None:
    family = {spec.name: spec.family for spec in STREAMS}
    family.update({"(token)": "overhead", "(activation list)": "overhead", "employee_ids": "employee", "unpaid_worker_ids": "employee"})
    names = list(minimum) + sorted(set(calls) - set(minimum))
    print(f"\n## {title}")
    print(f"{'family':<13}{'connector calls':>16}{'minimum':>10}{'ratio':>8}")
    fam_calls: Counter = Counter()
    fam_min: Counter = Counter()
    for name in names:
        fam_calls[family.get(name, "other")] += calls.get(name, 0)
        fam_min[family.get(name, "other")] += minimum.get(name, 0)
    for fam in sorted(fam_calls, key=lambda f: -fam_calls[f]):
        print(f"{fam:<13}{fam_calls[fam]:>16,}{fam_min[fam]:>10,}{ratio(fam_calls[fam], fam_min[fam]):>8}")
    total_c, total_m = sum(fam_calls.values()), sum(fam_min.values())
    print(f"{'TOTAL':<13}{total_c:>16,}{total_m:>10,}{ratio(total_c, total_m):>8}")
    print(f"\n{'stream':<38}{'family':<13}{'records':>9}{'calls':>8}{'minimum':>9}{'ratio':>8}")
    for name in sorted(names, key=lambda n: (family.get(n, "other"), n)):
        c, m = calls.get(name, 0), minimum.get(name, 0)
        if c or m:
            print(f"{name:<38}{family.get(name, 'other'):<13}{records.get(name, 0):>9,}{c:>8,}{m:>9,}{ratio(c, m):>8}")


def ratio(calls: int, minimum: int) -> str:
    if minimum == 0:
        return "—" if calls == 0 else "∞"
    return f"{calls / minimum:.2f}"


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_company_options(ap)
    ap.add_argument("--workdir")
    ap.add_argument("--one-first-sync", action="store_true",
                    help="(a) is the first sync dated the day before, whose state feeds (b): one first sync instead of two "
                         "(for large companies)")
    args = ap.parse_args(argv)
    today = datetime.now(timezone.utc).date()
    yesterday = today - timedelta(days=1)
    workdir = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="paycor-minimum-"))
    workdir.mkdir(parents=True, exist_ok=True)
    os.environ.pop("DEPLOYMENT_MODE", None)

    def sandbox(day: date) -> Sandbox:
        sb = company_sandbox(args, day)
        sb.start()
        return sb

    print(f"source-paycor calls ÷ honest minimum — {args.employees} employees (terminated_history {args.terminated_history}), "
          f"{args.legal_entities} legal entities, {args.tenants} tenants, seed {args.seed}, today {today}, "
          f"start_date {today - timedelta(days=MAX_DAYS_BACK)}, lookback {LOOKBACK_DAYS} d")
    started = time.monotonic()
    # (a) first sync, today
    if not args.one_first_sync:
        sb = sandbox(today)
        try:
            minimum_first = Minimum(sb, today, None).all()
            log(f"[minimum] first sync: {sum(minimum_first.values()):,} calls ({time.monotonic() - started:.0f}s)")
            calls, records, _, code = run_read(sb, workdir, "first", today - timedelta(days=MAX_DAYS_BACK), incremental=True)
            log(f"[read] first sync: exit {code}, {sum(calls.values()):,} calls ({time.monotonic() - started:.0f}s)")
        finally:
            sb.stop()
        report(f"(a) first sync (exit {code})", calls, minimum_first, records)

    # (b) first sync dated yesterday (for its state; with --one-first-sync, it is (a)), then today's incremental sync
    sb = sandbox(yesterday)
    try:
        if args.one_first_sync:
            minimum_first = Minimum(sb, yesterday, None).all()
            log(f"[minimum] first sync: {sum(minimum_first.values()):,} calls ({time.monotonic() - started:.0f}s)")
        calls, records, state, code_y = run_read(sb, workdir, "yesterday", yesterday - timedelta(days=MAX_DAYS_BACK),
                                                 incremental=True, today=yesterday)
        log(f"[read] yesterday's first sync: exit {code_y}, {len(state)} state messages ({time.monotonic() - started:.0f}s)")
    finally:
        sb.stop()
    if args.one_first_sync:
        report(f"(a) first sync, dated {yesterday} (exit {code_y})", calls, minimum_first, records)
    sb = sandbox(today)
    try:
        minimum = Minimum(sb, today, yesterday)
        minimum_inc = minimum.all()
        calls, records, _, code = run_read(sb, workdir, "incremental", today - timedelta(days=MAX_DAYS_BACK), incremental=True, state=state)
        log(f"[read] incremental: exit {code}, {sum(calls.values()):,} calls ({time.monotonic() - started:.0f}s)")
    finally:
        sb.stop()
    report(f"(b) daily incremental sync, state from a first sync dated {yesterday} (exit {code})", calls, minimum_inc, records)
    if minimum.errors:
        print(f"\nrequests of the minimum answered with an error (1 call each): {dict(minimum.errors)}")
    print(f"\nworkdir {workdir}; {time.monotonic() - started:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
