"""Rate limit, casing, denied data access, faults, latency, CLI."""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from paycor_sandbox import Faults, Sandbox
from .helpers import Client

ROOT = Path(__file__).resolve().parents[2]
ACTIVATED = "/v1/legalentities/ActivatedLegalEntityTenantList"


def test_rate_limit_sixth_call_is_429():
    with Sandbox(employees=5, rate_limit_per_minute=5, retry_after_seconds=2) as sb:
        c = Client(sb)
        statuses = [c.get(ACTIVATED).status_code for _ in range(4)]  # + the token call = 5
        assert statuses == [200] * 4
        r = c.get(ACTIVATED)
        assert r.status_code == 429 and r.headers["Retry-After"] == "2"
        assert r.json() == {"statusCode": 429, "message": "Rate limit is exceeded. Try again in 2 seconds."}
        assert [x.status for x in sb.calls][-1] == 429 and len(sb.calls) == 6


def test_pascal_casing():
    with Sandbox(employees=30, casing="pascal") as sb:
        c = Client(sb)
        le = sb.company.legal_entities[0].id
        body = c.get(f"/v2/legalentities/{le}/employees", {"include": "All"}).json()
        assert set(body) == {"HasMoreResults", "ContinuationToken", "AdditionalResultsUrl", "Records"}
        rec = body["Records"][0]
        assert "FirstName" in rec and "HireDate" in rec["EmploymentDateData"]
        assert c.get(ACTIVATED).json()["UserLegalEntities"][0]["LegalEntityId"]
        # token endpoint and errors keep their own casing
        assert "access_token" in c.refresh().json()
        assert "Title" in c.get("/v1/legalentities/1/employees").json()


def test_denied_data_access_is_403():
    with Sandbox(employees=30) as sb0:
        le = sb0.company.legal_entities[0].id
    denied = {le: {"View Legal Entity Departments Information", "View Person SSN"}}
    with Sandbox(employees=30, denied_data_access=denied) as sb:
        c = Client(sb)
        r = c.get(f"/v2/legalentities/{le}/departments")
        assert r.status_code == 403 and "View Legal Entity Departments Information" in r.json()["Detail"]
        assert c.get(f"/v1/legalentities/{le}/departments").status_code == 403
        other = sb.company.legal_entities[1].id
        assert c.get(f"/v2/legalentities/{other}/departments").status_code == 200
        assert c.get(f"/v1/legalEntities/{le}/persons").status_code == 200
        assert c.get(f"/v1/legalEntities/{le}/persons", {"include": "SocialSecurityNumber"}).status_code == 403
        assert c.get(ACTIVATED).status_code == 200


def _fault_run(seed):
    faults = Faults(rate=0.5, modes=("500", "502", "503", "429", "error_body", "revoke_token", "truncated"), seed=seed)
    with Sandbox(employees=10, faults=faults) as sb:
        c = Client(sb)
        out = []
        for _ in range(30):
            r = c.get(ACTIVATED)
            if r.status_code == 401:
                c.refresh()
            out.append(r.status_code)
        return out, [m for _, _, m in sb.fault_log], [x.fault for x in sb.calls]


def test_faults_are_deterministic_by_seed():
    a, b, c = _fault_run(1), _fault_run(1), _fault_run(2)
    assert a == b and a != c
    assert "revoke_token" in a[1] and len(set(a[1])) >= 4


def test_each_fault_mode_shape():
    modes = {}
    for mode in ("500", "502", "503", "429", "429_no_retry_after", "truncated", "error_body", "revoke_token",
                 "reset", "expired_continuation"):
        with Sandbox(employees=700, faults=Faults(rate=1.0, modes=(mode,), seed=1), retry_after_seconds=3) as sb:
            c = Client(sb)
            le = sb.company.legal_entities[0].id
            path = f"/v2/legalentities/{le}/employees"
            try:
                kw = {}
                if mode == "expired_continuation":
                    first = c.get(path).json()
                    kw = {"continuationToken": first["continuationToken"]}
                r = c.get(path, kw)
                modes[mode] = r
            except requests.exceptions.ConnectionError as e:
                modes[mode] = e
    for m in ("500", "502", "503"):
        assert modes[m].status_code == int(m) and "CorrelationId" in modes[m].json()
    assert modes["429"].status_code == 429 and modes["429"].headers["Retry-After"] == "3"
    assert "Retry-After" not in modes["429_no_retry_after"].headers
    assert "Try again in 1 seconds" in modes["429_no_retry_after"].json()["message"]
    with pytest.raises(ValueError):
        modes["truncated"].json()
    assert modes["truncated"].status_code == 200
    eb = modes["error_body"].json()
    assert modes["error_body"].status_code == 200 and "Title" in eb and "records" not in eb
    assert modes["revoke_token"].status_code == 401 and modes["revoke_token"].content == b""
    assert isinstance(modes["reset"], requests.exceptions.ConnectionError)
    ec = modes["expired_continuation"].json()
    assert ec["records"] == [] and ec["hasMoreResults"] is False and ec["continuationToken"] is None


def test_slow_fault_and_latency():
    with Sandbox(employees=5, faults=Faults(rate=1.0, modes=("slow",), seed=1, slow_seconds=0.3),
                 latency_ms=100, jitter_ms=20) as sb:
        c = Client(sb)
        t = time.monotonic()
        r = c.get(ACTIVATED)
        assert r.status_code == 200 and time.monotonic() - t >= 0.37


def test_cli_serves_and_writes_config(tmp_path):
    cfg_path = tmp_path / "config.json"
    proc = subprocess.Popen([sys.executable, "-m", "paycor_sandbox", "--port", "0", "--employees", "40",
                             "--seed", "5", "--config-out", str(cfg_path)], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline().strip()
        assert line.startswith("http://127.0.0.1:")
        cfg = json.loads(cfg_path.read_text())
        assert cfg["base_url"] == line
        key = cfg["subscription_key"]
        r = requests.post(f"{line}/sts/v1/common/token", params={"subscription-key": key},
                          data={"grant_type": "refresh_token", **{k: cfg["credentials"][k] for k in
                                ("refresh_token", "client_id", "client_secret")}})
        assert r.status_code == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0


def test_given_custom_fields_post_without_body_or_with_an_empty_filter_then_400_and_with_body_200():
    import requests as _requests

    from paycor_sandbox import Sandbox as _Sandbox

    with _Sandbox(seed=7, employees=30) as sb:
        le = sb.company.activated_pairs()[0][0]
        token = _requests.post(f"{sb.base_url}/sts/v1/common/token", params={"subscription-key": sb.auth.subscription_key},
                               data={"grant_type": "refresh_token", "refresh_token": sb.valid_refresh_token,
                                     "client_id": sb.auth.client_id, "client_secret": sb.auth.client_secret}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}", "Ocp-Apim-Subscription-Key": sb.auth.subscription_key}
        url = f"{sb.base_url}/v1/legalentities/{le}/customfields"
        assert _requests.post(url, headers=headers).status_code == 400
        assert _requests.post(url, headers=headers, json={"filters": [{"fieldValue": "x"}]}).status_code == 400
        answer = _requests.post(url, headers=headers, json={})
        assert answer.status_code == 200
        assert len(answer.json()["records"]) == len(sb.expected_records(
            "/v1/legalentities/{legalEntityId}/customfields", method="POST", legalEntityId=le)[:100])
        assert _requests.get(url, headers=headers).status_code == 404
