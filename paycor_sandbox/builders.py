"""Realistic handlers for the core endpoints, built from the company model.

Each builder takes (env, ctx) and returns a result (Paged / Single / Array). Records are the generic
schema skeleton overlaid with company facts (see records.build_record), so they always carry every
declared property and never an undeclared one.
"""
from __future__ import annotations

from .company import ANCHOR, Company, Employee, LegalEntity, Person
from .context import Ctx
from .records import LazyRecords, build_record, include_gates, iso, ref
from .results import Paged, Single, page_size_for

BUILDERS: dict = {}


def builder(*templates):
    def deco(fn):
        for t in templates:
            BUILDERS[t.lower()] = fn
        return fn
    return deco


def _paged(env, ctx: Ctx, items: list, override_fn) -> Paged:
    schema = ctx.route.record_schema
    gates = include_gates(ctx.route.doc, ctx.route, schema)
    make = lambda i: build_record(env.seed, ctx, schema, i, override_fn(items[i]), gates)  # noqa: E731
    return Paged(LazyRecords(len(items), make), page_size_for(ctx.route.template))


def _single(env, ctx: Ctx, override: dict) -> Single:
    schema = ctx.route.record_schema
    gates = include_gates(ctx.route.doc, ctx.route, schema)
    return Single(build_record(env.seed, ctx, schema, "object", override, gates))


# ---------------------------------------------------------------------------- tenants / legal entities
@builder("/v1/legalentities/ActivatedLegalEntityTenantList")
def activated(env, ctx):
    return Single({"userLegalEntities": [{"legalEntityId": le, "tenantId": t} for le, t in env.company.activated_pairs()]})


@builder("/v1/tenants/{tenantId}")
def tenant(env, ctx):
    t = ctx.tenant
    return _single(env, ctx, {"id": t.id, "name": t.name,
                              "legalEntities": [ref(le, f"/v1/legalentities/{le}") for le in t.legal_entity_ids]})


def _address(a, type_="Primary"):
    return {"streetLine1": a.street, "streetLine2": None, "suite": None, "city": a.city, "state": a.state,
            "country": "USA", "county": a.county, "zipCode": a.zip, "type": type_}


@builder("/v1/legalentities/{legalEntityId}")
def legal_entity(env, ctx):
    le: LegalEntity = ctx.legal_entity
    names = [{"type": "Legal", "name": le.name, "addresses": [_address(le.address)]},
             {"type": "DBA", "name": le.name.rsplit(" ", 1)[0], "addresses": [_address(le.address)]}]
    base = f"/v1/legalentities/{le.id}"
    return _single(env, ctx, {
        "id": le.id, "name": le.name, "taxFilingName": le.name.replace(".", "").replace(",", ""),
        "federalId": le.fein, "type": le.corporation_type, "isLost": False,
        "businessNames": names, "taxFilingBusinessNames": names[:1],
        "tenant": ref(le.tenant_id, f"/v1/tenants/{le.tenant_id}"),
        "employees": ref(le.id, f"{base}/employees"), "persons": ref(le.id, f"{base}/persons"),
        "earnings": ref(le.id, f"{base}/earnings"), "deductions": ref(le.id, f"{base}/deductions"),
        "taxes": ref(le.id, f"{base}/taxes"), "settings": ref(le.id, f"{base}/settings"),
    })


@builder("/v1/legalentities/{legalEntityId}/services")
def services(env, ctx):
    return _single(env, ctx, dict(ctx.legal_entity.services))


# ---------------------------------------------------------------------------- employees
def filter_employees(company: Company, emps: list, ctx: Ctx) -> list:
    status = ctx.q("statusFilter")
    number = ctx.q("employeeNumber")
    last = ctx.q("lastName")
    dept = ctx.q("departmentCode")
    loc = ctx.q("workLocationName")
    job = ctx.q("jobCode")
    category = ctx.q("workerCategory")
    out = []
    for e in emps:
        le = company.legal_entity(e.legal_entity_id)
        if status and e.status.lower() != status.lower():
            continue
        if number and e.number != number:
            continue
        if last and company.person_of(e).last.lower() != last.lower():
            continue
        if dept and le.departments[e.department_idx].code != dept:
            continue
        if loc and le.work_locations[e.work_location_idx].name.lower() != loc.lower():
            continue
        if job and company.tenant_by_id[e.tenant_id].job_titles[e.job_idx].code.lower() != job.lower():
            continue
        if category and (category.lower() == "unpaid") != e.unpaid:
            continue
        out.append(e)
    return out


def employee_override(company: Company, e: Employee, email_type: str | None = None) -> dict:
    p = company.person_of(e)
    le = company.legal_entity(e.legal_entity_id)
    dept = le.departments[e.department_idx]
    loc = le.work_locations[e.work_location_idx]
    job = company.tenant_by_id[e.tenant_id].job_titles[e.job_idx]
    mgr = company.employees[e.manager_idx] if e.manager_idx is not None and e.manager_idx != e.index else None
    emp_url = f"/v1/employees/{e.id}"
    on_leave = e.status not in ("Active", "Terminated")
    return {
        "id": e.id, "firstName": p.first, "middleName": p.middle, "lastName": p.last,
        "email": {"type": "Work", "emailAddress": p.email if (email_type or "").lower() == "home" else e.work_email},
        "employmentDateData": {
            "hireDate": iso(e.hire_date), "adjustedHireDate": iso(e.hire_date),
            "terminationDate": iso(e.termination_date), "terminationReason": e.termination_reason,
            "reHireDate": None, "seniorityDate": iso(e.hire_date)},
        "statusData": {
            "isFullTime": e.full_time, "status": e.status, "flsa": e.flsa, "type": "Regular",
            "eligibleForRehire": "Yes" if e.status != "Terminated" or "Voluntary" in (e.termination_reason or "") else "No",
            "leaveStartDate": iso(ANCHOR) if on_leave else None,
            "leaveReason": {"Fmla": "FMLA", "ShortTermDisability": "Medical Leave"}.get(e.status, "Personal Leave") if on_leave else None},
        "workLocation": {"id": loc.id, "name": loc.name, "streetLine1": loc.address.street, "type": "Physical",
                         "city": loc.address.city, "county": loc.address.county, "state": loc.address.state,
                         "zipCode": loc.address.zip, "country": "USA"},
        "earnings": ref(e.id, f"{emp_url}/earnings"), "deductions": ref(e.id, f"{emp_url}/deductions"),
        "taxes": ref(e.id, f"{emp_url}/taxes"), "directDeposits": ref(e.id, f"{emp_url}/directdeposits"),
        "payRates": ref(e.id, f"{emp_url}/payrates"),
        "legalEntity": ref(le.id, f"/v1/legalentities/{le.id}"),
        "person": ref(p.id, f"{emp_url}/person"),
        "department": ref(dept.id, f"/v2/legalentities/{le.id}/departments/{dept.id}"),
        "positionData": {
            "jobTitle": job.title, "jobCode": job.code, "effectiveStartDate": None, "effectiveEndDate": None,
            "departmentEffectiveDate": iso(e.hire_date), "payGroupId": le.pay_groups[e.pay_group_idx].id,
            "manager": None if mgr is None else {
                "id": mgr.id, "employeeNumber": mgr.number, "employee": ref(mgr.id, f"/v1/employees/{mgr.id}")}},
        "employeeNumber": e.number, "alternateEmployeeNumber": None, "badgeNumber": None,
        "workCountryCode": "USA", "lastName2": None, "workerCategory": "Unpaid" if e.unpaid else "Paid",
    }


@builder("/v1/legalentities/{legalEntityId}/employees", "/v2/legalentities/{legalEntityId}/employees")
def le_employees(env, ctx):
    c = env.company
    # Unpaid workers are listed only when asked for (workerCategory=Unpaid), as Paycor does.
    unpaid = (ctx.q("workerCategory") or "").lower() == "unpaid"
    pool = c.unpaid_workers_of_legal_entity(ctx.legal_entity.id) if unpaid else c.employees_of_legal_entity(ctx.legal_entity.id)
    emps = filter_employees(c, pool, ctx)
    et = ctx.q("emailType")
    return _paged(env, ctx, emps, lambda e: employee_override(c, e, et))


@builder("/v2/employees/{employeeId}")
def employee(env, ctx):
    return _single(env, ctx, employee_override(env.company, ctx.employee, ctx.q("emailType")))


@builder("/v1/tenants/{tenantId}/employees", "/v2/tenants/{tenantId}/employees")
def tenant_employees(env, ctx):
    c = env.company
    emps = filter_employees(c, c.employees_of_tenant(ctx.tenant.id), ctx)

    def ov(e):
        p = c.person_of(e)
        return {"id": e.id, "employeeNumber": e.number, "firstName": p.first, "middleName": p.middle,
                "lastName": p.last, "employee": ref(e.id, f"/v1/employees/{e.id}")}
    return _paged(env, ctx, emps, ov)


# ---------------------------------------------------------------------------- persons
def person_override(company: Company, p: Person, bulk: bool) -> dict:
    emps = [company.employee_at(i) for i in p.employee_idx]
    a = p.address
    return {
        "id": p.id, "prefix": "Ms" if p.gender == "Female" else "Mr", "firstName": p.first,
        "middleName": p.middle, "lastName": p.last, "suffix": "None",
        "legalFirstName": p.first, "legalLastName": p.last, "socialSecurityNumber": p.ssn,
        "email": {"type": "Home", "emailAddress": p.email},
        "demographicData": {"birthDate": iso(p.birth_date), "gender": p.gender, "ethnicity": p.ethnicity,
                            "maritalStatus": p.marital, "maidenName": None},
        "benefitData": {"isTobaccoUser": False, "disability": "No"},
        "emergencyContactData": None if bulk else [{
            "firstName": "Pat", "lastName": p.last, "middleName": None, "order": 1, "relationship": "Spouse",
            "phones": [{"countryCode": "+1", "areaCode": a.area_code, "phoneNumber": p.phone, "type": "Mobile",
                        "subscriberNumber": f"{a.area_code}{p.phone.replace('-', '')}"}]}],
        "militaryData": {"veteran": "No", "dischargeDate": None, "isArmedForcesServiceMedalVeteran": False,
                         "isDisabledVeteran": False, "isOtherProtectedVeteran": False,
                         "isRecentlySeparatedVeteran": False, "isVietnamEra": False, "isSpecialDisabled": False},
        "socialMediaData": [],
        "employeeAssignments": [{"employees": {"id": e.id, "url": f"/v1/employees/{e.id}",
                                               "legalEntityId": str(e.legal_entity_id)}} for e in emps],
        "addresses": [{"streetLine1": a.street, "streetLine2": None, "suite": None, "city": a.city,
                       "state": a.state, "country": "USA", "county": a.county, "zipCode": a.zip,
                       "countryZipCode": None, "zipCodePlusFour": None, "type": "Home"}],
        "phones": [{"countryCode": "+1", "areaCode": a.area_code, "phoneNumber": p.phone, "type": "Mobile",
                    "subscriberNumber": f"{a.area_code}{p.phone.replace('-', '')}"}],
        "customIdentifiers": [],
        "tenants": ref(p.tenant_id, f"/v1/tenants/{p.tenant_id}"),
    }


@builder("/v1/legalEntities/{legalEntityId}/persons")
def le_persons(env, ctx):
    c = env.company
    return _paged(env, ctx, c.persons_of_legal_entity(ctx.legal_entity.id), lambda p: person_override(c, p, True))


@builder("/v1/tenants/{tenantId}/persons")
def tenant_persons(env, ctx):
    c = env.company

    def ov(p):
        d = person_override(c, p, True)
        d["employees"] = [ref(c.employee_at(i).id, f"/v1/employees/{c.employee_at(i).id}") for i in p.employee_idx]
        return d
    return _paged(env, ctx, c.persons_of_tenant(ctx.tenant.id), ov)


@builder("/v1/tenants/{tenantId}/persons/{personId}", "/v1/employees/{employeeId}/person")
def one_person(env, ctx):
    return _single(env, ctx, person_override(env.company, ctx.person, False))


# ---------------------------------------------------------------------------- legal entity setup lists
@builder("/v1/legalentities/{legalEntityId}/departments", "/v2/legalentities/{legalEntityId}/departments")
def departments(env, ctx):
    le = ctx.legal_entity
    locs = {w.id: w.name for w in le.work_locations}
    pg = le.pay_groups[0]
    return _paged(env, ctx, le.departments, lambda d: {
        "id": d.id, "code": d.code, "description": d.description, "parentId": d.parent_id, "level": d.level,
        "payrollId": pg.payroll_id, "payrollDescription": pg.payroll_description,
        "workLocationId": d.work_location_id, "workLocationName": locs.get(d.work_location_id),
        "customFieldValues": {}})


def _tenant_job_titles(env, ctx, tenant):
    return _paged(env, ctx, tenant.job_titles, lambda j: {
        "jobTitleId": j.id, "jobTitle": j.title, "jobCode": j.code, "jobCategory": j.category,
        "isArchived": False, "tenant": ref(tenant.id, f"/v1/tenants/{tenant.id}")})


@builder("/v1/legalentities/{legalEntityId}/jobtitles", "/v1/tenants/{tenantId}/jobtitles")
def job_titles(env, ctx):
    return _tenant_job_titles(env, ctx, ctx.tenant)


def _work_location(w, tenant_id=None):
    a = w.address
    return {"id": w.id, "name": w.name,
            "addresses": [{"streetLine1": a.street, "streetLine2": None, "suite": None, "city": a.city,
                           "state": a.state, "country": "USA", "county": a.county, "zipCode": a.zip,
                           "type": "Physical"}],
            "phones": [{"countryCode": "+1", "areaCode": a.area_code, "phoneNumber": w.phone, "type": "Voice",
                        "subscriberNumber": f"{a.area_code}{w.phone.replace('-', '')}"}],
            "locationNumber": w.number, "storeId": None, "isFmlaEligible": True, "payrollCustomValues": {},
            "tenant": ref(tenant_id, f"/v1/tenants/{tenant_id}") if tenant_id else None}


@builder("/v1/legalentities/{legalEntityId}/worklocations", "/v2/legalentities/{legalEntityId}/worklocations")
def le_work_locations(env, ctx):
    return _paged(env, ctx, ctx.legal_entity.work_locations, _work_location)


@builder("/v1/tenants/{tenantId}/worklocations")
def tenant_work_locations(env, ctx):
    t = ctx.tenant
    locs = [w for le_id in t.legal_entity_ids for w in env.company.legal_entity(le_id).work_locations]
    return _paged(env, ctx, locs, lambda w: _work_location(w, t.id))


@builder("/v1/legalentities/{legalEntityId}/payGroups")
def pay_groups(env, ctx):
    le = ctx.legal_entity
    return _paged(env, ctx, le.pay_groups, lambda g: {
        "legalEntityId": le.id, "payrollId": g.payroll_id, "payrollDescription": g.payroll_description,
        "payrollCode": g.payroll_code, "payGroupId": g.id, "payGroupName": g.name, "payGroupFrequency": g.frequency})


def _le_start(le: LegalEntity):
    return ANCHOR.replace(year=2015 + le.id % 5, month=1, day=1)


@builder("/v1/legalentities/{legalEntityId}/earnings")
def le_earnings(env, ctx):
    le = ctx.legal_entity
    return _paged(env, ctx, le.earnings, lambda x: {
        "id": x.id, "code": x.code, "globalEarningCode": x.global_code, "description": x.description,
        "hours": None, "amount": None, "rate": None, "frequency": "EveryPayPeriod", "isOnW2": True,
        "onHold": False, "effectiveStartDate": iso(_le_start(le)), "factor": x.factor,
        "legalEntity": ref(le.id, f"/v1/legalentities/{le.id}")})


@builder("/v1/legalentities/{legalEntityId}/deductions")
def le_deductions(env, ctx):
    le = ctx.legal_entity
    codes = [d.code for d in le.deductions]
    return _paged(env, ctx, le.deductions, lambda d: {
        "id": d.id, "code": d.code, "globalDeductionCode": d.code, "description": d.description, "type": d.type,
        "linkedDeductionCodes": (["401KL"] if d.code == "401K" and "401KL" in codes else []),
        "amount": None, "rate": (0.05 if d.code in ("401K", "ROTH") else None), "frequency": "EveryPayPeriod",
        "isOnW2": d.type == "D125" or d.code in ("401K", "ROTH"), "onHold": False,
        "effectiveStartDate": iso(_le_start(le)), "legalEntity": ref(le.id, f"/v1/legalentities/{le.id}")})


@builder("/v1/legalentities/{legalEntityId}/taxes")
def le_taxes(env, ctx):
    le = ctx.legal_entity
    return _paged(env, ctx, le.taxes, lambda t: {
        "legalEntityTaxId": t.id, "legalEntityId": le.id, "taxCode": t.code, "description": t.description,
        "type": t.type, "taxAuthCode": t.auth_code, "depositFrequency": "SemiWeekly",
        "effectiveStartDate": iso(_le_start(le)), "sequenceNumber": 1, "rate": t.rate, "reciprocityType": None,
        "offerDependentInsurance": None, "wagePlan": None, "itemHold": "N",
        "legalEntity": ref(le.id, f"/v1/legalentities/{le.id}")})


# ---------------------------------------------------------------------------- single items of the lists above
def _one(env, ctx, list_builder, list_template: str, id_field: str, wanted: str, what: str):
    from .openapi import default_spec
    parent = default_spec().route(list_template)
    pctx = Ctx(parent, {k: v for k, v in ctx.params.items() if k in parent.param_names}, {},
               ctx.legal_entity, ctx.tenant, ctx.employee, ctx.person)
    for rec in list_builder(env, pctx).records.all():
        if str(rec.get(id_field)).lower() == wanted.lower():
            return _single(env, ctx, rec)
    from . import errors
    raise errors.not_found(f"{what} {wanted} was not found.")


@builder("/v1/legalentities/{legalEntityId}/departments/{departmentId}",
         "/v2/legalentities/{legalEntityId}/departments/{departmentId}")
def department(env, ctx):
    return _one(env, ctx, departments, ctx.route.template.rsplit("/", 1)[0], "id", ctx.params["departmentId"],
                "Department")


@builder("/v1/legalentities/{legalEntityId}/worklocations/{workLocationId}",
         "/v2/legalentities/{legalEntityId}/worklocations/{workLocationId}")
def work_location(env, ctx):
    return _one(env, ctx, le_work_locations, ctx.route.template.rsplit("/", 1)[0], "id", ctx.params["workLocationId"],
                "Work location")
