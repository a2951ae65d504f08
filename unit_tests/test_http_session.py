"""Proxy and CA settings come from the environment once per session, and are honoured."""

from __future__ import annotations

import requests

from .builders import BASE, page, read_stream

DEPARTMENTS = BASE + "/v2/legalentities/11/departments"


def test_given_https_proxy_in_environment_then_every_call_goes_through_it_without_rescanning(paycor, monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    scans = []
    real = requests.sessions.get_environ_proxies
    monkeypatch.setattr(requests.sessions, "get_environ_proxies", lambda *a, **k: scans.append(a) or real(*a, **k))
    scans_per_read = []
    for pages in (2, 12):
        scans.clear()
        paycor.reset_mock()
        paycor.get(DEPARTMENTS, [{"json": page([{"id": i}], token=f"t{i}")} for i in range(pages - 1)] + [{"json": page([{"id": 99}])}])
        output = read_stream("departments")
        assert len(output.records) == pages
        calls = [call for call in paycor.request_history if call.url.startswith(DEPARTMENTS)]
        assert len(calls) == pages and all(call.proxies.get("https") == "http://proxy.example:3128" for call in calls)
        scans_per_read.append(len(scans))
    # The environment is read when sessions are made, not before each call: 10 more calls, no more scans.
    assert scans_per_read[0] == scans_per_read[1]


def test_given_no_proxy_naming_paycor_then_calls_go_direct(paycor, monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "apis.paycor.com")
    paycor.get(DEPARTMENTS, json=page([{"id": 1}]))
    assert len(read_stream("departments").records) == 1
    calls = [call for call in paycor.request_history if call.url.startswith(DEPARTMENTS)]
    assert calls and all("https" not in (call.proxies or {}) for call in calls)


def test_given_ca_bundle_in_environment_then_pinned_and_an_empty_one_keeps_verification_on(monkeypatch, tmp_path):
    from source_paycor.http_session import pin_environment

    bundle = tmp_path / "ca.pem"
    bundle.write_text("")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
    assert pin_environment(requests.Session(), BASE).verify == str(bundle)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "")
    monkeypatch.setenv("CURL_CA_BUNDLE", "")
    session = pin_environment(requests.Session(), BASE)
    assert session.verify is True and session.trust_env is False


def test_given_a_pinned_session_without_proxies_then_a_call_is_prepared_as_before_with_fewer_merges(monkeypatch):
    """The session's empty parameters and proxies are not merged into each call (each merge of two dicts costs
    `requests` two runtime-protocol checks): the prepared request and its send settings are the same."""
    from source_paycor.http_session import pin_environment

    for name in ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    merges = []
    real = requests.sessions.to_key_val_list
    monkeypatch.setattr(requests.sessions, "to_key_val_list", lambda value: merges.append(value) or real(value))

    def prepared(session: requests.Session):
        merges.clear()
        request = session.prepare_request(
            requests.Request("GET", DEPARTMENTS, headers={"Accept": "application/json"}, params={"include": ["All"], "continuationToken": "t 1"})
        )
        settings = session.merge_environment_settings(request.url, {}, None, None, None)
        return (request.method, request.url, dict(request.headers), request.body, dict(settings["proxies"])), len(merges)

    plain_session = requests.Session()
    plain_session.trust_env = False
    plain, plain_merges = prepared(plain_session)
    pinned, pinned_merges = prepared(pin_environment(requests.Session(), BASE))
    assert pinned == plain
    assert plain[1] == DEPARTMENTS + "?include=All&continuationToken=t+1"
    # headers: the session's and the call's (2); parameters and proxies: none (plain: 2 + 2 more)
    assert (plain_merges, pinned_merges) == (6, 2)


def test_given_a_proxy_in_environment_then_the_pinned_session_keeps_it_for_every_call(monkeypatch):
    from source_paycor.http_session import pin_environment

    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    session = pin_environment(requests.Session(), BASE)
    settings = session.merge_environment_settings(DEPARTMENTS, {}, None, None, None)
    assert settings["proxies"]["https"] == "http://proxy.example:3128"
