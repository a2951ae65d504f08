"""Date-windowed time endpoints and payroll endpoints. Registers into provider.EXTRA_HANDLERS."""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from paycor_openapi import descriptions

from . import errors
from .company import Employee, LegalEntity
from .context import Ctx
from .payroll import employees_in_run, find_run, pay_runs, stub_amounts
from .provider import handler
from .records import LazyRecords, build_record, include_gates, iso, ref
from .results import Array, Paged, page_size_for




# ---------------------------------------------------------------------------- dates
def parse_day(ctx: Ctx, name: str, required: bool = True) -> date | None:
    v = ctx.q(name)
    if not v:
        if required:
            raise errors.bad_request(f"The {name} field is required.", {name: f"The {name} field is required."})
        return None
    try:
        return date.fromisoformat(v[:10])
    except ValueError:
        raise errors.bad_request(f"The value '{v}' is not valid for {name}.", {name: "invalid date"})


def window(env, ctx: Ctx, no_future: bool = True) -> tuple[date, date]:
    """startDate/endDate rules: both required, ordered, at most N days apart (N from the operation's
    description, default 90), start no more than a year back, start not in the future."""
    start, end = parse_day(ctx, "startDate"), parse_day(ctx, "endDate")
    today = env.today()
    limit = descriptions.window_limit_days(ctx.route.operation)
    if end < start:
        raise errors.error(400, "Invalid Date Range", "End Date must be greater than or equal to Start Date.",
                           {"endDate": "must not be before startDate"})
    if (end - start).days > limit:
        raise errors.error(400, "Invalid Date Range",
                           f"Start date and end date range can be no greater than {limit} days.",
                           {"startDate": f"range greater than {limit} days"})
    if start < today - timedelta(days=365) or end < today - timedelta(days=365):
        raise errors.error(400, "Invalid Date Range", "Start Date and End Date must not be more than one year ago.",
                           {"startDate": "more than one year ago"})
    if no_future and start > today:
        raise errors.error(400, "Invalid Date Range", "Start Date must not be in future.",
                           {"startDate": "in the future"})
    return start, end


def days(start: date, end: date, weekdays_only: bool = True):
    d = start
    while d <= end:
        if not weekdays_only or d.weekday() < 5:
            yield d
        d += timedelta(days=1)


def employed_on(e: Employee, d: date) -> bool:
    return e.hire_date <= d and (e.termination_date is None or e.termination_date >= d)


def require_time_service(ctx: Ctx):
    le = ctx.legal_entity
    if le is not None and not le.services.get("performTime"):
        raise errors.bad_request(f"Legal Entity {le.id} does not have the Perform Time service.")


def daily_items(env, ctx: Ctx, start: date, end: date, per_day: int, hourly_only: bool = True,
                salt: str = "day") -> list:
    """(day, employee) pairs: a deterministic sample of employees working each weekday."""
    if ctx.employee is not None:
        e = ctx.employee
        out = []
        for d in days(start, end):
            rng = random.Random(f"{env.seed}|{salt}|{e.id}|{d}")
            if employed_on(e, d) and rng.random() < 0.8:
                out.append((d, e))
        return out
    pool = [e for e in env.company.employees_of_legal_entity(ctx.legal_entity.id) if e.hourly or not hourly_only]
    out = []
    for d in days(start, end):
        rng = random.Random(f"{env.seed}|{salt}|{ctx.legal_entity.id}|{d}")
        working = [e for e in pool if employed_on(e, d)]
        for e in sorted(rng.sample(working, min(per_day, len(working))), key=lambda x: x.index):
            out.append((d, e))
    return out


def _collection(env, ctx: Ctx, items: list, key_fn, day_fn, override_fn):
    schema = ctx.route.record_schema
    gates = include_gates(ctx.route.doc, ctx.route, schema)

    def make(i):
        it = items[i]
        return build_record(env.seed, ctx, schema, key_fn(it), override_fn(it), gates, day_fn(it))
    if ctx.route.shape == "array":
        return Array([make(i) for i in range(len(items))])
    return Paged(LazyRecords(len(items), make), page_size_for(ctx.route.template))


def _ts(d: date, minutes: int) -> str:
    return (datetime(d.year, d.month, d.day) + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _emp_bits(env, e: Employee):
    c = env.company
    le = c.legal_entity(e.legal_entity_id)
    return c.person_of(e), le, le.departments[e.department_idx], le.work_locations[e.work_location_idx]


# ---------------------------------------------------------------------------- time endpoints
@handler("/v1/legalEntities/{legalEntityId}/punches", "/v2/legalEntities/{legalEntityId}/punches",
         "/v1/employees/{employeeId}/punches", "/v2/employees/{employeeId}/punches")
def punches(env, ctx):
    require_time_service(ctx)
    if ctx.employee is not None and not ctx.route.required_query() and not ctx.q("startDate"):
        today = env.today()
        start, end = today - timedelta(days=13), today
    else:
        start, end = window(env, ctx)
    items = daily_items(env, ctx, start, end, per_day=6, salt="punch")

    def ov(it):
        d, e = it
        rng = random.Random(f"{env.seed}|punch|{e.id}|{d}")
        p, le, dept, _ = _emp_bits(env, e)
        t_in = 7 * 60 + rng.randint(0, 90)
        t_out = t_in + 8 * 60 + rng.randint(-30, 60)
        hours = round((t_out - t_in - 30) / 60, 2)
        return {"employeeId": e.id, "badgeNumber": int(e.number), "displayDate": _ts(d, 0),
                "punchIn": _ts(d, t_in), "punchOut": _ts(d, t_out), "hourAmount": hours,
                "departmentCode": int(dept.code), "departmentName": dept.description, "earningCode": "REG",
                "estimatedGrossPay": round(hours * e.pay_rate, 2), "employeeNumber": e.number}
    return _collection(env, ctx, items, lambda it: f"{it[0]}|{it[1].id}", lambda it: it[0].isoformat(), ov)


@handler("/v1/employees/{employeeId}/employeePunches", "/v1/employees/{employeeId}/employeeHours",
         "/v1/legalentities/{legalEntityId}/unassignedpunches", "/v1/legalentities/{legalEntityId}/missedPunchRequests",
         "/v1/legalentities/{legalEntityId}/payItems")
def time_events(env, ctx):
    require_time_service(ctx)
    start, end = window(env, ctx)
    sparse = ctx.employee is None
    items = daily_items(env, ctx, start, end, per_day=1 if sparse else 1, salt=ctx.route.key)
    if sparse:
        items = [it for k, it in enumerate(items) if random.Random(f"{env.seed}|{ctx.route.key}|{it[0]}").random() < 0.6]

    def ov(it):
        d, e = it
        _, le, dept, loc = _emp_bits(env, e)
        rng = random.Random(f"{env.seed}|{ctx.route.key}|{e.id}|{d}")
        t = 7 * 60 + rng.randint(0, 120)
        earning = next((x for x in le.earnings if x.code == "REG"), le.earnings[0])
        return {"employeeId": e.id, "badgeNumber": int(e.number), "departmentId": dept.id,
                "workLocationId": loc.id, "punchDateTime": _ts(d, t), "startDateTime": _ts(d, t),
                "legalEntityEarningId": earning.id, "date": d.isoformat(),
                "amount": round(rng.uniform(25, 400), 2)}
    return _collection(env, ctx, items, lambda it: f"{it[0]}|{it[1].id}", lambda it: it[0].isoformat(), ov)


@handler("/v1/legalEntities/{legalEntityId}/schedules", "/v1/employees/{employeeId}/schedules",
         "/v1/legalentities/{legalEntityId}/schedulingShifts")
def schedules(env, ctx):
    require_time_service(ctx)
    if ctx.employee is None or ctx.q("startDate") or ctx.q("endDate"):
        # required for the legal-entity lists (Paycor's date rules); scheduling shifts, whose document
        # states no "not in the future" rule, may be asked for published shifts ahead
        start, end = window(env, ctx, no_future="schedulingshifts" not in ctx.route.key)
    else:
        start = env.today()
        end = start + timedelta(days=13)
    items = daily_items(env, ctx, start, end, per_day=8, hourly_only=False, salt="schedule")

    def ov(it):
        d, e = it
        p, le, dept, loc = _emp_bits(env, e)
        s, f = 8 * 60, 16 * 60 + 30
        shift = {"startDateTime": _ts(d, s), "endDateTime": _ts(d, f), "beforeStartTimeInMinutes": 15,
                 "afterEndTimeInMinutes": 15, "shiftDepartmentName": dept.description, "shiftName": "Day Shift",
                 "totalMinutesWorked": f - s - 30, "totalHoursWorked": round((f - s - 30) / 60, 2),
                 "startDateTimeWithBefore": _ts(d, s - 15), "endDateTimeWithAfter": _ts(d, f + 15),
                 "crossesMidnight": False,
                 "shiftDepartment": ref(dept.id, f"/v2/legalentities/{le.id}/departments/{dept.id}")}
        return {"date": _ts(d, 0), "employeeId": e.id, "legalEntityId": le.id, "schedules": [shift],
                "totalShifts": 1, "totalHours": shift["totalHoursWorked"],
                "employee": ref(e.id, f"/v1/employees/{e.id}"),
                "employeeName": f"{p.first} {p.last}", "startDateTime": _ts(d, s), "endDateTime": _ts(d, f),
                "departmentId": dept.id, "departmentName": dept.description, "workLocationId": loc.id,
                "workLocationName": loc.name, "isPublished": True, "title": "Day Shift"}
    return _collection(env, ctx, items, lambda it: f"{it[0]}|{it[1].id}", lambda it: it[0].isoformat(), ov)


@handler("/v1/legalentities/{legalEntityId}/timeoffrequests", "/v1/employees/{employeeId}/timeoffrequests")
def time_off_requests(env, ctx):
    le = ctx.legal_entity
    if not le.services.get("performTimeOff"):
        if ctx.employee is None:
            raise errors.bad_request(f"Either Legal Entity ID {le.id} is invalid or has no TimeOff requests.")
    start, end = window(env, ctx, no_future=False)
    if not le.services.get("performTimeOff"):
        items = []
    else:
        items = [it for it in daily_items(env, ctx, start, end, per_day=1, hourly_only=False, salt="timeoff")
                 if random.Random(f"{env.seed}|pto|{it[1].id}|{it[0]}").random() < (0.35 if ctx.employee is None else 0.08)]

    def ov(it):
        d, e = it
        rng = random.Random(f"{env.seed}|pto|{e.id}|{d}")
        n = min(rng.choice((1, 1, 1, 2, 3)), (end - d).days + 1)
        hours = [8.0] * n
        return {"legalEntityId": e.legal_entity_id, "employeeId": e.id, "benefitCode": rng.choice(("PTO", "SICK", "PTO")),
                "totalHours": sum(hours), "status": rng.choice(("Approved", "Approved", "Pending", "Denied")),
                "days": [{"date": _ts(d + timedelta(days=k), 0), "hours": 8.0, "startTime": _ts(d + timedelta(days=k), 480),
                          "endTime": _ts(d + timedelta(days=k), 1020), "isPartial": False} for k in range(n)],
                "comment": rng.choice(("Family event", "Vacation", "Doctor appointment", None)),
                "createdDate": _ts(d, 0), "statusUpdateTime": _ts(d, 60), "createdByEmployeeId": e.id}
    return _collection(env, ctx, items, lambda it: f"{it[0]}|{it[1].id}", lambda it: it[0].isoformat(), ov)


# ---------------------------------------------------------------------------- payroll
def _runs_between(env, le: LegalEntity, lo: date, hi: date, processed_only: bool = True):
    today = env.today()
    return [r for r in pay_runs(env.seed, le, today)
            if lo <= r.check_date <= hi and (not processed_only or r.process_date <= today)]


def _selected_runs(env, ctx: Ctx):
    """Pay runs named by checkDate, processDate or plannerId (one of them is required)."""
    le = ctx.legal_entity
    check, process, planner = parse_day(ctx, "checkDate", False), parse_day(ctx, "processDate", False), ctx.q("plannerId")
    if not (check or process or planner):
        raise errors.bad_request("Either CheckDate, ProcessDate or PlannerId is required.",
                                 {"checkDate": "Either CheckDate, ProcessDate or PlannerId is required."})
    runs = [r for r in pay_runs(env.seed, le, env.today()) if r.process_date <= env.today()]
    if planner:
        runs = [r for r in runs if r.planner_id == planner.lower()]
    if check:
        runs = [r for r in runs if r.check_date == check]
    if process:
        runs = [r for r in runs if r.process_date == process]
    return runs


def _run_for_planner(env, ctx: Ctx):
    run = find_run(env.seed, ctx.legal_entity, env.today(), ctx.q("plannerId"))
    if run is None:
        raise errors.not_found(f"Planner {ctx.q('plannerId')} was not found for Legal Entity {ctx.legal_entity.id}.")
    return run


@handler("/v1/legalentities/{legalEntityId}/payrollProcessing")
def payroll_processing(env, ctx):
    lo = parse_day(ctx, "fromCheckDate")
    hi = parse_day(ctx, "toCheckDate", False) or env.today() + timedelta(days=365)
    runs = _runs_between(env, ctx.legal_entity, lo, hi)
    return _collection(env, ctx, runs, lambda r: r.planner_id, lambda r: r.check_date.isoformat(), lambda r: {
        "plannerId": r.planner_id, "checkDate": iso(r.check_date), "processDate": iso(r.process_date),
        "periodStartDate": iso(r.period_start), "periodEndDate": iso(r.period_end), "payGroup": r.pay_group.id,
        "runType": r.run_type})


@handler("/v1/legalentities/{legalEntityId}/payschedule", "/v1/employees/{employeeId}/payschedule")
def pay_schedule(env, ctx):
    le, today = ctx.legal_entity, env.today()
    if ctx.employee is not None:
        lo = parse_day(ctx, "periodStartDate", False) or today
        hi = parse_day(ctx, "periodEndDate", False) or today + timedelta(days=60)
        group = le.pay_groups[ctx.employee.pay_group_idx]
    else:
        lo = parse_day(ctx, "asOfDate", False) or today
        hi = parse_day(ctx, "untilDate", False) or lo + timedelta(days=60)
        gid = (ctx.q("payGroupId") or "").lower()
        group = next((g for g in le.pay_groups if g.id == gid), None) if gid else None
    runs = [r for r in _runs_between(env, le, lo, hi, processed_only=False) if group is None or r.pay_group.id == group.id]
    return _collection(env, ctx, runs, lambda r: r.planner_id, lambda r: r.check_date.isoformat(), lambda r: {
        "periodStartDate": iso(r.period_start), "periodEndDate": iso(r.period_end), "checkDate": iso(r.check_date),
        "processDate": iso(r.process_date), "plannerId": r.planner_id,
        "payrollStatus": "D" if r.process_date <= today else "E"})


def _stub_override(env, e: Employee, run, le: LegalEntity) -> dict:
    a = stub_amounts(env.seed, e, run, le)
    dept = le.departments[e.department_idx]
    return {
        "employeeId": e.id, "clientId": le.id, "checkNumber": a["check_number"], "plannerId": run.planner_id,
        "checkType": "Regular", "periodStartDate": iso(run.period_start), "periodEndDate": iso(run.period_end),
        "grossAmount": a["gross"], "netAmount": a["net"],
        "earnings": {"totalEarningsAmount": a["gross"], "totalEarningsHours": round(sum(x["hours"] for x in a["earnings"]), 2),
                     "earnings": [{"earningCode": x["code"], "earningDescription": x["description"],
                                   "globalEarningCode": x["code"], "earningAmount": x["amount"],
                                   "earningHours": x["hours"], "earningRate": x["rate"],
                                   "departmentCode": int(dept.code)} for x in a["earnings"]]},
        "taxes": {"totalTaxesAmount": a["tax_total"], "totalEmployeeTaxAmount": a["tax_total"],
                  "totalEmployerTaxAmount": round(a["gross"] * 0.0765, 2),
                  "taxes": [{"taxCode": c, "globalTaxCode": c, "taxDescription": d, "taxAmount": v,
                             "employeeTax": True, "employerTax": False} for c, d, v in a["taxes"]]},
        "deductions": {"totalDeductionsAmount": a["ded_total"], "totalEmployeeDeductionsAmount": a["ded_total"],
                       "totalEmployerDeductionsAmount": 0.0,
                       "deductions": [{"deductionCode": c, "globalDeductionCode": c, "deductionDescription": d,
                                       "deductionAmount": v} for c, d, v in a["deductions"]]},
        "employee": ref(e.id, f"/v1/employees/{e.id}"), "legalEntity": ref(le.id, f"/v1/legalentities/{le.id}"),
    }


@handler("/v1/legalentities/{legalEntityId}/paystubs", "/v1/employees/{employeeId}/paystubs")
def paystubs(env, ctx):
    le = ctx.legal_entity
    items = []
    for run in _selected_runs(env, ctx):
        emps = employees_in_run(env.company, le, run)
        items += [(run, e) for e in emps if ctx.employee is None or e is ctx.employee]
    return _collection(env, ctx, items, lambda it: f"{it[0].planner_id}|{it[1].id}",
                       lambda it: it[0].check_date.isoformat(), lambda it: _stub_override(env, it[1], it[0], le))


@handler("/v1/legalentities/{legalEntityId}/paydata")
def paydata(env, ctx):
    le, today = ctx.legal_entity, env.today()
    lo = parse_day(ctx, "fromCheckDate", False) or today - timedelta(days=90)
    hi = parse_day(ctx, "toCheckDate", False) or today
    runs = _runs_between(env, le, lo, hi)
    planner, process, emp = (ctx.q("plannerId") or "").lower(), parse_day(ctx, "processDate", False), (ctx.q("employeeId") or "").lower()
    runs = [r for r in runs if (not planner or r.planner_id == planner) and (not process or r.process_date == process)]
    items = [(r, e) for r in runs for e in employees_in_run(env.company, le, r) if not emp or e.id == emp]
    return _collection(env, ctx, items, lambda it: f"{it[0].planner_id}|{it[1].id}",
                       lambda it: it[0].check_date.isoformat(), lambda it: {
                           "employeeId": it[1].id, "checkDate": iso(it[0].check_date),
                           "processDate": iso(it[0].process_date),
                           "legalEntity": ref(le.id, f"/v1/legalentities/{le.id}"),
                           "employeePaystub": ref(it[1].id, f"/v1/employees/{it[1].id}/paystubs?checkDate={it[0].check_date}")})


@handler("/v1/legalentities/{legalEntityId}/paystubsytd")
def paystubs_ytd(env, ctx):
    to = parse_day(ctx, "toCheckDate")
    le = ctx.legal_entity
    emps = [e for e in env.company.employees_of_legal_entity(le.id) if employed_on(e, to) or
            (e.termination_date and e.termination_date.year == to.year)]
    return _collection(env, ctx, emps, lambda e: f"ytd|{e.id}|{to.year}", lambda e: None,
                       lambda e: {"legalEntityId": le.id, "employeeId": e.id})


STATUS_CODES = {"Active": "A", "Terminated": "T", "LeaveWithPay": "LP", "LeaveWithoutPay": "LW", "Fmla": "FL",
                "ShortTermDisability": "DS", "LongTermDisability": "DL", "Retired": "R", "Deceased": "D"}


def _by_department(env, run, le):
    emps = employees_in_run(env.company, le, run)
    groups: dict = {}
    for e in emps:
        groups.setdefault(e.department_idx, []).append(e)
    return [(run, le.departments[k], v) for k, v in sorted(groups.items())]


def _gross(env, emps, run, le):
    return round(sum(stub_amounts(env.seed, e, run, le)["gross"] for e in emps), 2)


@handler("/v1/legalentities/{legalEntityId}/generalledger", "/v1/legalEntities/{legalEntityId}/GeneralLedgerJobCosting")
def general_ledger(env, ctx):
    run, le = _run_for_planner(env, ctx), ctx.legal_entity
    items = _by_department(env, run, le)
    return _collection(env, ctx, items, lambda it: f"{run.planner_id}|{it[1].id}", lambda it: run.check_date.isoformat(),
                       lambda it: {"departmentId": it[1].id, "departmentDescription": it[1].description,
                                   "departmentCode": int(it[1].code), "debitAmount": _gross(env, it[2], run, le),
                                   "creditAmount": 0.0, "accountNumber": "6000", "accountDescription": "Wages Expense",
                                   "itemDescription": "Gross Wages", "accountItemize": "N", "payNumber": run.number,
                                   "checkDate": iso(run.check_date), "processDate": iso(run.process_date)})


@handler("/v1/legalentities/{legalEntityId}/generalledgerwithemployee",
         "/v1/legalEntities/{legalEntityId}/GeneralLedgerJobCostingWithEmployee",
         "/v1/legalEntities/{legalEntityId}/GetRetirementData")
def ledger_by_employee(env, ctx):
    run, le, c = _run_for_planner(env, ctx), ctx.legal_entity, env.company
    emps = employees_in_run(c, le, run)

    def ov(e):
        p = c.person_of(e)
        dept = le.departments[e.department_idx]
        a = stub_amounts(env.seed, e, run, le)
        k401 = next((v for code, _, v in a["deductions"] if code == "401K"), 0.0)
        return {"employeeId": e.id, "firstName": p.first, "lastName": p.last, "middleName": p.middle,
                "departmentId": dept.id, "departmentDescription": dept.description, "departmentCode": int(dept.code),
                "debitAmount": a["gross"], "creditAmount": 0.0, "accountNumber": "6000",
                "accountDescription": "Wages Expense", "accountItemize": "Y", "payNumber": run.number,
                "checkDate": iso(run.check_date), "processDate": iso(run.process_date),
                "legalEntityId": le.id, "businessName": le.name, "federalID": le.fein, "runType": "R",
                "periodStartDate": iso(run.period_start), "periodEndDatetime": iso(run.period_end),
                "payeePaygroupDescription": run.pay_group.name, "employeePayGroupDescription": run.pay_group.name,
                "fiscalYear": run.check_date.year, "ssn": p.ssn.replace("-", ""), "employeeLastName": p.last,
                "employeeFirstName": p.first, "employeeMiddleName": p.middle, "employeeAddress1": p.address.street,
                "employeeStateCode": p.address.state, "employeeZipCode": p.address.zip, "county": p.address.county,
                "hireDate": iso(e.hire_date), "birthDate": iso(p.birth_date), "terminationDate": iso(e.termination_date),
                "adjustedHireDate": iso(e.hire_date), "employeeStatus": STATUS_CODES.get(e.status, "A"),
                "genderCode": p.gender[0], "employmentType": "R", "maritalStatusCode": p.marital[0],
                "homeEmail": p.email, "currentAmount": k401, "rate": 0.05}
    return _collection(env, ctx, emps, lambda e: f"{run.planner_id}|{e.id}", lambda e: run.check_date.isoformat(), ov)
