"""Paycor error answers: PaycorError bodies (PascalCase on the wire) and APIM gateway bodies."""
from __future__ import annotations

import uuid

MISSING_KEY = ("Access denied due to missing subscription key. Make sure to include subscription key "
               "when making requests to an API.")
INVALID_KEY = ("Access denied due to invalid subscription key. Make sure to provide a valid key for an "
               "active subscription.")


class ApiError(Exception):
    """Raised by request handling to answer with an error status and body."""

    def __init__(self, status: int, body=None, headers: dict | None = None):
        super().__init__(status)
        self.status = status
        self.body = body           # dict (JSON), bytes, or None (empty body)
        self.headers = headers or {}


def paycor_error(title: str, detail: str | None = None, source: dict | None = None) -> dict:
    return {"CorrelationId": str(uuid.uuid4()), "Title": title, "Detail": detail, "Source": source}


def error(status: int, title: str, detail: str | None = None, source: dict | None = None) -> ApiError:
    return ApiError(status, paycor_error(title, detail, source))


def not_found(detail: str) -> ApiError:
    return error(404, "Not Found", detail)


def forbidden(detail: str) -> ApiError:
    return error(403, "Forbidden", detail)


def bad_request(detail: str, source: dict | None = None) -> ApiError:
    return error(400, "Validation Error", detail, source)


def gateway(status: int, message: str, headers: dict | None = None) -> ApiError:
    return ApiError(status, {"statusCode": status, "message": message}, headers)


def unauthorized_empty() -> ApiError:
    return ApiError(401, None)
