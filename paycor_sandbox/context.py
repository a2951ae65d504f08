"""Resolve a matched route's path and query parameters against the company (404 / 403 checks)."""
from __future__ import annotations

from dataclasses import dataclass, field

from . import errors
from .company import Company, Employee, LegalEntity, Person, Tenant
from .openapi import Route


@dataclass
class Ctx:
    route: Route
    params: dict                      # path params as given (strings)
    query: dict                       # lower-case name -> list of values (continuationToken removed)
    legal_entity: LegalEntity | None = None
    tenant: Tenant | None = None
    employee: Employee | None = None
    person: Person | None = None
    includes: set = field(default_factory=set)   # expanded include values ("All" -> every value)
    body: dict | None = None                      # a POST's JSON body

    def q(self, name: str, default=None):
        values = self.query.get(name.lower())
        return values[0] if values else default

    @property
    def key(self) -> str:
        """Stable identity of the collection (route + path params) for deterministic generation."""
        ids = ",".join(f"{name}={str(value).lower()}" for name, value in sorted(self.params.items()))
        return f"{self.route.key}|{ids}"


def _int(value: str, what: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise errors.bad_request(f"The value '{value}' is not valid for {what}.", {what: "must be an integer"})


def resolve(company: Company, route: Route, params: dict, query: dict,
            denied: dict | None = None) -> Ctx:
    ctx = Ctx(route, params, query)
    if "legalEntityId" in params:
        le_id = _int(params["legalEntityId"], "legalEntityId")
        le = company.legal_entity(le_id)
        if le is None:
            raise errors.not_found(f"Legal Entity {le_id} was not found.")
        if not le.activated:
            raise errors.forbidden(f"The application is not activated for Legal Entity {le_id}.")
        ctx.legal_entity = le
        ctx.tenant = company.tenant_by_id[le.tenant_id]
    if "tenantId" in params:
        t_id = _int(params["tenantId"], "tenantId")
        tenant = company.tenant_by_id.get(t_id)
        if tenant is None:
            raise errors.not_found(f"Tenant {t_id} was not found.")
        ctx.tenant = tenant
    if "employeeId" in params:
        employee = company.employee_by_id.get(params["employeeId"].lower())
        if employee is None:
            raise errors.not_found(f"Employee {params['employeeId']} was not found.")
        ctx.employee = employee
        ctx.legal_entity = company.legal_entity(employee.legal_entity_id)
        ctx.tenant = company.tenant_by_id[employee.tenant_id]
        ctx.person = company.person_of(employee)
    if "personId" in params:
        person = company.person_by_id.get(params["personId"].lower())
        if person is None or (ctx.tenant is not None and person.tenant_id != ctx.tenant.id):
            raise errors.not_found(f"Person {params['personId']} was not found.")
        ctx.person = person
        ctx.tenant = ctx.tenant or company.tenant_by_id[person.tenant_id]
    # include values
    values = route.include_values
    if values:
        lower = {value.lower(): value for value in values}
        asked = set()
        for raw in query.get("include", ()):
            for part in raw.split(","):
                part = part.strip()
                if not part:
                    continue
                if part.lower() not in lower:
                    raise errors.bad_request(f"The value '{part}' is not valid for include.",
                                             {"include": f"valid values: {', '.join(values)}"})
                asked.add(lower[part.lower()])
        if "All" in asked:
            asked = set(values)
        ctx.includes = asked
    _check_data_access(ctx, company, denied or {})
    return ctx


def _check_data_access(ctx: Ctx, company: Company, denied: dict):
    le_ids = []
    if ctx.legal_entity is not None:
        le_ids = [ctx.legal_entity.id]
    elif ctx.tenant is not None:
        le_ids = list(ctx.tenant.legal_entity_ids)
    for le_id in le_ids:
        items = {denied_item.lower() for denied_item in denied.get(le_id, ()) or denied.get(str(le_id), ())}
        if not items:
            continue
        if ctx.route.data_access and ctx.route.data_access.lower() in items:
            raise errors.forbidden(f"Access denied: the application lacks Data Access "
                                   f"'{ctx.route.data_access}' for Legal Entity {le_id}.")
        for inc in ctx.includes:
            item = ctx.route.include_access.get(inc)
            if item and item.lower() in items:
                raise errors.forbidden(f"Access denied: include '{inc}' needs Data Access '{item}' "
                                       f"for Legal Entity {le_id}.")
