"""Request pipeline, transport-free: (method, path, query, headers, body) -> Response."""
from __future__ import annotations

import json
import random
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from . import casing, errors, provider
from .context import resolve
from .paging import envelope
from .records import LazyRecords
from .results import Array, Binary, Paged, Single

TOKEN_PATH = "/sts/v1/common/token"
AUTHORIZE_PATH = "/appactivation/authorize"


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    reset: bool = False          # close the socket without answering
    fault: str | None = None


def _json(status: int, obj, headers: dict | None = None) -> Response:
    response_headers = {"Content-Type": "application/json; charset=utf-8"}
    response_headers.update(headers or {})
    return Response(status, json.dumps(obj).encode(), response_headers)


def _error_response(error: errors.ApiError) -> Response:
    if error.body is None:
        return Response(error.status, b"", dict(error.headers))
    return _json(error.status, error.body, error.headers)


def _first(query: dict, name: str):
    for key, values in query.items():
        if key.lower() == name.lower() and values:
            return values[0]
    return None


class App:
    def __init__(self, sb):
        self.sb = sb
        self._latency_rng = random.Random(sb.seed)
        self._latency_lock = threading.Lock()

    # ------------------------------------------------------------------ entry point
    def handle(self, method: str, path: str, query: dict, headers, body: bytes) -> Response:
        try:
            return self._handle(method, path, query, headers, body)
        except errors.ApiError as error:
            return _error_response(error)

    def _handle(self, method, path, query, headers, body) -> Response:
        sb = self.sb
        lp = path.lower().rstrip("/")
        if lp == AUTHORIZE_PATH and method == "GET":
            flat = {param: values[0] for param, values in query.items() if values}
            return Response(302, b"", {"Location": sb.auth.authorize(flat, sb.deny_consent)})
        key = headers.get("Ocp-Apim-Subscription-Key") or _first(query, "subscription-key")
        sb.auth.check_subscription_key(key)
        if not sb.limiter.allow(key):
            retry_after = sb.retry_after_seconds
            raise errors.gateway(429, f"Rate limit is exceeded. Try again in {retry_after} seconds.",
                                 {"Retry-After": str(retry_after)})
        if lp == TOKEN_PATH:
            if method != "POST":
                raise errors.not_found("Resource not found.")
            form = {param: values[0] for param, values in parse_qs(body.decode("utf-8", "replace"),
                                                                   keep_blank_values=True).items()}
            return _json(200, sb.auth.token(form), {"Cache-Control": "no-store"})
        sb.auth.check_bearer(headers.get("Authorization"))
        self._sleep_latency()
        has_cont = _first(query, "continuationToken") is not None
        fault = sb.injector.draw(path, has_cont)
        if fault:
            resp = self._fault(fault, method, path, query)
            if resp is not None:
                resp.fault = fault
                return resp
        resp = self._data(method, path, query, body)
        if fault == "truncated" and resp.body:
            resp.body = resp.body[: len(resp.body) // 2]
        resp.fault = fault
        return resp

    def _sleep_latency(self):
        sb = self.sb
        if not sb.latency_ms and not sb.jitter_ms:
            return
        with self._latency_lock:
            jitter = self._latency_rng.uniform(-sb.jitter_ms, sb.jitter_ms) if sb.jitter_ms else 0.0
        time.sleep(max(0.0, sb.latency_ms + jitter) / 1000.0)

    # ------------------------------------------------------------------ faults
    def _fault(self, mode: str, method, path, query) -> Response | None:
        sb = self.sb
        if mode in ("500", "502", "503"):
            titles = {"500": "Internal Server Error", "502": "Bad Gateway", "503": "Service Unavailable"}
            error = errors.error(int(mode), titles[mode], "An unexpected error occurred. Please try again.")
            if sb.realism is not None:
                match = sb.spec.match(path, method)
                error = sb.realism.error(match[0] if match else None, error)
            return _json(error.status, error.body)
        if mode == "429":
            retry_after = sb.retry_after_seconds
            return _json(429, {"statusCode": 429,
                               "message": f"Rate limit is exceeded. Try again in {retry_after} seconds."},
                         {"Retry-After": str(retry_after)})
        if mode == "429_no_retry_after":
            return _json(429, {"statusCode": 429, "message": "Rate limit is exceeded. Try again in 1 seconds."})
        if mode == "reset":
            return Response(0, reset=True)
        if mode == "slow":
            time.sleep(sb.faults.slow_seconds)
            return None
        if mode == "error_body":
            return _json(200, {"Title": "An error occurred while processing your request.",
                               "CorrelationId": errors.paycor_error("")["CorrelationId"]})
        if mode == "revoke_token":
            sb.auth.revoke_access_tokens()
            return Response(401)
        if mode == "expired_continuation":
            return _json(200, casing.apply({"hasMoreResults": False, "continuationToken": None,
                                            "additionalResultsUrl": None, "records": []}, sb.casing))
        return None  # "truncated": answered normally, then cut

    # ------------------------------------------------------------------ data
    def _data(self, method, path, query, body: bytes = b"") -> Response:
        sb = self.sb
        match = sb.spec.match(path, method) if method in ("GET", "POST") else None
        if match is None or (method == "POST" and not provider.serves(match[0])):
            raise errors.not_found(f"No resource matches {method} {path}.")
        route, params = match
        payload = _json_body(body) if method == "POST" else None
        if sb.realism is None:
            return self._answer(route, params, path, query, payload)
        proxy_page = sb.realism.proxy_page(route) or sb.realism.quoting_error(route)
        if proxy_page is not None:
            return Response(proxy_page.status, proxy_page.body, proxy_page.headers)
        try:
            return self._answer(route, params, path, query, payload)
        except errors.ApiError as error:
            raise sb.realism.error(route, error)

    def _answer(self, route, params, path, query, payload: dict | None = None) -> Response:
        sb = self.sb
        # A POST's next page, like a GET's: the same path and body, the token as a query parameter.
        token = _first(query, "continuationToken")
        lowered_query = {key.lower(): values for key,
                         values in query.items() if key.lower() not in ("continuationtoken", "subscription-key")}
        ctx = resolve(sb.company, route, params, lowered_query, sb.denied_data_access)
        ctx.body = payload
        result = provider.handle(sb, ctx)
        if isinstance(result, Binary):
            return Response(200, result.data, {"Content-Type": result.content_type})
        body = None
        if isinstance(result, Paged):
            offset = 0
            if token:
                entry = sb.continuations.lookup(token)
                if entry is None or entry[0] != path.lower().rstrip("/"):
                    raise errors.bad_request("The continuation token is invalid.", {"continuationToken": "invalid"})
                offset = entry[2]
            page = result.records.slice(offset, offset + result.page_size)
            clean = {key: values for key, values in query.items() if key.lower() not in ("continuationtoken",
                                                                                         "subscription-key")}
            body = envelope(page, path, clean, offset, len(result.records), result.page_size, sb.continuations)
            if result.url_only:
                body["continuationToken"] = None
        if sb.realism is not None:
            wire = sb.realism.answer(sb, ctx, result, body, token is not None)
            return Response(wire.status, wire.body, wire.headers)
        if isinstance(result, Single):
            return _json(200, casing.apply(result.obj, sb.casing))
        if isinstance(result, Array):
            return _json(200, casing.apply(result.records, sb.casing))
        return _json(200, casing.apply(body, sb.casing))


def _json_body(body: bytes) -> dict:
    """A POST's JSON object body; Paycor requires one (`{}` at least)."""
    try:
        payload = json.loads(body.decode("utf-8")) if body else None
    except (UnicodeDecodeError, ValueError):
        payload = None
    if not isinstance(payload, dict):
        raise errors.bad_request("A non-empty request body is required.", {"request": "A JSON object is required."})
    return payload


def all_records(result) -> list:
    if isinstance(result, Paged):
        return result.records.all()
    if isinstance(result, Array):
        return list(result.records)
    if isinstance(result, Single):
        return [result.obj]
    return []


def record_count(result) -> int:
    if isinstance(result, (Paged, Array)):
        return len(result.records)
    return 1 if isinstance(result, Single) else 0


def is_paged(result) -> bool:
    return isinstance(result, Paged)


def page_count(result) -> int:
    if isinstance(result, Paged):
        total = len(result.records)
        return max(1, -(-total // result.page_size))
    return 1


__all__ = ["App", "Response", "LazyRecords", "all_records", "is_paged", "page_count", "record_count"]
