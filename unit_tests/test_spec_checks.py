"""Catalog rows whose fields do not fit together are refused when the catalog loads, naming the row."""

from __future__ import annotations

import pytest

from source_paycor.streams.catalog import INTERNAL_STREAMS, STREAMS, Bulk, FanOut, StreamSpec, Window
from source_paycor.streams.catalog.checks import SpecError, validate

EMPLOYEE_LIST = StreamSpec("employee_list", "/v2/legalentities/{legalEntityId}/employees")
EMPLOYEES = FanOut("employee_list", {"employeeId": "id"})


def test_given_the_catalog_then_every_row_passes():
    validate((*STREAMS, *INTERNAL_STREAMS))  # (also done when the catalog loads)


BAD_ROWS = {
    "parent missing": (
        [StreamSpec("rates", "/v1/employees/{employeeId}/payrates", fan_out=FanOut("no_such_list", {"employeeId": "id"}))],
        "Catalog row rates: its fan-out's parent no_such_list is no row of the catalog.",
    ),
    "parents fan out from each other": (
        [
            StreamSpec("jobs", "/v1/x/{accountId}/jobs", fan_out=FanOut("accounts", {"accountId": "accountId"})),
            StreamSpec("accounts", "/v1/y/{jobId}/accounts", fan_out=FanOut("jobs", {"jobId": "id"})),
        ],
        "Catalog row jobs: its parents fan out from each other (jobs → accounts → jobs).",
    ),
    "its own parent": (
        [StreamSpec("loop", "/v1/x/{id}", fan_out=FanOut("loop", {"id": "id"}))],
        "Catalog row loop: its parents fan out from each other (loop → loop).",
    ),
    "bulk without a fan-out": (
        [StreamSpec("custom", "/v1/legalentities/{legalEntityId}/customfields", bulk=Bulk("/v1/legalentities/{legalEntityId}/customfields"))],
        "Catalog row custom: a bulk route needs a fan-out to fall back to when Paycor denies it.",
    ),
    "bulk carrying a field the fan-out lacks": (
        [EMPLOYEE_LIST, StreamSpec("custom", "/v1/employees/{employeeId}/customfields", fan_out=EMPLOYEES,
                                   bulk=Bulk("/v1/legalentities/{legalEntityId}/customfields", fields={"personId": "person.id"}))],
        "Catalog row custom: its bulk route carries personId, which are not fan-out fields.",
    ),
    "window and fan_out_cursor": (
        [EMPLOYEE_LIST, StreamSpec("hours", "/v1/employees/{employeeId}/hours", fan_out=FanOut("employee_list", {"employeeId": "id", "day": "day"}),
                                   window=Window("day"), fan_out_cursor="day")],
        "Catalog row hours: a window and a fan_out_cursor both make the cursor; keep one.",
    ),
    "fan_out_cursor without a fan-out": (
        [StreamSpec("ledger", "/v1/legalentities/{legalEntityId}/ledger", fan_out_cursor="checkDate")],
        "Catalog row ledger: its fan_out_cursor checkDate is not a field its fan-out brings.",
    ),
    "record_only not a fan-out field": (
        [EMPLOYEE_LIST, StreamSpec("rates", "/v1/employees/{employeeId}/payrates",
                                   fan_out=FanOut("employee_list", {"employeeId": "id"}, record_only=("checkDate",)))],
        "Catalog row rates: its fan-out's record_only checkDate are not fan-out fields.",
    ),
    "placeholder no slice fills": (
        [StreamSpec("rates", "/v1/employees/{employeeId}/payrates")],
        "Catalog row rates: its path /v1/employees/{employeeId}/payrates has employeeId, which no slice fills (fan-out fields, each).",
    ),
    "row_key outside the key": (
        [StreamSpec("ledger", "/v1/legalentities/{legalEntityId}/ledger", ("id",), row_key=("employeeId",))],
        "Catalog row ledger: its row_key makes the field rowKey, which its primary key does not hold.",
    ),
    "two rows of one name": (
        [EMPLOYEE_LIST, StreamSpec("employee_list", "/v1/legalentities/{legalEntityId}/employees")],
        "Catalog row employee_list: a second row has this name; stream names are unique.",
    ),
}


@pytest.mark.parametrize("rows, message", BAD_ROWS.values(), ids=BAD_ROWS.keys())
def test_given_a_row_whose_fields_do_not_fit_when_validated_then_refused_naming_the_row(rows, message):
    with pytest.raises(SpecError) as refused:
        validate(rows)
    assert str(refused.value) == message


def test_given_a_good_fan_out_chain_then_it_passes():
    validate([
        StreamSpec("accounts", "/v1/legalEntities/{legalEntityId}/ats/accounts"),
        StreamSpec("jobs", "/v1/legalEntities/{legalEntityId}/ats/{atsAccountId}/jobs", fan_out=FanOut("accounts", {"atsAccountId": "id"})),
        StreamSpec("candidates", "/v1/x/{atsAccountId}/jobs/{atsJobId}/candidates",
                   fan_out=FanOut("jobs", {"atsAccountId": "atsAccountId", "atsJobId": "id"})),
        StreamSpec("reasons", "/v1/legalentities/{legalEntityId}/statusReasons/{statusCategory}", each={"statusCategory": ("Hire",)}),
    ])
