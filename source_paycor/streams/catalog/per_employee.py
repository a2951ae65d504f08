"""Per employee: one call per employee of the employee list, or one bulk call per legal entity where Paycor
has one (family "employee")."""

from __future__ import annotations

from typing import Tuple

from .parts import EMPLOYEES, TIME, TIME_OFF, UNPAID_WORKERS
from .spec import Bulk, StreamSpec, Window

ROWS: Tuple[StreamSpec, ...] = (
    StreamSpec(
        "employee_pay_rates",
        "/v1/employees/{employeeId}/payrates",
        ("id",),
        family="employee",
        fan_out=EMPLOYEES,
        skip_not_found=True,
        description="Each employee's pay rates, current and past.",
    ),
    StreamSpec(
        "employee_unpaid_pay_rates",
        "/v1/employees/{employeeId}/unpaidPayrates",
        ("payRateId",),
        family="employee",
        fan_out=UNPAID_WORKERS,
        skip_not_found=True,
        description="The pay rates of unpaid workers (workerCategory Unpaid), one call per unpaid worker.",
    ),
    StreamSpec(
        "employee_earnings",
        "/v1/employees/{employeeId}/earnings",
        ("id",),
        {"include": ["All"]},
        family="employee",
        fan_out=EMPLOYEES,
        skip_not_found=True,
        description="Each employee's recurring earnings, with amounts (include=All).",
    ),
    StreamSpec(
        "employee_deductions",
        "/v1/employees/{employeeId}/deductions",
        ("id",),
        {"include": ["All"]},
        family="employee",
        fan_out=EMPLOYEES,
        skip_not_found=True,
        description="Each employee's deductions, with amounts and limits (include=All).",
    ),
    StreamSpec(
        "employee_taxes",
        "/v1/employees/{employeeId}/taxes",
        ("id",),
        {"include": ["All"]},
        family="employee",
        fan_out=EMPLOYEES,
        skip_not_found=True,
        description="Each employee's tax setup: filing status, exemptions, credits (include=All).",
    ),
    StreamSpec(
        "employee_direct_deposits",
        "/v1/employees/{employeeId}/DirectDeposits",
        ("id",),
        family="employee",
        fan_out=EMPLOYEES,
        skip_not_found=True,
        description=(
            "Each employee's direct deposits, with masked account numbers; routing numbers only with "
            "`include_sensitive_data`. Full account numbers are not asked for (Paycor gives them one deposit a call)."
        ),
    ),
    StreamSpec(
        "employee_hsa_accounts",
        "/v1/employees/{employeeId}/HSAaccounts",
        ("id",),
        family="employee",
        fan_out=EMPLOYEES,
        skip_not_found=True,
        description=(
            "Each employee's HSA deposits, with masked account numbers; routing numbers only with "
            "`include_sensitive_data`. Full account numbers are not asked for (Paycor documents them for no HSA route)."
        ),
    ),
    StreamSpec(
        "employee_custom_fields",
        "/v1/employees/{employeeId}/customfields",
        ("customFieldId",),
        family="employee",
        fan_out=EMPLOYEES,
        skip_not_found=True,
        bulk=Bulk("/v1/legalentities/{legalEntityId}/customfields", "POST", {}, {"employeeId": "employee.id"}),
        description="Each employee's custom field values, read in bulk per legal entity (POST, body `{}`: all "
        "fields); per employee where the bulk route is denied.",
    ),
    StreamSpec(
        "employee_certifications",
        "/v1/employees/{employeeId}/certifications",
        ("employeeCertificationId",),
        family="employee",
        fan_out=EMPLOYEES,
        skip_not_found=True,
        description="The certifications each employee holds.",
    ),
    StreamSpec(
        "employee_benefit_classifications",
        "/v1/employees/{employeeId}/BenefitClassification",
        ("employeeId",),
        family="employee",
        fan_out=EMPLOYEES,
        skip_not_found=True,
        description="Each employee's benefit classifications (one record per employee).",
    ),
    StreamSpec(
        "employee_time_off_plan_assignments",
        "/v1/employees/{employeeId}/timeoffplanassignment",
        ("planAssignmentId",),
        family="employee",
        fan_out=EMPLOYEES,
        skip_not_found=True,
        product=TIME_OFF,
        description="The time-off plans each employee is assigned to, with starting balances.",
    ),
    StreamSpec(
        "employee_punch_profiles",
        "/v1/employees/{employeeId}/employeePunchProfileData",
        ("employeeId",),
        family="employee",
        fan_out=EMPLOYEES,
        skip_not_found=True,
        product=TIME,
        description="Each employee's punch profile: where and on what they may punch.",
    ),
    StreamSpec(
        "employee_policy_groups",
        "/v1/employees/{employeeId}/employeePolicyGroupData",
        ("employeeId",),
        family="employee",
        fan_out=EMPLOYEES,
        skip_not_found=True,
        product=TIME,
        description="Each employee's Perform Time policy group and its policies.",
    ),
    StreamSpec(
        "employee_i9_verifications",
        "/v1/employees/{employeeId}/I9Verification",
        ("employeeId",),
        family="employee",
        fan_out=EMPLOYEES,
        skip_not_found=True,
        sensitive_only=True,
        description="Each employee's I-9 work eligibility and documents; read only with `include_sensitive_data`.",
    ),
    StreamSpec(
        "employee_hours",
        "/v1/employees/{employeeId}/employeeHours",
        ("hourId",),
        family="employee",
        fan_out=EMPLOYEES,
        skip_not_found=True,
        product=TIME,
        window=Window("startDateTime"),
        description=(
            "Each employee's hour entries (one call per employee and 31 days: costly, select it only if needed)."
        ),
    ),
)
