"""What the connector says it does, it does: account numbers as documented, base_url mistakes said at once,
ESTIMATE messages in rows."""

from __future__ import annotations

from airbyte_cdk.models import SyncMode
from airbyte_cdk.test.catalog_builder import CatalogBuilder
from airbyte_cdk.test.entrypoint_wrapper import read

from source_paycor import SourcePaycor
from source_paycor.streams.catalog import by_name

from .builders import BASE, config, page

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
