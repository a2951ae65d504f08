"""Records shaped against their schema: key casing, declared types, sensitive values — by example and property."""

from __future__ import annotations

from typing import Any, Dict, Mapping

import pytest
from hypothesis import given
from hypothesis import strategies as st

from source_paycor.shaping import RecordShaper, Tally
from source_paycor.streams.base import load_schema


def shaped(schema: Mapping[str, Any], record: Dict[str, Any], redact: bool = False):
    tally = Tally()
    return RecordShaper(schema, redact).shape(record, tally), tally


def _pascal(value):
    if isinstance(value, dict):
        return {key[:1].upper() + key[1:]: _pascal(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_pascal(item) for item in value]
    return value


# --- casing -------------------------------------------------------------------------------------------

EMPLOYEE = {
    "id": "e1",
    "firstName": "Ada",
    "employmentDateData": {"hireDate": "2020-01-01T00:00:00"},
    "positionData": {"jobTitle": "Engineer"},
    "payRates": {"id": "p", "url": "/v1/x"},
}


def test_given_pascal_case_employee_when_shaped_then_same_as_camel_case():
    schema = load_schema("employees")
    assert shaped(schema, _pascal(EMPLOYEE))[0] == shaped(schema, EMPLOYEE)[0] == EMPLOYEE


def test_given_undeclared_keys_when_shaped_then_camel_cased_all_the_way_down_and_named():
    row, tally = shaped({"properties": {"id": {"type": "string"}, "tenant": {"type": "object", "properties": {"id": {"type": "integer"}}}}},
                        {"ID": "x", "NewThing": {"Inner": [{"Deep": 1}]}, "Tenant": {"Id": 5, "Region": "US"}})
    assert row == {"id": "x", "newThing": {"inner": [{"deep": 1}]}, "tenant": {"id": 5, "region": "US"}}
    assert tally.undeclared == {"newThing", "tenant.region"}


schema_keys = st.lists(st.from_regex(r"[a-z][a-zA-Z]{0,8}", fullmatch=True), unique_by=str.lower, min_size=1, max_size=6)


@given(keys=schema_keys, data=st.data())
def test_property_any_casing_of_declared_keys_lands_in_declared_columns(keys, data):
    schema = {"properties": {key: {"type": "integer"} for key in keys}}
    variant = {data.draw(st.sampled_from([key, key.upper(), key[:1].upper() + key[1:], key.lower()])): index for index, key in enumerate(keys)}
    assert shaped(schema, variant)[0] == {key: index for index, key in enumerate(keys)}


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


def test_given_nested_pascal_keys_when_shaped_then_normalized_and_answer_untouched():
    record = {"employeeId": "e1", "netPay": 10.5, "earnings": [{"Code": "REG", "AMOUNT": 1}], "address": {"City": "X"},
              "tags": ["A"], "extra": {"Free": {"Form": 1}}, "note": None}
    row, tally = shaped(PAYSTUB_SCHEMA, record)
    assert row == {"employeeId": "e1", "netPay": 10.5, "earnings": [{"code": "REG", "amount": 1}], "address": {"city": "X"},
                   "tags": ["A"], "extra": {"free": {"form": 1}}, "note": None}
    assert (tally.coerced, tally.mismatched, tally.undeclared) == (0, 0, set())
    assert record["earnings"] == [{"Code": "REG", "AMOUNT": 1}] and record["address"] == {"City": "X"}


@given(data=st.data())
def test_property_records_of_declared_types_pass_unchanged_in_any_casing(data):
    earning = st.fixed_dictionaries({"code": st.text(max_size=3), "amount": st.integers() | st.floats(allow_nan=False)})
    record = data.draw(st.fixed_dictionaries({}, optional={
        "employeeId": st.text(max_size=3), "netPay": st.none() | st.floats(allow_nan=False),
        "earnings": st.none() | st.lists(earning, max_size=3), "address": st.none() | st.fixed_dictionaries({"city": st.text(max_size=3)}),
        "tags": st.none() | st.lists(st.text(max_size=2), max_size=2), "note": st.none() | st.text(max_size=3),
    }))
    for variant in (record, _pascal(record)):
        row, tally = shaped(PAYSTUB_SCHEMA, variant)
        assert row == record
        assert (tally.coerced, tally.mismatched) == (0, 0)


# --- coercion -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "declared, sent, expected",
    [
        ("integer", "204857", 204857),
        ("integer", " 7 ", 7),
        ("integer", "-3", -3),
        ("integer", "12.0", 12),
        ("integer", 7.0, 7),
        ("number", "12.50", 12.5),
        ("number", "100", 100),
        ("number", "1e3", 1000.0),
        ("boolean", "true", True),
        ("boolean", "False", False),
        ("boolean", "TRUE", True),
        ("string", 45202, "45202"),
        ("string", 12.5, "12.5"),
        (["string", "null"], 1001, "1001"),
        (["integer", "null"], "5", 5),
    ],
)
def test_given_value_of_another_type_when_conversion_loses_nothing_then_coerced_and_counted(declared, sent, expected):
    row, tally = shaped({"properties": {"v": {"type": declared}}}, {"v": sent})
    assert row == {"v": expected} and type(row["v"]) is type(expected)
    assert (tally.coerced, tally.mismatched, tally.coerced_fields) == (1, 0, {"v"})


@pytest.mark.parametrize(
    "declared, sent",
    [
        ("integer", "12.5"),
        ("integer", "abc"),
        ("integer", 7.5),
        ("integer", True),
        ("integer", ""),
        ("number", "NaN"),
        ("number", "inf"),
        ("number", "1,000"),
        ("boolean", "yes"),
        ("boolean", 1),
        ("string", True),
        ("string", [1]),
        ("object", "x"),
    ],
)
def test_given_value_that_cannot_be_converted_without_loss_when_shaped_then_kept_as_it_came_and_counted(declared, sent):
    row, tally = shaped({"properties": {"v": {"type": [declared, "null"]}}}, {"v": sent})
    assert row == {"v": sent}
    assert (tally.coerced, tally.mismatched, tally.mismatched_fields) == (0, 1, {"v"})


def test_given_values_of_other_types_at_every_depth_when_shaped_then_each_coerced():
    schema = {"properties": {
        "tenant": {"type": ["object", "null"], "properties": {"id": {"type": "integer"}, "active": {"type": "boolean"}}},
        "rates": {"type": "array", "items": {"type": "object", "properties": {"amount": {"type": "number"}, "code": {"type": "string"}}}},
        "ids": {"type": "array", "items": {"type": "integer"}},
        "manager": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "integer"}}}},
    }}
    row, tally = shaped(schema, {
        "tenant": {"id": "204857", "active": "true"},
        "rates": [{"amount": "12.50", "code": 10}, {"amount": 3, "code": "A"}],
        "ids": ["1", 2, "3"],
        "manager": {"id": "9"},  # one object where a list of them is declared
    })
    assert row == {"tenant": {"id": 204857, "active": True}, "rates": [{"amount": 12.5, "code": "10"}, {"amount": 3, "code": "A"}],
                   "ids": [1, 2, 3], "manager": [{"id": 9}]}
    assert tally.coerced == 8 and tally.mismatched == 0  # ids[] twice
    assert tally.coerced_fields == {"tenant.id", "tenant.active", "rates[].amount", "rates[].code", "ids[]", "manager", "manager[].id"}


@given(value=st.integers(min_value=-(10**15), max_value=10**15))
def test_property_integers_sent_as_strings_or_strings_sent_as_integers_come_back_exactly(value):
    schema = {"properties": {"count": {"type": "integer"}, "code": {"type": "string"}}}
    row, _ = shaped(schema, {"count": str(value), "code": value})
    assert row == {"count": value, "code": str(value)}


# --- sensitive values -----------------------------------------------------------------------------------

# Marked as scripts/generate_schemas.py marks the reviewed sensitive fields.
PERSON_SCHEMA = {"properties": {
    "id": {"type": "string"},
    "socialSecurityNumber": {"type": ["string", "null"], "airbyte_sensitive": True},
    "demographicData": {"type": ["object", "null"], "properties": {"birthDate": {"type": ["string", "null"], "airbyte_sensitive": True},
                                                                   "gender": {"type": ["string", "null"]}}},
    "directDeposits": {"type": ["array", "null"], "items": {"type": "object", "properties": {
        "routingNumber": {"type": ["string", "null"], "airbyte_sensitive": True}, "maskedAccountNumber": {"type": ["string", "null"]}}}},
}}
PERSON = {
    "id": "p1",
    "SocialSecurityNumber": "123-45-6789",
    "demographicData": {"birthDate": "1980-02-29", "gender": "F"},
    "directDeposits": [{"routingNumber": "021000021", "maskedAccountNumber": "****1234", "UnmaskedAccountNumber": "99887766"}],
    "Extra": {"Dependents": [{"DateOfBirth": "2010-01-01", "Name": "Kid", "SSN": "987654321"}], "TaxId": "12-3456789"},
}


def test_given_sensitive_fields_sent_unasked_when_redacting_then_null_at_every_depth_declared_or_not():
    row, tally = shaped(PERSON_SCHEMA, PERSON, redact=True)
    assert row == {
        "id": "p1",
        "socialSecurityNumber": None,
        "demographicData": {"birthDate": None, "gender": "F"},
        "directDeposits": [{"routingNumber": None, "maskedAccountNumber": "****1234", "unmaskedAccountNumber": None}],
        "extra": {"dependents": [{"dateOfBirth": None, "name": "Kid", "sSN": None}], "taxId": None},
    }
    assert tally.redacted == 7
    assert tally.redacted_fields == {"socialSecurityNumber", "demographicData.birthDate", "directDeposits[].routingNumber",
                                     "directDeposits[].unmaskedAccountNumber", "extra.dependents[].dateOfBirth",
                                     "extra.dependents[].sSN", "extra.taxId"}


# A general-ledger row: `accountNumber` is declared (a GL account, part of the row key) and not marked.
LEDGER_SCHEMA = {"properties": {"accountNumber": {"type": ["string", "null"]}, "amount": {"type": ["number", "null"]}}}


def test_given_declared_unmarked_field_with_a_sensitive_looking_name_when_redacting_then_kept():
    row, tally = shaped(LEDGER_SCHEMA, {"accountNumber": "40100-123456789", "amount": 5.0}, redact=True)
    assert row == {"accountNumber": "40100-123456789", "amount": 5.0} and tally.withheld == 0


def test_given_undeclared_fields_with_unlisted_sensitive_names_at_any_depth_when_redacting_then_null_and_named():
    record = {"accountNumber": "4010", "SpouseSSN": "123-45-6789",
              "dependents": [{"childDob": "2015-03-04", "DependentDateOfBirth": "2015-03-04", "name": "Kid"}],
              "payment": {"Banking": {"checkingAccountNumber": "000123456789", "bankAccount": {"number": "1"},
                                      "federalTaxId": "12-3456789", "routingNumberType": "ABA", "isSsnVerified": True}}}
    row, tally = shaped(LEDGER_SCHEMA, record, redact=True)
    assert row == {"accountNumber": "4010", "spouseSSN": None,
                   "dependents": [{"childDob": None, "dependentDateOfBirth": None, "name": "Kid"}],
                   "payment": {"banking": {"checkingAccountNumber": None, "bankAccount": None, "federalTaxId": None,
                                           "routingNumberType": "ABA", "isSsnVerified": True}}}
    assert tally.redacted == 6 and tally.masked == 0
    assert tally.redacted_fields == {"spouseSSN", "dependents[].childDob", "dependents[].dependentDateOfBirth",
                                     "payment.banking.checkingAccountNumber", "payment.banking.bankAccount",
                                     "payment.banking.federalTaxId"}


def test_given_undeclared_values_shaped_like_an_ssn_or_account_number_when_redacting_then_masked_and_named():
    record = {"notes": "spouse 123-45-6789 on file", "SpouseIdentifier": "987654321", "payoutAccountRef": "0001234567890",
              "employeeCode": "123456789", "hired": "2020-01-02"}
    row, tally = shaped(LEDGER_SCHEMA, record, redact=True)
    assert row == {"notes": "spouse ***-**-**** on file", "spouseIdentifier": "***-**-****", "payoutAccountRef": "****",
                   "employeeCode": "123456789", "hired": "2020-01-02"}
    assert tally.masked == 3 and tally.masked_fields == {"notes", "spouseIdentifier", "payoutAccountRef"}


def test_given_sensitive_data_on_when_shaped_then_sensitive_values_kept():
    row, tally = shaped(PERSON_SCHEMA, PERSON, redact=False)
    assert row["socialSecurityNumber"] == "123-45-6789" and row["demographicData"]["birthDate"] == "1980-02-29"
    assert row["extra"]["dependents"][0]["sSN"] == "987654321"
    assert tally.redacted == 0




# --- the layout plans give what the key-by-key path gives ---------------------------------------------------

VALUES = st.none() | st.booleans() | st.integers(-5, 5) | st.floats(allow_nan=False, width=16) | st.sampled_from(["7", "2.5", "true", "x", ""])
OBJECTS = st.dictionaries(st.sampled_from(["code", "amount", "Code", "ssn", "extra"]), VALUES, max_size=4)


@given(records=st.lists(st.dictionaries(
    st.sampled_from(["employeeId", "netPay", "earnings", "address", "tags", "extra", "note", "NetPay", "birthDate", "other"]),
    VALUES | OBJECTS | st.lists(VALUES | OBJECTS, max_size=3), max_size=8), min_size=1, max_size=6), redact=st.booleans())
def test_property_layout_plans_and_key_by_key_path_shape_alike(records, redact):
    schema = {"properties": {**PAYSTUB_SCHEMA["properties"], "birthDate": {"type": ["string", "null"]},
                             "address": {"type": ["object", "null"], "properties": {"city": {"type": "string"}, "zip": {"type": "string"}}}}}
    planned, each = RecordShaper(schema, redact), RecordShaper(schema, redact)
    for record in records * 2:  # the second time through, every layout is planned
        tally_planned, tally_each = Tally(), Tally()
        assert planned.shape(record, tally_planned) == each._shape_each(record, tally_each)
        for name in Tally.__slots__:
            assert getattr(tally_planned, name) == getattr(tally_each, name), name
