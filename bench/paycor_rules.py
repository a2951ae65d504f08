"""Paycor's documented rules and the job of every stream, kept by hand for `bench/honest_minimum.py`.

The honest minimum must not learn the job from the connector (`source_paycor`, its catalog) nor from the connector's
reader of the documents (`paycor_openapi`): what it counts comes from here. Each rule quotes where Paycor states it —
the operation's description in `openapi/paycor-v1.json` / `paycor-v2.json` (`DOC`), or `../shared/paycor/API_NOTES.md`
(`NOTES`, gathered from the documents and from public clients of the live API).
`unit_tests/test_bench_rules.py` checks every quote against its source and every row against the connector's catalog
(the same streams, routes and parameters: the same job), so that neither drifts silently.

What a row says (one per stream the connector offers):
- `path`, `query`: the route and its fixed query; one request per tenant (`{tenantId}`) or legal entity
  (`{legalEntityId}`), × each value of `each`, × each record of `parent` (a fan-out: `fan` maps a path or query
  name to the parent record's field);
- `window`: the date range is cut into windows of at most `max_days` days (inclusive), the documented limit;
  `future_days` is how far past today the stream's job reads (planned data);
- `employment_windows`: a per-employee dated stream: windows only within the employee's employment;
- `products`: Paycor services (flags of `GET /v1/legalentities/{id}/services`) of which one is needed;
- `sensitive_only`: the job reads nothing without `include_sensitive_data` (the bench reads without it);
- `bulk`: a documented legal-entity route answering what the per-employee calls answer together.

The Report Builder streams are no rows: their templates are found at run time (`REPORT_ROUTES` below).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Mapping, Optional, Sequence, Tuple

DOC = "openapi"  # the operation's description in openapi/paycor-v1.json or paycor-v2.json
NOTES = "API_NOTES"  # ../shared/paycor/API_NOTES.md


@dataclass(frozen=True)
class Quote:
    text: str  # verbatim
    source: str  # DOC (the description of the route it is attached to) or NOTES
    route: str = ""  # for DOC quotes about another route than the row's: "METHOD /path"


# ------------------------------------------------------------------------------------------------ documented rules
PAGE_QUOTE = Quote("At most 100 records a page; **200** for `GET /v1|v2/legalentities/{id}/employees`. No page-size parameter.", NOTES)
PAGE_SIZE = 100
EMPLOYEE_LIST_PAGE_SIZE = 200
EMPLOYEE_LIST = "/v2/legalentities/{legalEntityId}/employees"
# A first sync starts one year back (today − 364: both dates within Paycor's year).
YEAR_QUOTE = Quote("Start Date and End Date must not be more than one year ago", DOC, "GET /v2/legalEntities/{legalEntityId}/punches")
MAX_DAYS_BACK = 364
NO_BULK_QUOTE = Quote(
    "Pay rates, earnings, deductions, taxes, direct deposits, HSA accounts and certifications have **no\nbulk endpoint**"
    " of their own",
    NOTES,
)
BULK_CUSTOM_FIELDS_QUOTE = Quote("`POST /v1/legalentities/{legalEntityId}/customfields` (\"Get All Custom Fields for a Legal Entity\"", NOTES)
UNSTATED_WINDOW_QUOTE = Quote("Punches and schedules: `startDate` and `endDate` required, at most 90 days per call", NOTES)
ONE_CALL_QUOTE = Quote("Token: `POST {api}/sts/v1/common/token?subscription-key=<APIm key>`", NOTES)
ACTIVATION_QUOTE = Quote("every legal entity and tenant the application was activated for", NOTES)

# The connector's defaults the job is defined with (the user's settings, not Paycor's rules).
TERMINATED_GRACE_DAYS = 90  # config `terminated_grace_days`
DEFAULT_LOOKBACK_DAYS = 30  # config `lookback_window_days`: the minimum uses 0


@dataclass(frozen=True)
class Window:
    max_days: int
    quote: Quote  # the sentence stating max_days (or why 90 where none is stated)
    start_param: str = "startDate"
    end_param: str = "endDate"
    future_days: int = 0


def window(max_days: int, text: Optional[str] = None, **kwargs: Any) -> Window:
    """A window of the documented `max_days`, quoted from the row's route (`text`), or unstated (90, NOTES)."""
    return Window(max_days, Quote(text, DOC) if text else UNSTATED_WINDOW_QUOTE, **kwargs)


NO_GREATER_90 = "Start date and end date range can be no greater than 90 days"


@dataclass(frozen=True)
class Bulk:
    path: str
    method: str
    body: Mapping[str, Any]
    quote: Quote


@dataclass(frozen=True)
class Row:
    stream: str
    family: str
    path: str
    query: Mapping[str, Sequence[str]] = field(default_factory=dict)
    parent: Optional[str] = None  # a fan-out's parent list (see PARENTS)
    fan: Mapping[str, str] = field(default_factory=dict)
    window: Optional[Window] = None
    employment_windows: bool = False
    dated: Mapping[str, int] = field(default_factory=dict)  # query name → days after today
    each: Mapping[str, Sequence[str]] = field(default_factory=dict)
    products: Tuple[str, ...] = ()
    sensitive_only: bool = False
    bulk: Optional[Bulk] = None
    bulk_quote: Optional[Quote] = None  # for per-employee rows: the rule that there is no bulk route
    method: str = "GET"

    @property
    def per_employee(self) -> bool:
        return self.parent in ("employees", "unpaid_workers")

    @property
    def scope(self) -> str:
        return "tenant" if "{tenantId}" in self.path else "legal_entity"


# Fan-out parents: the list whose records the calls fan out from. "employees" is the `employees` stream (its records
# carry every id and the employment dates), "unpaid_workers" the employee list with workerCategory=Unpaid (no stream
# of its own: its pages are counted), "pay_runs" the `payroll_processing` stream's pay runs in the range.
PARENTS = ("employees", "unpaid_workers", "pay_runs", "labor_profiles", "pay_groups", "ats_accounts", "ats_jobs")
UNPAID_QUERY = {"workerCategory": ["Unpaid"]}

TIME = ("performTime", "timeOnDemand")
SCHEDULING = ("performTimeScheduling", "paycorScheduling", "paycorSchedulingPro")
ACCRUALS = ("performAccruals", "resellerAccruals")
TIME_OFF = ("performTimeOff", *ACCRUALS)
LABOR = ("jobCosting", "workforceManagement")
ONBOARDING = ("onboarding",)
EMPLOYEE = {"employeeId": "id"}
PAY_RUN = {"plannerId": "plannerId"}


def org(stream: str, path: str, **kwargs: Any) -> Row:
    return Row(stream, kwargs.pop("family", "organisation"), path, **kwargs)


def per_employee(stream: str, path: str, **kwargs: Any) -> Row:
    kwargs.setdefault("parent", "employees")
    kwargs.setdefault("bulk_quote", NO_BULK_QUOTE)
    return Row(stream, "employee", path, fan=EMPLOYEE, **kwargs)


def pay_run(stream: str, path: str, **kwargs: Any) -> Row:
    return Row(stream, "payroll", path, parent="pay_runs", fan=PAY_RUN, **kwargs)


ROWS: Tuple[Row, ...] = (
    org("tenants", "/v1/tenants/{tenantId}", family="company"),
    org("legal_entities", "/v1/legalentities/{legalEntityId}", family="company"),
    org("legal_entity_settings", "/v1/legalentities/{legalEntityId}/settings", family="company"),
    org("legal_entity_lock_details", "/v1/legalEntities/{legalEntityId}/LockDetails", family="company"),
    org("services", "/v1/legalentities/{legalEntityId}/services", family="company"),
    org("tenant_employees", "/v2/tenants/{tenantId}/employees", family="people"),
    org("tenant_persons", "/v1/tenants/{tenantId}/persons", family="people"),
    org("employees", EMPLOYEE_LIST, family="people", query={"include": ["All"]}),
    org("persons", "/v1/legalEntities/{legalEntityId}/persons", family="people"),
    org("employee_identifying_data", "/v2/legalentities/{legalEntityId}/employeesIdentifyingData", family="people",
        query={"include": ["Active", "Inactive"]}),
    org("onboarding_employees", "/v2/legalentities/{legalEntityId}/onboardingemployees", family="people", products=ONBOARDING),
    org("time_off_accruals", "/v2/legalentities/{legalEntityId}/timeoffaccruals", family="people", products=ACCRUALS),
    org("departments", "/v2/legalentities/{legalEntityId}/departments"),
    org("job_titles", "/v1/legalentities/{legalEntityId}/jobtitles"),
    org("tenant_job_titles", "/v1/tenants/{tenantId}/jobtitles"),
    org("work_locations", "/v2/legalentities/{legalEntityId}/worklocations"),
    org("tenant_work_locations", "/v1/tenants/{tenantId}/worklocations"),
    org("pay_groups", "/v1/legalentities/{legalEntityId}/payGroups"),
    org("earning_codes", "/v1/legalentities/{legalEntityId}/earnings"),
    org("deduction_codes", "/v1/legalentities/{legalEntityId}/deductions"),
    org("tax_codes", "/v1/legalentities/{legalEntityId}/taxes"),
    org("status_reasons", "/v1/legalentities/{legalEntityId}/statusReasons/{statusCategory}",
        each={"statusCategory": ("TerminationReason", "LeaveReason", "ReturnReason")}),
    org("certification_organizations", "/v1/legalentities/{legalEntityId}/certificationOrganizations"),
    org("certifications", "/v1/legalentities/{legalEntityId}/certifications"),
    org("time_off_types", "/v1/legalentities/{legalEntityId}/timeofftypes", products=TIME_OFF),
    org("time_off_plans", "/v1/legalentities/{legalEntityId}/timeoffplans", products=TIME_OFF),
    org("activity_types", "/v1/legalentities/{legalEntityId}/activitytypes", products=(*TIME, *SCHEDULING)),
    org("manager_profiles", "/v1/legalentities/{legalEntityId}/managerprofiles", products=TIME),
    org("reason_codes", "/v1/legalentities/{legalEntityId}/reasonCodes", products=TIME),
    org("schedule_groups", "/v1/legalentities/{legalEntityId}/schedulegroups", products=SCHEDULING),
    org("scheduling_jobs", "/v1/legalentities/{legalEntityId}/SchedulingJobs", products=SCHEDULING),
    org("work_sites", "/v1/legalentities/{legalEntityId}/worksites", products=SCHEDULING),
    org("labor_categories", "/v1/legalentities/{legalEntityId}/laborcategories", products=LABOR),
    org("labor_codes", "/v2/legalentities/{legalEntityId}/laborcodewithrates", products=LABOR),
    org("labor_profiles", "/v1/legalentities/{legalEntityId}/laborprofiles", products=LABOR),
    org("labor_profile_labor_codes", "/v1/legalentities/{legalEntityId}/laborprofiles/{laborProfileId}/laborcodes",
        products=LABOR, parent="labor_profiles", fan={"laborProfileId": "laborProfileId"}),
    org("i9_delegate_users", "/v1/legalentities/{legalEntityId}/I9DelegateUsers", products=ONBOARDING),
    org("onboarding_notification_users", "/v1/legalentities/{legalEntityId}/OnboardingNotificationUsers", products=ONBOARDING),
    # Per employee: one call per employee of the list (no bulk route), except custom fields.
    per_employee("employee_pay_rates", "/v1/employees/{employeeId}/payrates"),
    per_employee("employee_unpaid_pay_rates", "/v1/employees/{employeeId}/unpaidPayrates", parent="unpaid_workers"),
    per_employee("employee_earnings", "/v1/employees/{employeeId}/earnings", query={"include": ["All"]}),
    per_employee("employee_deductions", "/v1/employees/{employeeId}/deductions", query={"include": ["All"]}),
    per_employee("employee_taxes", "/v1/employees/{employeeId}/taxes", query={"include": ["All"]}),
    per_employee("employee_direct_deposits", "/v1/employees/{employeeId}/DirectDeposits"),
    per_employee("employee_hsa_accounts", "/v1/employees/{employeeId}/HSAaccounts"),
    per_employee("employee_custom_fields", "/v1/employees/{employeeId}/customfields", bulk_quote=None,
                 bulk=Bulk("/v1/legalentities/{legalEntityId}/customfields", "POST", {}, BULK_CUSTOM_FIELDS_QUOTE)),
    per_employee("employee_certifications", "/v1/employees/{employeeId}/certifications"),
    per_employee("employee_benefit_classifications", "/v1/employees/{employeeId}/BenefitClassification"),
    per_employee("employee_time_off_plan_assignments", "/v1/employees/{employeeId}/timeoffplanassignment", products=TIME_OFF),
    per_employee("employee_punch_profiles", "/v1/employees/{employeeId}/employeePunchProfileData", products=TIME),
    per_employee("employee_policy_groups", "/v1/employees/{employeeId}/employeePolicyGroupData", products=TIME),
    per_employee("employee_i9_verifications", "/v1/employees/{employeeId}/I9Verification", sensitive_only=True),
    per_employee("employee_hours", "/v1/employees/{employeeId}/employeeHours", products=TIME, employment_windows=True,
                 window=window(31, "Start date and end date range can be no greater than 31 days")),
    # Time, windowed by date, per legal entity.
    Row("punches", "time", "/v2/legalEntities/{legalEntityId}/punches", window=window(90, NO_GREATER_90), products=TIME),
    Row("schedules", "time", "/v1/legalEntities/{legalEntityId}/schedules", window=window(90, NO_GREATER_90), products=TIME),
    Row("scheduling_shifts", "time", "/v1/legalentities/{legalEntityId}/schedulingShifts", window=window(90, future_days=28),
        products=SCHEDULING),
    Row("time_off_requests", "time", "/v1/legalentities/{legalEntityId}/timeoffrequests",
        window=window(90, NO_GREATER_90, future_days=180), products=("performTimeOff",)),
    Row("unassigned_punches", "time", "/v1/legalentities/{legalEntityId}/unassignedpunches", window=window(90, NO_GREATER_90),
        products=TIME),
    Row("missed_punch_requests", "time", "/v1/legalentities/{legalEntityId}/missedPunchRequests",
        window=window(31, "Start date and end date range can be upto 31 days"), products=TIME),
    Row("pay_items", "time", "/v1/legalentities/{legalEntityId}/payItems",
        window=window(30, "Start date and end date range can be no greater than 30 days"), products=TIME),
    Row("forecasting", "time", "/v1/legalentities/{legalEntityId}/forecasting", window=window(90, future_days=28), products=SCHEDULING),
    Row("calculated_forecasting", "time", "/v1/legalentities/{legalEntityId}/calculatedforecasting",
        window=window(90, future_days=28), products=SCHEDULING),
    # Payroll, windowed by check date, and per pay run.
    Row("payroll_processing", "payroll", "/v1/legalentities/{legalEntityId}/payrollProcessing",
        window=window(90, start_param="fromCheckDate", end_param="toCheckDate", future_days=60)),
    Row("paydata", "payroll", "/v1/legalentities/{legalEntityId}/paydata",
        window=window(90, start_param="fromCheckDate", end_param="toCheckDate", future_days=14)),
    pay_run("paystubs", "/v1/legalentities/{legalEntityId}/paystubs", query={"include": ["All"]}),
    Row("paystubs_ytd", "payroll", "/v1/legalentities/{legalEntityId}/paystubsytd", query={"include": ["All"]}, dated={"toCheckDate": 0}),
    Row("pay_schedule", "payroll", "/v1/legalentities/{legalEntityId}/payschedule", parent="pay_groups",
        fan={"payGroupId": "payGroupId"}, dated={"asOfDate": 0, "untilDate": 365}),
    pay_run("general_ledger", "/v1/legalentities/{legalEntityId}/generalledger"),
    pay_run("general_ledger_employees", "/v1/legalentities/{legalEntityId}/generalledgerwithemployee"),
    pay_run("general_ledger_job_costing", "/v1/legalEntities/{legalEntityId}/GeneralLedgerJobCosting", products=("jobCosting",)),
    pay_run("general_ledger_job_costing_employees", "/v1/legalEntities/{legalEntityId}/GeneralLedgerJobCostingWithEmployee",
            products=("jobCosting",)),
    pay_run("retirement_data", "/v1/legalEntities/{legalEntityId}/GetRetirementData", sensitive_only=True),
    Row("payroll_hours", "payroll", "/v2/legalentities/{legalEntityId}/payrollhours"),
    # Recruiting: accounts → jobs → candidates.
    Row("ats_accounts", "recruiting", "/v1/legalEntities/{legalEntityId}/ats/accounts"),
    Row("ats_jobs", "recruiting", "/v1/legalEntities/{legalEntityId}/ats/{atsAccountId}/jobs", query={"include": ["All"]},
        parent="ats_accounts", fan={"atsAccountId": "id"}),
    Row("ats_candidates", "recruiting", "/v1/legalEntities/{legalEntityId}/ats/{atsAccountId}/jobs/{atsJobId}/candidates",
        parent="ats_jobs", fan={"atsAccountId": "atsAccountId", "atsJobId": "id"}),
)

# Parent lists that are themselves rows (their records are read by their own stream, free for the fan-out).
PARENT_ROWS = {"employees": "employees", "pay_runs": "payroll_processing", "labor_profiles": "labor_profiles",
               "pay_groups": "pay_groups", "ats_accounts": "ats_accounts", "ats_jobs": "ats_jobs"}


def by_stream() -> Dict[str, Row]:
    return {row.stream: row for row in ROWS}


# ------------------------------------------------------------------------------------------------ Report Builder
# The report streams (issue 20): every template of every reporting user of the application's scope, each read in every
# activated legal entity. Paycor lists the users and their templates, so a client asks for them every sync.
@dataclass(frozen=True)
class ReportRoute:
    path: str
    per: str  # what one request (with its pages) is made for
    quotes: Tuple[Quote, ...]


REPORTING_USERS = ReportRoute(
    "/v1/Reporting/{scope}/ReportingUsers",
    "the application's scope, once a sync; a page per PAGE_SIZE users",
    (Quote("users whose reports the app may read", NOTES),
     Quote("The only one of these routes that declares `continuationToken`.", NOTES)),
)
REPORT_IDENTIFIERS = ReportRoute(
    "/v1/Reporting/{legalEntityId}/ReportIdentifiers/{userId}",
    "each reporting user, in the user's legal entity (the `legalEntityId` of its ReportingUsers record)",
    (Quote("`GET /v1/Reporting/{legalEntityId}/ReportIdentifiers/{userId}` — `templateId`, `parentTemplateId`,", NOTES),),
)
TEMPLATE_DATA = ReportRoute(
    "/v1/Reporting/{legalEntityId}/TemplateData/{templateId}/{userId}",
    "each template (once, whichever users list it) × each activated legal entity; a page per PAGE_SIZE rows, at least 1",
    (Quote("a paged envelope whose records are", NOTES), Quote("rows, most likely, paged like every list", NOTES)),
)
REPORT_ROUTES = (REPORTING_USERS, REPORT_IDENTIFIERS, TEMPLATE_DATA)
REPORT_FAMILY = "reports"
