"""The sensitive-data policy: names in any casing and prefix, values by shape, free text, the reviewed marks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, Iterator, Tuple

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from source_paycor.sensitive import (
    DECLARED_NOT_SENSITIVE,
    DECLARED_SENSITIVE,
    MARK,
    is_sensitive_name,
    mask_text,
    mask_value,
    redacted,
)
from source_paycor.streams.catalog import JOB_COSTING_ROW, LEDGER_ROW

SCHEMAS = Path(__file__).resolve().parent.parent / "source_paycor" / "schemas"

# --- names ---------------------------------------------------------------------------------------------------
# The spellings of issue 19 (values that went out), and more of each kind, in several casings.
SENSITIVE = [
    "spouseSSN", "SpouseSSN", "dependentSsn", "DependentSsn", "childDob", "ChildDOB", "dependentDateOfBirth",
    "federalTaxId", "checkingAccountNumber", "CheckingAccountNumber", "bankAccount", "BankAccounts",
    "socialSecurityNumber", "social_security_number", "Social Security Number", "SSN", "ssn", "spousessn", "ssnLast4",
    "TIN", "payeeTin", "itin", "birthDate", "birthday", "Birthday", "dateOfBirth", "date-of-birth", "birthYear",
    "spouseBirthDate", "passportNumber", "ForeignPassportNo", "alienNumber", "alienRegistrationNumber",
    "driverLicenseNumber", "DriversLicence", "driver_license", "unmaskedAccountNumber", "routingNumber", "acctNo",
    "savingsAccount", "accountNumber", "abaNumber", "iban", "uscisNumber", "i94Number", "visaNumber",
    "documentNumber", "listASecondDocumentNumber", "taxIdentificationNumber", "taxpayerId", "greenCardNumber",
]
# Names that only contain the letters, or say what kind of value sits beside a sensitive one.
HARMLESS = [
    "setting", "settings", "tinyint", "routingNumberType", "bankAccountType", "accountType", "ssnStatus", "isSsnVerified",
    "maskedAccountNumber", "business", "businessName", "businessname", "classname", "lessons", "latitude", "destination",
    "continuationToken", "martin", "austin", "documentTitle", "hireDate", "id", "legalEntityId", "employeeNumber",
    "accountDescription", "accountItemize", "earningCode", "routine", "abandoned", "obituary",
]


@pytest.mark.parametrize("name", SENSITIVE)
def test_given_a_sensitive_name_in_any_casing_when_checked_then_sensitive(name):
    assert is_sensitive_name(name)


@pytest.mark.parametrize("name", HARMLESS)
def test_given_a_harmless_name_when_checked_then_not_sensitive(name):
    assert not is_sensitive_name(name)


CORES = ["ssn", "socialSecurityNumber", "socialSecurityNo", "taxId", "tin", "dob", "dateOfBirth", "birthDate", "birthday",
         "passportNumber", "alienNumber", "driverLicenseNumber", "driversLicence", "accountNumber", "routingNumber",
         "bankAccount", "acctNum"]
PREFIXES = ["", "spouse", "dependent", "child", "beneficiary", "primary", "checking", "federal", "secondary", "emergencyContact"]
SUFFIXES = ["", "Value", "Full", "Unmasked", "1", "Text"]


def _spelled(words: Tuple[str, ...], casing: str) -> str:
    split = [part for word in words for part in _split(word)]
    if casing == "camel":
        return split[0].lower() + "".join(part[:1].upper() + part[1:] for part in split[1:])
    if casing == "pascal":
        return "".join(part[:1].upper() + part[1:] for part in split)
    if casing == "snake":
        return "_".join(part.lower() for part in split)
    return "".join(part.lower() for part in split)  # lower, run together


def _split(word: str) -> Iterator[str]:
    current = ""
    for char in word:
        if char.isupper() and current:
            yield current
            current = ""
        current += char
    if current:
        yield current


@given(prefix=st.sampled_from(PREFIXES), core=st.sampled_from(CORES), suffix=st.sampled_from(SUFFIXES),
       casing=st.sampled_from(["camel", "pascal", "snake", "lower"]))
def test_property_any_prefix_core_and_casing_is_sensitive(prefix, core, suffix, casing):
    # Run together in lower case, a three-letter core cannot be told from other words' letters: "tin" from
    # `tinyint` or `setting`, "ssn" inside `businessname`: "tin" counts as a word only, "ssn" and "dob" at an end.
    assume(not (casing == "lower" and (core == "tin" or (core in ("ssn", "dob") and prefix and suffix))))
    name = _spelled(tuple(word for word in (prefix, core, suffix) if word), casing)
    assert is_sensitive_name(name), name


# --- the reviewed marks in the schemas ------------------------------------------------------------------------
def _declared(schema: Dict[str, Any], path: str = "") -> Iterator[Tuple[str, str, Dict[str, Any]]]:
    for key, sub in (schema.get("properties") or {}).items():
        yield path + key, key, sub
        if isinstance(sub, dict):
            yield from _declared(sub.get("items") if isinstance(sub.get("items"), dict) else sub, f"{path}{key}.")


def _every_declared_field() -> Iterator[Tuple[str, str, str, Dict[str, Any]]]:
    for file in sorted(SCHEMAS.glob("*.json")):
        for path, key, sub in _declared(json.loads(file.read_text())):
            yield file.stem, path, key, sub


def test_given_the_schemas_then_every_sensitive_looking_declared_name_was_reviewed_and_marked_accordingly():
    unreviewed = [f"{stream}: {path}" for stream, path, key, _ in _every_declared_field()
                  if is_sensitive_name(key) and key not in DECLARED_SENSITIVE and key not in DECLARED_NOT_SENSITIVE]
    assert unreviewed == []
    wrongly = [f"{stream}: {path}" for stream, path, key, sub in _every_declared_field()
               if (sub.get(MARK) is True) != (key in DECLARED_SENSITIVE)]
    assert wrongly == []


def test_given_the_schemas_then_the_documented_sensitive_fields_are_marked_and_ledger_accounts_are_not():
    marked = {(stream, path) for stream, path, _, sub in _every_declared_field() if sub.get(MARK) is True}
    assert {("persons", "socialSecurityNumber"), ("persons", "demographicData.birthDate"),
            ("employee_identifying_data", "socialSecurityNumber"), ("employee_identifying_data", "birthDate"),
            ("employee_direct_deposits", "routingNumber"), ("employee_direct_deposits", "unmaskedAccountNumber"),
            ("employee_hsa_accounts", "unmaskedAccountNumber"), ("retirement_data", "ssn")} <= marked
    assert "accountNumber" in LEDGER_ROW and "accountNumber" in JOB_COSTING_ROW
    assert not [entry for entry in marked if entry[1].endswith("accountNumber") and "masked" not in entry[1].lower()]


# --- values -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name, value, masked", [
    ("notes", "SSN on file: 123-45-6789.", "SSN on file: ***-**-****."),
    ("spouseIdentifier", "123456789", "***-**-****"),
    ("SpouseIdentifier", 123456789, "***-**-****"),
    ("payoutAccountRef", "000123456789", "****"),
])
def test_given_undeclared_value_shaped_like_an_ssn_or_account_number_when_masked_then_masked(name, value, masked):
    assert mask_value(name, value) == masked


@pytest.mark.parametrize("name, value", [
    ("employeeNumber", "123456789"),  # 9 digits under a name that is not about a person's identity
    ("legalEntityId", 501123),
    ("hired", "2020-01-02"),
    ("guid", "a1b2c3d4-0000-1111-2222-333344445555"),
    ("phone", "555-123-4567"),
    ("flag", True),
    ("payoutAccountRef", "1234"),
])
def test_given_undeclared_value_not_shaped_like_a_sensitive_one_when_masked_then_the_same_object(name, value):
    assert mask_value(name, value) is value


# --- free text (Paycor's error text, log lines) ------------------------------------------------------------------
@pytest.mark.parametrize("text, masked", [
    ("employee SSN 123-45-6789 is held by another person", "employee SSN ***-**-**** is held by another person"),
    ("SSN 123456789 is invalid", "SSN **** is invalid"),
    ("The date of birth 1980-02-29 is after the hire date 2020-01-01.",
     "The date of birth **** is after the hire date 2020-01-01."),
    ('{"dependentDob": "1980-02-29", "hireDate": "2020-01-01"}', '{"dependentDob": "****", "hireDate": "2020-01-01"}'),
    ("{'SpouseDateOfBirth': '02/29/1980', 'id': 'x'}", "{'SpouseDateOfBirth': '****', 'id': 'x'}"),
    ("passport X1234567 expired", "passport **** expired"),
    ("checking account number 12345678 was closed", "checking account number **** was closed"),
    ("errors: {'federalTaxId': ['12-3456789 is not valid']}", "errors: {'federalTaxId': ['**** is not valid']}"),
])
def test_given_text_quoting_a_sensitive_value_when_masked_then_the_value_is_gone(text, masked):
    assert mask_text(text) == masked


@pytest.mark.parametrize("text", [
    "Either Legal Entity ID 501123 is invalid or has no TimeOff requests.",
    "Validation Error: startDate 2025-01-01 must be before endDate 2025-03-31 (correlation id 3f2a9c1e-7b4d-4e1a-9c2b-0a1b2c3d4e5f)",
    "Stream persons: 240 records, 3 calls, 0.4 s; 480 sensitive values withheld: 480 nulled (socialSecurityNumber, spouseSSN)",
    "GL account 40100 is closed",
])
def test_given_text_without_a_sensitive_value_when_masked_then_unchanged(text):
    assert mask_text(text) == text


def test_given_debug_body_when_redacted_then_sensitive_names_nulled_and_shapes_masked_at_any_depth():
    body = {"records": [{"id": "e1", "SpouseSSN": "123-45-6789", "isSsnVerified": True,
                         "dependents": [{"childDob": "2015-03-04", "note": "ssn 987-65-4321"}]}]}
    assert redacted(body) == {"records": [{"id": "e1", "SpouseSSN": None, "isSsnVerified": True,
                                           "dependents": [{"childDob": None, "note": "ssn ***-**-****"}]}]}
