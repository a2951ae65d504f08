"""Any answer shape on any endpoint: paged envelopes in any casing, bare arrays, single objects, nothing."""

from __future__ import annotations

import json

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from airbyte_cdk.sources.message import InMemoryMessageRepository
from source_paycor.body import InvalidBody
from source_paycor.envelope import Page, parse_page
from source_paycor.source import build_context
from source_paycor.streams.base import PaycorStream
from source_paycor.streams.catalog import by_name

from .builders import config

A, B = {"a": 1}, {"a": 2}


@pytest.mark.parametrize(
    "body, records, token",
    [
        # Paged envelopes: hasMoreResults as a bool or a string, keys in any casing.
        ({"records": [A], "hasMoreResults": True, "continuationToken": "t"}, [A], "t"),
        ({"records": [A], "hasMoreResults": "True", "continuationToken": "t"}, [A], "t"),
        ({"records": [A], "hasMoreResults": "true", "continuationToken": "t"}, [A], "t"),
        ({"Records": [A], "HasMoreResults": "False", "ContinuationToken": "t"}, [A], None),
        ({"RECORDS": [A], "HASMORERESULTS": True, "CONTINUATIONTOKEN": "t"}, [A], "t"),
        ({"records": [A, B], "hasMoreResults": False, "continuationToken": None}, [A, B], None),
        ({"records": [], "hasMoreResults": True, "continuationToken": None}, [], None),
        ({"records": [A], "continuationToken": "t"}, [A], "t"),
        # The token only in additionalResultsUrl.
        ({"records": [A], "hasMoreResults": True, "additionalResultsUrl": "/v1/x?include=All&continuationToken=u-1"}, [A], "u-1"),
        ({"Records": [A], "HasMoreResults": "true", "AdditionalResultsUrl": "https://h/v1/x?ContinuationToken=u-2"}, [A], "u-2"),
        # No records: `records: null`, no `records` at all, an empty object, `null`.
        ({"records": None, "hasMoreResults": False, "continuationToken": None}, [], None),
        ({"hasMoreResults": False, "continuationToken": None, "additionalResultsUrl": None}, [], None),
        ({}, [], None),
        (None, [], None),
        # A bare array; a single object, whatever the document announced; `records` holding one object.
        ([A, B], [A, B], None),
        ([], [], None),
        ({"id": 5, "name": "x"}, [{"id": 5, "name": "x"}], None),
        ({"records": A, "hasMoreResults": False}, [A], None),
    ],
)
def test_given_answer_of_any_shape_when_parsed_then_records_and_next_token(body, records, token):
    assert parse_page(body) == Page(records, token, 0)


def test_given_array_with_items_that_are_not_objects_when_parsed_then_objects_kept_and_others_counted():
    assert parse_page([A, 1, "x", None, B]) == Page([A, B], None, 3)


@pytest.mark.parametrize(
    "body, message",
    [
        ("text", "expected JSON records, got a JSON str"),
        (5, "expected JSON records, got a JSON int"),
        (True, "expected JSON records, got a JSON bool"),
        ({"records": "x"}, "`records` is a JSON str, not a list"),
        ({"Title": "Oops", "CorrelationId": "c"}, "the answer is an error, not records"),
        ({"statusCode": 500, "message": "Internal server error"}, "the answer is an error, not records"),
        ({"error": "server_error", "error_description": "try later"}, "the answer is an error, not records"),
    ],
)
def test_given_body_that_is_no_answer_shape_when_parsed_then_invalid_body_named(body, message):
    with pytest.raises(InvalidBody) as raised:
        parse_page(body)
    assert str(raised.value) == message


records = st.lists(st.dictionaries(st.text(min_size=1, max_size=5), st.integers(), min_size=1, max_size=3), max_size=5)


@given(
    records=records,
    more=st.sampled_from([True, False, "True", "False", "true", "false", None]),
    token=st.one_of(st.none(), st.uuids().map(str)),
    casing=st.sampled_from([str, str.capitalize, str.upper]),
)
def test_property_envelope_never_loses_records_and_stops_without_token(records, more, token, casing):
    def key(name: str) -> str:
        return name[:1].upper() + name[1:] if casing is str.capitalize else casing(name)

    got = parse_page({key("records"): records, key("hasMoreResults"): more, key("continuationToken"): token})
    assert got.records == records
    if token is None or more in (False, "False", "false"):
        assert got.next_token is None
    else:
        assert got.next_token == token


# --- parse_response on any JSON value: records, or the connector's own error, never a crash ---------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)
ENVELOPE_KEYS = st.sampled_from(["records", "Records", "hasMoreResults", "HasMoreResults", "continuationToken", "additionalResultsUrl", "id", "Id"])
ENVELOPE_LIKE = st.dictionaries(ENVELOPE_KEYS, JSON, max_size=4)


def _answer(body: bytes) -> requests.Response:
    response = requests.Response()
    response.status_code = 200
    response._content = body
    response.request = requests.Request("GET", "https://apis.paycor.com/v1/legalentities/1/persons").prepare()
    return response


STREAMS = {name: PaycorStream(by_name()[name], build_context(config(), InMemoryMessageRepository())) for name in ("persons", "employees", "paystubs")}


@settings(max_examples=300, deadline=None)
@given(body=JSON | ENVELOPE_LIKE, name=st.sampled_from(sorted(STREAMS)))
def test_property_any_json_paycor_could_send_gives_records_or_invalid_body(body, name):
    stream = STREAMS[name]
    stream._local.seen_tokens, stream._local.row_keys, stream._local.expired = set(), {}, False
    response = _answer(json.dumps(body).encode())
    try:
        rows = list(stream.parse_response(response, stream_slice={"legalEntityId": 1}))
    except InvalidBody as error:
        assert str(error)  # the connector's own sentence, which the error table retries, then reports
        return
    assert all(isinstance(row, dict) for row in rows)
    assert all(row.get("legalEntityId") is not None for row in rows)
