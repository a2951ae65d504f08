"""Token endpoint, subscription key and bearer checks."""
from __future__ import annotations

import base64
import json
import time

import requests

from paycor_sandbox import Sandbox
from .helpers import Client


def _payload(jwt: str) -> dict:
    part = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def test_refresh_rotates_and_spent_token_is_invalid_grant():
    with Sandbox(employees=20) as sb:
        c = Client(sb)
        first = sb.valid_refresh_token
        r = c.refresh(first)
        assert r.status_code == 200
        body = r.json()
        assert body["token_type"] == "Bearer" and body["expires_in"] == 1800
        assert len(body["refresh_token"]) == 64 and int(body["refresh_token"], 16) >= 0
        assert body["refresh_token"] == sb.valid_refresh_token != first
        claims = _payload(body["access_token"])
        assert claims["exp"] > time.time()
        assert {(p["ClientId"], p["CompanyId"]) for p in claims["paycor_clients"]} == set(sb.company.activated_pairs())
        again = c.refresh(first)
        assert again.status_code == 400 and again.json() == {"error": "invalid_grant"}
        assert sb.refresh_tokens_presented == [first, first]
        unknown = c.refresh("0" * 64)
        assert unknown.status_code == 400 and unknown.json() == {"error": "invalid_grant"}
        # the new token still works once
        assert c.refresh(body["refresh_token"]).status_code == 200


def test_wrong_client_is_invalid_client():
    with Sandbox(employees=5) as sb:
        cfg = sb.connector_config()
        r = requests.post(f"{sb.base_url}/sts/v1/common/token", params={"subscription-key": cfg["subscription_key"]},
                          data={"grant_type": "refresh_token", "refresh_token": sb.valid_refresh_token,
                                "client_id": "nope", "client_secret": "nope"})
        assert r.status_code == 400 and r.json() == {"error": "invalid_client"}


def test_subscription_key_errors(sandbox):
    base = sandbox.base_url
    r = requests.get(f"{base}/v1/legalentities/ActivatedLegalEntityTenantList")
    assert r.status_code == 401
    assert r.json() == {"statusCode": 401, "message": "Access denied due to missing subscription key. Make sure to "
                        "include subscription key when making requests to an API."}
    r = requests.get(f"{base}/v1/legalentities/ActivatedLegalEntityTenantList",
                     headers={"Ocp-Apim-Subscription-Key": "f" * 32})
    assert r.status_code == 401
    assert r.json()["message"].startswith("Access denied due to invalid subscription key.")
    r = requests.post(f"{base}/sts/v1/common/token?subscription-key=bad", data={"grant_type": "refresh_token"})
    assert r.status_code == 401 and r.json()["statusCode"] == 401


def test_missing_or_unknown_bearer_is_401_empty(sandbox):
    key = sandbox.connector_config()["subscription_key"]
    url = f"{sandbox.base_url}/v1/legalentities/ActivatedLegalEntityTenantList"
    r = requests.get(url, headers={"Ocp-Apim-Subscription-Key": key})
    assert r.status_code == 401 and r.content == b""
    r = requests.get(url, params={"subscription-key": key}, headers={"Authorization": "Bearer abc"})
    assert r.status_code == 401 and r.content == b""


def test_expired_token_is_401_empty():
    with Sandbox(employees=5, access_token_ttl_seconds=1) as sb:
        c = Client(sb)
        assert c.get("/v1/legalentities/ActivatedLegalEntityTenantList").status_code == 200
        time.sleep(1.1)
        r = c.get("/v1/legalentities/ActivatedLegalEntityTenantList")
        assert r.status_code == 401 and r.content == b""
        assert c.refresh().status_code == 200
        assert c.get("/v1/legalentities/ActivatedLegalEntityTenantList").status_code == 200


def test_revoke_access_tokens():
    with Sandbox(employees=5) as sb:
        c = Client(sb)
        assert c.get("/v1/legalentities/ActivatedLegalEntityTenantList").status_code == 200
        sb.revoke_access_tokens()
        r = c.get("/v1/legalentities/ActivatedLegalEntityTenantList")
        assert r.status_code == 401 and r.content == b""


def test_calls_are_recorded_including_token_calls():
    with Sandbox(employees=5) as sb:
        c = Client(sb)
        c.get("/v1/legalentities/ActivatedLegalEntityTenantList")
        calls = sb.calls
        assert [(x.method, x.status) for x in calls] == [("POST", 200), ("GET", 200)]
        assert calls[0].path == "/sts/v1/common/token" and calls[0].query["subscription-key"]
        sb.reset_calls()
        assert sb.calls == []


def test_connector_config_shape(sandbox):
    cfg = sandbox.connector_config()
    assert cfg["base_url"] == sandbox.base_url
    assert len(cfg["subscription_key"]) == 32 and len(cfg["credentials"]["client_id"]) == 20
    assert cfg["credentials"]["auth_type"] == "oauth2.0"
    assert cfg["credentials"]["refresh_token"] == sandbox.valid_refresh_token
