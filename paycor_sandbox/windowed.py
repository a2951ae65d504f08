"""Date-windowed time endpoints and payroll endpoints. Registers into provider.EXTRA_HANDLERS."""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from . import documented_rules, errors
from .company import Employee, LegalEntity
from .context import Ctx
from .payroll import employees_in_run, find_run, pay_runs, stub_amounts
from .provider import handler
from .records import LazyRecords, build_record, include_gates, iso, ref
from .results import Array, Paged, page_size_for




# ---------------------------------------------------------------------------- dates
def parse_day(ctx: Ctx, name: str, required: bool = True) -> date | None:
    value = ctx.q(name)
    if not value:
        if required:
            raise errors.bad_request(f"The {name} field is required.", {name: f"The {name} field is required."})
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise errors.bad_request(f"The value '{value}' is not valid for {name}.", {name: "invalid date"})


def window(env, ctx: Ctx, no_future: bool = True) -> tuple[date, date]:
    """startDate/endDate rules: both required, ordered, at most N days apart (N from `documented_rules.WINDOW_DAYS`,
    the route's documented limit, default 90), start no more than a year back, start not in the future."""
    start, end = parse_day(ctx, "startDate"), parse_day(ctx, "endDate")
    today = env.today()
    limit = documented_rules.window_days(ctx.route.method, ctx.route.template)
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
    day = start
    while day <= end:
        if not weekdays_only or day.weekday() < 5:
            yield day
        day += timedelta(days=1)


def employed_on(employee: Employee, day: date) -> bool:
    if employee.rehire_date is not None and employee.rehire_date <= day:
        return True
    return employee.hire_date <= day and (employee.termination_date is None or employee.termination_date >= day)


def require_time_service(ctx: Ctx):
    le = ctx.legal_entity
    if le is not None and not le.services.get("performTime"):
        raise errors.bad_request(f"Legal Entity {le.id} does not have the Perform Time service.")


def daily_items(env, ctx: Ctx, start: date, end: date, per_day: int, hourly_only: bool = True,
                salt: str = "day") -> list:
    """(day, employee) pairs: a deterministic sample of employees working each weekday."""
    if ctx.employee is not None:
        employee = ctx.employee
        out = []
        for day in days(start, end):
            rng = random.Random(f"{env.seed}|{salt}|{employee.id}|{day}")
            if employed_on(employee, day) and rng.random() < 0.8:
                out.append((day, employee))
        return out
    pool = [employee for employee in env.company.employees_of_legal_entity(ctx.legal_entity.id) if employee.hourly or not hourly_only]
    out = []
    for day in days(start, end):
        rng = random.Random(f"{env.seed}|{salt}|{ctx.legal_entity.id}|{day}")
        working = [employee for employee in pool if employed_on(employee, day)]
        for employee in sorted(rng.sample(working, min(per_day, len(working))), key=lambda item: item.index):
            out.append((day, employee))
    return out


def _collection(env, ctx: Ctx, items: list, key_fn, day_fn, override_fn):
    schema = ctx.route.record_schema
    gates = include_gates(ctx.route.doc, ctx.route, schema)

    def make(index):
        it = items[index]
        return build_record(env.seed, ctx, schema, key_fn(it), override_fn(it), gates, day_fn(it))
    if ctx.route.shape == "array":
        return Array([make(index) for index in range(len(items))])
    return Paged(LazyRecords(len(items), make), page_size_for(ctx.route.template))


def _ts(day: date, minutes: int) -> str:
    return (datetime(day.year, day.month, day.day) + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _emp_bits(env, employee: Employee):
    company = env.company
    le = company.legal_entity(employee.legal_entity_id)
    return company.person_of(employee), le, le.departments[employee.department_idx], le.work_locations[employee.work_location_idx]


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
        day, employee = it
        rng = random.Random(f"{env.seed}|punch|{employee.id}|{day}")
        person, le, dept, _ = _emp_bits(env, employee)
        t_in = 7 * 60 + rng.randint(0, 90)
        t_out = t_in + 8 * 60 + rng.randint(-30, 60)
        hours = round((t_out - t_in - 30) / 60, 2)
        return {"employeeId": employee.id, "badgeNumber": int(employee.number), "displayDate": _ts(day, 0),
                "punchIn": _ts(day, t_in), "punchOut": _ts(day, t_out), "hourAmount": hours,
                "departmentCode": int(dept.code), "departmentName": dept.description, "earningCode": "REG",
                "estimatedGrossPay": round(hours * employee.pay_rate, 2), "employeeNumber": employee.number}
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
        items = [it for it in items if random.Random(f"{env.seed}|{ctx.route.key}|{it[0]}").random() < 0.6]

    def ov(it):
        day, employee = it
        _, le, dept, loc = _emp_bits(env, employee)
        rng = random.Random(f"{env.seed}|{ctx.route.key}|{employee.id}|{day}")
        minutes = 7 * 60 + rng.randint(0, 120)
        earning = next((item for item in le.earnings if item.code == "REG"), le.earnings[0])
        return {"employeeId": employee.id, "badgeNumber": int(employee.number), "departmentId": dept.id,
                "workLocationId": loc.id, "punchDateTime": _ts(day, minutes), "startDateTime": _ts(day, minutes),
                "legalEntityEarningId": earning.id, "date": day.isoformat(),
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
        day, employee = it
        person, le, dept, loc = _emp_bits(env, employee)
        start_minute, finish_minute = 8 * 60, 16 * 60 + 30
        shift = {"startDateTime": _ts(day, start_minute), "endDateTime": _ts(day, finish_minute), "beforeStartTimeInMinutes": 15,
                 "afterEndTimeInMinutes": 15, "shiftDepartmentName": dept.description, "shiftName": "Day Shift",
                 "totalMinutesWorked": finish_minute - start_minute - 30, "totalHoursWorked": round((finish_minute - start_minute - 30) / 60, 2),
                 "startDateTimeWithBefore": _ts(day, start_minute - 15), "endDateTimeWithAfter": _ts(day, finish_minute + 15),
                 "crossesMidnight": False,
                 "shiftDepartment": ref(dept.id, f"/v2/legalentities/{le.id}/departments/{dept.id}")}
        return {"date": _ts(day, 0), "employeeId": employee.id, "legalEntityId": le.id, "schedules": [shift],
                "totalShifts": 1, "totalHours": shift["totalHoursWorked"],
                "employee": ref(employee.id, f"/v1/employees/{employee.id}"),
                "employeeName": f"{person.first} {person.last}", "startDateTime": _ts(day, start_minute), "endDateTime": _ts(day, finish_minute),
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
        day, employee = it
        rng = random.Random(f"{env.seed}|pto|{employee.id}|{day}")
        count = min(rng.choice((1, 1, 1, 2, 3)), (end - day).days + 1)
        hours = [8.0] * count
        return {"legalEntityId": employee.legal_entity_id, "employeeId": employee.id, "benefitCode": rng.choice(("PTO", "SICK", "PTO")),
                "totalHours": sum(hours), "status": rng.choice(("Approved", "Approved", "Pending", "Denied")),
                "days": [{"date": _ts(day + timedelta(days=offset), 0), "hours": 8.0, "startTime": _ts(day + timedelta(days=offset), 480),
                          "endTime": _ts(day + timedelta(days=offset), 1020), "isPartial": False} for offset in range(count)],
                "comment": rng.choice(("Family event", "Vacation", "Doctor appointment", None)),
                "createdDate": _ts(day, 0), "statusUpdateTime": _ts(day, 60), "createdByEmployeeId": employee.id}
    return _collection(env, ctx, items, lambda it: f"{it[0]}|{it[1].id}", lambda it: it[0].isoformat(), ov)


# ---------------------------------------------------------------------------- payroll
def _runs_between(env, le: LegalEntity, lo: date, hi: date, processed_only: bool = True):
    today = env.today()
    return [run for run in pay_runs(env.seed, le, today)
            if lo <= run.check_date <= hi and (not processed_only or run.process_date <= today)]


def _selected_runs(env, ctx: Ctx):
    """Pay runs named by checkDate, processDate or plannerId (one of them is required)."""
    le = ctx.legal_entity
    check, process, planner = parse_day(ctx, "checkDate", False), parse_day(ctx, "processDate", False), ctx.q("plannerId")
    if not (check or process or planner):
        raise errors.bad_request("Either CheckDate, ProcessDate or PlannerId is required.",
                                 {"checkDate": "Either CheckDate, ProcessDate or PlannerId is required."})
    runs = [run for run in pay_runs(env.seed, le, env.today()) if run.process_date <= env.today()]
    if planner:
        runs = [run for run in runs if run.planner_id == planner.lower()]
    if check:
        runs = [run for run in runs if run.check_date == check]
    if process:
        runs = [run for run in runs if run.process_date == process]
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
    return _collection(env, ctx, runs, lambda run: run.planner_id, lambda run: run.check_date.isoformat(), lambda run: {
        "plannerId": run.planner_id, "checkDate": iso(run.check_date), "processDate": iso(run.process_date),
        "periodStartDate": iso(run.period_start), "periodEndDate": iso(run.period_end), "payGroup": run.pay_group.id,
        "runType": run.run_type})


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
        group = next((pay_group for pay_group in le.pay_groups if pay_group.id == gid), None) if gid else None
    runs = [run for run in _runs_between(env, le, lo, hi, processed_only=False) if group is None or run.pay_group.id == group.id]
    return _collection(env, ctx, runs, lambda run: run.planner_id, lambda run: run.check_date.isoformat(), lambda run: {
        "periodStartDate": iso(run.period_start), "periodEndDate": iso(run.period_end), "checkDate": iso(run.check_date),
        "processDate": iso(run.process_date), "plannerId": run.planner_id,
        "payrollStatus": "D" if run.process_date <= today else "E"})


def _stub_override(env, employee: Employee, run, le: LegalEntity) -> dict:
    amounts = stub_amounts(env.seed, employee, run, le)
    dept = le.departments[employee.department_idx]
    return {
        "employeeId": employee.id, "clientId": le.id, "checkNumber": amounts["check_number"], "plannerId": run.planner_id,
        "checkType": "Regular", "periodStartDate": iso(run.period_start), "periodEndDate": iso(run.period_end),
        "grossAmount": amounts["gross"], "netAmount": amounts["net"],
        "earnings": {"totalEarningsAmount": amounts["gross"], "totalEarningsHours": round(sum(item["hours"] for item in amounts["earnings"]), 2),
                     "earnings": [{"earningCode": item["code"], "earningDescription": item["description"],
                                   "globalEarningCode": item["code"], "earningAmount": item["amount"],
                                   "earningHours": item["hours"], "earningRate": item["rate"],
                                   "departmentCode": int(dept.code)} for item in amounts["earnings"]]},
        "taxes": {"totalTaxesAmount": amounts["tax_total"], "totalEmployeeTaxAmount": amounts["tax_total"],
                  "totalEmployerTaxAmount": round(amounts["gross"] * 0.0765, 2),
                  "taxes": [{"taxCode": code, "globalTaxCode": code, "taxDescription": description, "taxAmount": amount,
                             "employeeTax": True, "employerTax": False} for code, description, amount in amounts["taxes"]]},
        "deductions": {"totalDeductionsAmount": amounts["ded_total"], "totalEmployeeDeductionsAmount": amounts["ded_total"],
                       "totalEmployerDeductionsAmount": 0.0,
                       "deductions": [{"deductionCode": code, "globalDeductionCode": code, "deductionDescription": description,
                                       "deductionAmount": amount} for code, description, amount in amounts["deductions"]]},
        "employee": ref(employee.id, f"/v1/employees/{employee.id}"), "legalEntity": ref(le.id, f"/v1/legalentities/{le.id}"),
    }


@handler("/v1/legalentities/{legalEntityId}/paystubs", "/v1/employees/{employeeId}/paystubs")
def paystubs(env, ctx):
    le = ctx.legal_entity
    items = []
    for run in _selected_runs(env, ctx):
        emps = employees_in_run(env.company, le, run)
        items += [(run, employee) for employee in emps if ctx.employee is None or employee is ctx.employee]
    return _collection(env, ctx, items, lambda it: f"{it[0].planner_id}|{it[1].id}",
                       lambda it: it[0].check_date.isoformat(), lambda it: _stub_override(env, it[1], it[0], le))


@handler("/v1/legalentities/{legalEntityId}/paydata")
def paydata(env, ctx):
    le, today = ctx.legal_entity, env.today()
    lo = parse_day(ctx, "fromCheckDate", False) or today - timedelta(days=90)
    hi = parse_day(ctx, "toCheckDate", False) or today
    runs = _runs_between(env, le, lo, hi)
    planner, process, emp = (ctx.q("plannerId") or "").lower(), parse_day(ctx, "processDate", False), (ctx.q("employeeId") or "").lower()
    runs = [run for run in runs if (not planner or run.planner_id == planner) and (not process or run.process_date == process)]
    items = [(run, employee) for run in runs for employee in employees_in_run(env.company, le, run) if not emp or employee.id == emp]
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
    emps = [employee for employee in env.company.employees_of_legal_entity(le.id) if employed_on(employee, to) or
            (employee.termination_date and employee.termination_date.year == to.year)]
    return _collection(env, ctx, emps, lambda employee: f"ytd|{employee.id}|{to.year}", lambda employee: None,
                       lambda employee: {"legalEntityId": le.id, "employeeId": employee.id})


STATUS_CODES = {"Active": "A", "Terminated": "T", "LeaveWithPay": "LP", "LeaveWithoutPay": "LW", "Fmla": "FL",
                "ShortTermDisability": "DS", "LongTermDisability": "DL", "Retired": "R", "Deceased": "D"}


def _by_department(env, run, le):
    emps = employees_in_run(env.company, le, run)
    groups: dict = {}
    for employee in emps:
        groups.setdefault(employee.department_idx, []).append(employee)
    return [(run, le.departments[department_index], members) for department_index, members in sorted(groups.items())]


def _gross(env, emps, run, le):
    return round(sum(stub_amounts(env.seed, employee, run, le)["gross"] for employee in emps), 2)


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
    run, le, company = _run_for_planner(env, ctx), ctx.legal_entity, env.company
    emps = employees_in_run(company, le, run)

    def ov(employee):
        person = company.person_of(employee)
        dept = le.departments[employee.department_idx]
        amounts = stub_amounts(env.seed, employee, run, le)
        k401 = next((value for code, _, value in amounts["deductions"] if code == "401K"), 0.0)
        return {"employeeId": employee.id, "firstName": person.first, "lastName": person.last, "middleName": person.middle,
                "departmentId": dept.id, "departmentDescription": dept.description, "departmentCode": int(dept.code),
                "debitAmount": amounts["gross"], "creditAmount": 0.0, "accountNumber": "6000",
                "accountDescription": "Wages Expense", "accountItemize": "Y", "payNumber": run.number,
                "checkDate": iso(run.check_date), "processDate": iso(run.process_date),
                "legalEntityId": le.id, "businessName": le.name, "federalID": le.fein, "runType": "R",
                "periodStartDate": iso(run.period_start), "periodEndDatetime": iso(run.period_end),
                "payeePaygroupDescription": run.pay_group.name, "employeePayGroupDescription": run.pay_group.name,
                "fiscalYear": run.check_date.year, "ssn": person.ssn.replace("-", ""), "employeeLastName": person.last,
                "employeeFirstName": person.first, "employeeMiddleName": person.middle, "employeeAddress1": person.address.street,
                "employeeStateCode": person.address.state, "employeeZipCode": person.address.zip, "county": person.address.county,
                "hireDate": iso(employee.hire_date), "birthDate": iso(person.birth_date), "terminationDate": iso(employee.termination_date),
                "adjustedHireDate": iso(employee.hire_date), "employeeStatus": STATUS_CODES.get(employee.status, "A"),
                "genderCode": person.gender[0], "employmentType": "R", "maritalStatusCode": person.marital[0],
                "homeEmail": person.email, "currentAmount": k401, "rate": 0.05}
    return _collection(env, ctx, emps, lambda employee: f"{run.planner_id}|{employee.id}", lambda employee: run.check_date.isoformat(), ov)
