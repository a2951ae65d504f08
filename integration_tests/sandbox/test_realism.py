"""Realistic mode: each named deviation does what it says, on the routes drawn for it, and nothing else.

A survey reads every JSON route once from a faithful and once from a realistic sandbox (same company,
same requests) with this module's own reader: it retries an HTML page once, reads envelope keys
case-insensitively, `hasMoreResults` as bool or string, and takes a bare object or array as the records.
Differences between the two reads are classified by this module (not by the sandbox) and must each be
explained by a deviation drawn for that route.
"""
from __future__ import annotations

import hashlib
import json
import re
import signal
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
import requests

from paycor_sandbox import ALL_DEVIATIONS, ANSWER_DEVIATIONS, EXTRA_FIELDS, Faults, Realism, Sandbox
from paycor_sandbox.errors import ApiError
from paycor_sandbox.extras import ats_account_ids, ats_job_ids
from paycor_sandbox.openapi import default_spec
from paycor_sandbox.reports import CLIENT_DATA_TYPES, report_builder
from paycor_sandbox import realism
from paycor_sandbox.realism import BARE_ARRAY_LIMIT, DEFAULT_SEED, draw_plan
from integration_tests.realism_helpers import camel, canonical, find_sensitive, sensitive_values
from .helpers import InProcess

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 1, 15)
SPEC = default_spec()
JSON_ROUTES = [r for r in SPEC.routes if r.shape in ("paged", "array", "object")]
SENSITIVE_KEYS = ("socialSecurityNumber", "birthDate", "demographicData", "unmaskedAccountNumber")


# ---------------------------------------------------------------------------- the test's own client
@dataclass
class Read:
    proxy: object            # the HTML Response of a first call, or None
    bodies: list             # (status, parsed body or None) of every call after the proxy page
    records: list
    status: int


def _keys(body: dict) -> dict:
    return {key.lower(): key for key in body}


ENVELOPE_KEYS = {"hasmoreresults", "continuationtoken", "additionalresultsurl", "records"}


def _is_envelope(body) -> bool:
    """Exactly the four envelope keys, in any casing (an object may hold `records` among other fields)."""
    return isinstance(body, dict) and set(_keys(body)) == ENVELOPE_KEYS


def _more(value) -> bool:
    return value if isinstance(value, bool) else str(value).lower() == "true"


def read_all(client: InProcess, path: str, params: dict) -> Read:
    response, proxy = client.get(path, params), None
    if response.headers.get("Content-Type", "").startswith("text/html"):
        proxy, response = response, client.get(path, params)
    bodies, records, seen = [], [], set()
    while True:
        if response.status not in (200, 204):
            bodies.append((response.status, response.body))
            return Read(proxy, bodies, [], response.status)
        body = json.loads(response.body) if response.body else None
        bodies.append((response.status, body))
        if body is None:
            break
        if isinstance(body, list):
            records += body
            break
        if not _is_envelope(body):
            records.append(body)
            break
        keys = _keys(body)
        records += body[keys["records"]] or []
        token = body.get(keys.get("continuationtoken", ""))
        if not _more(body[keys["hasmoreresults"]]) or not token:
            break
        assert token not in seen
        seen.add(token)
        response = client.get(path, {**params, "continuationToken": token})
    return Read(proxy, bodies, records, 200)


# ---------------------------------------------------------------------------- survey of every JSON route
def _values_and_query(sb):
    le = next(x for x in sb.company.legal_entities if x.services["performTime"])
    emp = next(e for e in sb.company.employees_of_legal_entity(le.id) if e.status == "Active" and e.hourly)
    runs = sb.expected_records("/v1/legalentities/{legalEntityId}/payrollProcessing",
                               {"fromCheckDate": str(TODAY - timedelta(days=60))}, legalEntityId=le.id)
    deposits = sb.expected_records("/v1/employees/{employeeId}/DirectDeposits", employeeId=emp.id)
    values = {"legalEntityId": le.id, "tenantId": le.tenant_id, "employeeId": emp.id,
              "personId": sb.company.person_of(emp).id, "departmentId": le.departments[0].id,
              "workLocationId": le.work_locations[0].id, "statusCategory": "TerminationReason",
              "scope": "sandbox", "taxCode": "FED", "directDepositId": deposits[0]["id"]}
    values["atsAccountId"] = ats_account_ids(sb, le.id)[0]
    values["atsJobId"] = ats_job_ids(sb, values["atsAccountId"])[0]
    # Report Builder: the application's scope key, its reporting user and one of the user's templates
    values.update(scope=sb.auth.scope, userId=report_builder(sb).users[0].user_id,
                  templateId=report_builder(sb).templates[0].template_id)
    query = {"startDate": str(TODAY - timedelta(days=14)), "endDate": str(TODAY),
             "fromCheckDate": str(TODAY - timedelta(days=60)), "toCheckDate": str(TODAY),
             "plannerId": runs[-1]["plannerId"], "entityType": "1"}
    return values, query


def request_for(route, values: dict, query: dict):
    path = re.sub(r"\{(\w+)\}", lambda m: str(values.get(m.group(1), "3f2504e0-4f89-41d3-9a0c-0305e82c3301")),
                  route.template)
    names = {p["name"] for p in route.operation.get("parameters", []) if p.get("in") == "query"}
    params = {n: query[n] for n in names
              if n in query and (n in route.required_query() or n in ("plannerId", "startDate", "endDate"))}
    return path, params


@dataclass
class Entry:
    route: object
    path: str
    params: dict
    faithful: Read
    realistic: Read


@pytest.fixture(scope="module")
def survey():
    faithful_sb = Sandbox(seed=7, employees=300, today=TODAY)
    realistic_sb = Sandbox(seed=7, employees=300, today=TODAY, realistic=Realism(deviations=ANSWER_DEVIATIONS))
    values, query = _values_and_query(faithful_sb)
    faithful, realistic = InProcess(faithful_sb), InProcess(realistic_sb)
    entries = []
    for route in JSON_ROUTES:
        path, params = request_for(route, values, query)
        entries.append(Entry(route, path, params, read_all(faithful, path, params), read_all(realistic, path, params)))
    return realistic_sb, entries


def drew(sb, entry, deviation) -> bool:
    return deviation in sb.realism.deviations_for(entry.route.template)


# ---------------------------------------------------------------------------- the test's classification
KIND_EXPLAINED_BY = {
    "int_as_string": {"ids_as_strings", "numbers_as_strings"}, "float_as_string": {"numbers_as_strings"},
    "bool_as_string": {"bools_as_strings"}, "string_as_number": {"strings_as_numbers"},
    "naive_datetime": {"naive_datetimes"}, "null_left_out": {"missing_optional"},
    "empty_array_as_null": {"null_arrays"}, "sensitive_filled": {"unasked_sensitive"},
}
DEVIATION_KIND = {"ids_as_strings": "int_as_string", "numbers_as_strings": "float_as_string",
                  "bools_as_strings": "bool_as_string", "strings_as_numbers": "string_as_number",
                  "naive_datetimes": "naive_datetime", "missing_optional": "null_left_out",
                  "null_arrays": "empty_array_as_null", "unasked_sensitive": "sensitive_filled"}
EXTRA_NAMES = set(EXTRA_FIELDS) | {camel(k) for k in EXTRA_FIELDS}


def camel_keys(value):
    if isinstance(value, dict):
        return {camel(k): camel_keys(v) for k, v in value.items() if camel(k) not in EXTRA_NAMES}
    if isinstance(value, list):
        return [camel_keys(v) for v in value]
    return value


def _scalar_kind(faithful, realistic) -> str:
    if isinstance(faithful, bool):
        return "bool_as_string" if realistic == ("true" if faithful else "false") else "changed"
    if isinstance(faithful, int):
        return "int_as_string" if realistic == str(faithful) else "changed"
    if isinstance(faithful, float):
        return "float_as_string" if realistic == json.dumps(faithful) else "changed"
    if isinstance(faithful, str) and isinstance(realistic, int) and not isinstance(realistic, bool):
        return "string_as_number" if str(realistic) == faithful else "changed"
    if isinstance(faithful, str) and faithful.endswith("Z") and realistic == faithful[:-1]:
        return "naive_datetime"
    return "changed"


def differences(faithful, realistic, key="") -> list:
    """Kinds of difference between a faithful and a realistic value (keys already camelCased)."""
    if faithful == realistic and type(faithful) is type(realistic):
        return []
    if faithful is None and key in SENSITIVE_KEYS:
        return ["sensitive_filled"]
    if isinstance(faithful, dict) and isinstance(realistic, dict):
        out = [("unexpected_key", k) for k in realistic if k not in faithful]
        for k, v in faithful.items():
            if k not in realistic:
                out.append("null_left_out" if v is None else ("dropped", k))
            else:
                out += differences(v, realistic[k], k)
        return out
    if isinstance(faithful, list) and isinstance(realistic, list) and len(faithful) == len(realistic):
        return [d for f, r in zip(faithful, realistic) for d in differences(f, r, key)]
    if faithful == [] and realistic is None:
        return ["empty_array_as_null"]
    if isinstance(faithful, (dict, list)) or isinstance(realistic, (dict, list)):
        return [("changed", key)]
    kind = _scalar_kind(faithful, realistic)
    if kind == "changed" and key in SENSITIVE_KEYS:
        return ["sensitive_filled"]      # a value present in both that the deviation overwrote (it should not)
    return [kind if kind != "changed" else ("changed", key)]


REPORT_DATA = "/v1/Reporting/{legalEntityId}/TemplateData/{templateId}/{userId}"


def _get(mapping: dict, name: str):
    return next(((key, value) for key, value in mapping.items() if key.lower() == name.lower()), (None, None))


def report_rows(records: list) -> list:
    """Report data sets with the report route's own realistic styles undone (row shape, type codes as numbers,
    Number values as text; `paycor_sandbox/reports.py`): type codes as names, rows as value lists in header order,
    Number values as numbers. Keys keep their spelling (the generic deviations are classified as on any route)."""
    out = []
    for data_set in records:
        headers_key, headers = _get(data_set, "headers")
        data_key, rows = _get(data_set, "data")
        named, kinds, keys = [], [], []
        for header in headers or []:
            code_key, code = _get(header, "clientDataType")
            kind = CLIENT_DATA_TYPES[code] if isinstance(code, int) else code
            named.append({**header, code_key: kind})
            kinds.append(kind)
            keys.append((str(_get(header, "fieldId")[1]).lower(), str(_get(header, "displayName")[1]).lower()))
        decoded = []
        for row in rows or []:
            if isinstance(row, dict):
                lowered = {str(key).lower(): value for key, value in row.items()}
                row = [lowered.get(field_id, lowered.get(display)) for field_id, display in keys]
            decoded.append([float(value) if kind == "Number" and value is not None else value
                            for kind, value in zip(kinds, row)])
        out.append({**data_set, headers_key: named, data_key: decoded})
    return out


def route_differences(entry) -> list:
    if entry.route.template == REPORT_DATA:
        f, r = camel_keys(report_rows(entry.faithful.records)), camel_keys(report_rows(entry.realistic.records))
        return [("record_count", len(f), len(r))] if len(f) != len(r) else differences(f, r)
    f, r = camel_keys(entry.faithful.records), camel_keys(entry.realistic.records)
    if len(f) != len(r):
        return [("record_count", len(f), len(r))]
    return differences(f, r)


# ---------------------------------------------------------------------------- drawing
def test_default_seed_draws_every_deviation_on_several_routes():
    sb = Sandbox(employees=5, realistic=Realism())
    coverage = sb.realism.coverage()
    assert set(coverage) == set(ALL_DEVIATIONS)
    assert all(n >= 3 for n in coverage.values()), coverage
    assert sb.realism.config.seed == DEFAULT_SEED


def test_draw_is_deterministic_for_a_seed_and_differs_for_another():
    def plans(seed):
        return {r.template: draw_plan(seed, r) for r in SPEC.routes}
    assert plans(2) == plans(2)
    other = plans(3)
    changed = [t for t, p in plans(2).items() if p.deviations != other[t].deviations]
    assert len(changed) > len(SPEC.routes) // 2


def test_a_subset_of_deviations_keeps_the_same_choices():
    subset = ("pascal_keys", "bare_array", "unasked_sensitive")
    full = Sandbox(employees=5, realistic=Realism()).realism
    part = Sandbox(employees=5, realistic=Realism(deviations=subset)).realism
    for route in SPEC.routes:
        assert part.deviations_for(route.template) == full.deviations_for(route.template) & set(subset)


def test_unknown_deviation_is_refused():
    with pytest.raises(ValueError, match="unknown deviations"):
        Realism(deviations=("pascal_keys", "sideways"))


# ---------------------------------------------------------------------------- faithful mode is untouched
# sha256 of the bodies answered before realistic mode existed (commit 40af97d), Sandbox(seed=7, employees=600)
FAITHFUL_DIGESTS = {
    "activated": "eedd747f38f8c2b721ac70fd2d294db83292b2703c9f652b13b0cf56bb380ed3",
    "persons p1": "a966fc5e03a80dcc0e8f8dfe77067157cedd9e1f7727cbd08aea1107b8ee10ba",
    "persons p2": "0c1776a69e5730dfa1731c9d33329bc40ec9fbae8d3db37d21c640e61f4ed936",
    "employees": "74fec70efd6f809f18456ad39427e470ef6ccef1f532e21f9e34bba6e5f25f84",
    "departments": "9a5fee68d63418cbe1c52ef38862948efaba6124acc3e1acd9e43b1e4b8541b1",
    "deposits": "5fdad67d63ade94cf5ae9a10dd14d26be06f72028aeed3eed46a6efaf9dcded1",
    "person": "0e5801c4f5497a2ae8a20a224a991c2571162e7a5b4753e2e86e15ba8919b0e7",
    "schedules": "5d87606b3044e967397af146f694e601e7384a645a45db713a2a827d7b3fa6d5",
    "status reasons": "468b7eb8dfbdb984acb71257956edad3930eca760fe52becdd9d0583d12435d1",
}


def _faithful_answers(sb) -> dict:
    c = InProcess(sb)
    le = sb.company.legal_entities[0].id
    emp = sb.company.employees_of_legal_entity(le)[0].id
    first = c.get(f"/v1/legalEntities/{le}/persons", {"include": "All"})
    token = json.loads(first.body)["continuationToken"]
    answers = {
        "activated": c.get("/v1/legalentities/ActivatedLegalEntityTenantList"), "persons p1": first,
        "persons p2": c.get(f"/v1/legalEntities/{le}/persons", {"include": "All", "continuationToken": token}),
        "employees": c.get(f"/v2/legalentities/{le}/employees", {"include": "All"}),
        "departments": c.get(f"/v1/legalentities/{le}/departments"),
        "deposits": c.get(f"/v1/employees/{emp}/DirectDeposits"), "person": c.get(f"/v1/employees/{emp}/person"),
        "schedules": c.get(f"/v1/employees/{emp}/schedules"),
        "status reasons": c.get(f"/v1/legalentities/{le}/statusReasons/TerminationReason")}
    for response in answers.values():
        assert (response.status, response.headers) == (200, {"Content-Type": "application/json; charset=utf-8"})
    return {name: hashlib.sha256(r.body).hexdigest() for name, r in answers.items()}


@pytest.mark.parametrize("kwargs", [{}, {"realistic": None}], ids=["default", "realistic=None"])
def test_faithful_mode_is_byte_for_byte_unchanged(kwargs):
    sb = Sandbox(seed=7, employees=600, today=TODAY, **kwargs)
    assert sb.realism is None
    assert _faithful_answers(sb) == FAITHFUL_DIGESTS


# ---------------------------------------------------------------------------- records survive
def test_every_route_answers_with_the_faithful_status(survey):
    sb, entries = survey
    assert len(entries) == len(JSON_ROUTES) > 100
    assert [(e.route.template, e.realistic.status) for e in entries] == \
           [(e.route.template, e.faithful.status) for e in entries]
    assert sum(e.faithful.status == 200 for e in entries) == len(entries)


def test_records_survive_with_the_deviations_undone(survey):
    """All pages' records, canonicalised by this module (keys camelCased, scalars as JSON text, extra fields,
    nulls, empty lists, date-time Z and sensitive keys dropped), equal the faithful records."""
    sb, entries = survey

    def loose(value):
        if isinstance(value, dict):
            return {k: loose(v) for k, v in value.items()}
        if isinstance(value, list):
            return [loose(v) for v in value]
        return value if isinstance(value, str) or value is None else json.dumps(value)
    checked = 0
    for e in entries:
        undo = report_rows if e.route.template == REPORT_DATA else (lambda records: records)
        faithful = canonical(loose(camel_keys(undo(e.faithful.records))), ignore=SENSITIVE_KEYS)
        realistic = canonical(loose(camel_keys(undo(e.realistic.records))), ignore=SENSITIVE_KEYS)
        assert realistic == faithful, e.route.template
        checked += len(faithful)
    assert checked > 1000


def test_every_difference_is_explained_by_a_deviation_of_that_route(survey):
    sb, entries = survey
    for e in entries:
        drawn = sb.realism.deviations_for(e.route.template)
        for kind in route_differences(e):
            assert kind in KIND_EXPLAINED_BY, (e.route.template, kind)
            assert KIND_EXPLAINED_BY[kind] & drawn, (e.route.template, kind, sorted(drawn))


@pytest.mark.parametrize("deviation", sorted(DEVIATION_KIND))
def test_value_deviation_shows_on_some_route_that_drew_it(survey, deviation):
    sb, entries = survey
    kind = DEVIATION_KIND[deviation]
    showing = [e.route.template for e in entries if drew(sb, e, deviation) and kind in route_differences(e)]
    if deviation == "ids_as_strings":
        showing = [t for t in showing if "numbers_as_strings" not in sb.realism.deviations_for(t)]
    assert len(showing) >= 1
    assert set(showing) <= sb.realism.applied[deviation]


# ---------------------------------------------------------------------------- shape deviations
def _first_body(entry):
    return entry.realistic.bodies[0]


def test_single_object_answers_the_one_record_bare(survey):
    sb, entries = survey
    one_record = [e for e in entries if e.route.shape in ("paged", "array") and len(e.faithful.records) == 1]
    bare = [e for e in one_record if isinstance(_first_body(e)[1], dict) and not _is_envelope(_first_body(e)[1])]
    assert len(bare) >= 2
    assert {e.route.template for e in bare} == {e.route.template for e in one_record if drew(sb, e, "single_object")}


def test_bare_array_answers_every_record_in_one_array(survey):
    sb, entries = survey
    drawn = [e for e in entries if e.route.shape == "paged" and drew(sb, e, "bare_array")
             and 1 < len(e.faithful.records) <= BARE_ARRAY_LIMIT]
    assert any(len(e.faithful.records) > 100 for e in drawn)      # more than one faithful page
    for e in drawn:
        assert len(e.realistic.bodies) == 1 and isinstance(_first_body(e)[1], list), e.route.template
        assert len(_first_body(e)[1]) == len(e.faithful.records)


def test_bare_array_keeps_paging_above_its_limit(monkeypatch):
    monkeypatch.setattr(realism, "BARE_ARRAY_LIMIT", 50)
    template = "/v1/legalEntities/{legalEntityId}/persons"
    sb = Sandbox(seed=7, employees=300, realistic=Realism(deviations=("bare_array",)))
    assert "bare_array" in sb.realism.deviations_for(template)
    le = sb.company.legal_entities[0].id
    read = read_all(InProcess(sb), template.replace("{legalEntityId}", str(le)), {})
    assert len(read.records) > 100 and len(read.bodies) > 1 and _is_envelope(read.bodies[0][1])
    assert read.records == sb.expected_records(template, legalEntityId=le)


@pytest.mark.parametrize("shape, deviation", [("object", "paged_for_single"), ("array", "paged_for_array")])
def test_paged_envelope_around_a_documented_object_or_array(survey, shape, deviation):
    sb, entries = survey
    drawn = [e for e in entries if e.route.shape == shape and drew(sb, e, deviation)
             and not (len(e.faithful.records) == 1 and drew(sb, e, "single_object"))
             and not (not e.faithful.records and drew(sb, e, "empty_as_nothing"))]
    assert drawn
    for e in drawn:
        body = _first_body(e)[1]
        assert _is_envelope(body), e.route.template
        assert len(body[_keys(body)["records"]]) == len(e.faithful.records)
        assert _more(body[_keys(body)["hasmoreresults"]]) is False
    undrawn = [e for e in entries if e.route.shape == shape and not drew(sb, e, deviation)]
    assert not any(_is_envelope(_first_body(e)[1]) for e in undrawn)


def test_empty_as_nothing_answers_the_route_variant():
    """Routes whose answer has no records: the variant drawn for the route (records null, JSON null, empty
    200, or 204)."""
    sb = Sandbox(seed=7, employees=60, today=TODAY, realistic=Realism(deviations=("empty_as_nothing",)))
    c = InProcess(sb)
    emps = sb.company.employees
    expected = {"records_null": lambda r: r.status == 200 and json.loads(r.body)["records"] is None,
                "null_body": lambda r: r.status == 200 and r.body == b"null",
                "empty_body": lambda r: r.status == 200 and r.body == b"",
                "no_content": lambda r: r.status == 204 and r.body == b""}
    seen = set()
    templates = [r.template for r in SPEC.routes if r.param_names == ["employeeId"] and r.shape in ("paged", "array")
                 and not r.required_query() and "empty_as_nothing" in sb.realism.deviations_for(r.template)]
    for template in templates:
        for e in emps:
            try:
                if sb.expected_records(template, employeeId=e.id):
                    continue
            except ApiError:        # e.g. a time endpoint of the lean legal entity's employees
                continue
            variant = sb.realism.plan(template).empty_variant
            assert expected[variant](c.get(template.replace("{employeeId}", e.id))), (template, variant)
            seen.add(variant)
            break
    assert seen
    assert sb.realism.applied["empty_as_nothing"]


def test_has_more_as_string_on_every_envelope_of_its_routes(survey):
    sb, entries = survey
    strings = 0
    for e in entries:
        for status, body in e.realistic.bodies:
            if not _is_envelope(body):
                continue
            value = body[_keys(body)["hasmoreresults"]]
            if drew(sb, e, "has_more_as_string"):
                variant = sb.realism.plan(e.route.template).has_more_variant
                assert value in (("true", "false") if variant == "lower" else ("True", "False")), e.route.template
                strings += 1
            else:
                assert isinstance(value, bool), e.route.template
    assert strings >= 3


def test_paging_works_with_pascal_keys_and_string_has_more(survey):
    sb, entries = survey
    paged = [e for e in entries if len(e.realistic.bodies) > 1 and drew(sb, e, "pascal_keys")]
    assert paged
    for e in paged:
        assert "ContinuationToken" in e.realistic.bodies[0][1]
        assert len(e.realistic.records) == len(e.faithful.records)


# ---------------------------------------------------------------------------- keys
def _top_level_keys(entry) -> list:
    """Keys of the realistic records (or of the envelope when there are none), extra fields aside."""
    records = [r for r in entry.realistic.records if isinstance(r, dict)]
    bodies = [body for _, body in entry.realistic.bodies if isinstance(body, dict)]
    return [k for d in (records or bodies) for k in d if k not in EXTRA_NAMES]


def test_pascal_keys_only_on_its_routes(survey):
    sb, entries = survey
    pascal_routes = 0
    for e in entries:
        keys = _top_level_keys(e)
        if drew(sb, e, "pascal_keys") and keys:
            assert all(k[:1].isupper() or not k[:1].isalpha() for k in keys), e.route.template
            pascal_routes += 1
        elif not drew(sb, e, "pascal_keys"):
            assert not any(k[:1].isupper() for k in keys), e.route.template
    assert pascal_routes >= 3


def test_extra_fields_at_top_level_and_in_one_nested_object(survey):
    sb, entries = survey

    def extra_names(d: dict) -> set:
        return {camel(k) for k in d} & EXTRA_NAMES

    def nested_has_extras(record: dict) -> bool:
        for value in record.values():
            if isinstance(value, list) and value and isinstance(value[0], dict):
                value = value[0]
            if isinstance(value, dict) and extra_names(value):
                return True
        return False
    nested = 0
    for e in entries:
        for record in (r for r in e.realistic.records if isinstance(r, dict)):
            if drew(sb, e, "extra_fields"):
                assert extra_names(record) == {camel(k) for k in EXTRA_FIELDS}, e.route.template
                nested += nested_has_extras(record)
            else:
                assert not extra_names(record) and not nested_has_extras(record), e.route.template
    assert nested >= 3


# ---------------------------------------------------------------------------- sensitive values
def test_unasked_sensitive_values_are_the_companys_own(survey):
    sb, entries = survey
    truth = sensitive_values(sb)
    kinds = set()
    for e in entries:
        f_found = {(k, v) for k, _, v in find_sensitive(e.faithful.records, truth)}
        r_found = {(k, v) for k, _, v in find_sensitive(e.realistic.records, truth)}
        extra = r_found - f_found
        if extra:
            assert drew(sb, e, "unasked_sensitive"), (e.route.template, sorted(extra)[:3])
            kinds |= {k for k, _ in extra}
    assert {"ssn", "birth_date", "account_number"} <= kinds


def test_identifying_data_carries_ssn_even_when_its_data_access_is_denied():
    template = "/v1/legalentities/{legalEntityId}/employeesIdentifyingData"
    probe = Sandbox(seed=7, employees=40, realistic=Realism(deviations=ANSWER_DEVIATIONS))
    assert "unasked_sensitive" in probe.realism.deviations_for(template)
    le = probe.company.legal_entities[0].id
    denied = {le: {"View Legal Entity Employees SSN and BirthDate"}}
    faithful = read_all(InProcess(Sandbox(seed=7, employees=40, denied_data_access=denied)),
                        template.replace("{legalEntityId}", str(le)), {})
    sb = Sandbox(seed=7, employees=40, denied_data_access=denied, realistic=Realism(deviations=ANSWER_DEVIATIONS))
    realistic = read_all(InProcess(sb), template.replace("{legalEntityId}", str(le)), {})
    assert all(camel_keys(r)["socialSecurityNumber"] is None for r in faithful.records)
    ssns = [str(camel_keys(r)["socialSecurityNumber"]) for r in realistic.records]
    assert ssns and set(ssns) <= sensitive_values(sb)["ssns"]
    assert len(realistic.records) == len(faithful.records)


# ---------------------------------------------------------------------------- transport
def test_html_error_page_on_the_first_call_of_its_routes_only(survey):
    sb, entries = survey
    variants = set()
    for e in entries:
        if drew(sb, e, "html_error_page"):
            assert e.realistic.proxy is not None, e.route.template
            variant = sb.realism.plan(e.route.template).html_variant
            assert e.realistic.proxy.status == (502 if variant == "bad_gateway_502" else 200)
            assert b"<html" in e.realistic.proxy.body.lower()
            variants.add(variant)
        else:
            assert e.realistic.proxy is None, e.route.template
    assert variants == {"bad_gateway_502", "html_200"}


def test_error_bodies_in_the_route_style():
    no_proxy = tuple(d for d in ANSWER_DEVIATIONS if d != "html_error_page")
    sb = Sandbox(seed=7, employees=20, realistic=Realism(deviations=no_proxy))
    c = InProcess(sb)
    styles = {"camel": {"correlationId", "title", "detail", "source"}, "message": {"message"},
              "oauth": {"error", "error_description"}}
    seen = set()
    for route in SPEC.routes:
        if route.param_names != ["legalEntityId"]:
            continue
        r = c.get(route.template.replace("{legalEntityId}", "1"))
        assert r.status == 404, route.template
        keys = set(json.loads(r.body))
        if "error_body_casing" in sb.realism.deviations_for(route.template):
            variant = sb.realism.plan(route.template).error_variant
            assert keys == styles[variant], route.template
            assert "Legal Entity 1 was not found." in r.body.decode()
            seen.add(variant)
        else:
            assert keys == {"CorrelationId", "Title", "Detail", "Source"}, route.template
    assert seen == set(styles)


def test_injected_500_takes_the_route_error_style():
    route = next(r for r in SPEC.routes if "error_body_casing" in draw_plan(DEFAULT_SEED, r).deviations
                 and draw_plan(DEFAULT_SEED, r).error_variant == "message" and r.param_names == ["legalEntityId"])
    sb = Sandbox(seed=7, employees=20, faults=Faults(rate=1.0, modes=("500",)),
                 realistic=Realism(deviations=("error_body_casing",)))
    le = sb.company.legal_entities[0].id
    r = InProcess(sb).get(route.template.replace("{legalEntityId}", str(le)))
    assert r.status == 500 and json.loads(r.body) == {"message": "An unexpected error occurred. Please try again."}


# ---------------------------------------------------------------------------- determinism and CLI
def test_realistic_answers_repeat_for_the_same_seeds():
    def answers():
        sb = Sandbox(seed=7, employees=60, today=TODAY, realistic=Realism(seed=5))
        c = InProcess(sb)
        le = sb.company.legal_entities[0].id
        return [c.get(p).body for p in (f"/v1/legalEntities/{le}/persons", f"/v1/legalentities/{le}/departments",
                                        "/v1/legalentities/ActivatedLegalEntityTenantList") for _ in range(2)]
    assert answers() == answers()


def test_cli_realistic_flags():
    deviations = ("pascal_keys", "has_more_as_string")
    route = next(r for r in SPEC.routes if r.shape == "paged" and r.param_names == ["legalEntityId"]
                 and not r.required_query() and draw_plan(5, r, deviations).deviations == set(deviations))
    proc = subprocess.Popen([sys.executable, "-m", "paycor_sandbox", "--port", "0", "--employees", "20",
                             "--realistic", "--realism-seed", "5", "--deviations", ",".join(deviations)],
                            cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        base = proc.stdout.readline().strip()
        sb = Sandbox(employees=20)      # same default seed: same credentials and company
        le = sb.company.legal_entities[0].id
        r = requests.get(base + route.template.replace("{legalEntityId}", str(le)), headers=_bearer(base, sb))
        assert r.status_code == 200
        body = r.json()
        assert set(body) == {"HasMoreResults", "ContinuationToken", "AdditionalResultsUrl", "Records"}
        assert isinstance(body["HasMoreResults"], str)
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0


def _bearer(base: str, sb) -> dict:
    key = sb.auth.subscription_key
    r = requests.post(f"{base}/sts/v1/common/token", params={"subscription-key": key},
                      data={"grant_type": "refresh_token", "refresh_token": sb.valid_refresh_token,
                            "client_id": sb.auth.client_id, "client_secret": sb.auth.client_secret})
    assert r.status_code == 200
    return {"Authorization": f"Bearer {r.json()['access_token']}", "Ocp-Apim-Subscription-Key": key}


# ---------------------------------------------------------------------------- the shared helpers
def test_canonical_makes_only_the_allowed_differences_irrelevant():
    faithful = {"id": 1, "hireDate": "2020-01-01T00:00:00Z", "note": None, "tags": [],
                "demographicData": {"maidenName": None}, "phones": [{"type": "Mobile", "ext": None}]}
    realistic = {"id": 1, "hireDate": "2020-01-01T00:00:00", "tags": None, "ExtraInternalCode": "X-17",
                 "extraInternalCode": "X-17", "phones": [{"type": "Mobile", "rowVersion": 3}]}
    assert canonical(realistic) == canonical(faithful) == {"id": 1, "hireDate": "2020-01-01T00:00:00",
                                                           "phones": [{"type": "Mobile"}]}
    assert canonical({"id": 2}) != canonical(faithful)
    assert canonical({"ssn": "1", "a": 1}, ignore=("ssn",)) == {"a": 1}


def test_sensitive_values_are_the_companys():
    sb = Sandbox(seed=7, employees=20)
    truth = sensitive_values(sb)
    person = sb.company.persons[0]
    assert {person.ssn, person.ssn.replace("-", "")} <= truth["ssns"]
    assert person.birth_date.isoformat() in truth["birth_dates"] and truth["account_numbers"]
    assert find_sensitive({"a": [{"b": person.ssn}]}, truth) == [("ssn", "a[].b", person.ssn)]


# ---------------------------------------------------------------------------- values under unlisted names
def test_unlisted_sensitive_values_at_depth_1_to_3_in_both_casings_on_person_and_employee_routes_and_recorded():
    sb = Sandbox(seed=7, employees=40, today=TODAY, realistic=Realism(deviations=("unlisted_sensitive",)))
    c = InProcess(sb)
    le = sb.company.legal_entities[0]
    for path in (f"/v1/legalEntities/{le.id}/persons", f"/v2/legalentities/{le.id}/employees",
                 f"/v1/tenants/{le.tenant_id}/persons"):
        assert c.get(path).status == 200
    injected = sb.realism.injected
    depths = {len(injection.path.replace("[]", "").split(".")) for injection in injected}
    assert depths == {1, 2, 3}
    assert {injection.name[:1].isupper() for injection in injected} == {True, False}
    assert any("[]" in injection.path for injection in injected)
    assert len({injection.kind for injection in injected}) == 8
    # every recorded value is in the answers, under its name
    bodies = "".join(c.get(path).body.decode() for path in (f"/v1/legalEntities/{le.id}/persons",))
    assert any(f'"{injection.name}": "{injection.value}"' in bodies for injection in injected)


def test_quoting_errors_answer_the_first_call_of_check_s_route_with_a_paycor_error_quoting_a_value():
    sb = Sandbox(seed=7, employees=5, realistic=Realism(deviations=("quoting_errors",), quoting_status=409))
    c = InProcess(sb)
    first, second = c.get("/v1/legalentities/ActivatedLegalEntityTenantList"), c.get("/v1/legalentities/ActivatedLegalEntityTenantList")
    body = json.loads(first.body)
    (injection,) = sb.realism.injected
    assert first.status == 409 and injection.value in body["Detail"] and body["Source"] == {injection.name: injection.value}
    assert second.status == 200


def test_the_unlisted_names_are_not_taken_from_the_connector():
    text = (ROOT / "paycor_sandbox" / "unlisted.py").read_text()
    assert "source_paycor" not in text
