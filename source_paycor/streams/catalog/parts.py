"""Parts that rows of several families use: the Paycor products that gate a stream, the fan-outs from the
employee lists and the pay runs, the fields that name a row Paycor gives no id."""

from __future__ import annotations

from .spec import FanOut

# Paycor products (flags of `GET /v1/legalentities/{id}/services`, the `Services` schema) that optional
# endpoints need; a legal entity with none of a stream's flags is skipped with one INFO line.
TIME = ("performTime", "timeOnDemand")
SCHEDULING = ("performTimeScheduling", "paycorScheduling", "paycorSchedulingPro")
ACCRUALS = ("performAccruals", "resellerAccruals")
TIME_OFF = ("performTimeOff", *ACCRUALS)
LABOR = ("jobCosting", "workforceManagement")  # "you will need the Job Costing or Workforce Management Service"
JOB_COSTING = ("jobCosting",)
ONBOARDING = ("onboarding",)

# Fan-outs shared by several streams.
EMPLOYMENT_DATE_DATA = "employmentDateData"
TERMINATION_DATE = EMPLOYMENT_DATE_DATA + ".terminationDate"
EMPLOYEES = FanOut("employee_ids", {"employeeId": "id"}, terminated=TERMINATION_DATE)
UNPAID_WORKERS = FanOut("unpaid_worker_ids", {"employeeId": "id"}, terminated=TERMINATION_DATE)
# The employee lists carry hire, rehire and termination dates only with include=EmploymentDates (Data Access "View
# Legal Entity Employees Employment Dates"): asked always (same pages), read without where Paycor denies them.
EMPLOYMENT_DATES = {"include": ["EmploymentDates"]}
PAY_RUNS = FanOut(
    "payroll_processing", {"plannerId": "plannerId", "checkDate": "checkDate"}, record_only=("checkDate",)
)
# General-ledger rows carry no id: these fields (and the row's occurrence among equals) name a row.
LEDGER_ROW = ("employeeId", "departmentId", "accountNumber", "accountDescription", "itemDescription", "accountItemize")
JOB_COSTING_ROW = (
    "employeeId",
    "departmentId",
    "accountNumber",
    "accountDescription",
    "payNumber",
    *(f"laborCategory{n}Id" for n in range(1, 7)),
    *(f"laborCode{n}Id" for n in range(1, 7)),
)
