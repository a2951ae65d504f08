"""What Paycor's OpenAPI documents state in prose for each route the sandbox serves, kept here by hand.

The sandbox answers by this table, not through the connector's reader of the documents (`paycor_openapi`):
`unit_tests/test_sandbox_rules.py` reads the documents with `paycor_openapi.descriptions` and checks that both
readings agree, so a change of either (or of the documents) fails a test instead of passing silently.

- `DATA_ACCESS`: route ("METHOD template", as the document spells it) → the item its description names after
  "Data Access:" (or "Data Access="); None where it names none (the sandbox then checks nothing);
- `INCLUDE_DATA_ACCESS`: route → {`include` value: the item the `include` parameter's description names for it};
- `WINDOW_DAYS`: route → (longest startDate..endDate range in days, the sentence of its description that says so);
  a windowed route not listed states no limit and gets `DEFAULT_WINDOW_DAYS` (Paycor's limit of the time endpoints,
  "at most 90 days per call", ../shared/paycor/API_NOTES.md).
"""

from __future__ import annotations

from typing import Dict, Optional, Tuple

DEFAULT_WINDOW_DAYS = 90

DATA_ACCESS: Dict[str, Optional[str]] = {
    "GET /v1/legalEntities/{legalEntityId}/ats/{atsAccountId}/jobs": "View ATS Account jobs by ATS Account ID",
    "GET /v1/legalEntities/{legalEntityId}/ats/{atsAccountId}/jobs/{atsJobId}": "View ATS Account Job by ATS Job Id",
    "GET /v1/legalEntities/{legalEntityId}/ats/accounts": "View ATS Accounts By Legal Entity Id",
    "GET /v1/legalEntities/{legalEntityId}/ats/{atsAccountId}/jobs/{atsJobId}/candidates": "View ATS Candidates By Job Id",
    "GET /v1/legalEntities/{legalEntityId}/ats/{atsAccountId}/jobs/{atsJobId}/candidates/{atsCandidateId}": "View ATS Candidate by Candidate Id",
    "GET /v1/BusinessEntityManager/legalentities/{legalEntityId}/PayrollCustomFieldsValues": "Get Payroll Business Entity Custom Field Values By Legal Entity",
    "GET /v1/BusinessEntityManager/legalentities/{legalEntityId}/PayrollCustomFieldsValues/{entityTypeId}": "Get Payroll Business Entity Custom Field Values By Entity Type Id",
    "GET /v1/employees/{employeeId}/BenefitClassification": "View Employee Benefit Classification By Employee Id",
    "GET /v1/employees/{employeeId}/certifications": "View Certification Information for Employee",
    "GET /v1/employees/{employeeId}/customfields": "View Employee Custom Fields",
    "GET /v1/employees/{employeeId}/deductions/{employeeDeductionId}": "View Employee Deduction Information",
    "GET /v1/employees/{employeeId}/deductions": "View Employee Deductions Information",
    "GET /v1/employees/{employeeId}/HSAaccounts": "View Employee HSA Account Information",
    "GET /v1/employees/{employeeId}/DirectDeposits": "View Employee Direct Deposit Information by Employee Id",
    "GET /v1/employees/{employeeId}/DirectDeposits/{directDepositId}": "View Employee Direct Deposit Information by Direct Deposit Id",
    "GET /v1/employees/{employeeId}/paystubDocumentData": "Get Employee Pay Stub Document Link",
    "GET /v1/employees/{employeeId}/PayStubDocument/{documentId}": "Download Employee Pay Stub Document",
    "GET /v1/employees/{employeeId}/earnings/{employeeEarningId}": "View Employee Earning Information",
    "GET /v1/employees/{employeeId}/earnings": "View Employee Earnings Information",
    "GET /v1/employees/{employeeId}/I9Verification": "View I9 Verification",
    "GET /v1/employees/{employeeId}/payrates": "View Employee Payrates",
    "GET /v1/employees/{employeeId}/unpaidPayrates": "Get Unpaid Employee Payrates By Employee Id",
    "GET /v1/employees/{employeeId}/payschedule": "View Employee Pay Schedule",
    "GET /v1/employees/{employeeId}/paystubs": "View Paystub Information",
    "GET /v1/legalentities/{legalEntityId}/paystubs": "View Paystub Information by Legal Entity Id",
    "GET /v1/employees/{employeeId}/paystubsytd": "View Paystub Information YTD",
    "GET /v1/legalentities/{legalEntityId}/paystubsytd": "View Paystub Information YTD By Legal Entity",
    "GET /v1/employees/{employeeId}/schedules": "View Legacy/Perform Employee Schedules by Employee Id",
    "GET /v1/legalEntities/{legalEntityId}/schedules": "View Legacy/Perform Employee Schedules by Legal Entity Id",
    "GET /v1/legalentities/{legalEntityId}/SchedulingJobs": "View Legal Entity Scheduling Jobs",
    "GET /v1/legalentities/{legalEntityId}/schedulingShifts": "View scheduling shifts",
    "GET /v1/legalentities/{legalEntityId}/schedulingShifts/{shiftId}": "View Scheduling Shift",
    "GET /v1/tenants/{tenantId}/employees": "View Tenant Employees",
    "GET /v1/legalentities/{legalEntityId}/employees": "View Legal Entity Employees",
    "GET /v1/legalentities/{legalEntityId}/employeesIdentifyingData": "View Legal Entity Employees Identifying Data",
    "GET /v1/legalentities/{legalEntityId}/onboardingemployees": "View Legal Entity Onboarding Employees",
    "GET /v1/legalentities/{legalEntityId}/I9DelegateUsers": "View I9 Delegate Users",
    "GET /v1/legalentities/{legalEntityId}/OnboardingNotificationUsers": "View Legal Entity Onboarding Notification Users",
    "GET /v1/employees/{employeeId}/taxes": "View Employee Taxes",
    "GET /v1/employees/taxes/filingStatus/{taxCode}": "View Filing Status by Tax Code",
    "GET /v1/employees/taxes/taxFields/{taxCode}": "Get Tax Fields By Tax Code",
    "GET /v1/legalEntities/{legalEntityId}/punches": "View Employee Time Card Punches By Legal Entity Id",
    "GET /v1/employees/{employeeId}/punches": "View Employee Time Card Punches",
    "GET /v1/employees/{employeeId}/timeoffaccruals": "View Employee Timeoff Accruals by Employee Id",
    "GET /v1/legalentities/{legalEntityId}/timeoffaccruals": "View Employee Timeoff Accruals by Legal Entity Id",
    "GET /v1/employees/{employeeId}/timeoffplanassignment": "Get Assignment of an Employee to Time Off Plans",
    "GET /v1/employees/{employeeId}/timeoffrequests": "View Timeoff Requests by Employee Id",
    "GET /v1/Reporting/Details/{transactionId}": "View File Import Reporting Status",
    "GET /v1/Reporting/Details/Public/{transactionId}": "View File Import Reporting Status",
    "GET /v1/Reporting/Details/{transactionId}/DownloadUnimportedRows": "View File Import Reporting Status",
    "GET /v1/legalentities/{legalEntityId}/generalledger": "View General Ledger Data",
    "GET /v1/legalentities/{legalEntityId}/generalledgerwithemployee": "View General Ledger With Employee Data",
    "GET /v1/legalEntities/{legalEntityId}/GeneralLedgerJobCosting": "View General Ledger Job Costing Data",
    "GET /v1/legalEntities/{legalEntityId}/GeneralLedgerJobCostingWithEmployee": "View General Ledger Job Costing With Employee Data",
    "GET /v1/Reporting/{legalEntityId}/TemplateData/{templateId}/{userId}": "View Single Report Template of a User",
    "GET /v1/Reporting/{legalEntityId}/DownloadFile/{templateId}/{userId}": "Download Report Builder File",
    "GET /v1/Reporting/{scope}/ReportingUsers": "View Reporting Users by Application Scope",
    "GET /v1/Reporting/{legalEntityId}/CustomParameters/{templateId}/{userId}": "View Report Builder Custom Parameter Values",
    "GET /v1/Reporting/{legalEntityId}/ReportIdentifiers/{userId}": "View Report Identifiers To Download Reports",
    "GET /v1/legalentities/{legalEntityId}/laborcategories": "View Labor Categories by Legal Entity Id",
    "GET /v1/legalentities/{legalEntityId}/laborcodes": "View Labor Codes by Legal Entity Id",
    "GET /v1/legalentities/{legalEntityId}": "View Legal Entity Basic Information",
    "GET /v1/legalentities/ActivatedLegalEntityTenantList": None,
    "GET /v1/legalentities/{legalEntityId}/settings": "View Legal Entity Settings Information",
    "GET /v1/legalentities/{legalEntityId}/certificationOrganizations": "View Certification Organizations for Legal Entity",
    "GET /v1/legalentities/{legalEntityId}/certifications": "View Certification Information for Legal Entity",
    "GET /v1/legalentities/{legalEntityId}/deductions": "View Legal Entity Deductions",
    "GET /v1/legalentities/{legalEntityId}/departments": "View Legal Entity Departments Information",
    "GET /v1/legalentities/{legalEntityId}/departments/{departmentId}": "View Legal Entity Departments by Department Id",
    "GET /v1/legalentities/{legalEntityId}/earnings": None,
    "GET /v1/legalentities/{legalEntityId}/forecasting": "View Legal Entity Forecasting Data",
    "GET /v1/legalentities/{legalEntityId}/calculatedforecasting": "View Legal Entity Calculated Forecasting Data",
    "GET /v1/legalentities/{legalEntityId}/jobtitles": "View Legal Entity Job Titles",
    "GET /v1/legalentities/{legalEntityId}/laborprofiles": "View Labor Profiles",
    "GET /v1/legalentities/{legalEntityId}/laborprofiles/{laborProfileId}/laborcodes": "View Labor Codes by Legal Entity Id and Labor Profile Id",
    "GET /v1/legalEntities/{legalEntityId}/LockDetails": "View Legal Entity Lock Data",
    "GET /v1/legalentities/{legalEntityId}/managerprofiles": "View Legal Entity Manager Profiles",
    "GET /v1/legalentities/{legalEntityId}/paydata": "View Paydata Information",
    "GET /v1/legalentities/{legalEntityId}/payGroups": "View Legal Entity Pay Groups",
    "GET /v1/legalentities/{legalEntityId}/payrollProcessing": "View Legal Entity Payroll Processing Data",
    "GET /v1/legalentities/{legalEntityId}/payschedule": "View Pay Schedule Information",
    "GET /v1/legalentities/{legalEntityId}/activitytypes": None,
    "GET /v1/legalentities/{legalEntityId}/schedulegroups": "View Legal Entity Schedule Groups",
    "GET /v1/legalentities/{legalEntityId}/services": "View Legal Entity Services",
    "GET /v1/legalentities/{legalEntityId}/statusReasons/{statusCategory}": "Legal Entity Status Reason",
    "GET /v1/legalentities/{legalEntityId}/taxes": "View Legal Entity Taxes",
    "GET /v1/legalentities/{legalEntityId}/punchErrorLog/{trackingId}": "View Punch Error Log",
    "GET /v1/legalentities/{legalEntityId}/HourErrorLog/{trackingId}": "View Hour Error Log",
    "GET /v1/legalentities/{legalEntityId}/payItemErrorLog/{trackingId}": "View Pay Item Error Log",
    "GET /v1/legalentities/{legalEntityId}/payItems": "View Employee Pay Items by Legal Entity ID",
    "GET /v1/employees/{employeeId}/employeePunches": "View Employee Punches by EmployeeId",
    "GET /v1/legalentities/{legalEntityId}/unassignedpunches": "View Legal Entity Unassigned Punches",
    "GET /v1/employees/{employeeId}/employeeHours": "View Employee Hours by EmployeeId",
    "GET /v1/legalentities/{legalEntityId}/missedPunchRequests": "Get Missed Punch Requests by Legal Entity Id",
    "GET /v1/legalentities/{legalEntityId}/reasonCodes": "Get Reason Codes by Legal Entity ID",
    "GET /v1/employees/{employeeId}/employeePunchProfileData": "View Employee Punch Profile Data by EmployeeId",
    "GET /v1/employees/{employeeId}/employeePolicyGroupData": "View Employee Policy Group Data by EmployeeId",
    "GET /v1/legalentities/{legalEntityId}/timeoffplans": "View Legal Entity Time Off Plans",
    "GET /v1/legalentities/{legalEntityId}/timeoffrequests": "View Timeoff Requests by Legal Entity Id",
    "GET /v1/legalentities/{legalEntityId}/timeoffRequests/{timeoffRequestId}": "View Timeoff Requests by Timeoff Request Id",
    "GET /v1/legalentities/{legalEntityId}/timeOffRequestsErrorLog/{trackingId}": "View Timeoff Requests Error log by Legal entity Id and Tracking Id",
    "GET /v1/legalentities/{legalEntityId}/timeofftypes": "View Legal Entity Time Off Types",
    "GET /v1/legalentities/{legalEntityId}/worklocations": "View Legal Entity Work Locations",
    "GET /v1/legalentities/{legalEntityId}/worklocations/{workLocationId}": "View Legal Entity Work Location",
    "GET /v1/legalentities/{legalEntityId}/worksites": "View Legal Entity Work Sites",
    "GET /v1/legalEntities/{legalEntityId}/persons": "View Legal Entity Persons",
    "GET /v1/tenants/{tenantId}/persons": "View Tenant Persons",
    "GET /v1/tenants/{tenantId}/persons/{personId}": "View Person Information",
    "GET /v1/employees/{employeeId}/person": "View Employee Person",
    "GET /v1/legalEntities/{legalEntityId}/GetRetirementData": "View Retirement Data",
    "GET /v1/tenants/{tenantId}": "View Tenant Information",
    "GET /v1/tenants/{tenantId}/worklocations": "View Tenant Work Locations",
    "GET /v1/tenants/{tenantId}/jobtitles": "View Tenant Job Titles",
    "GET /api/Health": None,
    "GET /api/Health/ping": None,
    "GET /v2/legalentities/{legalEntityId}/payrollhours": "View Legal Entity Imported Payroll Hours",
    "GET /v2/employees/{employeeId}": "View Employee Information",
    "GET /v2/legalentities/{legalEntityId}/employees": "View Legal Entity Employees",
    "GET /v2/tenants/{tenantId}/employees": "View Tenant Employees",
    "GET /v2/legalentities/{legalEntityId}/employeesIdentifyingData": "View Legal Entity Employees Identifying Data",
    "GET /v2/legalentities/{legalEntityId}/onboardingemployees": "View Legal Entity Onboarding Employees",
    "GET /v2/employees/{employeeId}/punches": "View Employee Time Card Punches",
    "GET /v2/legalEntities/{legalEntityId}/punches": "View Employee Time Card Punches By Legal Entity Id",
    "GET /v2/employees/{employeeId}/timeoffaccruals": "View Employee Timeoff Accruals by Employee Id",
    "GET /v2/legalentities/{legalEntityId}/timeoffaccruals": "View Employee Timeoff Accruals by Legal Entity Id",
    "GET /v2/legalentities/{legalEntityId}/departments": "View Legal Entity Departments Information",
    "GET /v2/legalentities/{legalEntityId}/departments/{departmentId}": "View Legal Entity Departments by Department Id",
    "GET /v2/legalentities/{legalEntityId}/laborcodewithrates": "View Labor Codes by Legal Entity Id",
    "GET /v2/legalentities/{legalEntityId}/worklocations": "View Legal Entity Work Locations",
    "GET /v2/legalentities/{legalEntityId}/worklocations/{workLocationId}": "View Legal Entity Work Location",
    "POST /v1/legalentities/{legalEntityId}/customfields": "Legal Entity CustomFields",
}

INCLUDE_DATA_ACCESS: Dict[str, Dict[str, str]] = {
    "GET /v1/employees/{employeeId}/deductions/{employeeDeductionId}": {
        "AmountData": "View Employee Deduction Amounts",
    },
    "GET /v1/employees/{employeeId}/deductions": {
        "AmountData": "View Employee Deductions Amounts",
    },
    "GET /v1/employees/{employeeId}/earnings/{employeeEarningId}": {
        "AmountData": "View Employee Earning Amounts",
    },
    "GET /v1/employees/{employeeId}/earnings": {
        "AmountData": "View Employee Earnings Amounts",
    },
    "GET /v1/employees/{employeeId}/paystubs": {
        "GrossAmount": "View Paystub Gross Pay Information",
        "NetAmount": "View Paystub Net Pay Information",
        "Earnings": "View Paystub Earning Information",
        "Taxes": "View Paystub Tax Information",
        "Deductions": "View Paystub Deduction Information",
    },
    "GET /v1/legalentities/{legalEntityId}/paystubs": {
        "GrossAmount": "View Paystub Gross Pay Information",
        "NetAmount": "View Paystub Net Pay Information",
        "Earnings": "View Paystub Earning Information",
        "Taxes": "View Paystub Tax Information",
        "Deductions": "View Paystub Deduction Information",
    },
    "GET /v1/employees/{employeeId}/paystubsytd": {
        "Earnings": "View Paystub Earning Information YTD",
        "Taxes": "View Paystub Tax Information YTD",
        "Deductions": "View Paystub Deduction Information YTD",
    },
    "GET /v1/legalentities/{legalEntityId}/paystubsytd": {
        "Earnings": "View Paystub Earning Information YTD By Legal Entity",
        "Taxes": "View Paystub Tax Information YTD By Legal Entity",
        "Deductions": "View Paystub Deduction Information YTD By Legal Entity",
    },
    "GET /v1/legalentities/{legalEntityId}/employees": {
        "EmploymentDates": "View Legal Entity Employees Employment Dates",
        "Status": "View Legal Entity Employees Status",
        "Position": "View Legal Entity Employees Position",
        "WorkLocation": "View Legal Entity Employees Work Location",
    },
    "GET /v1/employees/{employeeId}/taxes": {
        "TaxCredits": "View Employee Tax Credits",
    },
    "GET /v1/legalentities/{legalEntityId}": {
        "BusinessNames": "View Legal Entity Business Names & Addresses",
    },
    "GET /v1/legalEntities/{legalEntityId}/persons": {
        "Demographic": "View Person Demographic Information",
        "Benefit": "View Person Disability and Tobacco Status",
        "Military": "View Person Military",
        "SocialMedia": "View Person Social Media",
        "Addresses": "View Person Addresses",
        "EmployeeAssignments": "View Employee Records",
        "SocialSecurityNumber": "View Person SSN",
        "Phones": "View Person Phone",
        "Email": "View Person Email",
    },
    "GET /v2/employees/{employeeId}": {
        "EmploymentDates": "View Employee Employment Dates",
        "Status": "View Employee Status",
        "Position": "View Employee Position",
        "WorkLocation": "View Employee Work Location",
    },
    "GET /v2/legalentities/{legalEntityId}/employees": {
        "EmploymentDates": "View Legal Entity Employees Employment Dates",
        "Status": "View Legal Entity Employees Status",
        "Position": "View Legal Entity Employees Position",
        "WorkLocation": "View Legal Entity Employees Work Location",
    },
}

WINDOW_DAYS: Dict[str, Tuple[int, str]] = {
    "GET /v1/employees/{employeeId}/schedules": (90, "Start date and end date range can be no greater than 90 days"),
    "GET /v1/legalEntities/{legalEntityId}/schedules": (
        90,
        "Start date and end date range can be no greater than 90 days",
    ),
    "GET /v1/legalEntities/{legalEntityId}/punches": (
        90,
        "Start date and end date range can be no greater than 90 days",
    ),
    "GET /v1/employees/{employeeId}/punches": (90, "Start date and end date range can be no greater than 90 days"),
    "GET /v1/employees/{employeeId}/timeoffrequests": (
        90,
        "Start date and end date range can be no greater than 90 days",
    ),
    "GET /v1/legalentities/{legalEntityId}/payItems": (
        30,
        "Start date and end date range can be no greater than 30 days",
    ),
    "GET /v1/employees/{employeeId}/employeePunches": (
        31,
        "Start date and end date range can be no greater than 31 days",
    ),
    "GET /v1/legalentities/{legalEntityId}/unassignedpunches": (
        90,
        "Start date and end date range can be no greater than 90 days",
    ),
    "GET /v1/employees/{employeeId}/employeeHours": (
        31,
        "Start date and end date range can be no greater than 31 days",
    ),
    "GET /v1/legalentities/{legalEntityId}/missedPunchRequests": (
        31,
        "Start date and end date range can be upto 31 days",
    ),
    "GET /v1/legalentities/{legalEntityId}/timeoffrequests": (
        90,
        "Start date and end date range can be no greater than 90 days",
    ),
    "GET /v2/employees/{employeeId}/punches": (90, "Start date and end date range can be no greater than 90 days"),
    "GET /v2/legalEntities/{legalEntityId}/punches": (
        90,
        "Start date and end date range can be no greater than 90 days",
    ),
}


def _lowered(table: dict) -> dict:
    return {key.lower(): value for key, value in table.items()}


_DATA_ACCESS, _INCLUDE, _WINDOWS = _lowered(DATA_ACCESS), _lowered(INCLUDE_DATA_ACCESS), _lowered(WINDOW_DAYS)


def data_access(method: str, template: str) -> Optional[str]:
    """The Data Access item the route's description names (None: none named, or a route the table lacks)."""
    return _DATA_ACCESS.get(f"{method} {template}".lower())


def include_data_access(method: str, template: str) -> Dict[str, str]:
    """`include` value → the Data Access item it needs, for the route."""
    return dict(_INCLUDE.get(f"{method} {template}".lower(), {}))


def window_days(method: str, template: str) -> int:
    """The longest startDate..endDate range of the route, in days (`DEFAULT_WINDOW_DAYS` where none is stated)."""
    rule = _WINDOWS.get(f"{method} {template}".lower())
    return rule[0] if rule else DEFAULT_WINDOW_DAYS
