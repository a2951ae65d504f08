"""Report Builder pieces without a server: stream and column names, types from both `clientDataType` forms,
rows in every shape, and the config fields. Expected values are written out here."""

from __future__ import annotations

import pytest

from source_paycor.config import ConfigError, ReportChoice, parse_config
from source_paycor.reports.columns import columns_of, data_type, report_schema
from source_paycor.reports.naming import column_names, stream_names
from source_paycor.reports.rows import RowReader

from .builders import config

HEADERS = [
    {"fieldId": "0d5257e6-6619-4773-a3a2-93f28ce1814b", "displayName": "PayrollId", "clientDataType": 3},
    {"fieldId": "241AF216-8D0A-4AAE-9187-FCBD888182AD", "displayName": "Pay Rate", "clientDataType": "Number"},
    {"fieldId": "9f05187d-aa65-4b61-b98c-5ad9f36213e7", "displayName": "Phone", "clientDataType": "string"},
    {"fieldId": "a61cab9d-f4b4-462b-8b87-61117602b77b", "displayName": "Phone", "clientDataType": 3},
    {"fieldId": "c1d45c25-c0c7-4f2a-b778-679b33bbf40c", "displayName": "Hire Date", "clientDataType": 5},
    {"FieldId": "34e24335-145e-4443-b597-a5056a417613", "DisplayName": "Active", "ClientDataType": 8},
]


# --- names ------------------------------------------------------------------------------------------------
def test_given_display_names_then_stream_names_snake_case_and_unique_whatever_the_order():
    listed = [("aaaa1111-0000", "Headcount"), ("bbbb2222-0000", "Headcount"), ("cccc3333-0000", "Employee Pay Rates!")]
    expected = {"aaaa1111-0000": "report_headcount_aaaa1111", "bbbb2222-0000": "report_headcount_bbbb2222",
                "cccc3333-0000": "report_employee_pay_rates"}
    assert stream_names(listed, {}) == expected
    assert stream_names(list(reversed(listed)), {}) == expected


def test_given_pinned_name_then_it_wins_and_a_derived_name_equal_to_it_takes_a_suffix():
    listed = [("aaaa1111-0000", "Renamed Report"), ("bbbb2222-0000", "Headcount")]
    assert stream_names(listed, {"aaaa1111-0000": "report_headcount"}) == {
        "aaaa1111-0000": "report_headcount", "bbbb2222-0000": "report_headcount_bbbb2222"}


def test_given_repeated_and_reserved_display_names_then_columns_distinct_in_header_order():
    assert column_names(["Phone", "Phone", "SSN", "Employee ID", "Legal Entity Id", "", None, "Phone"]) == [
        "phone", "phone2", "ssn", "employeeId", "legalEntityId2", "column6", "column7", "phone3"]


# --- types ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("code, expected", [
    (1, "Number"), ("1", "Number"), ("Number", "Number"), ("number", "Number"), (2, "DateTime"), (3, "String"),
    (5, "Date"), (8, "Boolean"), ("Boolean", "Boolean"), (9, "SpecificDate"), (10, "Time"), (0, "Unknown"),
])
def test_given_client_data_type_as_name_or_code_then_the_documented_type(code, expected):
    assert data_type(code) == (expected, True)


@pytest.mark.parametrize("code", [42, -1, "Currency", True, {"x": 1}])
def test_given_undocumented_client_data_type_then_unknown_read_as_string(code):
    assert data_type(code) == ("Unknown", False)


def test_given_headers_then_schema_typed_nullable_with_field_ids_in_descriptions():
    properties = report_schema(columns_of(HEADERS), "t-1", "Pay")["properties"]
    assert list(properties) == ["legalEntityId", "templateId", "payrollId", "payRate", "phone", "phone2", "hireDate",
                                "active"]
    assert properties["payrollId"]["type"] == ["null", "string"]
    assert properties["payRate"]["type"] == ["null", "number"]
    assert (properties["hireDate"]["type"], properties["hireDate"]["format"]) == (["null", "string"], "date")
    assert properties["active"]["type"] == ["null", "boolean"]
    assert "34e24335-145e-4443-b597-a5056a417613" in properties["active"]["description"]
    assert "0d5257e6-6619-4773-a3a2-93f28ce1814b" in properties["payrollId"]["description"]


# --- rows -------------------------------------------------------------------------------------------------
EXPECTED_ROW = {"payrollId": "P-7", "payRate": 123.5, "phone": "555-0100", "phone2": "555-0199",
                "hireDate": "2020-01-02", "active": True}


def test_given_rows_keyed_by_field_id_in_any_casing_then_every_column():
    reader = RowReader(columns_of(HEADERS))
    row = {"0D5257E6-6619-4773-A3A2-93F28CE1814B": "P-7", "241af216-8d0a-4aae-9187-fcbd888182ad": 123.5,
           "9f05187d-aa65-4b61-b98c-5ad9f36213e7": "555-0100", "a61cab9d-f4b4-462b-8b87-61117602b77b": "555-0199",
           "c1d45c25-c0c7-4f2a-b778-679b33bbf40c": "2020-01-02", "34e24335-145e-4443-b597-a5056a417613": True}
    assert reader.record(row) == EXPECTED_ROW


def test_given_rows_keyed_by_display_name_in_any_casing_then_every_column_a_shared_name_in_its_first():
    reader = RowReader(columns_of(HEADERS))
    record = reader.record({"payrollid": "P-7", "Pay Rate": 123.5, "Hire Date": "2020-01-02", "ACTIVE": True,
                            "Phone": "555-0100"})
    # "Phone" names two columns and a JSON object holds it once: its camelCase key is the first column's name
    assert record == {**EXPECTED_ROW, "phone": "555-0100", "phone2": None}
    assert list(record).count("phone") == 1


def test_given_array_rows_then_header_order_short_rows_padded_long_rows_counted():
    reader = RowReader(columns_of(HEADERS))
    assert reader.record(["P-7", 123.5, "555-0100", "555-0199", "2020-01-02", True]) == EXPECTED_ROW
    assert reader.record(["P-7"]) == {**dict.fromkeys(EXPECTED_ROW), "payrollId": "P-7"}
    assert reader.record(["P-7", 123.5, "555-0100", "555-0199", "2020-01-02", True, "extra"]) == EXPECTED_ROW
    assert reader.surplus == 1
    assert reader.record("not a row") is None and reader.not_rows == 1


# --- config -----------------------------------------------------------------------------------------------
def test_given_reporting_fields_then_parsed_and_scope_defaults_to_the_scope_key():
    parsed = parse_config(config(scope="abc", reporting_user_id=" 5245ae3d-e570-0000-0000-000066000000 ",
                                 report_templates=[{"template": " Headcount "},
                                                   {"template": "t-1", "stream_name": "report_pay"}]))
    assert parsed.reporting_scope == "abc"
    assert parsed.reporting_user_id == "5245ae3d-e570-0000-0000-000066000000"
    assert parsed.report_templates == (ReportChoice("Headcount"), ReportChoice("t-1", "report_pay"))
    assert parse_config(config(scope="abc", reporting_scope="other")).reporting_scope == "other"


@pytest.mark.parametrize("field, value, named", [
    ("reporting_user_id", "not-a-guid", "`reporting_user_id`"),
    ("reporting_scope", 5, "`reporting_scope`"),
    ("report_templates", ["Headcount"], "`report_templates`"),
    ("report_templates", [{"template": ""}], "`report_templates.template`"),
    ("report_templates", [{"template": "a", "stream_name": "Pay Rates"}], "`report_templates.stream_name`"),
    ("report_templates", [{"template": "a", "stream_name": "report_x"}, {"template": "b", "stream_name": "report_x"}],
     "`report_templates.stream_name`"),
])
def test_given_bad_reporting_field_then_one_sentence_naming_it(field, value, named):
    with pytest.raises(ConfigError) as raised:
        parse_config(config(**{field: value}))
    assert named in raised.value.message and raised.value.message.endswith(".")
