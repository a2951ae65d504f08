"""Each row of the error table: Paycor's answer → action, failure type and its own sentence."""

from __future__ import annotations

import json

import pytest
import requests

from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.streams.http.error_handlers import ResponseAction

from source_paycor.body import InvalidBody, body_preview, json_body
from source_paycor.error_body import paycor_error_text
from source_paycor.errors import PaycorBackoff, PaycorErrorHandler, StreamErrorPolicy

POLICY = StreamErrorPolicy("departments", "View Legal Entity Departments Information", empty_when_400_says=("has no TimeOff requests",))


def answer(status: int, body=None, headers=None, url="https://apis.paycor.com/v2/legalentities/1/departments") -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = body if isinstance(body, bytes) else (json.dumps(body).encode() if body is not None else b"")
    response.headers.update(headers or {})
    response.request = requests.Request("GET", url).prepare()
    response.reason = "Reason"
    return response


ROWS = [
    (answer(200, {"records": []}), ResponseAction.SUCCESS, None, None),
    (answer(200, b'{"records": [{"id": 1'), ResponseAction.RETRY, FailureType.transient_error,
     "answer to /v2/legalentities/1/departments was not records (the body is not valid JSON"),
    (answer(200, b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"), ResponseAction.RETRY, FailureType.transient_error,
     'it begins "<html><head><title>502 Bad Gateway</title></head>'),
    (answer(200, "OK"), ResponseAction.RETRY, FailureType.transient_error, "was not records (expected JSON records, got a JSON str; it begins"),
    (answer(200, {"Title": "Unexpected error", "CorrelationId": "c-1"}), ResponseAction.RETRY, FailureType.transient_error, "200 with an error instead of records"),
    (answer(400, {"Title": "Bad", "Detail": "startDate is required", "CorrelationId": "c-2"}), ResponseAction.FAIL, FailureType.system_error, "rejected the request as invalid (Bad: startDate is required (correlation id c-2))"),
    (answer(400, {"title": "x", "detail": "Either Legal Entity ID 5 is invalid or has no TimeOff requests."}), ResponseAction.IGNORE, FailureType.system_error, "nothing to read"),
    (answer(401, {"statusCode": 401, "message": "Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription."}), ResponseAction.FAIL, FailureType.config_error, "Paycor refused the subscription key (`subscription_key`)"),
    (answer(401), ResponseAction.REFRESH_TOKEN_THEN_RETRY, FailureType.transient_error, "refreshing it once"),
    (answer(403, {"Title": "Forbidden"}), ResponseAction.IGNORE, FailureType.config_error, 'lacks the Paycor Data Access item "View Legal Entity Departments Information"'),
    (answer(404, {"Title": "Not Found"}), ResponseAction.FAIL, FailureType.config_error, "check that `base_url` is Paycor's API"),
    (answer(429, {"statusCode": 429, "message": "Rate limit is exceeded. Try again in 60 seconds."}), ResponseAction.RATE_LIMITED, FailureType.transient_error, "rate limit"),
    (answer(500, {"Title": "Internal"}), ResponseAction.RETRY, FailureType.transient_error, "answered 500 (Internal)"),
    (answer(503, b""), ResponseAction.RETRY, FailureType.transient_error, "answered 503"),
    (requests.ConnectionError("reset"), ResponseAction.RETRY, FailureType.transient_error, "connection to Paycor failed (ConnectionError)"),
    (requests.ReadTimeout("slow"), ResponseAction.RETRY, FailureType.transient_error, "(ReadTimeout)"),
    (answer(418, {"Title": "Teapot"}), ResponseAction.FAIL, FailureType.system_error, "unexpected 418"),
]


@pytest.mark.parametrize("answer_, action, failure_type, sentence", ROWS)
def test_given_paycor_answer_when_interpreted_then_row_of_the_table(answer_, action, failure_type, sentence):
    resolution = PaycorErrorHandler(POLICY).interpret_response(answer_)
    assert resolution.response_action == action
    if failure_type is not None:
        assert resolution.failure_type == failure_type
        assert sentence in resolution.error_message


@pytest.mark.parametrize(
    "body, text",
    [
        ({"Title": "Bad Request", "Detail": "startDate is required", "CorrelationId": "c-1"}, "Bad Request: startDate is required (correlation id c-1)"),
        ({"title": "Bad Request", "detail": "startDate is required", "correlationId": "c-1"}, "Bad Request: startDate is required (correlation id c-1)"),
        ({"TITLE": "Bad Request", "DETAIL": "startDate is required"}, "Bad Request: startDate is required"),
        ({"statusCode": 400, "message": "startDate is required"}, "startDate is required"),
        ({"Message": "startDate is required"}, "startDate is required"),
        ({"error": "invalid_request", "error_description": "startDate is required"}, "invalid_request: startDate is required"),
        ({"Error_Description": "startDate is required"}, "startDate is required"),
        ({"title": "One or more validation errors occurred.", "errors": {"startDate": ["is required", "must be a date"]}},
         "One or more validation errors occurred.: startDate: is required; must be a date"),
        (b"<html>Bad Request</html>", "Reason"),
        (None, "Reason"),
    ],
)
def test_given_error_body_in_any_casing_when_explained_then_its_title_and_detail_in_the_sentence(body, text):
    assert paycor_error_text(answer(400, body)) == text
    assert f"({text})" in PaycorErrorHandler(POLICY).interpret_response(answer(400, body)).error_message


# Paycor's words quoting what was sent: an SSN (with and without dashes), a birth date, an account number.
QUOTING = [
    {"Title": "Conflict", "Detail": "employee SSN 123-45-6789 is held by another person", "CorrelationId": "c-3"},
    {"title": "Validation Error", "detail": "The date of birth 1980-02-29 is after the hire date.", "correlationId": "c-4"},
    {"message": "SSN 123456789 is invalid"},
    {"error": "invalid_request", "error_description": "checking account number 000123456789 is closed"},
    {"title": "One or more validation errors occurred.", "errors": {"spouseDob": ["02/29/1980 is not a valid date"]}},
]
QUOTED = ("123-45-6789", "1980-02-29", "123456789", "000123456789", "02/29/1980")


@pytest.mark.parametrize("status", [400, 409, 418, 500, 404])
@pytest.mark.parametrize("body", QUOTING)
def test_given_error_body_quoting_a_sensitive_value_when_explained_then_no_sentence_carries_it(body, status):
    sentences = [paycor_error_text(answer(status, body)), PaycorErrorHandler(POLICY).explain(answer(status, body)),
                 PaycorErrorHandler(POLICY).interpret_response(answer(200, body)).error_message or ""]
    assert [value for value in QUOTED for sentence in sentences if value in sentence] == []
    assert "Paycor" in sentences[1]


@pytest.mark.parametrize(
    "body, preview",
    [
        (b"<html>\n  <body>Bad   Gateway</body>\n</html>", "<html> <body>Bad Gateway</body> </html>"),
        (b'[{"socialSecurityNumber":"123-45-6789","birthDate":"1980-02-29"}]', '[{"socialSecurityNumber":"…","birthDate":"…"}]'),
        (b'{"continuationToken":"8c4b1e5a-2f4e-4a55-9d1e-0b9c2f1a7e33","records":[', '{"continuationToken":"…","records":['),
        (b"", "(empty)"),
    ],
)
def test_given_body_that_is_not_records_when_quoted_then_first_characters_with_sensitive_runs_masked(body, preview):
    assert body_preview(answer(200, body)) == preview


def test_given_messages_of_the_table_then_each_row_has_its_own_sentence():
    messages = [PaycorErrorHandler(POLICY).interpret_response(row[0]).error_message for row in ROWS[1:]]
    assert len(set(messages)) == len(messages)


def test_given_404_on_a_stream_of_stale_ids_when_interpreted_then_skipped():
    policy = StreamErrorPolicy("employee_pay_rates", "View Employee Pay Rates", skip_not_found=True)
    resolution = PaycorErrorHandler(policy).interpret_response(answer(404, {"Title": "Not Found"}, url="https://apis.paycor.com/v1/employees/abc/payrates"))
    assert resolution.response_action == ResponseAction.IGNORE
    assert "/v1/employees/abc/payrates" in resolution.error_message


@pytest.mark.parametrize(
    "response, attempt, wait",
    [
        (answer(429, {"message": "Try again in 60 seconds."}, {"Retry-After": "7"}), 1, 7.0),
        (answer(429, {"statusCode": 429, "message": "Rate limit is exceeded. Try again in 12 seconds."}), 1, 12.0),
        (answer(429, {"Message": "slow down"}), 1, 60),
        (answer(503), 1, 1.0),
        (answer(503), 3, 4.0),
        (answer(503), 12, 30.0),
        (requests.ConnectionError("x"), 2, 2.0),
    ],
)
def test_given_retryable_answer_when_backing_off_then_paycors_wait_else_exponential(response, attempt, wait):
    assert PaycorBackoff().backoff_time(response, attempt) == wait


@pytest.mark.parametrize("body, records", [
    (b'{"records": [{"id": 1, "name": "A"}]}', [{"id": 1, "name": "A"}]),
    # Read by the fallback: orjson refuses a byte-order mark and NaN.
    (b'\xef\xbb\xbf{"records": [{"id": 2}]}', [{"id": 2}]),
    ('{"records": [{"id": 3}]}'.encode("utf-16"), [{"id": 3}]),
    (b'{"records": [{"id": 4, "rate": NaN}]}', None),
])
def test_given_json_body_in_any_encoding_json_reads_when_parsed_then_records(body, records):
    parsed = json_body(answer(200, body))["records"]
    if records is None:  # NaN: not equal to itself
        assert parsed[0]["id"] == 4 and parsed[0]["rate"] != parsed[0]["rate"]
    else:
        assert parsed == records


@pytest.mark.parametrize("body", [b'{"records": [', b"<html>Server Error</html>", b"\xff\xfe\x00garbage"])
def test_given_body_no_json_reader_accepts_when_parsed_then_invalid_body_naming_the_place(body):
    with pytest.raises(InvalidBody, match=r"^the body is not valid JSON \(.+\)$"):
        json_body(answer(200, body))


def test_given_cdk_default_mapping_then_paycor_rows_layered_on_it_in_the_connectors_words():
    from airbyte_cdk.sources.streams.http.error_handlers.default_error_mapping import DEFAULT_ERROR_MAPPING

    from source_paycor.errors import ERROR_MAPPING, PAYCOR_ERROR_MAPPING

    assert set(DEFAULT_ERROR_MAPPING) <= set(ERROR_MAPPING)
    for key, default in DEFAULT_ERROR_MAPPING.items():
        assert key in PAYCOR_ERROR_MAPPING, f"the CDK's row {key} is said in the connector's words"
        row = PAYCOR_ERROR_MAPPING[key]
        if key in (405, 408, 429, 500, 502, 503, 504):  # reworded: the CDK's action and failure type kept
            assert (row.response_action, row.failure_type) == (default.response_action, default.failure_type)
            assert row.error_message != default.error_message


def test_given_status_without_a_row_then_5xx_retried_and_others_unexpected():
    for status, action in ((501, ResponseAction.RETRY), (599, ResponseAction.RETRY), (409, ResponseAction.FAIL), (302, ResponseAction.FAIL)):
        assert PaycorErrorHandler(POLICY).interpret_response(answer(status, {"Title": "T"})).response_action == action


def test_given_token_429_without_a_wait_when_refreshing_then_the_data_calls_minute():
    from source_paycor.auth import BACKOFF

    assert BACKOFF.backoff_time(answer(429, {"message": "slow down"}), 2) == 60
    assert BACKOFF.backoff_time(None, 3) == 4.0
