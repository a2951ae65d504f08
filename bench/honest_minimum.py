#!/usr/bin/env python
"""Connector calls against an honest minimum, per stream and stream family (issue 18, item 4).

    .venv/bin/python bench/honest_minimum.py --employees 300
    .venv/bin/python bench/honest_minimum.py --employees 10000 --one-first-sync     # the issue's figures

What it does: starts an in-process `paycor_sandbox.Sandbox` (no rate limit), runs `source-paycor read` (as a
subprocess, through `bench/_connector.py`, which only lifts the `requests_per_minute` ceiling) for

  (a) a first sync: every stream (incremental where the connector supports it), `start_date` one year back, no state;
  (b) a daily incremental sync: a first sync dated one day earlier (the Sandbox's `today` and the connector's clock,
      moved by `paycor_sandbox/on_day.py`), then incremental reads against a Sandbox dated today from that sync's final
      states — twice: with the default `lookback_window_days` (30) and with 0, so that the lookback's cost is seen
      apart from the connector's own excess;

counts the sandbox's call log per stream, and compares it with a minimum computed here. This script imports neither
the connector (`source_paycor`, its catalog) nor the connector's reader of the documents (`paycor_openapi`): routes,
page sizes, window limits and bulk routes come from `bench/paycor_rules.py`, a hand-kept table quoting Paycor's
documented rule for each; what exists (employees with their hire, termination and rehire dates, records per request)
comes from the sandbox's company (`Sandbox.expected_size` / `expected_records` of the requests such a client makes).

The minimum (a client that knows the company could not do better for the same job):
 1. Token and activation list: 1 call each per sync (`overhead`).
 2. One call per page: ceil(records / page size), at least 1, with the documented page sizes (200 for the employee
    list, 100 elsewhere); a bare array or a single object is 1 call.
 3. One request per activated tenant or legal entity (× each value of an enumerated path parameter).
 4. No call for a legal entity without one of the stream's products (the `services` stream says, read once).
 5. Sensitive-only streams: 0 calls (the bench reads without `include_sensitive_data`, like the connector).
 6. An error answer (403, 404, 400) costs 1 call: a client cannot know without asking.
 7. Fan-outs: one request per parent record; the parent list is free when a stream of the job reads it (`employees`,
    `payroll_processing`, `pay_groups`, `labor_profiles`, `ats_accounts`, `ats_jobs`); the unpaid-worker list is no
    stream, its pages are counted (row `unpaid_worker_ids`).
 8. Bulk routes wherever the documents have one: `POST /v1/legalentities/{legalEntityId}/customfields`.
 9. Date windows: the range cut into windows of the documented maximum days. A first sync reads
    [today − 364, today + the stream's future days]; an incremental one [the previous sync's day, today + future
    days]: ZERO lookback.
10. Per-employee dated streams (`employee_hours`): windows only within the employee's employment, [hire date,
    termination date + terminated_grace_days] and [rehire date, open] (merged), cut from each span's own first day; an
    employee without a hire date gets every window of the range.
11. Per-employee streams in an incremental sync: no call for an employee terminated more than terminated_grace_days
    before the previous sync's day (unless rehired after the termination); the first sync reads everyone.
12. Pay-run fan-outs: one request per pay run of `payroll_processing` in the sync's range.
13. Full-refresh streams cost the same in the incremental sync as in the first.
14. Report Builder (family `reports`; `paycor_rules.REPORT_ROUTES`): the reporting users of the application's scope
    (`(report users)`: their pages), each user's templates (`(report templates)`: one request per user, in the user's
    legal entity), and each template — once, whichever users list it — in every activated legal entity: one call per
    100 rows, at least 1 (`report: <display name>`, the template's name as Paycor lists it; the connector names its
    streams its own way, so its report records are counted under these names by their `templateId`).

Every run writes `bench/results/honest_minimum.json` and its section of `bench/RESULTS.md` (`--no-results`: not).
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
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple

from _company import ROOT, UNLIMITED, add_company_options, company_facts, company_sandbox  # bench/_company.py: first (ROOT on sys.path)
import paycor_rules as rules  # bench/paycor_rules.py
import results  # bench/results.py
from paycor_sandbox import Sandbox

# `_connector.py` through the launcher `paycor_sandbox/on_day.py`: the connector's clock on PAYCOR_CLOCK (the day-before
# sync), or on the real clock when it is unset.
CONNECTOR = [sys.executable, str(ROOT / "paycor_sandbox" / "on_day.py"), str(ROOT / "bench" / "_connector.py")]
TOKEN_PATH = "/sts/v1/common/token"
ACTIVATION = "/v1/legalentities/activatedlegalentitytenantlist"
REPORT_USERS, REPORT_TEMPLATES, REPORT_PREFIX = "(report users)", "(report templates)", "report: "  # rule 14's names


def log(*parts: Any) -> None:
    print(*parts, file=sys.stderr, flush=True)


def day_of(value: Any) -> Optional[date]:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def cut(lo: date, hi: date, size: int) -> List[Tuple[date, date]]:
    """Consecutive inclusive windows of at most `size` days covering lo..hi.

    The same arithmetic as the connector's `source_paycor/streams/windows.py` `windows`, written again on purpose: the
    minimum must not import the connector (a bug there would then be in the expectation too; `test_bench_rules.py`
    checks that nothing of `source_paycor` is imported)."""
    out = []
    while lo <= hi:
        stop = min(lo + timedelta(days=size - 1), hi)
        out.append((lo, stop))
        lo = stop + timedelta(days=1)
    return out


# ----------------------------------------------------------------------------------------- employment
class Employment:
    """One employee's dates, as the employee list gives them."""

    def __init__(self, record: Dict[str, Any]) -> None:
        dates = record.get("employmentDateData") or {}
        self.hire = day_of(dates.get("hireDate"))
        self.termination = day_of(dates.get("terminationDate"))
        self.rehire = day_of(dates.get("reHireDate"))

    @property
    def rehired(self) -> bool:
        return self.rehire is not None and self.termination is not None and self.rehire > self.termination

    def read_in_incremental(self, previous_day: date, grace: int) -> bool:
        """Rule 11: read unless terminated more than `grace` days before the previous sync (and not rehired since)."""
        if self.termination is None or self.rehired:
            return True
        return (previous_day - self.termination).days <= grace

    def spans(self, grace: int) -> Optional[List[Tuple[date, Optional[date]]]]:
        """Rule 10: the employment spans (end None: open), merged; None without a hire date (every window)."""
        if self.hire is None:
            return None
        spans: List[Tuple[date, Optional[date]]] = []
        if self.termination is not None and self.termination >= self.hire:
            spans.append((self.hire, self.termination + timedelta(days=grace)))
            if self.rehired:
                spans.append((self.rehire, None))  # type: ignore[arg-type]
        else:
            spans.append((self.hire, None))
        merged: List[Tuple[date, Optional[date]]] = []
        for lo, hi in sorted(spans, key=lambda span: span[0]):
            if merged and (merged[-1][1] is None or lo <= merged[-1][1] + timedelta(days=1)):
                last_lo, last_hi = merged[-1]
                merged[-1] = (last_lo, None if hi is None or last_hi is None else max(last_hi, hi))
            else:
                merged.append((lo, hi))
        return merged


# ----------------------------------------------------------------------------------------- Report Builder
def truth(sb: Sandbox) -> Callable[..., list]:
    """The sandbox's records of a request (its ground truth); an error answer has none."""

    def records(template: str, query: Optional[dict] = None, **ids: Any) -> list:
        try:
            return sb.expected_records(template, query=query, **ids)
        except Exception:  # noqa: BLE001
            return []

    return records


@dataclass(frozen=True)
class Report:
    """A template of the job (rule 14): the minimum's name for it, and the user it is read as."""

    name: str
    template_id: str
    user_id: str


class ReportJob:
    """Rule 14's reporting users (id, legal entity to ask in) and their templates, as `records` (the ground truth) lists
    them for the application's `scope`."""

    def __init__(self, records: Callable[..., list], scope: str, legal_entities: List[int]) -> None:
        self.users: List[Tuple[str, int]] = []
        for user in records(rules.REPORTING_USERS.path, scope=scope):
            user_id, where = str(user.get("userId") or ""), user.get("legalEntityId")
            if user_id and user_id not in (known for known, _ in self.users):
                self.users.append((user_id, int(where) if where is not None else next(iter(legal_entities), 0)))
        self.reports: List[Report] = []
        for user_id, where in self.users:
            for template in records(rules.REPORT_IDENTIFIERS.path, legalEntityId=where, userId=user_id):
                template_id = str(template.get("templateId") or "")
                if template_id and template_id.lower() not in self.by_id():
                    name = REPORT_PREFIX + str(template.get("displayName") or template_id)
                    if name in (report.name for report in self.reports):
                        name += f" ({template_id})"
                    self.reports.append(Report(name, template_id, user_id))

    def by_id(self) -> Dict[str, str]:
        """Template id (lower case) → the minimum's name of the report."""
        return {report.template_id.lower(): report.name for report in self.reports}


def is_report(name: str) -> bool:
    return name in (REPORT_USERS, REPORT_TEMPLATES) or name.startswith(REPORT_PREFIX)


# ----------------------------------------------------------------------------------------- the minimum
class Minimum:
    """Calls per stream a client needs for the same job, from the sandbox's ground truth and bench/paycor_rules.py."""

    def __init__(self, sb: Sandbox, today: date, previous_day: Optional[date], grace: int) -> None:
        self.sb, self.today, self.grace = sb, today, grace
        self.previous_day = previous_day  # None: a first sync
        self.errors: Counter = Counter()
        self.rows = rules.by_stream()
        pairs = sb.company.activated_pairs()
        self.legal_entities = sorted({le for le, _ in pairs})
        self.tenants = sorted({tenant for _, tenant in pairs})
        services = {le: self.records("/v1/legalentities/{legalEntityId}/services", legalEntityId=le) for le in self.legal_entities}
        self.services = {le: (rows[0] if isinstance(rows, list) and rows else rows) for le, rows in services.items()}
        self._parents: Dict[Tuple[str, int], list] = {}
        self.scope = sb.auth.scope  # the application's scope: the connector's config `scope`

    # sandbox ground truth ------------------------------------------------------------------
    def pages(self, template: str, query: Optional[dict] = None, method: str = "GET", body: Optional[dict] = None,
              name: str = "", **ids: Any) -> int:
        """Rule 2 (and 6: an error answer is 1 call)."""
        try:
            count, paged = self.sb.expected_size(template, query=query, method=method, body=body, **ids)
        except Exception as error:  # noqa: BLE001
            return self.refused(name, error)
        if not paged:
            return 1
        size = rules.EMPLOYEE_LIST_PAGE_SIZE if template.lower() == rules.EMPLOYEE_LIST.lower() else rules.PAGE_SIZE
        return max(1, -(-count // size))

    def refused(self, name: str, error: Exception) -> int:
        """Rule 6: an error answer costs 1 call (counted by request and status)."""
        self.errors[f"{name}:{getattr(error, 'status', type(error).__name__)}"] += 1
        return 1

    def records(self, template: str, query: Optional[dict] = None, **ids: Any) -> list:
        return truth(self.sb)(template, query=query, **ids)

    # ranges ----------------------------------------------------------------------------------
    def first_day(self) -> date:
        """Rule 9: one year back in a first sync, the previous sync's day (zero lookback) in an incremental one."""
        floor = self.today - timedelta(days=rules.MAX_DAYS_BACK)
        return floor if self.previous_day is None else max(floor, self.previous_day)

    def range_of(self, row: rules.Row) -> Tuple[date, date]:
        assert row.window is not None
        return self.first_day(), self.today + timedelta(days=row.window.future_days)

    def windows(self, row: rules.Row, employment: Optional[Employment] = None) -> List[Tuple[date, date]]:
        assert row.window is not None
        lo, hi = self.range_of(row)
        spans = employment.spans(self.grace) if (row.employment_windows and employment is not None) else None
        if spans is None:
            return cut(lo, hi, row.window.max_days)
        out: List[Tuple[date, date]] = []
        for start, end in spans:  # rule 10: each span cut from its own first day
            a, b = max(lo, start), hi if end is None else min(hi, end)
            if a <= b:
                out += cut(a, b, row.window.max_days)
        return out

    # parents -----------------------------------------------------------------------------------
    def has_product(self, row: rules.Row, le: int) -> bool:
        flags = self.services.get(le)
        return not row.products or (isinstance(flags, dict) and any(bool(flags.get(flag)) for flag in row.products))

    def base_query(self, row: rules.Row) -> Dict[str, Any]:
        query: Dict[str, Any] = {k: list(v) for k, v in row.query.items()}
        for name, days in row.dated.items():
            query[name] = (self.today + timedelta(days=days)).isoformat()
        return query

    def parent_records(self, parent: str, le: int) -> list:
        """The fan-out parent's records in one legal entity (from the sandbox)."""
        key = (parent, le)
        if key not in self._parents:
            self._parents[key] = self._parent_records(parent, le)
        return self._parents[key]

    def _parent_records(self, parent: str, le: int) -> list:
        if parent in ("employees", "unpaid_workers"):  # kept: the id and the employment dates (memory at 10,000+)
            query = {"include": ["All"], **(rules.UNPAID_QUERY if parent == "unpaid_workers" else {})}
            return [{"id": r.get("id"), "employmentDateData": r.get("employmentDateData")}
                    for r in self.records(rules.EMPLOYEE_LIST, query=query, legalEntityId=le)]
        row = self.rows[rules.PARENT_ROWS[parent]]
        if not self.has_product(row, le):
            return []
        if row.window is not None:  # pay runs in the sync's range (rule 12)
            out = []
            for lo, hi in self.windows(row):
                query = {**self.base_query(row), row.window.start_param: lo.isoformat(), row.window.end_param: hi.isoformat()}
                out += self.records(row.path, query=query, legalEntityId=le)
            return out
        if row.parent is not None:  # a parent that is itself a fan-out (ats_jobs of ats_accounts)
            out = []
            for grand in self.parent_records(row.parent, le):
                ids, query = self.fan_request(row, grand, le)
                out += [dict(r, **{name: grand.get(field) for name, field in row.fan.items()})
                        for r in self.records(row.path, query=query, **ids)]
            return out
        return self.records(row.path, query=self.base_query(row) or None, legalEntityId=le)

    def fan_request(self, row: rules.Row, parent: Dict[str, Any], le: int) -> Tuple[Dict[str, Any], Dict[str, Any]]:
        ids: Dict[str, Any] = {"legalEntityId": le} if "{legalEntityId}" in row.path else {}
        query = self.base_query(row)
        for name, field in row.fan.items():
            value: Any = parent
            for part in field.split("."):
                value = value.get(part) if isinstance(value, dict) else None
            if "{" + name + "}" in row.path:
                ids[name] = value
            else:
                query[name] = str(value)
        return ids, query

    # per stream ----------------------------------------------------------------------------------
    def stream(self, row: rules.Row) -> int:
        if row.sensitive_only:
            return 0
        if row.scope == "tenant":
            return sum(self.pages(row.path, query=self.base_query(row) or None, name=row.stream, tenantId=t) for t in self.tenants)
        return sum(self.stream_for(row, le) for le in self.legal_entities if self.has_product(row, le))

    def stream_for(self, row: rules.Row, le: int) -> int:
        if row.bulk is not None:  # rule 8
            return self.pages(row.bulk.path, method=row.bulk.method, body=dict(row.bulk.body), name=row.stream, legalEntityId=le)
        combos: List[Dict[str, Any]] = [{}]
        for name, values in row.each.items():
            combos = [dict(c, **{name: v}) for c in combos for v in values]
        total = 0
        for combo in combos:
            if row.parent is None:
                ids = {"legalEntityId": le, **{k: v for k, v in combo.items() if "{" + k + "}" in row.path}}
                total += self.windowed(row, ids, self.base_query(row))
                continue
            for parent in self.parent_records(row.parent, le):
                employment = Employment(parent) if row.per_employee else None
                if employment is not None and self.previous_day is not None \
                        and not employment.read_in_incremental(self.previous_day, self.grace):
                    continue  # rule 11
                ids, query = self.fan_request(row, parent, le)
                total += self.windowed(row, ids, query, employment)
        return total

    def windowed(self, row: rules.Row, ids: Dict[str, Any], query: Dict[str, Any], employment: Optional[Employment] = None) -> int:
        if row.window is None:
            return self.pages(row.path, query=query or None, name=row.stream, **ids)
        total = 0
        for lo, hi in self.windows(row, employment):
            q = dict(query, **{row.window.start_param: lo.isoformat(), row.window.end_param: hi.isoformat()})
            total += self.pages(row.path, query=q, name=row.stream, **ids)
        return total

    # Report Builder (rule 14) ------------------------------------------------------------------------
    def reports(self) -> Dict[str, int]:
        job = ReportJob(self.records, self.scope, self.legal_entities)
        out = {REPORT_USERS: self.pages(rules.REPORTING_USERS.path, name=REPORT_USERS, scope=self.scope),
               REPORT_TEMPLATES: sum(self.pages(rules.REPORT_IDENTIFIERS.path, name=REPORT_TEMPLATES, legalEntityId=where, userId=user_id)
                                     for user_id, where in job.users)}
        for report in job.reports:
            out[report.name] = sum(self.report_pages(report, le) for le in self.legal_entities)
        return out

    def report_pages(self, report: Report, le: int) -> int:
        """One call per PAGE_SIZE rows of the template in the legal entity (its data sets' rows), at least 1."""
        try:
            data_sets = self.sb.expected_records(rules.TEMPLATE_DATA.path, legalEntityId=le, templateId=report.template_id,
                                                 userId=report.user_id)
        except Exception as error:  # noqa: BLE001
            return self.refused(report.name, error)
        rows = sum(len(data_set.get("data") or []) for data_set in data_sets if isinstance(data_set, dict))
        return max(1, -(-rows // rules.PAGE_SIZE))

    def all(self) -> Dict[str, int]:
        out = {"(token)": 1, "(activation list)": 1}
        for row in rules.ROWS:
            out[row.stream] = self.stream(row)
        # Rule 7: the unpaid-worker list is no stream of the job; the employee list is the `employees` stream.
        out["unpaid_worker_ids"] = sum(self.pages(rules.EMPLOYEE_LIST, query=dict(rules.UNPAID_QUERY), name="unpaid_worker_ids",
                                                  legalEntityId=le) for le in self.legal_entities)
        out["employee_ids"] = 0
        out.update(self.reports())
        return out


def families(names: Iterable[str] = ()) -> Dict[str, str]:
    """The family of every row of the table, of the minimum's own names, and of the report `names` among `names`."""
    family = {row.stream: row.family for row in rules.ROWS}
    family.update({"(token)": "overhead", "(activation list)": "overhead", "employee_ids": "employee", "unpaid_worker_ids": "employee"})
    family.update({name: rules.REPORT_FAMILY for name in names if is_report(name)})
    return family


# ----------------------------------------------------------------------------------------- the connector
class StreamOf:
    """A logged call → the stream it served (by route template; the employee-list route by its query)."""

    def __init__(self, sb: Sandbox) -> None:
        self.spec = sb.spec
        legal_entities = sorted({le for le, _ in sb.company.activated_pairs()})
        self.reports = ReportJob(truth(sb), sb.auth.scope, legal_entities).by_id()  # rule 14: template id → name
        self.by_template: Dict[str, str] = {rules.REPORTING_USERS.path.lower(): REPORT_USERS,
                                            rules.REPORT_IDENTIFIERS.path.lower(): REPORT_TEMPLATES}
        self.bulk: List[Tuple[str, Any, str]] = []  # (method, path regex, stream)
        for row in rules.ROWS:
            self.by_template.setdefault(row.path.lower(), row.stream)
            if row.bulk is not None:
                pattern = re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(row.bulk.path.lower()))
                self.bulk.append((row.bulk.method.upper(), re.compile("^" + pattern + "$"), row.stream))

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
        if template == rules.EMPLOYEE_LIST.lower():
            query = {k.lower(): [str(x).lower() for x in (v if isinstance(v, list) else [v])] for k, v in (call.query or {}).items()}
            if "unpaid" in query.get("workercategory", []):
                return "unpaid_worker_ids"
            if "all" in query.get("include", []):
                return "employees"
            return "employee_ids"
        if template == rules.TEMPLATE_DATA.path.lower() and match:
            template_id = {k.lower(): v for k, v in match[1].items()}.get("templateid", "")
            return self.reports.get(template_id.lower(), "other:" + template)
        return self.by_template.get(template, "other:" + template)

    def of_record(self, stream: str, data: Dict[str, Any]) -> str:
        """The name a record is counted under: a report template's rule-14 name (by the `templateId` the connector adds
        to its report records), else its stream."""
        template_id = data.get("templateId") if isinstance(data, dict) else None
        return self.reports.get(str(template_id).lower(), stream) if template_id else stream


def run_read(sb: Sandbox, workdir: Path, label: str, start_date: date, settings: Dict[str, Any],
             state: Optional[list] = None, today: Optional[date] = None) -> Dict[str, Any]:
    """`source-paycor read` of every stream (incremental where supported): calls and records per stream, final states."""
    env = {k: v for k, v in os.environ.items() if k != "PAYCOR_CLOCK"}
    if today is not None:
        env["PAYCOR_CLOCK"] = today.isoformat()

    def config_file() -> str:
        config = sb.connector_config()  # the sandbox's currently valid (single-use) refresh token
        config.update(requests_per_minute=UNLIMITED, start_date=start_date.isoformat(), **settings)
        path = workdir / f"{label}-config.json"
        path.write_text(json.dumps(config))
        return str(path)

    discover = subprocess.run(CONNECTOR + ["discover", "--config", config_file()], capture_output=True, stdin=subprocess.DEVNULL, env=env)
    catalog = next((json.loads(line)["catalog"] for line in discover.stdout.splitlines() if line.startswith(b'{"type":"CATALOG"')), None)
    if catalog is None:
        raise SystemExit(f"discover failed: {discover.stderr[-2000:].decode(errors='replace')}")
    streams = []
    for stream in catalog["streams"]:
        mode = "incremental" if "incremental" in stream.get("supported_sync_modes", []) else "full_refresh"
        streams.append({"stream": stream, "sync_mode": mode, "destination_sync_mode": "append" if mode == "incremental" else "overwrite"})
    (workdir / f"{label}-catalog.json").write_text(json.dumps({"streams": streams}))
    args = CONNECTOR + ["read", "--config", config_file(), "--catalog", str(workdir / f"{label}-catalog.json")]
    if state is not None:
        (workdir / f"{label}-state.json").write_text(json.dumps(state))
        args += ["--state", str(workdir / f"{label}-state.json")]
    sb.reset_calls()  # discover's calls are not part of the read
    stream_of = StreamOf(sb)
    records: Counter = Counter()
    states: Dict[Any, dict] = {}
    with open(workdir / f"{label}-stderr.txt", "wb") as stderr:
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=stderr, stdin=subprocess.DEVNULL, env=env)
        for line in proc.stdout:  # type: ignore[union-attr]
            if line.startswith(b'{"type":"RECORD"'):
                record = json.loads(line)["record"]
                records[stream_of.of_record(record["stream"], record["data"])] += 1
            elif line.startswith(b'{"type":"STATE"'):
                message = json.loads(line)["state"]
                states[(message.get("type"), json.dumps(message.get("stream", {}).get("stream_descriptor")))] = message
        code = proc.wait()
    calls = Counter(stream_of(call) for call in sb.calls if call.status != 429)
    return {"calls": dict(calls), "records": dict(records), "states": list(states.values()), "exit": code}


def run_entry(label: str, short: str, read: Dict[str, Any]) -> Dict[str, Any]:
    return {"label": label, "short": short, "exit": read["exit"], "calls": read["calls"], "records": read["records"]}


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    add_company_options(ap)
    ap.add_argument("--workdir")
    ap.add_argument("--terminated-grace-days", type=int, default=rules.TERMINATED_GRACE_DAYS,
                    help="the connector's terminated_grace_days (given to the connector and used by the minimum)")
    ap.add_argument("--one-first-sync", action="store_true",
                    help="(a) is the first sync dated the day before, whose state feeds (b): one first sync instead of two "
                         "(for large companies)")
    results.add_results_option(ap)
    args = ap.parse_args(argv)
    provenance = results.provenance()  # before anything is written
    today = datetime.now(timezone.utc).date()
    yesterday = today - timedelta(days=1)
    grace = args.terminated_grace_days
    settings = {"terminated_grace_days": grace}
    workdir = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="paycor-minimum-"))
    workdir.mkdir(parents=True, exist_ok=True)
    os.environ.pop("DEPLOYMENT_MODE", None)
    started = time.monotonic()
    errors: Counter = Counter()

    def sandbox(day: date) -> Sandbox:
        sb = company_sandbox(args, day)
        sb.start()
        return sb

    def minimum(sb: Sandbox, day: date, previous: Optional[date]) -> Dict[str, int]:
        computed = Minimum(sb, day, previous, grace)
        out = computed.all()
        errors.update(computed.errors)
        log(f"[minimum] {'first' if previous is None else 'incremental'} sync dated {day}: {sum(out.values()):,} calls "
            f"({time.monotonic() - started:.0f}s)")
        return out

    syncs = []
    if not args.one_first_sync:  # (a) first sync, today
        sb = sandbox(today)
        try:
            minimum_first = minimum(sb, today, None)
            read = run_read(sb, workdir, "first", today - timedelta(days=rules.MAX_DAYS_BACK), settings)
            log(f"[read] first sync: exit {read['exit']}, {sum(read['calls'].values()):,} calls ({time.monotonic() - started:.0f}s)")
        finally:
            sb.stop()
        syncs.append({"key": "first", "title": f"(a) first sync, dated {today}, start_date {today - timedelta(days=rules.MAX_DAYS_BACK)}",
                      "minimum": minimum_first, "runs": [run_entry("connector, default config", "connector", read)]})

    # (b) a first sync dated yesterday (for its state; with --one-first-sync it is (a)), then today's incremental syncs
    sb = sandbox(yesterday)
    try:
        minimum_yesterday = minimum(sb, yesterday, None) if args.one_first_sync else None
        first = run_read(sb, workdir, "yesterday", yesterday - timedelta(days=rules.MAX_DAYS_BACK), settings, today=yesterday)
        log(f"[read] first sync dated {yesterday}: exit {first['exit']}, {len(first['states'])} states ({time.monotonic() - started:.0f}s)")
    finally:
        sb.stop()
    if minimum_yesterday is not None:
        syncs.append({"key": "first", "title": f"(a) first sync, dated {yesterday}, start_date {yesterday - timedelta(days=rules.MAX_DAYS_BACK)}",
                      "minimum": minimum_yesterday, "runs": [run_entry("connector, default config", "connector", first)]})
    sb = sandbox(today)
    try:
        minimum_incremental = minimum(sb, today, yesterday)
        runs = []
        for lookback, short in ((None, f"lookback {rules.DEFAULT_LOOKBACK_DAYS}"), (0, "lookback 0")):
            extra = dict(settings) if lookback is None else dict(settings, lookback_window_days=lookback)
            read = run_read(sb, workdir, f"incremental-{short.replace(' ', '')}", today - timedelta(days=rules.MAX_DAYS_BACK), extra,
                            state=first["states"])
            log(f"[read] incremental ({short}): exit {read['exit']}, {sum(read['calls'].values()):,} calls ({time.monotonic() - started:.0f}s)")
            label = f"connector, {'default lookback_window_days (' + str(rules.DEFAULT_LOOKBACK_DAYS) + ')' if lookback is None else 'lookback_window_days 0'}"
            runs.append(run_entry(label, short, read))
    finally:
        sb.stop()
    syncs.append({"key": "incremental", "title": f"(b) daily incremental sync, dated {today}, from the states of a first sync dated {yesterday}",
                  "minimum": minimum_incremental, "runs": runs})

    data = results.figures("honest_minimum", argv, provenance, company=company_facts(args), today=today.isoformat(), grace_days=grace,
                           families=families(name for sync in syncs for name in sync["minimum"]), syncs=syncs, minimum_errors=dict(errors), seconds=round(time.monotonic() - started))
    results.print_and_publish(data, results.honest_minimum_text, write=not args.no_results)
    print(f"\nworkdir {workdir}; {time.monotonic() - started:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
