"""Small HTTP client for the sandbox tests: token refresh, authenticated GET, page following."""
from __future__ import annotations

import json
from datetime import date

import requests


# The sandbox's day in these tests: its data (pay runs, punches, dates of every kind) are drawn around its
# `today`, so a fixed one makes them the same on every calendar day (2026-11-29 once broke a pay-run test).
TODAY = date(2026, 11, 29)


class Client:
    def __init__(self, sb):
        self.sb = sb
        self.cfg = sb.connector_config()
        self.session = requests.Session()
        self.access_token = None

    @property
    def base(self) -> str:
        return self.sb.base_url

    def refresh(self, refresh_token: str | None = None) -> requests.Response:
        creds = self.cfg["credentials"]
        r = self.session.post(
            f"{self.base}/sts/v1/common/token", params={"subscription-key": self.cfg["subscription_key"]},
            data={"grant_type": "refresh_token", "refresh_token": refresh_token or self.sb.valid_refresh_token,
                  "client_id": creds["client_id"], "client_secret": creds["client_secret"]})
        if r.status_code == 200:
            self.access_token = r.json()["access_token"]
        return r

    def headers(self) -> dict:
        if self.access_token is None:
            assert self.refresh().status_code == 200
        return {"Authorization": f"Bearer {self.access_token}",
                "Ocp-Apim-Subscription-Key": self.cfg["subscription_key"], "Accept": "application/json"}

    def get(self, path: str, params=None, **kw) -> requests.Response:
        return self.session.get(f"{self.base}{path}", params=params, headers=self.headers(), **kw)

    def pages(self, path: str, params=None) -> list[dict]:
        """Follow continuation tokens; return every page body."""
        params = list((params or {}).items()) if isinstance(params, dict) else list(params or [])
        out, seen = [], set()
        token = None
        while True:
            p = params + ([("continuationToken", token)] if token else [])
            r = self.get(path, p)
            assert r.status_code == 200, (path, r.status_code, r.text[:300])
            body = r.json()
            out.append(body)
            if not isinstance(body, dict) or "records" not in body:
                return out
            token = body.get("continuationToken")
            if not body.get("hasMoreResults") or not token:
                return out
            assert token not in seen
            seen.add(token)


class InProcess:
    """Calls `sb.app.handle` directly (no socket): a fresh access token, then authenticated GETs."""

    def __init__(self, sb):
        self.sb = sb
        key = sb.auth.subscription_key
        form = (f"grant_type=refresh_token&refresh_token={sb.valid_refresh_token}"
                f"&client_id={sb.auth.client_id}&client_secret={sb.auth.client_secret}")
        token = sb.app.handle("POST", "/sts/v1/common/token", {"subscription-key": [key]}, {}, form.encode())
        assert token.status == 200, token.body
        self.headers = {"Authorization": f"Bearer {json.loads(token.body)['access_token']}",
                        "Ocp-Apim-Subscription-Key": key}

    def get(self, path: str, params: dict | None = None):
        """The App's Response for GET path?params (params: name -> value or list of values)."""
        query = {k: (v if isinstance(v, list) else [str(v)]) for k, v in (params or {}).items()}
        return self.sb.app.handle("GET", path, query, self.headers, b"")
