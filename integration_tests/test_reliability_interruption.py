"""Interruption: a read killed with SIGKILL, then resumed as the platform resumes it, loses nothing.

The platform keeps what the connector wrote to stdout before it died and starts the next sync with
the latest STATE message of each stream. At-least-once: the records of the killed run and of the
resumed run together hold every record of an uninterrupted read (by primary key). Incremental
cursors never skip a window: what a state claims as read was delivered before it, and the resumed
run asks for every window from there on, without a gap.

The tests run on `TODAY` (the `on_day` mark): the sandbox, the in-process reads and the killed reads alike.
"""

from __future__ import annotations

import json
import signal
import subprocess
from datetime import date, timedelta

import pytest

from paycor_sandbox import Sandbox

from helpers import (
    NO_RATE_LIMIT,
    TODAY,
    ConnectorRun,
    catalog_for,
    command_args,
    connector_command,
    discover,
    identities,
    key_of,
    last_states,
    one_value,
    primary_keys,
    start_date,
)

pytestmark = pytest.mark.on_day(TODAY)
EMPLOYEES = 40
NAMES = ["departments", "tenant_employees", "employee_pay_rates", "punches", "payroll_processing", "paystubs"]
START = start_date(120)
# No lookback: a resumed sync starts on the saved day itself, so a skipped window cannot hide behind it.
SETTINGS = {"start_date": START, "lookback_window_days": 0}
# (message type, k): killed right after the k-th message of that type was read from its stdout.
KILL_POINTS = [("STATE", 1), ("STATE", 4), ("STATE", 12), ("RECORD", 150), ("RECORD", 1200)]
CURSORS = {"punches": "displayDate", "payroll_processing": "checkDate", "paystubs": "checkDate"}
WINDOW_PARAMS = {"punches": ("startDate", "endDate", "/punches"), "payroll_processing": ("fromCheckDate", "toCheckDate", "/payrollprocessing")}


def killed_read(tmp_path, config, catalog, kind: str, k: int, tag: str):
    """Start a read, kill it with SIGKILL after reading the k-th `kind` line; return what it wrote up to that line."""
    launcher, env = connector_command(TODAY)
    process = subprocess.Popen([*launcher, *command_args(tmp_path, f"kill-{tag}", "read", config, catalog)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, env=env)
    lines, seen, killed = [], 0, False
    for line in process.stdout:
        lines.append(line)
        if line.startswith("{") and json.loads(line)["type"] == kind:
            seen += 1
            if seen == k:
                process.send_signal(signal.SIGKILL)
                killed = True
                break
    process.wait(timeout=60)
    # Lines after the k-th were written later: dropping them is the same as a kill right after the k-th
    # line was written (the process writes its stdout in order), the sharpest kill point there is.
    process.stdout.read()
    stderr = process.stderr.read()
    messages = [json.loads(line) for line in lines if line.strip().startswith("{")]
    return ConnectorRun(f"read (killed after {kind} #{k})", process.returncode, "".join(lines), stderr, messages), killed


def windows_by_entity(calls, stream):
    start_param, end_param, suffix = WINDOW_PARAMS[stream]
    result = {}
    for call in calls:
        if not call.path.lower().endswith(suffix) or one_value(call.query, "continuationToken") is not None:
            continue
        legal_entity = int(call.path.split("/")[3])
        window = (date.fromisoformat(one_value(call.query, start_param)), date.fromisoformat(one_value(call.query, end_param)))
        result.setdefault(legal_entity, set()).add(window)
    return {le: sorted(windows) for le, windows in result.items()}


def saved_dates(state, stream):
    for message in state:
        if message["stream"]["stream_descriptor"]["name"] == stream:
            cursor = CURSORS[stream]
            return {entry["partition"]["legalEntityId"]: date.fromisoformat(entry["cursor"][cursor][:10])
                    for entry in message["stream"]["stream_state"].get("states", [])}
    return {}


def check_resume(clean, killed, resumed, state, keys, calls, pay_runs, first_day):
    """Everything wrong with one kill-and-resume, as sentences."""
    problems = []
    killed_ids = set(identities(killed, keys))
    # at-least-once, by primary key
    missing = set(identities(clean, keys)) - killed_ids - set(identities(resumed, keys))
    if missing:
        streams = sorted({stream for stream, _ in missing})
        problems.append(f"{len(missing)} records never delivered (streams {streams}), e.g. {sorted(missing)[:2]}")
    # a state promises what it claims: every record up to the saved day was delivered before it
    for stream, cursor in CURSORS.items():
        saved = saved_dates(state, stream)
        for record in clean.records(stream):
            legal_entity, day = record["legalEntityId"], date.fromisoformat(str(record[cursor])[:10])
            if legal_entity in saved and day <= saved[legal_entity] and (stream, key_of(record, keys[stream])) not in killed_ids:
                problems.append(f"{stream}: the state says legal entity {legal_entity} was read through {saved[legal_entity]}, "
                                f"but its record of {day} had not been emitted before that state")
                break
    # the resumed run asks for every day from the saved day on: its windows leave no gap (windows may
    # overlap: pay runs are also read whole, from the start date, as the parent of paystubs)
    for stream in WINDOW_PARAMS:
        saved = saved_dates(state, stream)
        for legal_entity, windows in windows_by_entity(calls, stream).items():
            begin = max(saved.get(legal_entity, first_day - timedelta(days=1)) + timedelta(days=1), first_day)
            reach = begin - timedelta(days=1)
            for start, end in windows:
                if end < begin:
                    continue
                if start > reach + timedelta(days=1):
                    problems.append(f"{stream} {legal_entity}: no window covers {reach + timedelta(days=1)} after resuming")
                reach = max(reach, end)
            if reach < TODAY:
                problems.append(f"{stream} {legal_entity}: read only up to {reach} after resuming")
    # paystubs: every pay run after the saved day is asked for again
    saved = saved_dates(state, "paystubs")
    asked = {(int(c.path.split("/")[3]), one_value(c.query, "plannerId")) for c in calls if c.path.lower().endswith("/paystubs")}
    for legal_entity, runs in pay_runs.items():
        for planner_id, check_date in runs:
            after = saved.get(legal_entity, first_day - timedelta(days=1))
            if check_date > after and check_date >= first_day and (legal_entity, planner_id) not in asked:
                problems.append(f"paystubs: pay run {planner_id} of {check_date} (legal entity {legal_entity}) not read after resuming")
    return problems


def test_given_read_killed_at_several_points_when_resumed_with_last_states_then_every_record_and_no_window_skipped(
        watched, in_process, figures, tmp_path):
    """The killed reads run the console script in a subprocess (SIGKILL); the clean and the resumed reads
    run it in-process (same entry point, without ~1.5 s of imports each)."""
    first_day = date.fromisoformat(START)
    kills, problems = [], []
    with Sandbox(seed=7, employees=EMPLOYEES, rate_limit_per_minute=NO_RATE_LIMIT, today=TODAY) as sandbox:
        watched.sandboxes.append(sandbox)
        catalog, config = discover(watched, {**sandbox.connector_config(), **SETTINGS})
        configured = catalog_for(catalog, NAMES)
        keys = primary_keys(catalog)
        clean = in_process("read", config, catalog=configured)
        assert clean.returncode == 0, clean.errors
        assert set(clean.counts()) == set(NAMES)
        clean_ids = set(identities(clean, keys))
        clean_states = len(clean.of_type("STATE"))
        pay_runs = {}  # legal entity → {(plannerId, checkDate)}
        for run in clean.records("payroll_processing"):
            pay_runs.setdefault(run["legalEntityId"], set()).add((run["plannerId"], date.fromisoformat(run["checkDate"][:10])))

        for number, (kind, k) in enumerate(KILL_POINTS):
            killed, was_killed = killed_read(tmp_path, config, configured, kind, k, str(number))
            watched.add(killed)
            assert was_killed and killed.returncode == -signal.SIGKILL, f"the read ended before {kind} #{k}"
            state = last_states(killed.messages)
            sandbox.reset_calls()
            resumed = in_process("read", (killed.rotated_configs or [config])[-1], catalog=configured, state=state)
            assert resumed.returncode == 0, resumed.errors
            found = check_resume(clean, killed, resumed, state, keys, sandbox.calls, pay_runs, first_day)
            problems.extend(f"kill after {kind} #{k}: {problem}" for problem in found)
            killed_ids, resumed_ids = set(identities(killed, keys)), set(identities(resumed, keys))
            kills.append({"kill_after": f"{kind} #{k}", "killed_run_records": len(killed.of_type("RECORD")),
                          "killed_run_states": len(killed.of_type("STATE")), "states_resumed_from": len(state),
                          "resumed_records": len(resumed.of_type("RECORD")), "redelivered": len(killed_ids & resumed_ids),
                          "never_delivered": len(clean_ids - killed_ids - resumed_ids), "problems": len(found)})

    figures.record("interruption", {"kill_points": len(kills), "clean_records": len(clean_ids),
                                    "clean_state_messages": clean_states, "kills": kills, "problems": len(problems)})
    assert not problems, "\n".join(problems[:20])


def test_given_uninterrupted_read_then_every_state_comes_after_the_records_it_covers(watched, figures):
    """The root of at-least-once: a STATE message may only claim days whose records are already out."""
    with Sandbox(seed=7, employees=EMPLOYEES, today=TODAY) as sandbox:
        watched.sandboxes.append(sandbox)
        catalog, config = discover(watched, {**sandbox.connector_config(), **SETTINGS})
        read = watched("read", config, catalog=catalog_for(catalog, list(CURSORS)))
    assert read.returncode == 0, read.errors
    keys = primary_keys(catalog)
    emitted, early = set(), []
    for message in read.messages:
        if message["type"] == "RECORD":
            emitted.add((message["record"]["stream"], key_of(message["record"]["data"], keys[message["record"]["stream"]])))
        elif message["type"] == "STATE":
            stream = message["state"]["stream"]["stream_descriptor"]["name"]
            if stream not in CURSORS:
                continue
            saved = saved_dates([{"stream": message["state"]["stream"]}], stream)
            behind = [r for r in read.records(stream) if r["legalEntityId"] in saved
                      and date.fromisoformat(str(r[CURSORS[stream]])[:10]) <= saved[r["legalEntityId"]]
                      and (stream, key_of(r, keys[stream])) not in emitted]
            if behind:
                early.append(f"{stream}: STATE {json.dumps(saved, default=str)} came before {len(behind)} of the records it covers")
    figures.record("state_ordering", {"state_messages": len(read.of_type("STATE")), "states_ahead_of_their_records": len(early)})
    assert not early, "\n".join(early[:10])
