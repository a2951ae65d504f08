"""Payroll: pay runs windowed by check date, and what each pay run holds (family "payroll")."""

from __future__ import annotations

from typing import Tuple

from .parts import JOB_COSTING, JOB_COSTING_ROW, LEDGER_ROW, PAY_RUNS
from .spec import FanOut, StreamSpec, Window

ROWS: Tuple[StreamSpec, ...] = (
    StreamSpec(
        "payroll_processing",
        "/v1/legalentities/{legalEntityId}/payrollProcessing",
        ("plannerId",),
        family="payroll",
        window=Window("checkDate", "fromCheckDate", "toCheckDate", future_days=60),
        description="Regular pay runs (planner ids, check and process dates), including the next 60 days.",
    ),
    StreamSpec(
        "paydata",
        "/v1/legalentities/{legalEntityId}/paydata",
        ("employeeId", "checkDate"),
        family="payroll",
        window=Window("checkDate", "fromCheckDate", "toCheckDate", future_days=14),
        description="The dates each employee was actually paid (one record per employee and check date).",
    ),
    StreamSpec(
        "paystubs",
        "/v1/legalentities/{legalEntityId}/paystubs",
        ("plannerId", "employeeId", "checkNumber"),
        {"include": ["All"]},
        family="payroll",
        fan_out=PAY_RUNS,
        fan_out_cursor="checkDate",
        description=(
            "Every paystub of every pay run with gross, net, earnings, taxes and deductions (include=All; one "
            "call per pay run)."
        ),
    ),
    StreamSpec(
        "paystubs_ytd",
        "/v1/legalentities/{legalEntityId}/paystubsytd",
        ("employeeId",),
        {"include": ["All"]},
        family="payroll",
        dated_params={"toCheckDate": 0},
        description=(
            "Each employee's year-to-date earnings, taxes and deductions as of the sync's date (toCheckDate=today)."
        ),
    ),
    StreamSpec(
        "pay_schedule",
        "/v1/legalentities/{legalEntityId}/payschedule",
        ("payGroupId", "plannerId"),
        family="payroll",
        fan_out=FanOut("pay_groups", {"payGroupId": "payGroupId"}),
        dated_params={"asOfDate": 0, "untilDate": 365},
        description="The scheduled pay runs of each pay group for the coming year (one call per pay group).",
    ),
    StreamSpec(
        "general_ledger",
        "/v1/legalentities/{legalEntityId}/generalledger",
        ("plannerId", "rowKey"),
        family="payroll",
        fan_out=PAY_RUNS,
        fan_out_cursor="checkDate",
        row_key=LEDGER_ROW,
        description="The general ledger lines of every pay run (one call per pay run).",
    ),
    StreamSpec(
        "general_ledger_employees",
        "/v1/legalentities/{legalEntityId}/generalledgerwithemployee",
        ("plannerId", "rowKey"),
        family="payroll",
        fan_out=PAY_RUNS,
        fan_out_cursor="checkDate",
        row_key=LEDGER_ROW,
        description="The general ledger lines of every pay run per employee, with names (one call per pay run).",
    ),
    StreamSpec(
        "general_ledger_job_costing",
        "/v1/legalEntities/{legalEntityId}/GeneralLedgerJobCosting",
        ("plannerId", "rowKey"),
        family="payroll",
        fan_out=PAY_RUNS,
        fan_out_cursor="checkDate",
        product=JOB_COSTING,
        row_key=JOB_COSTING_ROW,
        description="The job-costing general ledger lines of every pay run (one call per pay run).",
    ),
    StreamSpec(
        "general_ledger_job_costing_employees",
        "/v1/legalEntities/{legalEntityId}/GeneralLedgerJobCostingWithEmployee",
        ("plannerId", "rowKey"),
        family="payroll",
        fan_out=PAY_RUNS,
        fan_out_cursor="checkDate",
        product=JOB_COSTING,
        row_key=JOB_COSTING_ROW,
        description="The job-costing general ledger lines of every pay run per employee (one call per pay run).",
    ),
    StreamSpec(
        "retirement_data",
        "/v1/legalEntities/{legalEntityId}/GetRetirementData",
        ("plannerId", "rowKey"),
        family="payroll",
        fan_out=PAY_RUNS,
        fan_out_cursor="checkDate",
        sensitive_only=True,
        row_key=("employeeId", "planId", "clientDeductionUID", "globalDeductionCode", "rDetailUID", "rDetailType"),
        description="Retirement plan (401k) data of every pay run, with SSNs; read only with `include_sensitive_data`.",
    ),
    StreamSpec(
        "payroll_hours",
        "/v2/legalentities/{legalEntityId}/payrollhours",
        ("processId",),
        family="payroll",
        description="Payroll hours imported into the Paycor payroll grid, per import (process id).",
    ),
)
