"""The access gate: the other slices of a (stream, legal entity) wait for its first call's answer, for a bounded time."""

from __future__ import annotations

import logging
import threading
import time

from airbyte_cdk.models import SyncMode
from airbyte_cdk.sources.message import InMemoryMessageRepository

from source_paycor.source import build_context
from source_paycor.streams.access import AccessGate
from source_paycor.streams.base import PaycorStream
from source_paycor.streams.catalog import by_name

from .builders import BASE, config, page


def _in_thread(target, *args):
    outcome: dict = {}

    def run() -> None:
        outcome["value"] = target(*args)

    thread = threading.Thread(target=run, daemon=True)  # daemon: a wait that never ends fails the test, not the run
    thread.start()
    return thread, outcome


def test_given_a_probe_that_never_answers_when_another_slice_enters_then_it_reads_after_the_patience_and_says_so(caplog):
    gate = AccessGate(patience=0.2)
    assert gate.enter("employee_hours", 11) is True  # the probe, which never settles
    started = time.monotonic()
    waiters = [_in_thread(gate.enter, "employee_hours", 11) for _ in range(2)]
    for thread, _ in waiters:
        thread.join(timeout=5)
    assert not any(thread.is_alive() for thread, _ in waiters), "a slice still waits for a probe that never answers"
    assert time.monotonic() - started < 5
    assert [outcome["value"] for _, outcome in waiters] == [False, False]  # read, without the probe's answer
    said = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert said == [
        "Stream employee_hours: the first call of legal entity 11 has not answered in 0.2 s; its other slices are read "
        "without waiting for it (a missing Data Access item then denies them one call each)."
    ]
    # The gate still works for the pair: a 403 that comes later denies its next slices.
    gate.deny("employee_hours", 11, "View Employee Hours by EmployeeId")
    assert gate.enter("employee_hours", 11) is None


def test_given_a_probe_that_answers_within_the_patience_then_the_others_wait_for_it_and_nothing_is_said(caplog):
    gate = AccessGate(patience=5.0)
    assert gate.enter("employee_hours", 11) is True
    thread, outcome = _in_thread(gate.enter, "employee_hours", 11)
    thread.join(timeout=0.2)
    assert thread.is_alive()  # waiting for the probe's answer
    gate.deny("employee_hours", 11, "View Employee Hours by EmployeeId")
    thread.join(timeout=5)
    assert not thread.is_alive() and outcome["value"] is None  # denied: skipped without a call
    assert not [r for r in caplog.records if r.levelno == logging.WARNING]


def test_given_a_probe_slice_of_two_pages_when_its_first_record_is_read_then_the_pairs_other_slices_go(paycor):
    """The probe settles with its first answer, not with its slice's last page."""
    rates = BASE + "/v1/employees/{}/payrates"
    paycor.get(rates.format("e1"), [{"json": page([{"id": "r1"}], "t1")}, {"json": page([{"id": "r2"}])}])
    paycor.get(rates.format("e2"), json=page([{"id": "r3"}]))
    stream = PaycorStream(by_name()["employee_pay_rates"], build_context(config(), InMemoryMessageRepository()))
    probe = iter(stream.read_records(SyncMode.full_refresh, stream_slice={"legalEntityId": 11, "employeeId": "e1"}))
    assert next(probe)["id"] == "r1"  # the probe's first page is read; its second is not asked for yet

    other, outcome = _in_thread(
        lambda: [r["id"] for r in stream.read_records(SyncMode.full_refresh, stream_slice={"legalEntityId": 11, "employeeId": "e2"})]
    )
    other.join(timeout=10)
    waited = other.is_alive()
    assert [r["id"] for r in probe] == ["r2"]  # (lets a waiting slice go, should it still wait)
    other.join(timeout=10)
    assert not waited, "the pair's other slice waited for the probe's whole slice, not for its first answer"
    assert outcome["value"] == ["r3"]
