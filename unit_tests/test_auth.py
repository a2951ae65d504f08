"""Paycor's token endpoint: request shape, rotation, refresh timing, refusals."""

from __future__ import annotations

import json
import threading
from datetime import timedelta

import pytest
import requests

from airbyte_cdk.models import FailureType
from airbyte_cdk.utils.datetime_helpers import ab_datetime_now
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_paycor.auth import EXPIRY_MARGIN_SECONDS, PaycorAuthenticator
from source_paycor.config import ConfigError, parse_config
from source_paycor.error_sentences import CLIENT_REJECTED, REFRESH_REJECTED, SUBSCRIPTION_KEY_REJECTED

from .builders import TOKEN_URL, config, token_answer


def authenticator(raw=None) -> PaycorAuthenticator:
    raw = raw or config()
    return PaycorAuthenticator(raw, parse_config(raw))


def test_given_refresh_token_when_refreshing_then_paycors_request_shape(requests_mock, capsys):
    requests_mock.post(TOKEN_URL, json=token_answer("access-1", "b" * 64))
    raw = config()
    auth = authenticator(raw)
    assert auth.get_access_token() == "access-1"
    call = requests_mock.request_history[0]
    assert call.method == "POST"
    assert call.qs == {"subscription-key": [raw["subscription_key"]]}
    body = dict(pair.split("=") for pair in call.text.split("&"))
    assert body == {"grant_type": "refresh_token", "refresh_token": "f" * 64, "client_id": raw["credentials"]["client_id"], "client_secret": raw["credentials"]["client_secret"]}
    assert call.headers["Content-Type"] == "application/x-www-form-urlencoded"
    # rotation: the new refresh token is in the config and handed to the platform
    assert raw["credentials"]["refresh_token"] == "b" * 64
    control = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"CONTROL"' in line]
    assert len(control) == 1
    emitted = control[0]["control"]["connectorConfig"]["config"]
    assert emitted["credentials"]["refresh_token"] == "b" * 64
    assert emitted["credentials"]["access_token"] == "access-1"
    assert emitted["subscription_key"] == raw["subscription_key"]


def test_given_token_valid_beyond_margin_when_called_then_no_refresh(requests_mock):
    raw = config()
    raw["credentials"].update(access_token="still-good", token_expiry_date=str(ab_datetime_now() + timedelta(seconds=EXPIRY_MARGIN_SECONDS + 120)))
    assert authenticator(raw).get_access_token() == "still-good"
    assert requests_mock.call_count == 0


def test_given_token_expiring_within_margin_when_called_then_refreshed_early(requests_mock):
    requests_mock.post(TOKEN_URL, json=token_answer("fresh"))
    raw = config()
    raw["credentials"].update(access_token="nearly-expired", token_expiry_date=str(ab_datetime_now() + timedelta(seconds=EXPIRY_MARGIN_SECONDS - 30)))
    assert authenticator(raw).get_access_token() == "fresh"
    assert requests_mock.call_count == 1


def test_given_many_threads_when_token_expired_then_one_refresh_and_no_token_presented_twice(requests_mock):
    counter = iter(range(1000))

    def rotate(request, context):
        n = next(counter)
        return token_answer(f"access-{n}", f"{n:064d}")

    requests_mock.post(TOKEN_URL, json=rotate)
    auth = authenticator()
    tokens = []
    threads = [threading.Thread(target=lambda: tokens.append(auth.get_access_token())) for _ in range(16)]
    [thread.start() for thread in threads]
    [thread.join(timeout=10) for thread in threads]
    assert not any(thread.is_alive() for thread in threads), "a thread still waits for the token after 10 s"
    presented = [dict(p.split("=") for p in call.text.split("&"))["refresh_token"] for call in requests_mock.request_history]
    assert len(presented) == len(set(presented)) == 1
    assert set(tokens) == {"access-0"}


@pytest.mark.parametrize(
    "status, body, message",
    [
        (400, {"error": "invalid_grant"}, REFRESH_REJECTED),
        (400, {"error": "unsupported_grant_type"}, REFRESH_REJECTED),
        (401, {"error": "unauthorized"}, REFRESH_REJECTED),
        (400, {"error": "invalid_client"}, CLIENT_REJECTED),
        (401, {"statusCode": 401, "message": "Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription."}, SUBSCRIPTION_KEY_REJECTED),
    ],
)
def test_given_refused_refresh_when_refreshing_then_config_error_once_and_never_again(requests_mock, status, body, message):
    requests_mock.post(TOKEN_URL, status_code=status, json=body)
    auth = authenticator()
    for _ in range(2):
        with pytest.raises(ConfigError) as error:
            auth.get_access_token()
        assert error.value.message == message
        assert error.value.failure_type == FailureType.config_error
    assert requests_mock.call_count == 1


def test_given_transient_token_failures_when_refreshing_then_retried_until_success(requests_mock, no_sleep):
    requests_mock.post(
        TOKEN_URL,
        [
            {"status_code": 503, "text": "busy"},
            {"exc": requests.ConnectionError("reset by peer https://apis.paycor.com/sts/v1/common/token?subscription-key=LEAK")},
            {"status_code": 429, "json": {"message": "Try again in 3 seconds."}},
            {"status_code": 200, "text": "{truncated"},
            {"json": token_answer("finally")},
        ],
    )
    assert authenticator().get_access_token() == "finally"
    assert no_sleep == [1, 2, 3.0, 8]



@pytest.mark.parametrize("answer", [
    {"json": {"statusCode": 429, "message": "Rate limit is exceeded."}},  # no "Try again in N seconds"
    {"text": ""},  # no body at all
], ids=["body-without-a-wait", "no-body"])
def test_given_token_429_without_retry_after_or_wait_in_body_when_refreshing_then_a_minute_before_each_retry(requests_mock, no_sleep, answer):
    # Kept on purpose (CHANGELOG 0.2.0): Paycor's limit is per minute, "else wait 60 s" (API_NOTES); before
    # issue 13 this call slept 1, 2, 4, 8 s while the shared budget held the retry for that minute anyway.
    requests_mock.post(TOKEN_URL, status_code=429, **answer)
    with pytest.raises(AirbyteTracedException) as error:
        authenticator().get_access_token()
    assert no_sleep == [60, 60, 60, 60]
    assert requests_mock.call_count == 5
    assert error.value.failure_type == FailureType.transient_error
    assert error.value.message == (
        "Paycor's token endpoint at `base_url` https://apis.paycor.com did not answer after 5 attempts (HTTP 429) — "
        "check `base_url` and the network, then try again."
    )


def test_given_one_token_429_without_a_wait_when_refreshing_then_one_minute_then_the_token(requests_mock, no_sleep):
    requests_mock.post(TOKEN_URL, [{"status_code": 429, "json": {"statusCode": 429, "message": "Rate limit is exceeded."}},
                                   {"json": token_answer("after-a-minute")}])
    assert authenticator().get_access_token() == "after-a-minute"
    assert no_sleep == [60]

def test_given_token_endpoint_down_when_refreshing_then_transient_error_without_secrets(requests_mock):
    requests_mock.post(TOKEN_URL, exc=requests.ConnectTimeout("https://apis.paycor.com/sts/v1/common/token?subscription-key=0123456789abcdef0123456789abcdef"))
    with pytest.raises(AirbyteTracedException) as error:
        authenticator().get_access_token()
    assert error.value.failure_type == FailureType.transient_error
    assert "did not answer after 5 attempts (ConnectTimeout while connecting)" in error.value.message
    assert "0123456789abcdef" not in error.value.message + (error.value.internal_message or "")


def test_given_short_token_lifetime_then_refreshed_a_quarter_early_not_on_every_call(requests_mock):
    counter = iter(range(100))
    requests_mock.post(TOKEN_URL, json=lambda request, context: token_answer(f"access-{next(counter)}", f"{next(counter):064d}", expires_in=60))
    auth = authenticator()
    first = auth.get_access_token()
    assert [auth.get_access_token() for _ in range(5)] == [first] * 5
    assert requests_mock.call_count == 1


def test_given_many_calls_then_expiry_parsed_once_per_token_and_again_after_a_refresh(requests_mock, monkeypatch):
    from airbyte_cdk.sources.streams.http.requests_native_auth import oauth

    parsed = []
    real_parse = oauth.ab_datetime_parse
    monkeypatch.setattr(oauth, "ab_datetime_parse", lambda text: parsed.append(text) or real_parse(text))
    requests_mock.post(TOKEN_URL, json=token_answer("fresh", expires_in=3600))
    raw = config()
    raw["credentials"].update(access_token="old", token_expiry_date=str(ab_datetime_now() + timedelta(hours=1)))
    auth = authenticator(raw)
    assert {auth.get_access_token() for _ in range(50)} == {"old"}
    assert len(parsed) == 1
    raw["credentials"]["token_expiry_date"] = str(ab_datetime_now() + timedelta(minutes=1))  # inside the margin
    assert {auth.get_access_token() for _ in range(50)} == {"fresh"}
    assert requests_mock.call_count == 1 and len(parsed) == 3  # the near expiry, then the refreshed one
