"""Answer shapes and key casing, by example and by property."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from source_paycor.casing import KeyNormalizer
from source_paycor.envelope import ARRAY, OBJECT, PAGED, parse_page
from source_paycor.errors import InvalidBody
from source_paycor.streams.base import load_schema


@pytest.mark.parametrize(
    "body, shape, records, token",
    [
        ({"records": [{"a": 1}], "hasMoreResults": True, "continuationToken": "t"}, PAGED, [{"a": 1}], "t"),
        ({"records": [{"a": 1}], "hasMoreResults": "True", "continuationToken": "t"}, PAGED, [{"a": 1}], "t"),
        ({"Records": [{"a": 1}], "HasMoreResults": "False", "ContinuationToken": "t"}, PAGED, [{"a": 1}], None),
        ({"records": [], "hasMoreResults": True, "continuationToken": None}, PAGED, [], None),
        ({"records": [{"a": 1}], "continuationToken": "t"}, PAGED, [{"a": 1}], "t"),
        ([{"a": 1}, {"a": 2}], ARRAY, [{"a": 1}, {"a": 2}], None),
        ([{"a": 1}], PAGED, [{"a": 1}], None),
        ({"id": 5, "name": "x"}, OBJECT, [{"id": 5, "name": "x"}], None),
        (None, PAGED, [], None),
    ],
)
def test_given_answer_shape_when_parsed_then_records_and_next_token(body, shape, records, token):
    assert parse_page(body, shape) == (records, token)


@pytest.mark.parametrize("body", [{"Title": "Oops", "CorrelationId": "c"}, {"records": "x"}, "text", 5])
def test_given_paged_answer_without_records_list_when_parsed_then_error_not_empty_page(body):
    with pytest.raises(InvalidBody):
        parse_page(body, PAGED)


records = st.lists(st.dictionaries(st.text(min_size=1, max_size=5), st.integers(), max_size=3), max_size=5)


@given(records=records, more=st.sampled_from([True, False, "True", "False", "true", None]), token=st.one_of(st.none(), st.uuids().map(str)))
def test_property_envelope_never_loses_records_and_stops_without_token(records, more, token):
    got, next_token = parse_page({"records": records, "hasMoreResults": more, "continuationToken": token}, PAGED)
    assert got == records
    if token is None or more in (False, "False"):
        assert next_token is None
    else:
        assert next_token == token or more is None


def _pascal(value):
    if isinstance(value, dict):
        return {key[:1].upper() + key[1:]: _pascal(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_pascal(item) for item in value]
    return value


EMPLOYEE = {
    "id": "e1",
    "firstName": "Ada",
    "employmentDateData": {"hireDate": "2020-01-01T00:00:00"},
    "positionData": {"jobTitle": "Engineer"},
    "payRates": {"id": "p", "url": "/v1/x"},
}


def test_given_pascal_case_employee_when_normalized_then_same_as_camel_case():
    normalize = KeyNormalizer(load_schema("employees")).normalize
    assert normalize(_pascal(EMPLOYEE)) == normalize(EMPLOYEE) == EMPLOYEE


def test_given_undeclared_keys_when_normalized_then_camel_cased_all_the_way_down():
    normalize = KeyNormalizer({"properties": {"id": {"type": "string"}}}).normalize
    assert normalize({"ID": "x", "NewThing": {"Inner": [{"Deep": 1}]}}) == {"id": "x", "newThing": {"inner": [{"deep": 1}]}}


schema_keys = st.lists(st.from_regex(r"[a-z][a-zA-Z]{0,8}", fullmatch=True), unique_by=str.lower, min_size=1, max_size=6)


@given(keys=schema_keys, data=st.data())
def test_property_any_casing_of_declared_keys_lands_in_declared_columns(keys, data):
    normalizer = KeyNormalizer({"properties": {key: {"type": "integer"} for key in keys}})
    variant = {data.draw(st.sampled_from([key, key.upper(), key[:1].upper() + key[1:], key.lower()])): index for index, key in enumerate(keys)}
    assert normalizer.normalize(variant) == {key: index for index, key in enumerate(keys)}


PAYSTUB_SCHEMA = {
    "properties": {
        "employeeId": {"type": "string"},
        "netPay": {"type": ["number", "null"]},
        "earnings": {"type": ["array", "null"], "items": {"type": "object", "properties": {"code": {"type": "string"}, "amount": {"type": "number"}}}},
        "address": {"type": ["object", "null"], "properties": {"city": {"type": "string"}}},
        "tags": {"type": ["array", "null"], "items": {"type": "string"}},
        "extra": {"type": ["object", "null"]},
        "note": {"type": ["string", "null"]},
    }
}


def test_given_declared_top_level_keys_when_nested_keys_are_pascal_then_nested_keys_normalized_too():
    normalize = KeyNormalizer(PAYSTUB_SCHEMA).normalize
    record = {"employeeId": "e1", "netPay": 10.5, "earnings": [{"Code": "REG", "AMOUNT": 1}], "address": {"City": "X"},
              "tags": ["A"], "extra": {"Free": {"Form": 1}}, "note": None}
    assert normalize(record) == {"employeeId": "e1", "netPay": 10.5, "earnings": [{"code": "REG", "amount": 1}], "address": {"city": "X"},
                                 "tags": ["A"], "extra": {"free": {"form": 1}}, "note": None}
    # The answer is not changed in place.
    assert record["earnings"] == [{"Code": "REG", "AMOUNT": 1}] and record["address"] == {"City": "X"}


def test_given_value_the_schema_types_as_scalar_when_normalized_then_passed_as_it_came():
    normalize = KeyNormalizer(PAYSTUB_SCHEMA).normalize
    odd = {"Inner": 1}
    assert normalize({"note": odd})["note"] is odd
    assert normalize({"NOTE": odd, "New": {"Deep": 1}}) == {"note": {"Inner": 1}, "new": {"deep": 1}}


@given(data=st.data())
def test_property_all_declared_and_some_miscased_records_normalize_alike(data):
    # The path for records whose keys are all declared and the path for the rest give the same columns.
    normalize = KeyNormalizer(PAYSTUB_SCHEMA).normalize
    earning = st.fixed_dictionaries({"code": st.text(max_size=3), "amount": st.integers()})
    record = data.draw(st.fixed_dictionaries({}, optional={
        "employeeId": st.text(max_size=3), "netPay": st.none() | st.floats(allow_nan=False),
        "earnings": st.none() | st.lists(earning, max_size=3), "address": st.none() | st.fixed_dictionaries({"city": st.text(max_size=3)}),
        "tags": st.none() | st.lists(st.text(max_size=2), max_size=2), "note": st.none() | st.text(max_size=3),
    }))
    assert normalize(record) == record
    assert normalize(_pascal(record)) == record
