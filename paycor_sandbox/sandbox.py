"""The Sandbox facade: configuration, state and the Python interface used by tests and the demo."""
from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date, datetime, timezone

from . import extras, reports, windowed  # noqa: F401  (register the windowed, payroll, report and other handlers)
from .app import App, all_records, is_paged, page_count, record_count
from .auth import AuthService
from .company import Company
from .context import resolve
from .faults import FaultInjector, Faults
from .openapi import default_spec
from .paging import ContinuationStore
from .provider import handle
from .ratelimit import RateLimiter
from .realism import Realism, RealisticAnswers
from .server import HttpServer


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    query: dict
    status: int
    headers: dict
    at: float
    fault: str | None = None


class Sandbox:
    def __init__(self, seed: int = 7, employees: int = 300, tenants: int = 2, legal_entities: int = 3,
                 rate_limit_per_minute: int = 1000, access_token_ttl_seconds: int = 1800,
                 latency_ms: float = 0, jitter_ms: float = 0, casing: str = "camel",
                 denied_data_access: dict | None = None, faults: Faults | None = None,
                 retry_after_seconds: int = 1, deny_consent: bool = False, today: date | None = None,
                 host: str = "127.0.0.1", port: int = 0, realistic: Realism | None = None,
                 terminated_history: float = 0.0):
        """`terminated_history`: employees terminated over past years, as a multiple of `employees` (Paycor keeps
        them in the employee lists); 0 here so that tests stay small, 1.2 in the CLI, the demo and the bench."""
        if casing not in ("camel", "pascal"):
            raise ValueError("casing must be 'camel' or 'pascal'")
        self.seed = seed
        self.latency_ms, self.jitter_ms = latency_ms, jitter_ms
        self.casing = casing
        self.denied_data_access = {int(legal_entity): set(items) for legal_entity, items in (denied_data_access or {}).items()}
        self.faults = faults
        self.retry_after_seconds = retry_after_seconds
        self.deny_consent = deny_consent
        self._today = today
        self.host, self.port = host, port
        self.company = Company(seed, employees, tenants, legal_entities, terminated_history)
        self.spec = default_spec()
        self.auth = AuthService(seed, self.company.activated_pairs(), access_token_ttl_seconds)
        self.limiter = RateLimiter(rate_limit_per_minute)
        self.injector = FaultInjector(faults)
        self.continuations = ContinuationStore(seed)
        # None: answers exactly as the document describes them; a Realism: as the live API writes them
        self.realism = RealisticAnswers(realistic, self.spec) if realistic is not None else None
        self.app = App(self)
        self._calls: list[Call] = []
        self._calls_lock = threading.Lock()
        self._server: HttpServer | None = None
        self.base_url: str | None = None

    def today(self) -> date:
        """The sandbox's current date (UTC), or the fixed `today` given at construction."""
        return self._today or datetime.now(timezone.utc).date()

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> str:
        if self._server is None:
            self._server = HttpServer(self, self.host, self.port)
            self._server.start()
            self.base_url = f"http://{self.host}:{self._server.port}"
        return self.base_url

    def stop(self):
        if self._server is not None:
            self._server.stop()
            self._server = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    # ------------------------------------------------------------------ credentials
    def connector_config(self) -> dict:
        return {"base_url": self.base_url, "subscription_key": self.auth.subscription_key,
                "scope": self.auth.scope,
                "credentials": {"auth_type": "oauth2.0", "client_id": self.auth.client_id,
                                "client_secret": self.auth.client_secret,
                                "refresh_token": self.auth.valid_refresh_token}}

    @property
    def refresh_tokens_presented(self) -> list:
        return list(self.auth.refresh_tokens_presented)

    @property
    def valid_refresh_token(self) -> str:
        return self.auth.valid_refresh_token

    def revoke_access_tokens(self):
        self.auth.revoke_access_tokens()

    # ------------------------------------------------------------------ call log
    def _record(self, method, path, query, status, headers, at, fault=None):
        with self._calls_lock:
            self._calls.append(Call(method, path, query, status, headers, at, fault))

    @property
    def calls(self) -> list:
        with self._calls_lock:
            return list(self._calls)

    @property
    def call_count(self) -> int:
        """How many calls the log holds (without copying it: for watchers polling a long read)."""
        with self._calls_lock:
            return len(self._calls)

    def reset_calls(self):
        with self._calls_lock:
            self._calls.clear()

    @property
    def fault_log(self) -> list:
        """(data-call number, path, mode) of every injected fault, in order."""
        return list(self.injector.log)

    # ------------------------------------------------------------------ ground truth
    def _result(self, path_template: str, path_params: dict, query: dict | None, method: str = "GET",
                body: dict | None = None):
        route = self.spec.route(path_template, method)
        params = {name: str(path_params[name]) for name in route.param_names}
        lowered = {name.lower(): (value if isinstance(value, list) else [str(value)]) for name, value in (query or {}).items()}
        ctx = resolve(self.company, route, params, lowered, self.denied_data_access)
        ctx.body = body if body is not None else ({} if method == "POST" else None)
        return handle(self, ctx)

    def expected_records(self, path_template: str, query: dict | None = None, method: str = "GET",
                         body: dict | None = None, **path_params) -> list:
        """Every record `method` path_template would return across all pages (camelCase); a POST with `body`
        (default `{}`)."""
        return all_records(self._result(path_template, path_params, query, method, body))

    def expected_pages(self, path_template: str, query: dict | None = None, method: str = "GET",
                       body: dict | None = None, **path_params) -> int:
        return page_count(self._result(path_template, path_params, query, method, body))

    def expected_size(self, path_template: str, query: dict | None = None, method: str = "GET",
                      body: dict | None = None, **path_params) -> tuple[int, bool]:
        """(records, whether the answer is a paged envelope) of `method` path_template, without building the records:
        for a client that pages by its own documented page size (`bench/honest_minimum.py`)."""
        result = self._result(path_template, path_params, query, method, body)
        return record_count(result), is_paged(result)
