#!/usr/bin/env python
"""Per-record CPU cost of each step the connector takes, on real sandbox answers (prints numbers; not a test).

    /work/venv/bin/python bench/record_costs.py [--employees 2000] [--repeat 5]

For a few representative streams it fetches one answer from an in-process sandbox, then times, per
record and single-threaded: the JSON decode of the body (stdlib `json`, as `errors.json_body` does,
and `orjson` for comparison), the record shaping (`RecordShaper.shape`: casing, types, sensitive fields), the stream's whole
`parse_response`, and the CDK's path from a record to a stdout line (`stream_data_to_airbyte_message`
+ `AirbyteEntrypoint.airbyte_message_to_string`). The sum is a ceiling on records per CPU-second of
one core, before threads, queues and HTTP.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from pathlib import Path

import orjson
import requests

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from paycor_sandbox import Sandbox  # noqa: E402


def per_record(fn, n_records: int, repeat: int) -> float:
    """Best-of-`repeat` µs per record of `fn()` (which processes all records once)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best / n_records * 1e6


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--employees", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    import source_paycor.config as config_module
    from airbyte_cdk.entrypoint import AirbyteEntrypoint
    from airbyte_cdk.models import Level
    from airbyte_cdk.sources.message import InMemoryMessageRepository
    from airbyte_cdk.sources.utils.record_helper import stream_data_to_airbyte_message

    from source_paycor.shaping import Tally
    from source_paycor.source import build_context
    from source_paycor.streams.base import PaycorStream
    from source_paycor.streams.catalog import by_name

    low_high = config_module.NUMERIC_SETTINGS["requests_per_minute"]
    config_module.NUMERIC_SETTINGS["requests_per_minute"] = (low_high[0], low_high[1], 10**9)
    import logging

    logging.getLogger("airbyte").setLevel(logging.ERROR)
    wanted = ["employees", "persons", "employee_pay_rates", "paystubs", "punches", "general_ledger_employees"]
    rows = []
    with Sandbox(seed=7, employees=args.employees, tenants=2, legal_entities=5, rate_limit_per_minute=10**9) as sb:
        config = sb.connector_config()
        config["requests_per_minute"] = 10**9
        with open(os.devnull, "w") as devnull, contextlib.redirect_stdout(devnull):
            context = build_context(config, InMemoryMessageRepository(Level.INFO))
            headers = dict(context.authenticator.get_auth_header())
        specs = by_name()
        for name in wanted:
            if name not in specs:
                continue
            stream = PaycorStream(specs[name], context)
            with open(os.devnull, "w") as devnull, contextlib.redirect_stdout(devnull):
                piece = next(iter(stream.stream_slices()), None)
            if piece is None:
                continue
            url = stream.url_base + stream.path(stream_slice=piece)
            http = requests.get(url, params=stream.request_params(stream_slice=piece),
                                headers={**stream.request_headers(), **headers}, timeout=60)
            http.raise_for_status()
            body = http.content
            stream._local.seen_tokens, stream._local.row_keys = set(), {}  # what read_records sets per slice
            records = list(stream.parse_response(http, stream_slice=piece))
            n = len(records)
            if not n:
                continue
            raw = json.loads(body)
            raw_records = raw["records"] if isinstance(raw, dict) and "records" in raw else (raw if isinstance(raw, list) else [raw])

            def fresh_response():
                response = requests.Response()
                response._content = body
                response.status_code = 200
                return response

            def parse_all():
                stream._local.row_keys = {}
                list(stream.parse_response(fresh_response(), stream_slice=piece))

            def emit_all():
                for record in records:
                    AirbyteEntrypoint.airbyte_message_to_string(stream_data_to_airbyte_message(name, record))

            costs = {
                "json.loads": per_record(lambda: json.loads(body), n, args.repeat),
                "orjson.loads": per_record(lambda: orjson.loads(body), n, args.repeat),
                "shape": per_record(lambda: [stream._shaper.shape(r, Tally()) for r in raw_records], n, args.repeat),
                "parse_response (json+shape+ids)": per_record(parse_all, n, args.repeat),
                "CDK record→stdout line": per_record(emit_all, n, args.repeat),
            }
            total = costs["parse_response (json+shape+ids)"] + costs["CDK record→stdout line"]
            rows.append((name, n, len(body) // n, costs, total))
    keys = list(rows[0][3]) if rows else []
    print(f"µs per record, best of {args.repeat}, one thread (Python {sys.version.split()[0]})")
    print(f"  {'stream':<26}{'recs':>6}{'B/rec':>7}" + "".join(f"{k[:22]:>24}" for k in keys) + f"{'sum':>10}{'rec/s ceiling':>15}")
    for name, n, size, costs, total in rows:
        print(f"  {name:<26}{n:>6}{size:>7}" + "".join(f"{costs[k]:>24.1f}" for k in keys) + f"{total:>10.1f}{1e6 / total:>15,.0f}")
    print(json.dumps({name: {"records": n, "bytes_per_record": size, "us_per_record": {k: round(v, 2) for k, v in costs.items()},
                             "sum_us": round(total, 2)} for name, n, size, costs, total in rows}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
