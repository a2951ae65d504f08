"""Realistic handlers for endpoints the generic schema-driven handler answers unrealistically.

- employees' identifying data: the legal entity's employees with their person's SSN and birth date
  (null without the optional Data Access item), filtered by `include=Active|Inactive`;
- direct deposits and HSA accounts: 9-digit routing numbers, masked account numbers; the unmasked
  number only from the by-id endpoint with `includeUnmaskedAccountNumber=true`;
- benefit classification: one record per employee;
- status reasons: the path's category must be one of the documented values;
- ATS: one or two accounts per legal entity, jobs and candidates that carry their parents' ids;
- scheduling forecasts: one value per schedule group and day of the requested range;
- a legal entity's employee custom fields (POST, body `{}` or `{"filters": [...]}`): every employee's
  records of `GET /v1/employees/{employeeId}/customfields`, employee by employee, without `customFieldsOptions`.

Registers into `provider.EXTRA_HANDLERS`; imported by `sandbox.py`.
"""
from __future__ import annotations

import random
from datetime import timedelta

from . import errors
from .context import Ctx, resolve
from .provider import handle, handler
from .records import LazyRecords, build_record, include_gates, iso
from .results import Array, Paged, Single, page_size_for
from .windowed import days, parse_day, window

SSN_AND_BIRTH_DATE = "View Legal Entity Employees SSN and BirthDate"




def _records(env, ctx: Ctx, items: list, key_fn, override_fn, day_fn=None):
    schema = ctx.route.record_schema
    gates = include_gates(ctx.route.doc, ctx.route, schema)

    def make(index):
        it = items[index]
        return build_record(env.seed, ctx, schema, key_fn(it), override_fn(it), gates, day_fn(it) if day_fn else None)
    if ctx.route.shape == "array":
        return Array([make(index) for index in range(len(items))])
    return Paged(LazyRecords(len(items), make), page_size_for(ctx.route.template))


# ---------------------------------------------------------------------------- identifying data
@handler("/v1/legalentities/{legalEntityId}/employeesIdentifyingData",
         "/v2/legalentities/{legalEntityId}/employeesIdentifyingData")
def identifying_data(env, ctx):
    company, le = env.company, ctx.legal_entity
    wanted = {value.lower() for raw in ctx.query.get("include", ()) for value in raw.split(",") if value.strip()}
    denied = {item.lower() for item in env.denied_data_access.get(le.id, ())}
    private = SSN_AND_BIRTH_DATE.lower() not in denied

    def status(employee):
        return "Inactive" if employee.status == "Terminated" else "Active"
    emps = [employee for employee in company.employees_of_legal_entity(le.id)
            if not wanted or status(employee).lower() in wanted]

    def ov(employee):
        person = company.person_of(employee)
        return {"firstName": person.first, "lastName": person.last, "employeeId": employee.id,
                "employeeNumber": employee.number,
                "socialSecurityNumber": person.ssn.replace("-", "") if private else None,
                "birthDate": iso(person.birth_date) if private else None, "status": status(employee)}
    return _records(env, ctx, emps, lambda employee: employee.id, ov)


# ---------------------------------------------------------------------------- bank accounts
def _accounts(env, employee, kind: str) -> list:
    rng = random.Random(f"{env.seed}|{kind}|{employee.id}")
    count = 1 if kind == "hsa" else rng.choice((1, 1, 2))
    if kind == "hsa" and rng.random() < 0.6:
        return []
    out = []
    for position in range(count):
        account = "".join(rng.choice("0123456789") for _ in range(rng.choice((10, 11, 12))))
        out.append({"id": str(random.Random(f"{env.seed}|{kind}|{employee.id}|{position}").getrandbits(128).to_bytes(16, "big").hex()),
                    "account": account, "routing": f"{rng.choice(('0', '1', '2'))}{rng.randint(10000000, 99999999)}",
                    "bank": rng.choice(("Fifth Third Bank", "PNC Bank, N.A.", "U.S. Bank N.A.", "JPMorgan Chase Bank, N.A.")),
                    "remainder": position == count - 1})
    return out


def account_numbers(env, employee) -> dict:
    """Deposit id -> full account number of an employee's direct deposits and HSA accounts."""
    return {_guid(account["id"]): account["account"] for kind in ("dd", "hsa") for account in _accounts(env, employee,
                                                                                                        kind)}


def _guid(hex32: str) -> str:
    return f"{hex32[:8]}-{hex32[8:12]}-4{hex32[13:16]}-a{hex32[17:20]}-{hex32[20:32]}"


def _deposit(account: dict, kind: str, unmasked: bool) -> dict:
    return {"id": _guid(account["id"]), "accountType": "Savings" if kind == "hsa" else "Checking",
            "maskedAccountNumber": "****" + account["account"][-4:],
            "unmaskedAccountNumber": account["account"] if unmasked else None,
            "routingNumber": account["routing"], "bankName": account["bank"],
            "deductionCode": "HSA" if kind == "hsa" else ("NET" if account["remainder"] else "DD1"),
            "directDepositType": "Net" if account["remainder"] and kind != "hsa" else "Partial",
            "amount": None if account["remainder"] else 100.0, "rate": None}


@handler("/v1/employees/{employeeId}/DirectDeposits", "/v1/employees/{employeeId}/HSAaccounts")
def deposits(env, ctx):
    kind = "hsa" if ctx.route.key.endswith("hsaaccounts") else "dd"
    return _records(env, ctx, _accounts(env, ctx.employee, kind), lambda account: account["id"],
                    lambda account: _deposit(account, kind, False))


@handler("/v1/employees/{employeeId}/DirectDeposits/{directDepositId}")
def deposit(env, ctx):
    wanted = ctx.params["directDepositId"].lower()
    unmasked = (ctx.q("includeUnmaskedAccountNumber") or "").lower() == "true"
    for kind in ("dd", "hsa"):
        for account in _accounts(env, ctx.employee, kind):
            if _guid(account["id"]) == wanted:
                schema = ctx.route.record_schema
                return Single(build_record(env.seed, ctx, schema, "object", _deposit(account, kind, unmasked)))
    raise errors.not_found(f"Direct deposit {ctx.params['directDepositId']} was not found.")


# ---------------------------------------------------------------------------- benefit classification
@handler("/v1/employees/{employeeId}/BenefitClassification")
def benefit_classification(env, ctx):
    employee = ctx.employee
    return _records(env, ctx, [employee], lambda emp: emp.id, lambda emp: {
        "legalEntityId": emp.legal_entity_id, "employeeId": emp.id, "primaryAssignment": emp.id,
        "benefitClassification": "Full-Time Benefits" if emp.full_time else "Part-Time Benefits"})


# ---------------------------------------------------------------------------- unpaid pay rates
@handler("/v1/employees/{employeeId}/unpaidPayrates")
def unpaid_pay_rates(env, ctx):
    """An unpaid worker's pay rates (one or two, rate 0); a paid employee has none."""
    employee = ctx.employee
    if not employee.unpaid:
        return _records(env, ctx, [], lambda position: position, lambda position: {})
    rng = random.Random(f"{env.seed}|unpaidpayrates|{employee.id}")
    starts = sorted({employee.hire_date + timedelta(days=rng.randint(0, 90)) for _ in range(rng.choice((1, 1, 2)))})
    return _records(env, ctx, list(range(len(starts))), lambda position: f"{employee.id}|unpaid|{position}",
                    lambda position: {
        "employeeId": employee.id, "payRateId": _guid(_hex_id(env.seed, "unpaidpayrate", employee.id, position)),
        "sequence": position + 1, "currencyCode": "USD", "rate": 0.0, "annualRate": 0.0,
        "effectiveStartDate": iso(starts[position]), "effectiveEndDate": None,
        "description": "Unpaid internship"})


# ---------------------------------------------------------------------------- status reasons
RECORD_CATEGORY = {"TerminationReason": "Termination", "LeaveReason": "PlaceOnLeave", "ReturnReason": "ReturnFromLeave"}


@handler("/v1/legalentities/{legalEntityId}/statusReasons/{statusCategory}")
def status_reasons(env, ctx):
    given = ctx.params["statusCategory"]
    category = next((name for name in RECORD_CATEGORY if name.lower() == given.lower()), None)
    if category is None:
        raise errors.bad_request(f"The value '{given}' is not valid.",
                                 {"statusCategory": f"valid values: {', '.join(RECORD_CATEGORY)}"})
    rng = random.Random(f"{env.seed}|statusreasons|{ctx.legal_entity.id}|{category}")
    return _records(env, ctx, list(range(rng.randint(2, 6))), lambda index: f"{category}|{index}",
                    lambda index: {"statusCategory": RECORD_CATEGORY[category]})


# ---------------------------------------------------------------------------- ATS
def _hex_id(*parts) -> str:
    return random.Random("|".join(map(str, parts))).getrandbits(128).to_bytes(16, "big").hex()


def ats_account_ids(env, le_id: int) -> list:
    count = random.Random(f"{env.seed}|ats|{le_id}").choice((1, 1, 2))
    return [_hex_id(env.seed, "ats", le_id, position) for position in range(count)]


def ats_job_ids(env, account_id: str) -> list:
    count = random.Random(f"{env.seed}|atsjobs|{account_id}").randint(2, 5)
    return [_hex_id(env.seed, "atsjob", account_id, position) for position in range(count)]


@handler("/v1/legalEntities/{legalEntityId}/ats/accounts")
def ats_accounts(env, ctx):
    ids = ats_account_ids(env, ctx.legal_entity.id)
    return _records(env, ctx, ids, lambda account_id: account_id,
                    lambda account_id: {"id": account_id, "title": f"{ctx.legal_entity.name} Careers"})


def _account(env, ctx) -> str:
    account = ctx.params["atsAccountId"].lower()
    if account not in ats_account_ids(env, ctx.legal_entity.id):
        raise errors.not_found(f"ATS account {ctx.params['atsAccountId']} was not found.")
    return account


@handler("/v1/legalEntities/{legalEntityId}/ats/{atsAccountId}/jobs")
def ats_jobs(env, ctx):
    account = _account(env, ctx)
    return _records(env, ctx, ats_job_ids(env, account), lambda job_id: job_id,
                    lambda job_id: {"id": job_id, "atsAccountId": account})


@handler("/v1/legalEntities/{legalEntityId}/ats/{atsAccountId}/jobs/{atsJobId}/candidates")
def ats_candidates(env, ctx):
    account = _account(env, ctx)
    job = ctx.params["atsJobId"].lower()
    if job not in ats_job_ids(env, account):
        raise errors.not_found(f"ATS job {ctx.params['atsJobId']} was not found.")
    rng = random.Random(f"{env.seed}|atscandidates|{job}")
    today = env.today()
    items = []
    for position in range(rng.randint(0, 6)):
        created = today - timedelta(days=rng.randint(0, 500))
        modified = min(today, created + timedelta(days=rng.randint(0, 60)))
        items.append((_hex_id(env.seed, "atscandidate", job, position), created, modified))
    lo = parse_day(ctx, "createdOrModifiedStartDate", False)
    hi = parse_day(ctx, "createdOrModifiedEndDate", False)
    if lo or hi:
        items = [it for it in items if any((not lo or lo <= day) and (not hi or day <= hi) for day in it[1:])]
    return _records(env, ctx, items, lambda it: it[0], lambda it: {
        "id": it[0], "jobId": job, "atsAccountId": account,
        "createdDate": it[1].isoformat() + "T00:00:00Z", "modifiedDate": it[2].isoformat() + "T00:00:00Z"})


# ---------------------------------------------------------------------------- scheduling forecasts
@handler("/v1/legalentities/{legalEntityId}/forecasting", "/v1/legalentities/{legalEntityId}/calculatedforecasting")
def forecasting(env, ctx):
    le = ctx.legal_entity
    if not (le.services.get("paycorScheduling") or le.services.get("performTimeScheduling")):
        raise errors.bad_request(f"Legal Entity {le.id} does not have the Scheduling service.")
    start, end = window(env, ctx, no_future=False)
    groups = ["Front of House", "Back of House", "Warehouse"][: 2 + le.id % 2]
    if ctx.q("scheduleGroupId"):
        groups = groups[:1]
    field = "forecastDate" if "calculated" in ctx.route.key else "transactionDate"
    items = [(day, group) for day in days(start, end, weekdays_only=False) for group in groups]
    return _records(env, ctx, items, lambda it: f"{it[0]}|{it[1]}", lambda it: {
        field: it[0].isoformat() + "T00:00:00", "scheduleGroupName": it[1],
        "value": round(random.Random(f"{env.seed}|{ctx.route.key}|{le.id}|{it[0]}|{it[1]}").uniform(5, 60), 1)},
        day_fn=lambda it: it[0].isoformat())



# ---------------------------------------------------------------------------- custom fields in bulk
EMPLOYEE_CUSTOM_FIELDS = "/v1/employees/{employeeId}/customfields"


def _custom_field_filters(body: dict | None) -> list:
    """The request's filters, validated as the document's rules say (400 otherwise)."""
    filters = (body or {}).get("filters") or []
    if not isinstance(filters, list):
        raise errors.bad_request("The filters field must be an array.", {"filters": "must be an array"})
    for item in filters:
        if not isinstance(item, dict) or not str(item.get("fieldName") or "").strip():
            raise errors.bad_request("Each filter's FieldName must be non-null and non-empty.",
                                     {"filters": "FieldName is required"})
    return filters


@handler("POST /v1/legalentities/{legalEntityId}/customfields")
def legal_entity_custom_fields(env, ctx):
    """Every employee's custom fields (the records the per-employee route gives, in employee order), with the
    bulk schema's fields only; `filters` keep the records matching any filter (field name, and value if given)."""
    filters = _custom_field_filters(ctx.body)
    per_employee = env.spec.route(EMPLOYEE_CUSTOM_FIELDS)
    declared = list(ctx.route.doc.properties(ctx.route.record_schema))
    parts = []
    for employee in env.company.employees_of_legal_entity(ctx.legal_entity.id):
        records = handle(env, resolve(env.company, per_employee, {"employeeId": employee.id}, {})).records
        parts += [(records, index) for index in range(len(records))]

    def make(part_no):
        records, index = parts[part_no]
        record = records.make(index)
        return {name: record.get(name) for name in declared}
    if filters:
        def wanted(record):
            return any(str(condition["fieldName"]).lower() == str(record.get("fieldName") or "").lower()
                       and (condition.get("fieldValue") is None or condition["fieldValue"] == record.get("value"))
                       for condition in filters)
        kept = [record for record in (make(part_no) for part_no in range(len(parts))) if wanted(record)]
        return Paged(LazyRecords(len(kept), kept.__getitem__), page_size_for(ctx.route.template))
    return Paged(LazyRecords(len(parts), make), page_size_for(ctx.route.template))
