"""The reading order: per-employee (budget-bound) and payroll (CPU-bound) streams alternate."""

from __future__ import annotations

from airbyte_cdk.models import AirbyteStream, ConfiguredAirbyteStream, DestinationSyncMode, SyncMode

from source_paycor.streams.catalog import STREAMS
from source_paycor.streams.order import OTHER, PER_EMPLOYEE, RECORD_HEAVY, load_kind, reading_order

ALL = [spec.name for spec in STREAMS]
KIND = {spec.name: load_kind(spec) for spec in STREAMS}


def test_given_every_stream_when_ordered_then_light_streams_first_then_per_employee_and_payroll_alternate():
    order = reading_order(ALL)
    assert sorted(order) == sorted(ALL)
    others = [name for name in ALL if KIND[name] == OTHER]
    assert order[: len(others)] == others  # in the catalog's order
    woven = order[len(others):]
    per_employee = [name for name in ALL if KIND[name] == PER_EMPLOYEE]
    payroll = [name for name in ALL if KIND[name] == RECORD_HEAVY]
    assert [name for name in woven if KIND[name] == PER_EMPLOYEE] == per_employee
    assert [name for name in woven if KIND[name] == RECORD_HEAVY] == payroll
    assert [KIND[name] for name in woven[: 2 * len(payroll)]] == [PER_EMPLOYEE, RECORD_HEAVY] * len(payroll)
    assert woven[:4] == ["employee_pay_rates", "payroll_processing", "employee_unpaid_pay_rates", "paydata"]


def test_given_the_kinds_then_per_employee_means_one_call_per_employee_and_heavy_means_payroll():
    assert {name for name, kind in KIND.items() if kind == PER_EMPLOYEE} >= {"employee_pay_rates", "employee_hours", "employee_unpaid_pay_rates"}
    assert {name for name, kind in KIND.items() if kind == RECORD_HEAVY} >= {"paydata", "paystubs", "general_ledger_employees"}
    assert KIND["employees"] == KIND["punches"] == KIND["departments"] == OTHER


def test_given_one_kind_selected_when_ordered_then_catalog_order_kept():
    assert reading_order(["paystubs", "paydata", "general_ledger"]) == ["paystubs", "paydata", "general_ledger"]
    assert reading_order(["employee_taxes", "employee_pay_rates"]) == ["employee_taxes", "employee_pay_rates"]
    assert reading_order([]) == []


def test_given_configured_streams_when_ordered_then_the_same_objects_come_back_reordered():
    def configured(name):
        stream = AirbyteStream(name=name, json_schema={}, supported_sync_modes=[SyncMode.full_refresh])
        return ConfiguredAirbyteStream(stream=stream, sync_mode=SyncMode.full_refresh, destination_sync_mode=DestinationSyncMode.overwrite)

    streams = [configured(name) for name in ("employee_pay_rates", "employee_taxes", "paystubs", "departments")]
    order = reading_order(streams, lambda item: item.stream.name)
    assert [item.stream.name for item in order] == ["departments", "employee_pay_rates", "paystubs", "employee_taxes"]
    assert all(any(item is original for original in streams) for item in order)
