"""Paycor STS: subscription key, single-use refresh tokens, JWT-shaped access tokens, PKCE codes."""
from __future__ import annotations

import base64
import hashlib
import json
import random
import secrets
import string
import threading
import time
import uuid

from . import errors


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _hex(rng: random.Random, length: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(length))


class AuthService:
    def __init__(self, seed: int, activated_pairs: list, ttl_seconds: int = 1800, clock=time.time):
        rng = random.Random(f"credentials:{seed}")
        self.subscription_key = _hex(rng, 32)
        self.client_id = _hex(rng, 20)
        self.client_secret = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(40))
        self.scope = _hex(rng, 32)
        self.valid_refresh_token = _hex(rng, 64)
        self.ttl = ttl_seconds
        self.clock = clock
        self.pairs = activated_pairs
        self.refresh_tokens_presented: list[str] = []
        self._access: dict[str, float] = {}
        self._codes: dict[str, dict] = {}
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ gateway checks
    def check_subscription_key(self, key: str | None):
        if not key:
            raise errors.gateway(401, errors.MISSING_KEY)
        if key != self.subscription_key:
            raise errors.gateway(401, errors.INVALID_KEY)

    def check_bearer(self, header: str | None):
        if not header or not header.lower().startswith("bearer "):
            raise errors.unauthorized_empty()
        token = header[7:].strip()
        with self._lock:
            exp = self._access.get(token)
        if exp is None or self.clock() >= exp:
            raise errors.unauthorized_empty()

    def revoke_access_tokens(self):
        with self._lock:
            self._access.clear()

    # ------------------------------------------------------------------ token endpoint
    def token(self, form: dict) -> dict:
        """Handle a token request (form already parsed to single values). Returns the JSON body or raises."""
        grant = form.get("grant_type")
        if grant not in ("refresh_token", "authorization_code"):
            raise errors.ApiError(400, {"error": "unsupported_grant_type"})
        with self._lock:  # refreshes are serialized
            presented = form.get("refresh_token")
            if grant == "refresh_token" and presented:
                self.refresh_tokens_presented.append(presented)
            if form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret:
                raise errors.ApiError(400, {"error": "invalid_client"})
            if grant == "refresh_token":
                if not presented:
                    raise errors.ApiError(400, {"error": "invalid_request"})
                if presented != self.valid_refresh_token:
                    raise errors.ApiError(400, {"error": "invalid_grant"})
            else:
                self._redeem_code(form)
            return self._issue()

    def _issue(self) -> dict:
        now = self.clock()
        access = self._jwt(now)
        self._access[access] = now + self.ttl
        self.valid_refresh_token = secrets.token_hex(32)
        return {"access_token": access, "expires_in": self.ttl, "token_type": "Bearer",
                "refresh_token": self.valid_refresh_token}

    def _jwt(self, now: float) -> str:
        header = {"alg": "RS256", "kid": "paycor-sandbox", "typ": "JWT"}
        payload = {
            "iss": "https://hcm-demo.paycor.com/sts/v1/common", "aud": "https://apis-sandbox.paycor.com",
            "nbf": int(now), "iat": int(now), "exp": int(now + self.ttl), "jti": str(uuid.uuid4()),
            "client_id": self.client_id, "sub": self.client_id, "scope": [self.scope, "offline_access"],
            "paycor_clients": [{"ClientId": le, "CompanyId": tenant} for le, tenant in self.pairs],
        }
        return ".".join((_b64(json.dumps(header).encode()), _b64(json.dumps(payload).encode()),
                         _b64(secrets.token_bytes(256))))

    # ------------------------------------------------------------------ authorization code + PKCE
    def authorize(self, query: dict, deny: bool = False) -> str:
        """Validate an /AppActivation/Authorize request; return the redirect Location."""
        from urllib.parse import urlencode
        redirect = query.get("redirect_uri")
        if not redirect or query.get("client_id") != self.client_id:
            raise errors.bad_request("Invalid client_id or redirect_uri.")
        sep = "&" if "?" in redirect else "?"
        state = query.get("state")
        if deny:
            params = {"error": "access_denied", "error_description": "The user denied consent."}
        elif query.get("response_type") != "code":
            params = {"error": "unsupported_response_type"}
        elif query.get("code_challenge_method", "S256") != "S256" or not query.get("code_challenge"):
            params = {"error": "invalid_request", "error_description": "PKCE S256 code_challenge is required."}
        else:
            code = secrets.token_urlsafe(32)
            with self._lock:
                self._codes[code] = {"redirect_uri": redirect, "challenge": query["code_challenge"],
                                     "expires": self.clock() + 300}
            params = {"code": code}
        if state is not None:
            params["state"] = state
        return f"{redirect}{sep}{urlencode(params)}"

    def _redeem_code(self, form: dict):
        code = form.get("code")
        entry = self._codes.pop(code, None) if code else None
        if entry is None or self.clock() > entry["expires"] or form.get("redirect_uri") != entry["redirect_uri"]:
            raise errors.ApiError(400, {"error": "invalid_grant"})
        verifier = form.get("code_verifier") or ""
        if _b64(hashlib.sha256(verifier.encode()).digest()) != entry["challenge"]:
            raise errors.ApiError(400, {"error": "invalid_grant", "error_description": "PKCE verification failed."})
