"""Benchmark-only entry point: `source-paycor`, with the `requests_per_minute` ceiling lifted.

The connector caps `requests_per_minute` at Paycor's real limit (1000). The benchmark compresses time
(`--speedup F` multiplies the sandbox's limit and the connector's budget by F and divides latency by F),
so it needs budgets above 1000. Nothing else changes: the same `source_paycor.run.run()` runs.

With `PAYCOR_BENCH_PROFILE=path.prof` every thread (main, partition generator, workers) is profiled
with cProfile (timer: per-thread CPU time, so waits do not count) and the merged stats are written to that path at exit (plain `python -m cProfile`
sees the main thread only). With `PAYCOR_BENCH_TRACEMALLOC=path.txt` the run is traced with
tracemalloc and what is alive late in the run (and what grew) is written to that path.
"""

import os
import sys

import source_paycor.config as _config

_default, _low, _high = _config.NUMERIC_SETTINGS["requests_per_minute"]
_config.NUMERIC_SETTINGS["requests_per_minute"] = (_default, _low, 10**9)

from source_paycor.run import run  # noqa: E402


def _profiled(path: str) -> int:
    import cProfile
    import pstats
    import threading
    import time

    profiles = []
    lock = threading.Lock()

    def start_in_thread(*_):
        profile = cProfile.Profile(time.thread_time)
        with lock:
            profiles.append(profile)
        profile.enable()  # replaces this hook in this thread

    threading.setprofile(start_in_thread)
    main = cProfile.Profile(time.thread_time)
    profiles.append(main)
    main.enable()
    try:
        run()
    finally:
        main.disable()
        threading.setprofile(None)
        stats = None
        for profile in list(profiles):
            profile.disable()
            try:
                stats = pstats.Stats(profile) if stats is None else (stats.add(profile) or stats)
            except TypeError:  # a profile that saw no calls
                continue
        if stats is not None:
            stats.dump_stats(path)
    return 0


def _traced(path: str, every: float = 5.0) -> int:
    """tracemalloc: what is alive late in the run compared with early (written to `path` at exit)."""
    import threading
    import time
    import tracemalloc

    tracemalloc.start(8)
    snapshots = {}
    done = threading.Event()

    def sample() -> None:
        while not done.wait(every):
            snapshot = tracemalloc.take_snapshot().filter_traces((tracemalloc.Filter(False, tracemalloc.__file__),))
            snapshots.setdefault("first", snapshot)
            snapshots["last"] = snapshot
            snapshots["last_at"] = time.monotonic()

    threading.Thread(target=sample, daemon=True).start()
    try:
        run()
    finally:
        done.set()
        with open(path, "w") as out:
            last, first = snapshots.get("last"), snapshots.get("first")
            if last is not None:
                out.write("== alive in the last snapshot, by line ==\n")
                for stat in last.statistics("lineno")[:40]:
                    out.write(f"{stat}\n")
                out.write("\n== growth from the first to the last snapshot, by traceback ==\n")
                for stat in last.compare_to(first, "traceback")[:15]:
                    out.write(f"{stat}\n")
                    for line in stat.traceback.format()[-16:]:
                        out.write(f"    {line}\n")
    return 0


def _exit_cleanly_on_sigterm() -> None:
    """The benchmark stops long reads with SIGTERM: unwind the main thread so the profile is written, then exit."""
    import signal

    def stop(*_):
        raise SystemExit(143)

    signal.signal(signal.SIGTERM, stop)


if __name__ == "__main__":
    if os.environ.get("PAYCOR_BENCH_TRACEMALLOC") or os.environ.get("PAYCOR_BENCH_PROFILE"):
        _exit_cleanly_on_sigterm()
        try:
            if os.environ.get("PAYCOR_BENCH_TRACEMALLOC"):
                _traced(os.environ["PAYCOR_BENCH_TRACEMALLOC"])
            else:
                _profiled(os.environ["PAYCOR_BENCH_PROFILE"])
        except SystemExit as stop:
            sys.stdout.flush()
            os._exit(stop.code if isinstance(stop.code, int) else 1)  # worker threads would otherwise finish the sync
        sys.exit(0)
    sys.exit(run())
