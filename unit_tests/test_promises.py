"""What the connector says it does, it does: account numbers as documented, base_url mistakes said at once,
ESTIMATE messages in rows."""

from __future__ import annotations

import time

import pytest
import requests
from airbyte_cdk.models import SyncMode
from airbyte_cdk.test.catalog_builder import CatalogBuilder
from airbyte_cdk.test.entrypoint_wrapper import read

from source_paycor import SourcePaycor
from source_paycor.streams.catalog import by_name

from .builders import ACTIVATED_URL, BASE, TOKEN_URL, config, page
from .test_bad_input import assert_refused_naming, invoke

DEPOSIT = {
    "id": "0c2f1a3e-1111-4222-a333-444455556666",
    "accountType": "Checking",
    "maskedAccountNumber": "****6789",
    "routingNumber": "021000021",
    "bankName": "First Bank",
}


def test_given_sensitive_data_on_when_direct_deposits_read_then_one_list_call_per_employee_and_no_full_account_number_asked(paycor):
    paycor.get(BASE + "/v2/legalentities/11/employees", json=page([{"id": "e1"}, {"id": "e2"}]))
    paycor.get(BASE + "/v1/employees/e1/DirectDeposits", json=page([DEPOSIT]))
    paycor.get(BASE + "/v1/employees/e2/DirectDeposits", json=page([]))
    catalog = CatalogBuilder().with_stream("employee_direct_deposits", SyncMode.full_refresh).build()

    output = read(SourcePaycor(), config(include_sensitive_data=True), catalog)

    deposit_calls = [call for call in paycor.request_history if "/directdeposits" in call.url.lower()]
    assert [call.path for call in deposit_calls] == ["/v1/employees/e1/directdeposits", "/v1/employees/e2/directdeposits"]
    assert not any("includeunmaskedaccountnumber" in call.url.lower() for call in paycor.request_history)
    [record] = [m.record.data for m in output.records]
    assert record["routingNumber"] == "021000021"  # sensitive, read with the option on
    assert record["maskedAccountNumber"] == "****6789"
    assert record.get("unmaskedAccountNumber") is None  # not asked for, and the list did not send it


def test_given_the_catalog_then_no_stream_promises_full_account_numbers():
    """Paycor documents the full number only per deposit (by id), which the connector does not call."""
    for spec in by_name().values():
        text = spec.description.lower()
        assert "unmasked account number" not in text or "not" in text, spec.name
    for name in ("employee_direct_deposits", "employee_hsa_accounts"):
        assert "Full account numbers are not asked for" in by_name()[name].description


# --- base_url: a URL no call can be sent to fails at once, in one sentence naming the field -----------------
@pytest.mark.parametrize(
    "base_url",
    ["htp://x", "http://", "https://apis paycor.com", "https://.apis.paycor.com", "https://apis..paycor.com",
     "https://" + "a" * 64 + ".paycor.com"],
)
@pytest.mark.parametrize("command", ["check", "read"])
def test_given_base_url_no_call_can_be_sent_to_when_check_or_read_then_one_sentence_naming_it_at_once(
    command, base_url, requests_mock, capfd, tmp_path
):
    catalog = {"streams": [{"stream": {"name": "departments", "json_schema": {}, "supported_sync_modes": ["full_refresh"]},
                            "sync_mode": "full_refresh", "destination_sync_mode": "overwrite"}]}
    started = time.monotonic()
    _, messages, out = invoke(capfd, tmp_path, command, config(base_url=base_url), **({"catalog": catalog} if command == "read" else {}))
    assert time.monotonic() - started < 10
    assert_refused_naming(messages, out, "`base_url`")
    assert requests_mock.call_count == 0


@pytest.mark.parametrize("error", [requests.exceptions.InvalidURL, requests.exceptions.InvalidSchema, requests.exceptions.MissingSchema])
def test_given_data_call_raising_an_unusable_url_error_when_read_then_config_error_naming_base_url_after_one_attempt(
    error, paycor, capfd, tmp_path, no_sleep
):
    departments = BASE + "/v2/legalentities/11/departments"
    paycor.get(departments, exc=error("no adapter for this URL"))
    catalog = {"streams": [{"stream": {"name": "departments", "json_schema": {}, "supported_sync_modes": ["full_refresh"]},
                            "sync_mode": "full_refresh", "destination_sync_mode": "overwrite"}]}
    _, messages, out = invoke(capfd, tmp_path, "read", config(), catalog=catalog)
    errors = [m["trace"]["error"] for m in messages if m["type"] == "TRACE" and m["trace"]["type"] == "ERROR"]
    assert errors and all(e["failure_type"] == "config_error" for e in errors), errors
    assert any("`base_url`" in e["message"] and error.__name__ in e["message"] for e in errors), errors
    assert [c.url for c in paycor.request_history].count(departments) == 1  # not retried
    assert not no_sleep  # nobody waited for a retry


@pytest.mark.parametrize("error", [requests.exceptions.InvalidURL, requests.exceptions.InvalidSchema])
def test_given_token_call_raising_an_unusable_url_error_when_check_then_one_sentence_naming_base_url_after_one_attempt(
    error, requests_mock, capfd, tmp_path, no_sleep
):
    requests_mock.post(TOKEN_URL, exc=error("cannot send"))
    requests_mock.get(ACTIVATED_URL, json={"userLegalEntities": []})
    _, messages, out = invoke(capfd, tmp_path, "check", config())
    message = assert_refused_naming(messages, out, "`base_url`")
    assert error.__name__ in message
    assert len([c for c in requests_mock.request_history if c.method == "POST"]) == 1
    assert not no_sleep
