"""Secrets never reach the output; transport is TLS-verified, http:// only for loopback, every call timed out.

Every run here goes through `run_connector`, which fails the test when a subscription key, client
secret, refresh token or access token appears in stdout/stderr outside a CONNECTOR_CONFIG control
message. These runs add `--debug`, faults, and a token endpoint that fails (refusals, and an endpoint
that echoes the secrets it was sent back in its error bodies). The tests run on `TODAY` (the `on_day` mark).
"""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from airbyte_cdk.models import SyncMode
from airbyte_cdk.test.catalog_builder import CatalogBuilder
from airbyte_cdk.test.entrypoint_wrapper import read as read_in_process

from paycor_sandbox import Faults, Sandbox
from source_paycor import SourcePaycor
from source_paycor.error_sentences import CLIENT_REJECTED, REFRESH_REJECTED, SUBSCRIPTION_KEY_REJECTED
from source_paycor.source import CHECK_CONNECT_TIMEOUT

from helpers import TODAY, catalog_for, data_calls, discover

pytestmark = pytest.mark.on_day(TODAY)
SOURCE = Path(__file__).resolve().parent.parent / "source_paycor"


# --- secrets ------------------------------------------------------------------------------------
def test_given_debug_flag_and_faults_when_check_discover_read_then_debug_output_but_no_secret(watched, figures):
    # Fault seed 3: 13 faults in the first 80 data calls, one of them `revoke_token` (the 53rd).
    faults = Faults(rate=0.15, modes=("500", "revoke_token", "truncated", "429", "reset", "error_body"), seed=3)
    with Sandbox(seed=7, employees=40, faults=faults, retry_after_seconds=1, today=TODAY) as sandbox:
        watched.sandboxes.append(sandbox)
        check = watched("check", sandbox.connector_config(), extra_args=("--debug",))
        assert check.connection_status["status"] == "SUCCEEDED"
        config = check.rotated_configs[-1]
        discovered = watched("discover", config, extra_args=("--debug",))
        assert discovered.returncode == 0
        config = (discovered.rotated_configs or [config])[-1]
        read = watched("read", config, catalog=catalog_for(discovered.catalog, ["departments", "employee_pay_rates"]),
                       extra_args=("--debug",))
        assert read.returncode == 0, read.errors
        injected = len(sandbox.fault_log)
    debug = [m for run in (check, discovered, read) for m in run.of_type("DEBUG")]
    debug_lines = len(debug)
    # the CDK's debug lines show every request's headers and every answer's body: the secrets in them are masked
    requests_shown = [m for m in debug if m["message"] == "Making outbound API request"]
    assert requests_shown and all("'Ocp-Apim-Subscription-Key': '****'" in m["data"]["headers"] for m in requests_shown)
    assert injected > 0
    assert any(m["message"] == "Receiving response" and m["data"].get("status") in ("401", "500", "429") for m in debug)
    figures.record("secrets_debug_runs", {"runs": sum(1 for run in (check, discovered, read) if run.of_type("DEBUG")),
                                          "debug_lines": debug_lines, "faults_injected": injected})


class _EchoTokenEndpoint(BaseHTTPRequestHandler):
    """A token endpoint that fails and echoes everything it was sent (query and form) in its error body."""

    status = 429

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        echo = f"request {self.path} with {body} and key {self.headers.get('Ocp-Apim-Subscription-Key')}"
        if self.server.status == 429:
            payload, headers = {"statusCode": 429, "message": f"Rate limit is exceeded. Try again in 1 seconds. {echo}"}, {"Retry-After": "1"}
        else:
            payload, headers = {"error": "invalid_grant", "error_description": echo}, {}
        data = json.dumps(payload).encode()
        self.send_response(self.server.status)
        for name, value in {"Content-Type": "application/json", "Content-Length": str(len(data)), **headers}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def echo_endpoint():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _EchoTokenEndpoint)
    server.status = 429
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_given_token_endpoint_failing_when_check_then_the_error_sentences_carry_no_secret(watched, echo_endpoint, figures):
    runs = []
    with Sandbox(seed=7, employees=40, today=TODAY) as sandbox:
        watched.sandboxes.append(sandbox)
        good = sandbox.connector_config()
        wrong_secret = json.loads(json.dumps(good))
        wrong_secret["credentials"]["client_secret"] = "Zx9" * 14
        for config, sentence in ((wrong_secret, CLIENT_REJECTED), ({**good, "subscription_key": "9f" * 16}, SUBSCRIPTION_KEY_REJECTED)):
            check = watched("check", config, extra_args=("--debug",))
            assert check.connection_status["status"] == "FAILED" and check.connection_status["message"] == sentence
            runs.append(check)
        spent = watched("check", good)  # rotates: `good` now holds a spent refresh token
        stale = watched("check", good, extra_args=("--debug",))
        assert stale.connection_status["status"] == "FAILED" and stale.connection_status["message"] == REFRESH_REJECTED
        runs += [spent, stale]
    # a token endpoint that echoes the subscription key, client secret and refresh token in its errors
    echo_config = {**good, "base_url": f"http://127.0.0.1:{echo_endpoint.server_port}"}
    started = time.monotonic()
    busy = watched("check", echo_config, extra_args=("--debug",), timeout=120)
    said = [e["message"] for e in busy.errors] + [s["connectionStatus"]["message"] for s in busy.of_type("CONNECTION_STATUS")]
    assert any("did not answer after 5 attempts (HTTP 429)" in message for message in said), said
    echo_endpoint.status = 400
    refused = watched("check", echo_config, extra_args=("--debug",))
    assert refused.connection_status["status"] == "FAILED" and refused.connection_status["message"] == REFRESH_REJECTED
    runs += [busy, refused]
    figures.record("secrets_token_failures", {"runs": len(runs), "echo_endpoint_seconds": round(time.monotonic() - started, 1)})


def test_given_subscription_key_with_a_line_break_inside_then_config_error_naming_the_field_and_no_fragment_of_it_printed(watched):
    with Sandbox(seed=7, employees=40, today=TODAY) as sandbox:
        watched.sandboxes.append(sandbox)
        config = watched("check", sandbox.connector_config()).rotated_configs[-1]  # a valid access token: no token call first
        key = config["subscription_key"]
        watched.watch.secrets.update({key[:16], key[16:]})  # each half is a secret too
        broken = {**config, "subscription_key": key[:16] + "\n" + key[16:]}
        check = watched("check", broken)
    assert "Traceback" not in check.stdout
    status = check.of_type("CONNECTION_STATUS")
    messages = [s["connectionStatus"]["message"] for s in status] + [e["message"] for e in check.errors]
    assert any("`subscription_key`" in message for message in messages), messages


# --- transport ----------------------------------------------------------------------------------
def test_given_connector_source_then_tls_verification_is_never_turned_off():
    pattern = re.compile(r"verify\s*=\s*False|CURL_CA_BUNDLE|REQUESTS_CA_BUNDLE|_create_unverified_context|disable_warnings|CERT_NONE")
    offenders = [f"{path.relative_to(SOURCE.parent)}:{number}" for path in SOURCE.rglob("*.py")
                 for number, line in enumerate(path.read_text().splitlines(), 1) if pattern.search(line)]
    assert not offenders, offenders
    assert list(SOURCE.rglob("*.py")), "no source found"


BASE = "https://apis.paycor.com"
CONFIG = {"subscription_key": "0123456789abcdef0123456789abcdef", "scope": "00112233445566778899aabbccddeeff",
          "credentials": {"client_id": "client-id-1234", "client_secret": "s" * 40, "refresh_token": "f" * 64}}
TOKEN = {"access_token": "a" * 40, "expires_in": 1800, "refresh_token": "r" * 64}


def _mock_paycor(requests_mock, token_answers):
    requests_mock.post(BASE + "/sts/v1/common/token", token_answers)
    requests_mock.get(BASE + "/v1/legalentities/ActivatedLegalEntityTenantList", json={"userLegalEntities": [{"legalEntityId": 11, "tenantId": 22}]})
    requests_mock.get(BASE + "/v2/legalentities/11/departments", json={"hasMoreResults": False, "records": [{"id": "d-1"}]})


def test_given_timeout_setting_when_read_then_every_call_token_call_included_is_sent_with_that_timeout(requests_mock):
    _mock_paycor(requests_mock, [{"json": TOKEN}])
    output = read_in_process(SourcePaycor(), {**CONFIG, "request_timeout_seconds": 17},
                             CatalogBuilder().with_stream("departments", SyncMode.full_refresh).build())
    assert [m.record.data["id"] for m in output.records] == ["d-1"]
    history = requests_mock.request_history
    assert [c.method for c in history].count("POST") == 1
    assert {(c.method, c.path.split("/")[-1]): c.timeout for c in history} == {
        ("POST", "token"): 17, ("GET", "activatedlegalentitytenantlist"): 17, ("GET", "departments"): 17}


def test_given_token_calls_that_time_out_when_check_then_retried_and_check_succeeds(requests_mock, monkeypatch):
    monkeypatch.setattr("source_paycor.auth.time.sleep", lambda seconds: None)
    _mock_paycor(requests_mock, [{"exc": requests.exceptions.ReadTimeout}, {"exc": requests.exceptions.ConnectTimeout}, {"json": TOKEN}])
    status = SourcePaycor().check(__import__("logging").getLogger("airbyte"), json.loads(json.dumps(CONFIG)))
    assert status.status.value == "SUCCEEDED"
    token_calls = [c for c in requests_mock.request_history if c.method == "POST"]
    # check connects within CHECK_CONNECT_TIMEOUT (issue 22: a wrong base_url answered fast), reads within 60 s
    assert len(token_calls) == 3 and all(c.timeout == (CHECK_CONNECT_TIMEOUT, 60) for c in token_calls)


def test_given_data_call_slower_than_the_timeout_when_read_then_timed_out_and_retried_not_hung(watched, figures):
    # Fault seed 22, rate 0.2: of the data calls, only the 3rd (the read's first departments call) is slow among the first 15.
    faults = Faults(rate=0.2, modes=("slow",), seed=22, slow_seconds=6)
    with Sandbox(seed=7, employees=40, faults=faults, today=TODAY) as sandbox:
        watched.sandboxes.append(sandbox)
        catalog, config = discover(watched, {**sandbox.connector_config(), "request_timeout_seconds": 5})
        started = time.monotonic()
        read = watched("read", config, catalog=catalog_for(catalog, ["departments"]), timeout=120)
        seconds = time.monotonic() - started
        slow = [c for c in data_calls(sandbox) if c.fault == "slow"]
        calls = data_calls(sandbox)
    assert read.returncode == 0, read.errors
    assert slow, "no call was slow"
    for call in slow:
        assert any(c.path == call.path and c.at > call.at and c.fault is None for c in calls), f"{call.path} not retried"
    assert len({r["legalEntityId"] for r in read.records("departments")}) == 3
    assert seconds < 60
    figures.record("transport_slow_call", {"slow_calls": len(slow), "timeout_seconds": 5, "slow_seconds": 6, "read_seconds": round(seconds, 1)})


# --- sensitive values in --debug ------------------------------------------------------------------
def test_given_debug_flag_when_sensitive_streams_read_then_debug_bodies_carry_no_sensitive_value(run_connector):
    from realism_helpers import sensitive_values

    from paycor_sandbox import Realism

    # Realistic answers that send SSNs, birth dates and account numbers unasked.
    with Sandbox(seed=7, employees=40, realistic=Realism(deviations=("unasked_sensitive",)), today=TODAY) as sandbox:
        truth = sensitive_values(sandbox)
        config = sandbox.connector_config()
        discovered = run_connector("discover", config)
        config = (discovered.rotated_configs or [config])[-1]
        names = ["persons", "employee_identifying_data", "employee_direct_deposits"]
        read = run_connector("read", config, catalog=catalog_for(discovered.catalog, names), extra_args=("--debug",))
    assert read.returncode == 0, read.errors
    bodies = [json.loads(m["data"]["body"]) for m in read.of_type("DEBUG") if m["message"] == "Receiving response" and m["data"].get("body")]
    # The answers did carry them: the debug lines show those fields, nulled.
    shown = []

    def collect(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if key.lower() in ("socialsecuritynumber", "birthdate", "unmaskedaccountnumber", "routingnumber"):
                    shown.append(item)
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    collect(bodies)
    assert len(shown) > 40 and set(shown) == {None}
    text = read.stdout + read.stderr
    assert [value for value in truth["ssns"] | truth["birth_dates"] | truth["account_numbers"] if value in text] == []
