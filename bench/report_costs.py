#!/usr/bin/env python
"""A Report Builder report against the per-employee streams (prints numbers; not a test).

    .venv/bin/python bench/report_costs.py [--employees 1000] [--repeat 5] [--write]

1. Calls: the sandbox's "Employee Pay Rates" report (one row per employee, with pay fields) read as its stream
   (`report_employee_pay_rates`: one call per page of 100 rows per legal entity, plus 2 calls to find the template)
   beside `employee_pay_rates`, the per-employee stream that reads the same employees' pay rates (one call per
   employee, after the employee list).
2. CPU: µs per record of each stream's `parse_response` (JSON decode, rows to records, shaping) and of the CDK's
   record → stdout line, for one report page and one `employees` page (best of --repeat, one thread).

--write stores the figures in bench/results/report_costs.json and rewrites the section of bench/RESULTS.md between
`<!-- results:report_costs -->` and `<!-- /results:report_costs -->` with the text printed here.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from pathlib import Path
from typing import Any, Dict, List

import requests

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from paycor_sandbox import Sandbox  # noqa: E402

import results  # noqa: E402  (bench/results.py: the JSON and the section of RESULTS.md)
from record_costs import per_record  # noqa: E402  (best-of-N µs per record, as record_costs measures it)

REPORT = "Employee Pay Rates"


def quiet():
    return contextlib.redirect_stdout(open(os.devnull, "w"))


def measure(employees: int, repeat: int) -> Dict[str, Any]:
    import source_paycor.config as config_module
    from airbyte_cdk.entrypoint import AirbyteEntrypoint
    from airbyte_cdk.models import Level, SyncMode
    from airbyte_cdk.sources.message import InMemoryMessageRepository
    from airbyte_cdk.sources.utils.record_helper import stream_data_to_airbyte_message

    from source_paycor.reports.discovery import ReportDiscovery
    from source_paycor.reports.stream import ReportStream
    from source_paycor.source import build_context
    from source_paycor.streams.base import PaycorStream
    from source_paycor.streams.catalog import by_name

    low_high = config_module.NUMERIC_SETTINGS["requests_per_minute"]
    config_module.NUMERIC_SETTINGS["requests_per_minute"] = (low_high[0], low_high[1], 10**9)
    logging.getLogger("airbyte").setLevel(logging.ERROR)
    out: Dict[str, Any] = {"employees": employees}
    with Sandbox(seed=7, employees=employees, rate_limit_per_minute=10**9) as sb:
        config = {**sb.connector_config(), "requests_per_minute": 10**9}
        with quiet():
            context = build_context(config, InMemoryMessageRepository(Level.INFO))
            entities = context.directory.legal_entities()

        def calls_of(read) -> int:
            sb.reset_calls()
            with quiet():
                read()
            return len(sb.calls)

        # 1. calls
        found: Dict[str, Any] = {}

        def read_report() -> None:
            discovery = ReportDiscovery(context)
            template = next(t for t in discovery.templates() if t.display_name == REPORT)
            schema = discovery.schemas([template])[0][1]
            stream = found["report"] = ReportStream(template, context, schema)
            found["rows"] = sum(
                1 for piece in stream.stream_slices() for _ in stream.read_records(SyncMode.full_refresh, stream_slice=piece)
            )

        report_calls = calls_of(read_report)
        report_stream = found["report"]

        def read_per_employee() -> None:
            stream = PaycorStream(by_name()["employee_pay_rates"], context)
            found["pay_rates"] = sum(
                1 for piece in stream.stream_slices() for _ in stream.read_records(SyncMode.full_refresh, stream_slice=piece)
            )

        per_employee_calls = calls_of(read_per_employee)
        rows = found["rows"]
        out["calls"] = {
            "report_rows": rows,
            "report_calls": report_calls,
            "report_discovery_calls": 3,  # users, templates, the first page for the headers
            "legal_entities": len(entities),
            "per_employee_records": found["pay_rates"],
            "per_employee_calls": per_employee_calls,
        }

        # 2. CPU per record: one report page, one employees page
        headers = dict(context.authenticator.get_auth_header())
        employees_stream = PaycorStream(by_name()["employees"], context)
        cpu: Dict[str, Any] = {}
        for label, stream in (("report_employee_pay_rates", report_stream), ("employees", employees_stream)):
            piece = {"legalEntityId": entities[0].legal_entity_id}
            url = stream.url_base + stream.path(stream_slice=piece)
            http = requests.get(url, params=stream.request_params(stream_slice=piece),
                                headers={**stream.request_headers(), **headers}, timeout=60)
            http.raise_for_status()
            body = http.content
            stream._local.seen_tokens, stream._local.row_keys = set(), {}

            def fresh() -> requests.Response:
                response = requests.Response()
                response._content, response.status_code = body, 200
                return response

            records = list(stream.parse_response(fresh(), stream_slice=piece))
            n = len(records)

            def parse_all(stream=stream, piece=piece) -> None:
                stream._local.row_keys = {}
                list(stream.parse_response(fresh(), stream_slice=piece))

            def emit_all(records=records, label=label) -> None:
                for record in records:
                    AirbyteEntrypoint.airbyte_message_to_string(stream_data_to_airbyte_message(label, record))

            parse = per_record(parse_all, n, repeat)
            emit = per_record(emit_all, n, repeat)
            cpu[label] = {"records_per_page": n, "bytes_per_record": len(body) // n, "parse_us": round(parse, 2),
                          "emit_us": round(emit, 2), "sum_us": round(parse + emit, 2)}
        out["cpu_us_per_record"] = cpu
    return out


def render(data: Dict[str, Any]) -> str:
    """The figures' table (bench/results.py adds the header: commit, date, command)."""
    calls, cpu = data["calls"], data["cpu_us_per_record"]
    report, employees = cpu["report_employee_pay_rates"], cpu["employees"]
    lines = [
        "| | records | calls | calls per 100 records |",
        "|---|---:|---:|---:|",
        f"| `report_employee_pay_rates` (one row per employee, pay fields) | {calls['report_rows']:,} | "
        f"{calls['report_calls']:,} | {100 * calls['report_calls'] / max(calls['report_rows'], 1):.1f} |",
        f"| `employee_pay_rates` (one call per employee) | {calls['per_employee_records']:,} | "
        f"{calls['per_employee_calls']:,} | {100 * calls['per_employee_calls'] / max(calls['per_employee_records'], 1):.1f} |",
        "",
        f"The report's calls: 1 list of reporting users + 1 list of templates + 1 first page for the headers (what "
        f"`discover` spends; a read finds the template with the first 2 and takes the headers from its catalog) + "
        f"{calls['report_calls'] - calls['report_discovery_calls']} pages of 100 rows over {calls['legal_entities']} "
        "legal entities. The per-employee stream's: the employee lists (200 a page) and one call per employee.",
        "",
        "| µs per record, one thread | records per page | bytes per record | parse_response | CDK record → stdout | sum |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, row in (("report_employee_pay_rates (a report row)", report), ("employees (a record)", employees)):
        lines.append(f"| `{label.split(' ')[0]}` {label.split(' ', 1)[1]} | {row['records_per_page']} | "
                     f"{row['bytes_per_record']:,} | {row['parse_us']:.1f} | {row['emit_us']:.1f} | {row['sum_us']:.1f} |")
    return "\n".join(lines)


def main(argv: List[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--employees", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args(argv)
    measured = measure(args.employees, args.repeat)
    data = results.figures("report_costs", argv, results.provenance(), company={"employees": args.employees}, **measured)
    print(render(data))
    if args.write:
        results.publish("report_costs", data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
