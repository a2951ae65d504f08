"""Date-windowed endpoints, payroll chain and the authorization-code (PKCE) flow."""
from __future__ import annotations

import base64
import hashlib
import secrets
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from paycor_sandbox import Sandbox
from paycor_sandbox.payroll import employees_in_run, find_run
from .helpers import TODAY, Client

WINDOWED = ["/v1/legalEntities/{id}/punches", "/v2/legalEntities/{id}/punches", "/v1/legalEntities/{id}/schedules",
            "/v1/legalentities/{id}/schedulingShifts", "/v1/legalentities/{id}/timeoffrequests",
            "/v1/legalentities/{id}/unassignedpunches", "/v1/legalentities/{id}/missedPunchRequests",
            "/v1/legalentities/{id}/payItems"]


@pytest.fixture(scope="module")
def env():
    with Sandbox(seed=9, employees=200, today=TODAY) as sb:
        c = Client(sb)
        full = next(le for le in sb.company.legal_entities if le.services["performTime"])
        lean = next(le for le in sb.company.legal_entities if not le.services["performTime"])
        yield sb, c, full, lean


def _dates(obj):
    if isinstance(obj, dict):
        for v in obj.values():
            yield from _dates(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _dates(v)
    elif isinstance(obj, str) and len(obj) >= 10 and obj[4] == "-" and obj[7] == "-" and obj[:4].isdigit():
        yield date.fromisoformat(obj[:10])


@pytest.mark.parametrize("template", WINDOWED)
def test_window_rules(env, template):
    sb, c, le, _ = env
    path = template.replace("{id}", str(le.id))
    today = sb.today()
    r = c.get(path)
    assert r.status_code == 400 and r.json()["Title"]
    limit = 30 if "payItems" in template else 31 if "missedPunch" in template else 90
    too_long = {"startDate": str(today - timedelta(days=limit + 1)), "endDate": str(today)}
    r = c.get(path, too_long)
    assert r.status_code == 400 and f"no greater than {limit} days" in r.json()["Detail"]
    old = {"startDate": str(today - timedelta(days=400)), "endDate": str(today - timedelta(days=380))}
    assert c.get(path, old).status_code == 400
    if "timeoff" not in template and "schedulingShifts" not in template:  # both may be read ahead
        future = {"startDate": str(today + timedelta(days=2)), "endDate": str(today + timedelta(days=5))}
        r = c.get(path, future)
        assert r.status_code == 400 and "future" in r.json()["Detail"]
    start, end = today - timedelta(days=min(limit, 20)), today
    q = {"startDate": str(start), "endDate": str(end)}
    bodies = c.pages(path, q)
    records = [x for b in bodies for x in b["records"]]
    assert records, template
    full_template = template.replace("{id}", "{legalEntityId}")
    assert records == sb.expected_records(full_template, q, legalEntityId=le.id)
    for rec in records:
        for d in _dates(rec):
            assert start <= d <= end, (template, d)


def test_time_off_for_legal_entity_without_requests(env):
    sb, c, _, lean = env
    today = sb.today()
    r = c.get(f"/v1/legalentities/{lean.id}/timeoffrequests", {"startDate": str(today - timedelta(days=30)),
                                                               "endDate": str(today)})
    assert r.status_code == 400
    assert r.json()["Detail"] == f"Either Legal Entity ID {lean.id} is invalid or has no TimeOff requests."
    svc = c.get(f"/v1/legalentities/{lean.id}/services").json()
    assert svc["performTime"] is False and svc["timeService"] == "None"
    r = c.get(f"/v1/legalEntities/{lean.id}/punches", {"startDate": str(today - timedelta(days=3)), "endDate": str(today)})
    assert r.status_code == 400


def test_payroll_chain(env):
    sb, c, le, _ = env
    today = sb.today()
    assert c.get(f"/v1/legalentities/{le.id}/payrollProcessing").status_code == 400
    runs = [x for b in c.pages(f"/v1/legalentities/{le.id}/payrollProcessing",
                               {"fromCheckDate": str(today - timedelta(days=400))}) for x in b["records"]]
    checks = sorted(date.fromisoformat(r["checkDate"][:10]) for r in runs)
    assert checks[0] >= today - timedelta(days=400) and checks[-1] <= today + timedelta(days=14)
    assert len(runs) >= 26 and len({r["plannerId"] for r in runs}) == len(runs)
    by_group = {}
    for r in runs:
        by_group.setdefault(r["payGroup"], []).append(date.fromisoformat(r["checkDate"][:10]))
    assert set(by_group) <= {g.id for g in le.pay_groups}
    assert c.get(f"/v1/legalentities/{le.id}/paystubs").status_code == 400
    # The latest run of a pay group that has employees (which run that is moves with the calendar).
    paid = {r["plannerId"]: employees_in_run(sb.company, le, find_run(sb.seed, le, today, r["plannerId"])) for r in runs}
    run = next(r for r in reversed(runs) if paid[r["plannerId"]])
    stubs = [x for b in c.pages(f"/v1/legalentities/{le.id}/paystubs", {"plannerId": run["plannerId"], "include": "All"})
             for x in b["records"]]
    assert stubs and all(s["plannerId"] == run["plannerId"] for s in stubs)
    assert sorted(s["employeeId"] for s in stubs) == sorted(e.id for e in paid[run["plannerId"]])
    s = stubs[0]
    taxes, deds = s["taxes"]["totalTaxesAmount"], s["deductions"]["totalDeductionsAmount"]
    assert abs(s["grossAmount"] - taxes - deds - s["netAmount"]) < 0.02
    by_date = [x for b in c.pages(f"/v1/legalentities/{le.id}/paystubs", {"checkDate": run["checkDate"][:10], "include": "All"})
               for x in b["records"]]
    assert {x["employeeId"] for x in stubs} <= {x["employeeId"] for x in by_date}
    plain = c.get(f"/v1/legalentities/{le.id}/paystubs", {"plannerId": run["plannerId"]}).json()["records"][0]
    assert plain["grossAmount"] is None and plain["earnings"] is None
    emp = s["employeeId"]
    mine = c.get(f"/v1/employees/{emp}/paystubs", {"plannerId": run["plannerId"], "include": "All"}).json()["records"]
    assert len(mine) == 1 and mine[0]["grossAmount"] == s["grossAmount"]
    gl = [x for b in c.pages(f"/v1/legalentities/{le.id}/generalledger", {"plannerId": run["plannerId"]}) for x in b["records"]]
    assert abs(sum(x["debitAmount"] for x in gl) - sum(x["grossAmount"] for x in stubs)) < 0.05
    assert c.get(f"/v1/legalentities/{le.id}/generalledger", {"plannerId": "3f2504e0-4f89-41d3-9a0c-0305e82c3301"}).status_code == 404
    pd = [x for b in c.pages(f"/v1/legalentities/{le.id}/paydata", {"fromCheckDate": run["checkDate"][:10],
                                                                    "toCheckDate": run["checkDate"][:10]}) for x in b["records"]]
    assert {x["employeeId"] for x in stubs} <= {x["employeeId"] for x in pd}


def _pkce():
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def test_authorization_code_with_pkce():
    with Sandbox(employees=5) as sb:
        cfg = sb.connector_config()
        creds = cfg["credentials"]
        verifier, challenge = _pkce()
        redirect = "http://localhost:9999/callback"
        r = requests.get(f"{sb.base_url}/AppActivation/Authorize", allow_redirects=False, params={
            "client_id": creds["client_id"], "response_type": "code", "redirect_uri": redirect,
            "scope": f"{cfg['scope']} offline_access", "subscription-key": cfg["subscription_key"],
            "state": "xyz", "code_challenge": challenge, "code_challenge_method": "S256"})
        assert r.status_code == 302
        loc = urlsplit(r.headers["Location"])
        q = parse_qs(loc.query)
        assert f"{loc.scheme}://{loc.netloc}{loc.path}" == redirect and q["state"] == ["xyz"]
        code = q["code"][0]
        token_url = f"{sb.base_url}/sts/v1/common/token?subscription-key={cfg['subscription_key']}"
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect,
                "client_id": creds["client_id"], "client_secret": creds["client_secret"]}
        bad = requests.post(token_url, data={**form, "code_verifier": "wrong"})
        assert bad.status_code == 400 and bad.json()["error"] == "invalid_grant"
        # codes are single use, even after a failed verification: authorize again
        r = requests.get(f"{sb.base_url}/AppActivation/Authorize", allow_redirects=False, params={
            "client_id": creds["client_id"], "response_type": "code", "redirect_uri": redirect, "state": "s2",
            "code_challenge": challenge, "code_challenge_method": "S256"})
        code = parse_qs(urlsplit(r.headers["Location"]).query)["code"][0]
        ok = requests.post(token_url, data={**form, "code": code, "code_verifier": verifier})
        assert ok.status_code == 200 and ok.json()["refresh_token"] == sb.valid_refresh_token
        again = requests.post(token_url, data={**form, "code": code, "code_verifier": verifier})
        assert again.status_code == 400


def test_authorize_consent_denied():
    with Sandbox(employees=5, deny_consent=True) as sb:
        cfg = sb.connector_config()
        _, challenge = _pkce()
        r = requests.get(f"{sb.base_url}/AppActivation/Authorize", allow_redirects=False, params={
            "client_id": cfg["credentials"]["client_id"], "response_type": "code",
            "redirect_uri": "http://localhost/cb", "state": "q", "code_challenge": challenge,
            "code_challenge_method": "S256"})
        q = parse_qs(urlsplit(r.headers["Location"]).query)
        assert r.status_code == 302 and q["error"] == ["access_denied"] and q["state"] == ["q"]
