"""The shared call budget: one window for every thread, and a pause for everyone after a 429."""

from __future__ import annotations

import json
import threading
import time

import requests

from source_paycor.budget import PaycorBudget


def answer(status, headers=None, body=None):
    response = requests.Response()
    response.status_code = status
    response.headers.update(headers or {})
    response._content = json.dumps(body or {}).encode()
    return response


REQUEST = requests.Request("GET", "https://apis.paycor.com/v1/x").prepare()


def test_given_budget_of_five_when_eight_threads_call_then_only_five_pass_within_the_window():
    budget = PaycorBudget(5)
    passed = []

    def call():
        budget.acquire_call(REQUEST, block=False)
        passed.append(time.monotonic())

    threads = [threading.Thread(target=lambda: _swallow(call)) for _ in range(8)]
    [t.start() for t in threads]
    [t.join(timeout=10) for t in threads]
    assert not any(t.is_alive() for t in threads)
    assert len(passed) == 5


def _swallow(fn):
    try:
        fn()
    except Exception:
        pass


def test_given_429_with_retry_after_then_every_thread_waits_that_long(monkeypatch):
    budget = PaycorBudget(1000)
    sleeps = []
    clock = [100.0]
    monkeypatch.setattr("source_paycor.budget.time.monotonic", lambda: clock[0])

    def fake_sleep(seconds):
        sleeps.append(seconds)
        clock[0] += seconds

    budget._changed.wait = fake_sleep
    budget.update_from_response(REQUEST, answer(429, {"Retry-After": "7"}))
    budget.acquire_call(REQUEST)  # the probe, after Paycor's wait
    budget.update_from_response(REQUEST, answer(200))  # it succeeded: everyone goes on
    for _ in range(3):  # no longer one probe at a time: calls go on without waiting
        budget.acquire_call(REQUEST)
    assert sleeps == [7.0]


def test_given_429_then_one_probe_at_a_time_until_a_call_succeeds():
    budget = PaycorBudget(1000)
    budget.pause(0.05)
    order = []

    def call(name):
        budget.acquire_call(REQUEST)
        order.append(name)

    probe = threading.Thread(target=call, args=("probe",))
    probe.start()
    probe.join(timeout=10)
    assert not probe.is_alive()
    others = [threading.Thread(target=call, args=(f"t{i}",)) for i in range(3)]
    [t.start() for t in others]
    really_wait(0.2)
    assert order == ["probe"]  # the others wait for the probe's answer
    budget.update_from_response(REQUEST, answer(200))
    [t.join(timeout=2) for t in others]
    assert not any(t.is_alive() for t in others)
    assert sorted(order[1:]) == ["t0", "t1", "t2"]


def test_given_429_without_retry_after_then_the_bodys_wait_else_sixty_seconds(monkeypatch):
    budget = PaycorBudget(1000)
    paused = []
    monkeypatch.setattr(PaycorBudget, "pause", lambda self, seconds: paused.append(seconds))
    budget.update_from_response(REQUEST, answer(429, body={"statusCode": 429, "message": "Rate limit is exceeded. Try again in 12 seconds."}))
    budget.update_from_response(REQUEST, answer(429, body={"message": "slow down"}))
    budget.update_from_response(REQUEST, answer(200))
    assert paused == [12.0, 60]


def test_given_calls_in_the_window_then_the_budget_holds_no_request():
    import gc
    import weakref

    budget = PaycorBudget(1000)
    request = requests.Request("GET", "https://apis.paycor.com/v1/employees/1", headers={"Authorization": "Bearer " + "x" * 1200}).prepare()
    alive = weakref.ref(request)
    budget.acquire_call(request)
    del request
    gc.collect()
    assert alive() is None  # the window counts the call without keeping the request (headers, token) for a minute


def really_wait(seconds):
    """A real wait (`conftest.no_sleep` makes `time.sleep` return at once)."""
    threading.Event().wait(seconds)


def _waiting_threads(budget, names, order):
    """Threads asking the budget for a call each; `order` gets (name, request) as each call may go."""

    def call(name):
        request = requests.Request("GET", f"https://apis.paycor.com/v1/{name}").prepare()
        budget.acquire_call(request)
        order.append((name, request))

    threads = [threading.Thread(target=call, args=(name,)) for name in names]
    [t.start() for t in threads]
    return threads


def test_given_a_probe_out_when_a_replayed_answer_or_a_straggler_succeeds_then_the_probe_goes_on_until_its_own_answer():
    from source_paycor.streams.answer_cache import REPLAYED

    budget = PaycorBudget(1000)
    straggler = requests.Request("GET", "https://apis.paycor.com/v1/straggler").prepare()
    budget.acquire_call(straggler)  # sent before the 429
    budget.pause(0.05)
    probe = requests.Request("GET", "https://apis.paycor.com/v1/probe").prepare()
    budget.acquire_call(probe)  # after the pause: the probe, alone
    order = []
    others = _waiting_threads(budget, ["t0", "t1"], order)

    replay_request = requests.Request("GET", "https://apis.paycor.com/v1/kept").prepare()
    replayed = answer(200)
    setattr(replayed, REPLAYED, True)
    budget.update_from_response(replay_request, replayed)  # a list answered from memory: no call reached Paycor
    budget.update_from_response(straggler, answer(200))  # Paycor's answer to a call sent before the 429
    really_wait(0.3)
    assert order == []  # neither ended the probe: the others still wait for its answer

    budget.update_from_response(probe, answer(200))
    [t.join(timeout=2) for t in others]
    assert not any(t.is_alive() for t in others)
    assert sorted(name for name, _ in order) == ["t0", "t1"]


def test_given_the_probe_answered_by_a_replay_then_the_next_call_probes_and_the_others_still_wait():
    from source_paycor.streams.answer_cache import REPLAYED

    budget = PaycorBudget(1000)
    budget.pause(0.0)
    probe = requests.Request("GET", "https://apis.paycor.com/v1/probe").prepare()
    budget.acquire_call(probe)
    replayed = answer(200)
    setattr(replayed, REPLAYED, True)
    budget.update_from_response(probe, replayed)  # kept meanwhile: the probe reached nobody
    order = []
    threads = _waiting_threads(budget, ["t0", "t1"], order)
    really_wait(0.3)
    assert len(order) == 1  # one call went, as the new probe; the other waits for its answer
    _, second_probe = order[0]
    budget.update_from_response(second_probe, answer(200))
    [t.join(timeout=2) for t in threads]
    assert not any(t.is_alive() for t in threads)
    assert len(order) == 2
