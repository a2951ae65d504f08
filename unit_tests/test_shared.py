"""Shared parents and shared answers: what one sync reads once for several readers."""

from __future__ import annotations

import logging
import threading
import time
from datetime import date
from typing import Any, List

import requests
from airbyte_cdk.sources.streams.call_rate import LimiterSession
from requests.adapters import BaseAdapter

from source_paycor.budget import PaycorBudget
from source_paycor.streams.answer_cache import AnswerCache, is_replayed, route_through_cache
from source_paycor.streams.parent_rows import ParentRows

BASE = "https://api.paycor.test"


class CountingAdapter(BaseAdapter):
    """Answers every request itself (status per URL), after `delay` seconds, and remembers what it was sent."""

    def __init__(self, status: int = 200, delay: float = 0.0, token: str | None = None) -> None:
        super().__init__()
        self.sent: List[str] = []
        self.status = status
        self.delay = delay
        self.token = token  # the continuation token of every answer (None: a list's only page)

    def send(self, request, **kwargs):  # type: ignore[override]
        time.sleep(self.delay)
        self.sent.append(request.url)
        response = requests.Response()
        response.status_code = self.status
        more = f', "hasMoreResults": true, "continuationToken": "{self.token}"' if self.token else ""
        response._content = f'{{"records": [{{"url": "{request.url}"}}]{more}}}'.encode()
        response.headers["Content-Type"] = "application/json"
        response.url = request.url
        response.request = request
        return response

    def close(self) -> None:
        pass


def session_with(answers: AnswerCache, adapter: CountingAdapter) -> requests.Session:
    session = requests.Session()
    session.mount(BASE + "/", adapter)
    route_through_cache(session, answers, BASE)
    return session


def test_given_two_sessions_sharing_answers_when_both_get_a_url_then_one_request_is_sent_and_the_second_is_replayed():
    answers, adapter = AnswerCache(), CountingAdapter()
    first = session_with(answers, adapter).get(BASE + "/v1/legalentities/1/payGroups?page=1")
    second = session_with(answers, adapter).get(BASE + "/v1/legalentities/1/payGroups?page=1")
    other = session_with(answers, adapter).get(BASE + "/v1/legalentities/2/payGroups")
    assert adapter.sent == [BASE + "/v1/legalentities/1/payGroups?page=1", BASE + "/v1/legalentities/2/payGroups"]
    assert second.json() == first.json() == {"records": [{"url": BASE + "/v1/legalentities/1/payGroups?page=1"}]}
    assert (is_replayed(first), is_replayed(second), is_replayed(other)) == (False, True, False)
    assert second.status_code == 200 and second.headers["content-type"] == "application/json"


def test_given_an_error_answer_when_the_url_is_asked_again_then_it_goes_to_paycor_again():
    answers, adapter = AnswerCache(), CountingAdapter(status=503)
    session = session_with(answers, adapter)
    assert [session.get(BASE + "/v1/x").status_code for _ in range(2)] == [503, 503]
    assert len(adapter.sent) == 2
    adapter.status = 200
    assert [session.get(BASE + "/v1/x").status_code for _ in range(2)] == [200, 200]
    assert len(adapter.sent) == 3


def test_given_a_list_of_several_pages_when_read_twice_then_every_page_goes_to_paycor_each_time():
    # Continuation tokens may be single-use: a replayed first page would hand the second reader a spent one.
    answers, adapter = AnswerCache(), CountingAdapter(token="t1")
    session = session_with(answers, adapter)
    for _ in range(2):
        assert not is_replayed(session.get(BASE + "/v1/legalentities/1/payGroups"))
        adapter.token = None
        assert not is_replayed(session.get(BASE + "/v1/legalentities/1/payGroups?continuationToken=t1"))
        adapter.token = "t1"
    assert len(adapter.sent) == 4


def test_given_an_answer_that_is_not_records_when_asked_again_then_it_goes_to_paycor_again():
    answers, adapter = AnswerCache(), CountingAdapter()
    session = session_with(answers, adapter)
    adapter.send = lambda request, **_: _html(request)  # type: ignore[method-assign]
    assert [session.get(BASE + "/v1/x").status_code for _ in range(2)] == [200, 200]
    assert answers.will_replay(session.prepare_request(requests.Request("GET", BASE + "/v1/x"))) is False


def _html(request):
    response = requests.Response()
    response.status_code = 200
    response._content = b"<html>proxy</html>"
    response.url = request.url
    response.request = request
    return response


def test_given_a_post_when_sent_twice_then_both_go_to_paycor():
    answers, adapter = AnswerCache(), CountingAdapter()
    session = session_with(answers, adapter)
    session.post(BASE + "/v1/legalentities/1/customfields", data="{}")
    session.post(BASE + "/v1/legalentities/1/customfields", data="{}")
    assert len(adapter.sent) == 2


def test_given_two_threads_asking_the_same_url_at_once_then_one_waits_for_the_others_answer():
    answers, adapter = AnswerCache(), CountingAdapter(delay=0.2)
    results: List[Any] = []

    def get() -> None:
        results.append(session_with(answers, adapter).get(BASE + "/v1/legalentities/1/services"))

    threads = [threading.Thread(target=get) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert not any(thread.is_alive() for thread in threads)
    assert len(adapter.sent) == 1
    assert sorted(is_replayed(result) for result in results) == [False, True, True, True]


def test_given_a_kept_answer_when_the_budget_is_asked_then_the_replay_takes_no_slot():
    answers, adapter = AnswerCache(), CountingAdapter()
    budget = PaycorBudget(1)  # one call a minute: a second slot would block
    session = LimiterSession(api_budget=budget)  # the CDK's session: its `send` draws a slot of the budget
    session.mount(BASE + "/", adapter)
    route_through_cache(session, answers, BASE)
    url = BASE + "/v1/legalentities/1/services"
    session.get(url)  # the one slot of the minute
    replays: List[requests.Response] = []
    started = time.monotonic()
    replay = threading.Thread(target=lambda: replays.append(session.get(url)), daemon=True)
    replay.start()
    replay.join(timeout=0.5)
    assert not replay.is_alive(), "the replay waited for a slot of the call budget"
    assert time.monotonic() - started < 0.4
    assert adapter.sent == [url] and is_replayed(replays[0])


def test_given_a_windowed_parent_when_a_later_reader_needs_earlier_days_then_only_those_days_are_read():
    reads: List[Any] = []

    def reader(name, legal_entity_id, span):
        reads.append((name, legal_entity_id, span))
        first = span[0] if span else date(2025, 1, 1)
        return [{"plannerId": f"{name}-{first}", "checkDate": str(first), "other": 1}]

    shared = ParentRows(reader, {"payroll_processing": ("checkDate", "plannerId")})
    late = shared.records("payroll_processing", 7, date(2026, 11, 1))
    assert late == [{"checkDate": "2026-11-01", "plannerId": "payroll_processing-2026-11-01"}]
    assert shared.records("payroll_processing", 7, date(2026, 11, 20)) == late  # later days: already read
    both = shared.records("payroll_processing", 7, date(2026, 10, 1))
    assert [row["checkDate"] for row in both] == ["2026-10-01", "2026-11-01"]
    assert reads == [
        ("payroll_processing", 7, (date(2026, 11, 1), None)),
        ("payroll_processing", 7, (date(2026, 10, 1), date(2026, 10, 31))),
    ]
    assert shared.records("payroll_processing", 7, date(2026, 10, 1)) == both
    assert len(reads) == 2


class BlockingAdapter(CountingAdapter):
    """Holds its first request until `release` is set (a call that does not answer), answers the others at once."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()
        self.holding = threading.Event()
        self._first = threading.Lock()

    def send(self, request, **kwargs):  # type: ignore[override]
        if self._first.acquire(blocking=False):
            self.holding.set()
            self.release.wait(timeout=30)
        return super().send(request, **kwargs)


def test_given_a_reader_whose_call_does_not_answer_when_another_asks_the_same_url_then_it_waits_a_bounded_time(caplog):
    answers, adapter = AnswerCache(), BlockingAdapter()
    url = BASE + "/v1/legalentities/1/services"
    first = threading.Thread(target=lambda: session_with(answers, adapter).get(url, timeout=0.1), daemon=True)
    first.start()
    assert adapter.holding.wait(timeout=5)  # the first reader's call is out, the URL's lock held
    started = time.monotonic()
    second = session_with(answers, adapter).get(url, timeout=0.1)  # waits at most 2 × 0.1 s, then asks itself
    waited = time.monotonic() - started
    adapter.release.set()
    first.join(timeout=10)
    assert not first.is_alive()
    assert second.status_code == 200 and not is_replayed(second)
    assert 0.15 <= waited < 5
    assert adapter.sent == [url, url]  # the second reader's own call, then the first's, once released
    assert [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING] == [
        "A list read both as a stream and as a parent of other streams had no answer after 0.2 s; its second "
        "reader asks Paycor itself."
    ]
