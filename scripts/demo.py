#!/usr/bin/env python3
"""The demo: a Paycor sandbox on a free loopback port, then `source-paycor` spec → check → discover → read.

Every command runs the installed console script exactly as Airbyte would, and each one starts with
the configuration the previous one handed back in its CONNECTOR_CONFIG control message (Paycor
refresh tokens work once). Prints a record count per stream, and where the employee count comes from.

    python scripts/demo.py [--employees 40] [--days 14] [--seed 7] [--keep DIR]

Without `--keep` its working folder (config, catalog) is a temporary one, removed at the end.

The company is small and the date-windowed streams start `--days` back so that the whole read stays
under the sandbox's (Paycor's) 1000 calls a minute: each per-employee stream costs one call per employee.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from paycor_sandbox import Sandbox  # noqa: E402

CONNECTOR = shutil.which("source-paycor", path=str(Path(sys.executable).parent)) or "source-paycor"


def run(command: str, workdir: Path, config: dict, catalog: dict | None = None) -> tuple[list[dict], dict]:
    """Run one protocol command; returns its messages and the config to use next."""
    config_path = workdir / "config.json"
    config_path.write_text(json.dumps(config, indent=2))
    args = [CONNECTOR, command]
    if command != "spec":
        args += ["--config", str(config_path)]
    if catalog is not None:
        catalog_path = workdir / "configured_catalog.json"
        catalog_path.write_text(json.dumps(catalog, indent=2))
        args += ["--catalog", str(catalog_path)]
    completed = subprocess.run(args, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    messages = [json.loads(line) for line in completed.stdout.splitlines() if line.startswith("{")]
    errors = [m["trace"]["error"]["message"] for m in messages if m["type"] == "TRACE" and m["trace"]["type"] == "ERROR"]
    if completed.returncode != 0 or errors:
        sys.exit(f"`source-paycor {command}` failed (exit {completed.returncode}): {errors or completed.stderr[-2000:]}")
    for message in messages:
        if message["type"] == "CONTROL":
            config = message["control"]["connectorConfig"]["config"]
    (workdir / "config.json").write_text(json.dumps(config, indent=2))
    return messages, config


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=40)
    parser.add_argument("--days", type=int, default=14, help="start_date this many days back")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="keep config, catalog and output in this folder")
    options = parser.parse_args()
    workdir = options.keep or Path(tempfile.mkdtemp(prefix="paycor-demo-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        demo(options, workdir)
    finally:
        if options.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)


def demo(options: argparse.Namespace, workdir: Path) -> None:
    with Sandbox(seed=options.seed, employees=options.employees, terminated_history=1.2) as sandbox:
        terminated = len(sandbox.company.employees) - options.employees
        print(f"Paycor sandbox at {sandbox.base_url}: {len(sandbox.company.activated_pairs())} legal entities, {options.employees} "
              f"current employees and {terminated} terminated in earlier years (Paycor keeps them in its employee lists, "
              "so `employees` lists both)")
        config = {**sandbox.connector_config(), "start_date": (sandbox.today() - timedelta(days=options.days)).isoformat()}

        messages, config = run("spec", workdir, config)
        properties = next(m for m in messages if m["type"] == "SPEC")["spec"]["connectionSpecification"]["properties"]
        print(f"spec      ok: {len(properties)} settings ({', '.join(properties)})")

        messages, config = run("check", workdir, config)
        status = next(m for m in messages if m["type"] == "CONNECTION_STATUS")["connectionStatus"]
        print(f"check     {status['status']}: {status.get('message', '')}")
        if status["status"] != "SUCCEEDED":
            sys.exit(1)

        messages, config = run("discover", workdir, config)
        catalog = next(m for m in messages if m["type"] == "CATALOG")["catalog"]
        print(f"discover  ok: {len(catalog['streams'])} streams")

        configured = {
            "streams": [
                {"stream": stream, "sync_mode": "full_refresh", "destination_sync_mode": "overwrite"} for stream in catalog["streams"]
            ]
        }
        started = time.monotonic()
        messages, config = run("read", workdir, config, configured)
        elapsed = time.monotonic() - started
        counts: dict[str, int] = {stream["name"]: 0 for stream in catalog["streams"]}
        for message in messages:
            if message["type"] == "RECORD":
                counts[message["record"]["stream"]] += 1
        print(f"read      ok in {elapsed:.1f} s, {len(sandbox.calls)} calls to the sandbox in all\n")
        empty = [name for name, count in counts.items() if count == 0]
        width = max(map(len, counts))
        print(f"{'stream'.ljust(width)}  records")
        for name, count in counts.items():
            print(f"{name.ljust(width)}  {count:>7}")
        print(f"{'total'.ljust(width)}  {sum(counts.values()):>7}")
        if empty:
            print(f"\nNo records for {len(empty)} streams: the sandbox's company has none in the window, lacks the Paycor product, "
                  "or they are sensitive-only (`include_sensitive_data` is off).")
        rotations = len(sandbox.refresh_tokens_presented)
        kept = f"the latest config is in {workdir / 'config.json'}" if options.keep else "each new config went back to the next command"
        print(f"\nThe refresh token was rotated {rotations} time(s); {kept}")


if __name__ == "__main__":
    main()
