"""Proxy and CA settings come from the environment once per session, and are honoured."""

from __future__ import annotations

import requests

from .conftest import BASE, page, read_stream

DEPARTMENTS = BASE + "/v2/legalentities/11/departments"


def test_given_https_proxy_in_environment_then_every_call_goes_through_it_without_rescanning(paycor, monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    scans = []
    real = requests.sessions.get_environ_proxies
    monkeypatch.setattr(requests.sessions, "get_environ_proxies", lambda *a, **k: scans.append(a) or real(*a, **k))
    paycor.get(DEPARTMENTS, [{"json": page([{"id": i}], token=f"t{i}")} for i in range(3)] + [{"json": page([{"id": 9}])}])
    output = read_stream("departments")
    assert len(output.records) == 4
    calls = [call for call in paycor.request_history if call.url.startswith(DEPARTMENTS)]
    assert len(calls) == 4 and all(call.proxies.get("https") == "http://proxy.example:3128" for call in calls)
    assert scans == []  # the environment was read when the session was made, not before each call


def test_given_no_proxy_naming_paycor_then_calls_go_direct(paycor, monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "apis.paycor.com")
    paycor.get(DEPARTMENTS, json=page([{"id": 1}]))
    assert len(read_stream("departments").records) == 1
    calls = [call for call in paycor.request_history if call.url.startswith(DEPARTMENTS)]
    assert calls and all("https" not in (call.proxies or {}) for call in calls)
