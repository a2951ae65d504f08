"""CLI: python -m paycor_sandbox --port 8765 --employees 300 --seed 7 --config-out PATH [--detach --pid-file PATH]

`--config-out` creates the file's folder (`secrets/` on a fresh clone) and writes the config atomically, once the
sandbox listens. `--detach` starts the sandbox in a process of its own and returns once it listens (its config
written), printing its URL and process id (also written to `--pid-file`): `kill <pid>` stops it.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading

# How long `--detach` waits for the sandbox to listen (it builds its company first: ~1 s per 1000 employees).
DETACH_WAIT_SECONDS = 120


def write_config(path: str, config: dict) -> None:
    """The connector config, written atomically into `path`'s folder (created if absent)."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".sandbox-config-", suffix=".json")
    with os.fdopen(handle, "w") as file:
        json.dump(config, file, indent=2)
    os.replace(temporary, path)


def detach(argv: list, pid_file: str | None) -> int:
    """Run the sandbox with `argv` (without `--detach`) in a new session; return once it prints its URL."""
    child = subprocess.Popen([sys.executable, "-m", "paycor_sandbox", *argv], stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    timer = threading.Timer(DETACH_WAIT_SECONDS, child.kill)
    timer.start()
    try:
        url = child.stdout.readline().strip() if child.stdout else ""
    finally:
        timer.cancel()
    if not url:
        print(f"the sandbox did not start within {DETACH_WAIT_SECONDS} s (exit code {child.poll()})", file=sys.stderr)
        return 1
    if pid_file:
        os.makedirs(os.path.dirname(os.path.abspath(pid_file)), exist_ok=True)
        with open(pid_file, "w") as file:
            file.write(f"{child.pid}\n")
    print(f"{url} (pid {child.pid}; stop it with: kill {child.pid})", flush=True)
    return 0

from .faults import ALL_MODES, Faults
from .realism import ALL_DEVIATIONS, DEFAULT_SEED, Realism
from .sandbox import Sandbox


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m paycor_sandbox", description="Local Paycor public API sandbox")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--employees", type=int, default=300)
    ap.add_argument("--tenants", type=int, default=2)
    ap.add_argument("--legal-entities", type=int, default=3)
    ap.add_argument("--terminated-history", type=float, default=1.2,
                    help="employees terminated over past years, as a multiple of --employees (0: none)")
    ap.add_argument("--latency-ms", type=float, default=0)
    ap.add_argument("--jitter-ms", type=float, default=0)
    ap.add_argument("--rate-limit", type=int, default=1000, help="calls per minute per subscription key")
    ap.add_argument("--retry-after", type=int, default=1, help="Retry-After seconds on 429")
    ap.add_argument("--token-ttl", type=int, default=1800, help="access token lifetime in seconds")
    ap.add_argument("--fault-rate", type=float, default=0.0)
    ap.add_argument("--fault-modes", default=",".join(ALL_MODES))
    ap.add_argument("--fault-seed", type=int, default=1)
    ap.add_argument("--slow-seconds", type=float, default=5.0)
    ap.add_argument("--casing", choices=("camel", "pascal"), default="camel")
    ap.add_argument("--realistic", action="store_true",
                    help="answer like the live API, not like the document (deviations drawn per route)")
    ap.add_argument("--realism-seed", type=int, default=DEFAULT_SEED, help="seed of the per-route draw")
    ap.add_argument("--deviations", default=",".join(ALL_DEVIATIONS),
                    help="comma-separated deviations that may apply (default: all)")
    ap.add_argument("--config-out", help="write the connector config JSON here (its folder is created)")
    ap.add_argument("--detach", action="store_true", help="run in the background; return once the sandbox listens")
    ap.add_argument("--pid-file", help="with --detach: write the background sandbox's process id here")
    args = ap.parse_args(argv)
    if args.detach:
        given = list(sys.argv[1:] if argv is None else argv)
        return detach([arg for arg in given if arg != "--detach"], args.pid_file)
    faults = None
    if args.fault_rate > 0:
        faults = Faults(rate=args.fault_rate, modes=tuple(mode for mode in args.fault_modes.split(",") if mode),
                        seed=args.fault_seed, slow_seconds=args.slow_seconds)
    realistic = None
    if args.realistic:
        realistic = Realism(seed=args.realism_seed, deviations=tuple(name for name in args.deviations.split(",") if name))
    sb = Sandbox(seed=args.seed, employees=args.employees, tenants=args.tenants, legal_entities=args.legal_entities,
                 rate_limit_per_minute=args.rate_limit, access_token_ttl_seconds=args.token_ttl,
                 latency_ms=args.latency_ms, jitter_ms=args.jitter_ms, casing=args.casing, faults=faults,
                 retry_after_seconds=args.retry_after, host=args.host, port=args.port, realistic=realistic,
                 terminated_history=args.terminated_history)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    url = sb.start()
    if args.config_out:
        write_config(args.config_out, sb.connector_config())
    print(url, flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        sb.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
