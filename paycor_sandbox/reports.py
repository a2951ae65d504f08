"""Report Builder (tag Reporting of Paycor's v1 document), served from the company.

- `GET /v1/Reporting/{scope}/ReportingUsers`: one reporting user (an administrator of the first tenant's first
  legal entity; `extra_users` adds more with the same templates), for the application's own scope key; another scope answers 404; the item "View Reporting Users by Application Scope"
  denied in any legal entity answers 403 (the item is the application's).
- `GET /v1/Reporting/{legalEntityId}/ReportIdentifiers/{userId}`: the user's three templates.
- `GET /v1/Reporting/{legalEntityId}/TemplateData/{templateId}/{userId}`: the template's rows for that legal
  entity, `ROWS_PER_PAGE` a page, one data set (`{headers, data, footers, totalRows}`) per page, paged by
  continuation token. The templates:
  - "Employee Pay Rates": one row per employee, with pay fields (rows keyed by field id, as the document's example);
  - "Employee Phones": a repeated column name ("Phone" twice; rows as arrays in header order; pages linked by
    `additionalResultsUrl` only);
  - "Headcount by Department": a small aggregate, one row per department (rows keyed by display name).
  Type codes are names (the document's enum) unless a style says numbers (the document's example sends 3).

Each template's `ReportStyle` (row shape, type codes, links, numbers as text) is fixed in document-faithful
mode and drawn per template from the realism seed in realistic mode; tests may set `sb.report_builder.styles`.
`gone` and `forbidden` (template ids) make TemplateData answer 404 or 403 for a template.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

from . import errors
from .company import Company, guid
from .provider import handler
from .records import LazyRecords, iso
from .results import Paged

ROWS_PER_PAGE = 100
CLIENT_DATA_TYPES = ("Unknown", "Number", "DateTime", "String", "Guid", "Date", "EmployeeStatus", "EmployeeType",
                     "Boolean", "SpecificDate", "Time")
USERS_ACCESS = "View Reporting Users by Application Scope"
PAY_RATES, PHONES, HEADCOUNT = "Employee Pay Rates", "Employee Phones", "Headcount by Department"
ROW_SHAPES = ("field_id", "display_name", "array")


def _guid(*parts) -> str:
    """The company's kind of GUID (`company.guid`), fixed by `parts`."""
    return guid(random.Random("|".join(map(str, parts))))


@dataclass(frozen=True)
class Column:
    field_id: str
    display_name: str
    data_type: str
    aggregation: str | None = None


@dataclass(frozen=True)
class Template:
    template_id: str
    parent_template_id: str
    display_name: str
    user_id: str
    columns: tuple
    kind: str = ""                  # which of the three templates (its first display name; a rename keeps it)


@dataclass(frozen=True)
class ReportStyle:
    rows: str = "field_id"          # "field_id" | "display_name" | "array"
    codes: str = "name"             # "name" | "number"
    url_only: bool = False          # next page linked by additionalResultsUrl only
    numbers_as_text: bool = False   # Number values sent as decimal strings ("23.5000")


@dataclass(frozen=True)
class ReportingUser:
    user_id: str
    first_name: str
    last_name: str
    legal_entity_id: int


FAITHFUL_STYLES = {PAY_RATES: ReportStyle("field_id"), PHONES: ReportStyle("array", url_only=True),
                   HEADCOUNT: ReportStyle("display_name")}


class ReportBuilder:
    def __init__(self, company: Company, seed: int, extra_users: int = 0):
        self.company, self.seed = company, seed
        self.users: list[ReportingUser] = []
        self.templates: list[Template] = []
        tenant = company.tenants[0]
        le_id = tenant.legal_entity_ids[0]
        for number in range(1 + extra_users):
            person = company.person_of(company.employees_of_legal_entity(le_id)[number])
            user = ReportingUser(_guid(seed, "report-user", tenant.id, number or ""), person.first, person.last, le_id)
            self.users.append(user)
            for name, columns in (
                (PAY_RATES, (("Employee Number", "String"), ("First Name", "String"), ("Last Name", "String"),
                             ("Department", "String"), ("Status", "EmployeeStatus"), ("Hire Date", "Date"),
                             ("Hourly", "Boolean"), ("Pay Rate", "Number"), ("Annual Pay", "Number"),
                             ("Last Changed", "DateTime"))),
                (PHONES, (("Employee Number", "String"), ("Last Name", "String"), ("Phone", "String"),
                          ("Phone", "String"), ("Email", "String"))),
                (HEADCOUNT, (("Department", "String"), ("Headcount", "Number"), ("Average Pay Rate", "Number"))),
            ):
                template_id = _guid(seed, "template", user.user_id, name)
                self.templates.append(Template(
                    template_id, _guid(seed, "parent", name), name, user.user_id,
                    tuple(Column(_guid(seed, "field", name, position), display, kind,
                                 "Count" if display == "Headcount" else None)
                          for position, (display, kind) in enumerate(columns)), name))
        self.styles: dict = {}       # template id -> ReportStyle (set by realistic mode or by tests)
        self.gone: set = set()       # template ids answering 404
        self.forbidden: set = set()  # template ids answering 403

    # ------------------------------------------------------------------ lookups
    def user(self, user_id: str) -> ReportingUser | None:
        return next((user for user in self.users if user.user_id.lower() == str(user_id).lower()), None)

    def templates_of(self, user_id: str) -> list[Template]:
        return [template for template in self.templates if template.user_id.lower() == str(user_id).lower()]

    def template(self, template_id: str) -> Template | None:
        return next((t for t in self.templates if t.template_id.lower() == str(template_id).lower()), None)

    def style(self, template: Template, realism) -> ReportStyle:
        if template.template_id in self.styles:
            return self.styles[template.template_id]
        if realism is None:
            return FAITHFUL_STYLES[template.kind]
        rng = random.Random(f"{realism.config.seed}:report:{template.template_id}")
        shapes = ("field_id", "array") if template.kind == PHONES else ROW_SHAPES
        return ReportStyle(rng.choice(shapes), rng.choice(("name", "number")), rng.random() < 0.5, rng.random() < 0.5)

    # ------------------------------------------------------------------ the rows (ground truth)
    def rows(self, template: Template, legal_entity_id: int) -> list[list]:
        """The template's rows for a legal entity: values in header order, as Paycor computes them."""
        company = self.company
        le = company.legal_entity(legal_entity_id)
        employees = company.employees_of_legal_entity(legal_entity_id)
        if template.kind == PAY_RATES:
            return [[employee.number, company.person_of(employee).first, company.person_of(employee).last,
                     le.departments[employee.department_idx].description, employee.status,
                     employee.hire_date.isoformat(), employee.hourly, employee.pay_rate,
                     round(employee.pay_rate * 2080, 2) if employee.hourly else employee.pay_rate,
                     iso(employee.hire_date)[:-1]]
                    for employee in employees]
        if template.kind == PHONES:
            return [[employee.number, company.person_of(employee).last, company.person_of(employee).phone,
                     le.work_locations[employee.work_location_idx].phone, employee.work_email]
                    for employee in employees]
        out = []
        for index, department in enumerate(le.departments):
            active = [e for e in employees if e.department_idx == index and e.status != "Terminated"]
            if active:
                out.append([department.description, len(active),
                            round(sum(e.pay_rate for e in active) / len(active), 4)])
        return out


def report_builder(env, extra_users: int = 0) -> ReportBuilder:
    """The sandbox's Report Builder (made on first use; `extra_users` only then)."""
    made = getattr(env, "_report_builder", None)
    if made is None:
        made = env._report_builder = ReportBuilder(env.company, env.seed, extra_users)
    return made


# ---------------------------------------------------------------------------- answers
def _header(column: Column, codes: str) -> dict:
    code = CLIENT_DATA_TYPES.index(column.data_type) if codes == "number" else column.data_type
    return {"fieldId": column.field_id, "displayName": column.display_name, "clientDataType": code,
            "relatedFieldId": None, "groupLevel": None, "aggregationType": column.aggregation,
            "fieldType": "TemplateField"}


def _row(template: Template, values: list, style: ReportStyle):
    if style.numbers_as_text:
        values = [f"{value:.4f}" if column.data_type == "Number" and isinstance(value, (int, float)) else value
                  for column, value in zip(template.columns, values)]
    if style.rows == "array":
        return list(values)
    if style.rows == "display_name":
        return {column.display_name: value for column, value in zip(template.columns, values)}
    return {column.field_id: value for column, value in zip(template.columns, values)}


@handler("/v1/Reporting/{scope}/ReportingUsers")
def reporting_users(env, ctx):
    if str(ctx.params.get("scope", "")).lower() != env.auth.scope.lower():
        raise errors.not_found(f"No application scope {ctx.params.get('scope')} was found.")
    if any(USERS_ACCESS.lower() in {item.lower() for item in items} for items in env.denied_data_access.values()):
        raise errors.forbidden(f"Access denied: the application lacks Data Access '{USERS_ACCESS}'.")
    users = report_builder(env).users
    return Paged(LazyRecords(len(users), lambda index: {
        "userId": users[index].user_id, "firstName": users[index].first_name, "lastName": users[index].last_name,
        "legalEntityId": users[index].legal_entity_id}), 100)


def _user(env, ctx) -> ReportingUser:
    user = report_builder(env).user(ctx.params["userId"])
    if user is None:
        raise errors.not_found(f"User {ctx.params['userId']} was not found.")
    return user


@handler("/v1/Reporting/{legalEntityId}/ReportIdentifiers/{userId}")
def report_identifiers(env, ctx):
    templates = report_builder(env).templates_of(_user(env, ctx).user_id)
    return Paged(LazyRecords(len(templates), lambda index: {
        "templateId": templates[index].template_id, "parentTemplateId": templates[index].parent_template_id,
        "displayName": templates[index].display_name}), 100)


@handler("/v1/Reporting/{legalEntityId}/TemplateData/{templateId}/{userId}")
def template_data(env, ctx):
    builder = report_builder(env)
    user = _user(env, ctx)
    template = builder.template(ctx.params["templateId"])
    if template is None or template.user_id != user.user_id or template.template_id in builder.gone:
        raise errors.not_found(f"Report template {ctx.params['templateId']} was not found for user {user.user_id}.")
    if template.template_id in builder.forbidden:
        raise errors.forbidden(f"Access denied: user {user.user_id} may not run report template {template.template_id}.")
    style = builder.style(template, env.realism)
    rows = builder.rows(template, ctx.legal_entity.id)
    headers = [_header(column, style.codes) for column in template.columns]
    pages = max(1, -(-len(rows) // ROWS_PER_PAGE))

    def page(number: int) -> dict:
        chunk = rows[number * ROWS_PER_PAGE:(number + 1) * ROWS_PER_PAGE]
        return {"headers": headers, "data": [_row(template, values, style) for values in chunk], "footers": None,
                "totalRows": len(rows)}
    return Paged(LazyRecords(pages, page), 1, url_only=style.url_only)


__all__ = ["ReportBuilder", "ReportStyle", "ROWS_PER_PAGE", "report_builder"]
