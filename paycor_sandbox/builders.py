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
        for template in templates:
            BUILDERS[template.lower()] = fn
        return fn
    return deco


def _paged(env, ctx: Ctx, items: list, override_fn) -> Paged:
    schema = ctx.route.record_schema
    gates = include_gates(ctx.route.doc, ctx.route, schema)
    make = lambda index: build_record(env.seed, ctx, schema, index, override_fn(items[index]), gates)  # noqa: E731
    return Paged(LazyRecords(len(items), make), page_size_for(ctx.route.template))


def _single(env, ctx: Ctx, override: dict) -> Single:
    schema = ctx.route.record_schema
    gates = include_gates(ctx.route.doc, ctx.route, schema)
    return Single(build_record(env.seed, ctx, schema, "object", override, gates))


# ---------------------------------------------------------------------------- tenants / legal entities
@builder("/v1/legalentities/ActivatedLegalEntityTenantList")
def activated(env, ctx):
    return Single({"userLegalEntities": [{"legalEntityId": le, "tenantId": tenant_id} for le,
                                         tenant_id in env.company.activated_pairs()]})


@builder("/v1/tenants/{tenantId}")
def tenant(env, ctx):
    tenant = ctx.tenant
    return _single(env, ctx, {"id": tenant.id, "name": tenant.name,
                              "legalEntities": [ref(le, f"/v1/legalentities/{le}") for le in tenant.legal_entity_ids]})


def _address(address, type_="Primary"):
    return {"streetLine1": address.street, "streetLine2": None, "suite": None, "city": address.city,
            "state": address.state,
            "country": "USA", "county": address.county, "zipCode": address.zip, "type": type_}


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
    for employee in emps:
        le = company.legal_entity(employee.legal_entity_id)
        if status and employee.status.lower() != status.lower():
            continue
        if number and employee.number != number:
            continue
        if last and company.person_of(employee).last.lower() != last.lower():
            continue
        if dept and le.departments[employee.department_idx].code != dept:
            continue
        if loc and le.work_locations[employee.work_location_idx].name.lower() != loc.lower():
            continue
        if job and company.tenant_by_id[employee.tenant_id].job_titles[employee.job_idx].code.lower() != job.lower():
            continue
        if category and (category.lower() == "unpaid") != employee.unpaid:
            continue
        out.append(employee)
    return out


def employee_override(company: Company, employee: Employee, email_type: str | None = None) -> dict:
    person = company.person_of(employee)
    le = company.legal_entity(employee.legal_entity_id)
    dept = le.departments[employee.department_idx]
    loc = le.work_locations[employee.work_location_idx]
    job = company.tenant_by_id[employee.tenant_id].job_titles[employee.job_idx]
    mgr = (company.employees[employee.manager_idx]
           if employee.manager_idx is not None and employee.manager_idx != employee.index else None)
    emp_url = f"/v1/employees/{employee.id}"
    on_leave = employee.status not in ("Active", "Terminated")
    return {
        "id": employee.id, "firstName": person.first, "middleName": person.middle, "lastName": person.last,
        "email": {"type": "Work",
                  "emailAddress": person.email if (email_type or "").lower() == "home" else employee.work_email},
        "employmentDateData": {
            "hireDate": iso(employee.hire_date), "adjustedHireDate": iso(employee.hire_date),
            "terminationDate": iso(employee.termination_date), "terminationReason": employee.termination_reason,
            "reHireDate": iso(employee.rehire_date), "seniorityDate": iso(employee.hire_date)},
        "statusData": {
            "isFullTime": employee.full_time, "status": employee.status, "flsa": employee.flsa, "type": "Regular",
            "eligibleForRehire": ("Yes" if employee.status != "Terminated"
                                  or "Voluntary" in (employee.termination_reason or "") else "No"),
            "leaveStartDate": iso(ANCHOR) if on_leave else None,
            "leaveReason": ({"Fmla": "FMLA", "ShortTermDisability": "Medical Leave"}.get(employee.status, "Personal Leave")
                            if on_leave else None)},
        "workLocation": {"id": loc.id, "name": loc.name, "streetLine1": loc.address.street, "type": "Physical",
                         "city": loc.address.city, "county": loc.address.county, "state": loc.address.state,
                         "zipCode": loc.address.zip, "country": "USA"},
        "earnings": ref(employee.id, f"{emp_url}/earnings"), "deductions": ref(employee.id, f"{emp_url}/deductions"),
        "taxes": ref(employee.id, f"{emp_url}/taxes"), "directDeposits": ref(employee.id, f"{emp_url}/directdeposits"),
        "payRates": ref(employee.id, f"{emp_url}/payrates"),
        "legalEntity": ref(le.id, f"/v1/legalentities/{le.id}"),
        "person": ref(person.id, f"{emp_url}/person"),
        "department": ref(dept.id, f"/v2/legalentities/{le.id}/departments/{dept.id}"),
        "positionData": {
            "jobTitle": job.title, "jobCode": job.code, "effectiveStartDate": None, "effectiveEndDate": None,
            "departmentEffectiveDate": iso(employee.hire_date), "payGroupId": le.pay_groups[employee.pay_group_idx].id,
            "manager": None if mgr is None else {
                "id": mgr.id, "employeeNumber": mgr.number, "employee": ref(mgr.id, f"/v1/employees/{mgr.id}")}},
        "employeeNumber": employee.number, "alternateEmployeeNumber": None, "badgeNumber": None,
        "workCountryCode": "USA", "lastName2": None, "workerCategory": "Unpaid" if employee.unpaid else "Paid",
    }


@builder("/v1/legalentities/{legalEntityId}/employees", "/v2/legalentities/{legalEntityId}/employees")
def le_employees(env, ctx):
    company = env.company
    # Unpaid workers are listed only when asked for (workerCategory=Unpaid), as Paycor does.
    unpaid = (ctx.q("workerCategory") or "").lower() == "unpaid"
    pool = (company.unpaid_workers_of_legal_entity(ctx.legal_entity.id) if unpaid
            else company.employees_of_legal_entity(ctx.legal_entity.id))
    emps = filter_employees(company, pool, ctx)
    et = ctx.q("emailType")
    return _paged(env, ctx, emps, lambda employee: employee_override(company, employee, et))


@builder("/v2/employees/{employeeId}")
def employee(env, ctx):
    return _single(env, ctx, employee_override(env.company, ctx.employee, ctx.q("emailType")))


@builder("/v1/tenants/{tenantId}/employees", "/v2/tenants/{tenantId}/employees")
def tenant_employees(env, ctx):
    company = env.company
    emps = filter_employees(company, company.employees_of_tenant(ctx.tenant.id), ctx)

    def ov(employee):
        person = company.person_of(employee)
        return {"id": employee.id, "employeeNumber": employee.number, "firstName": person.first,
                "middleName": person.middle,
                "lastName": person.last, "employee": ref(employee.id, f"/v1/employees/{employee.id}")}
    return _paged(env, ctx, emps, ov)


# ---------------------------------------------------------------------------- persons
def person_override(company: Company, person: Person, bulk: bool) -> dict:
    emps = [company.employee_at(index) for index in person.employee_idx]
    address = person.address
    return {
        "id": person.id, "prefix": "Ms" if person.gender == "Female" else "Mr", "firstName": person.first,
        "middleName": person.middle, "lastName": person.last, "suffix": "None",
        "legalFirstName": person.first, "legalLastName": person.last, "socialSecurityNumber": person.ssn,
        "email": {"type": "Home", "emailAddress": person.email},
        "demographicData": {"birthDate": iso(person.birth_date), "gender": person.gender, "ethnicity": person.ethnicity,
                            "maritalStatus": person.marital, "maidenName": None},
        "benefitData": {"isTobaccoUser": False, "disability": "No"},
        "emergencyContactData": None if bulk else [{
            "firstName": "Pat", "lastName": person.last, "middleName": None, "order": 1, "relationship": "Spouse",
            "phones": [{"countryCode": "+1", "areaCode": address.area_code, "phoneNumber": person.phone,
                        "type": "Mobile",
                        "subscriberNumber": f"{address.area_code}{person.phone.replace('-', '')}"}]}],
        "militaryData": {"veteran": "No", "dischargeDate": None, "isArmedForcesServiceMedalVeteran": False,
                         "isDisabledVeteran": False, "isOtherProtectedVeteran": False,
                         "isRecentlySeparatedVeteran": False, "isVietnamEra": False, "isSpecialDisabled": False},
        "socialMediaData": [],
        "employeeAssignments": [{"employees": {"id": employee.id, "url": f"/v1/employees/{employee.id}",
                                               "legalEntityId": str(employee.legal_entity_id)}} for employee in emps],
        "addresses": [{"streetLine1": address.street, "streetLine2": None, "suite": None, "city": address.city,
                       "state": address.state, "country": "USA", "county": address.county, "zipCode": address.zip,
                       "countryZipCode": None, "zipCodePlusFour": None, "type": "Home"}],
        "phones": [{"countryCode": "+1", "areaCode": address.area_code, "phoneNumber": person.phone, "type": "Mobile",
                    "subscriberNumber": f"{address.area_code}{person.phone.replace('-', '')}"}],
        "customIdentifiers": [],
        "tenants": ref(person.tenant_id, f"/v1/tenants/{person.tenant_id}"),
    }


@builder("/v1/legalEntities/{legalEntityId}/persons")
def le_persons(env, ctx):
    company = env.company
    return _paged(env, ctx, company.persons_of_legal_entity(ctx.legal_entity.id),
                  lambda person: person_override(company, person, True))


@builder("/v1/tenants/{tenantId}/persons")
def tenant_persons(env, ctx):
    company = env.company

    def ov(person):
        record = person_override(company, person, True)
        record["employees"] = [ref(company.employee_at(index).id,
                                   f"/v1/employees/{company.employee_at(index).id}") for index in person.employee_idx]
        return record
    return _paged(env, ctx, company.persons_of_tenant(ctx.tenant.id), ov)


@builder("/v1/tenants/{tenantId}/persons/{personId}", "/v1/employees/{employeeId}/person")
def one_person(env, ctx):
    return _single(env, ctx, person_override(env.company, ctx.person, False))


# ---------------------------------------------------------------------------- legal entity setup lists
@builder("/v1/legalentities/{legalEntityId}/departments", "/v2/legalentities/{legalEntityId}/departments")
def departments(env, ctx):
    le = ctx.legal_entity
    locs = {location.id: location.name for location in le.work_locations}
    pg = le.pay_groups[0]
    return _paged(env, ctx, le.departments, lambda department: {
        "id": department.id, "code": department.code, "description": department.description,
                                                                "parentId": department.parent_id,
                                                                "level": department.level,
        "payrollId": pg.payroll_id, "payrollDescription": pg.payroll_description,
        "workLocationId": department.work_location_id, "workLocationName": locs.get(department.work_location_id),
        "customFieldValues": {}})


def _tenant_job_titles(env, ctx, tenant):
    return _paged(env, ctx, tenant.job_titles, lambda job: {
        "jobTitleId": job.id, "jobTitle": job.title, "jobCode": job.code, "jobCategory": job.category,
        "isArchived": False, "tenant": ref(tenant.id, f"/v1/tenants/{tenant.id}")})


@builder("/v1/legalentities/{legalEntityId}/jobtitles", "/v1/tenants/{tenantId}/jobtitles")
def job_titles(env, ctx):
    return _tenant_job_titles(env, ctx, ctx.tenant)


def _work_location(location, tenant_id=None):
    address = location.address
    return {"id": location.id, "name": location.name,
            "addresses": [{"streetLine1": address.street, "streetLine2": None, "suite": None, "city": address.city,
                           "state": address.state, "country": "USA", "county": address.county, "zipCode": address.zip,
                           "type": "Physical"}],
            "phones": [{"countryCode": "+1", "areaCode": address.area_code, "phoneNumber": location.phone,
                        "type": "Voice",
                        "subscriberNumber": f"{address.area_code}{location.phone.replace('-', '')}"}],
            "locationNumber": location.number, "storeId": None, "isFmlaEligible": True, "payrollCustomValues": {},
            "tenant": ref(tenant_id, f"/v1/tenants/{tenant_id}") if tenant_id else None}


@builder("/v1/legalentities/{legalEntityId}/worklocations", "/v2/legalentities/{legalEntityId}/worklocations")
def le_work_locations(env, ctx):
    return _paged(env, ctx, ctx.legal_entity.work_locations, _work_location)


@builder("/v1/tenants/{tenantId}/worklocations")
def tenant_work_locations(env, ctx):
    tenant = ctx.tenant
    locs = [location for le_id in tenant.legal_entity_ids
            for location in env.company.legal_entity(le_id).work_locations]
    return _paged(env, ctx, locs, lambda location: _work_location(location, tenant.id))


@builder("/v1/legalentities/{legalEntityId}/payGroups")
def pay_groups(env, ctx):
    le = ctx.legal_entity
    return _paged(env, ctx, le.pay_groups, lambda pay_group: {
        "legalEntityId": le.id, "payrollId": pay_group.payroll_id, "payrollDescription": pay_group.payroll_description,
        "payrollCode": pay_group.payroll_code, "payGroupId": pay_group.id, "payGroupName": pay_group.name,
                                                              "payGroupFrequency": pay_group.frequency})


def _le_start(le: LegalEntity):
    return ANCHOR.replace(year=2015 + le.id % 5, month=1, day=1)


@builder("/v1/legalentities/{legalEntityId}/earnings")
def le_earnings(env, ctx):
    le = ctx.legal_entity
    return _paged(env, ctx, le.earnings, lambda earning: {
        "id": earning.id, "code": earning.code, "globalEarningCode": earning.global_code,
                                                          "description": earning.description,
        "hours": None, "amount": None, "rate": None, "frequency": "EveryPayPeriod", "isOnW2": True,
        "onHold": False, "effectiveStartDate": iso(_le_start(le)), "factor": earning.factor,
        "legalEntity": ref(le.id, f"/v1/legalentities/{le.id}")})


@builder("/v1/legalentities/{legalEntityId}/deductions")
def le_deductions(env, ctx):
    le = ctx.legal_entity
    codes = [deduction.code for deduction in le.deductions]
    return _paged(env, ctx, le.deductions, lambda deduction: {
        "id": deduction.id, "code": deduction.code, "globalDeductionCode": deduction.code,
                                                              "description": deduction.description,
                                                              "type": deduction.type,
        "linkedDeductionCodes": (["401KL"] if deduction.code == "401K" and "401KL" in codes else []),
        "amount": None, "rate": (0.05 if deduction.code in ("401K", "ROTH") else None), "frequency": "EveryPayPeriod",
        "isOnW2": deduction.type == "D125" or deduction.code in ("401K", "ROTH"), "onHold": False,
        "effectiveStartDate": iso(_le_start(le)), "legalEntity": ref(le.id, f"/v1/legalentities/{le.id}")})


@builder("/v1/legalentities/{legalEntityId}/taxes")
def le_taxes(env, ctx):
    le = ctx.legal_entity
    return _paged(env, ctx, le.taxes, lambda tax: {
        "legalEntityTaxId": tax.id, "legalEntityId": le.id, "taxCode": tax.code, "description": tax.description,
        "type": tax.type, "taxAuthCode": tax.auth_code, "depositFrequency": "SemiWeekly",
        "effectiveStartDate": iso(_le_start(le)), "sequenceNumber": 1, "rate": tax.rate, "reciprocityType": None,
        "offerDependentInsurance": None, "wagePlan": None, "itemHold": "N",
        "legalEntity": ref(le.id, f"/v1/legalentities/{le.id}")})


# ---------------------------------------------------------------------------- single items of the lists above
def _one(env, ctx, list_builder, list_template: str, id_field: str, wanted: str, what: str):
    from .openapi import default_spec
    parent = default_spec().route(list_template)
    pctx = Ctx(parent, {key: value for key, value in ctx.params.items() if key in parent.param_names}, {},
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
