"""`source-paycor authorize`: the code exchange's refusals, each one sentence saying what to do, no secret in it.

The sentences are written out here, not imported: a change of wording or of which refusal blames which field
fails these tests.
"""

from __future__ import annotations

import pytest

from source_paycor.authorize import AuthorizeError, exchange_code

from .builders import BASE, CONFIG, TOKEN_URL

KEY = CONFIG["subscription_key"]
CLIENT_ID = CONFIG["credentials"]["client_id"]
SECRET = CONFIG["credentials"]["client_secret"]
CODE = "c0de" * 8
VERIFIER = "v" * 64

KEY_SENTENCE = (
    "Paycor refused the subscription key (`subscription_key`) — copy the APIm subscription key of this application "
    "from Paycor's Developer Portal (Security Connections) and try again."
)
CLIENT_SENTENCE = (
    "Paycor refused the client ID or client secret (`credentials.client_id`, `credentials.client_secret`) — "
    "copy both again from your application in Paycor's Developer Portal."
)


def exchange_refusal(requests_mock, status: int, **answer) -> str:
    requests_mock.post(TOKEN_URL, status_code=status, **answer)
    with pytest.raises(AuthorizeError) as error:
        exchange_code(BASE, KEY, CLIENT_ID, SECRET, CODE, VERIFIER, "http://127.0.0.1:8976/callback")
    message = str(error.value)
    for secret in (KEY, SECRET, CODE, VERIFIER):
        assert secret not in message
    return message


@pytest.mark.parametrize("message", [
    "Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.",
    "Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.",
])
def test_given_401_whose_body_names_the_subscription_key_when_exchanging_then_the_key_is_blamed(requests_mock, message):
    assert exchange_refusal(requests_mock, 401, json={"statusCode": 401, "message": message}) == KEY_SENTENCE


def test_given_401_in_pascal_case_naming_the_subscription_key_when_exchanging_then_the_key_is_blamed(requests_mock):
    body = {"StatusCode": 401, "Message": "Access denied due to invalid subscription key."}
    assert exchange_refusal(requests_mock, 401, json=body) == KEY_SENTENCE


# Kept on purpose (CHANGELOG 0.2.0): before issue 13 every 401 blamed the subscription key. Paycor's documents
# tell the key's 401 by its body; a 401 without it is not the key's.
def test_given_401_without_a_body_when_exchanging_then_run_again_not_the_key(requests_mock):
    assert exchange_refusal(requests_mock, 401, text="") == (
        "Paycor refused to exchange the authorization code (401) — run the command again; a code works once and "
        "only for a few minutes."
    )


def test_given_401_invalid_client_when_exchanging_then_the_client_id_and_secret_not_the_key(requests_mock):
    assert exchange_refusal(requests_mock, 401, json={"error": "invalid_client"}) == CLIENT_SENTENCE


def test_given_400_invalid_client_when_exchanging_then_the_client_id_and_secret(requests_mock):
    assert exchange_refusal(requests_mock, 400, json={"error": "invalid_client"}) == CLIENT_SENTENCE


def test_given_400_invalid_grant_when_exchanging_then_run_again(requests_mock):
    assert exchange_refusal(requests_mock, 400, json={"error": "invalid_grant"}) == (
        "Paycor refused to exchange the authorization code (invalid_grant) — run the command again; a code works "
        "once and only for a few minutes."
    )
