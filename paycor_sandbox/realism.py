"""Realistic mode: answers shaped like Paycor's live API rather than like its OpenAPI document.

A set of named deviations (`ALL_DEVIATIONS`) is drawn once per route template from
`random.Random(f"{seed}:{template}")`, so a failure reproduces from the seed alone. Each deviation
changes how an answer is written, never which records it carries (apart from `extra_fields`, which adds
undeclared fields): a correct client that coerces values back to the document's types, reads keys
case-insensitively, treats absent like null and `[]` like null, accepts date-times without `Z` and nulls
sensitive fields it did not ask for extracts the same records as in document-faithful mode.

Shape: `single_object` (exactly one record -> the bare object), `bare_array` (a paged list of at most
`BARE_ARRAY_LIMIT` records -> one bare array), `paged_for_single` / `paged_for_array` (a one-page
envelope around a documented object / bare array), `empty_as_nothing` (no records -> `records: null`, a
JSON `null`, an empty 200 or a 204, chosen per route), `has_more_as_string`.
Values: `ids_as_strings`, `numbers_as_strings`, `bools_as_strings`, `strings_as_numbers` (types read from
the document schema), `naive_datetimes`, `missing_optional` (null keys left out), `null_arrays`.
Keys: `pascal_keys`, `extra_fields` (`EXTRA_FIELDS` at the top level and in one nested object).
Sensitive: `unasked_sensitive` (real SSNs, birth dates, unmasked account numbers sent unasked).
Transport: `html_error_page` (the route's first call answers a proxy's HTML page: 502, or 200 on some
routes), `error_body_casing` (the route's 400/403/404/500 bodies as camelCase, `{"message"}` or OAuth style).
Unlisted (`UNLISTED_DEVIATIONS`, drawn from their own random stream so the others' draws stay as they were):
`unlisted_sensitive` (sensitive values under names no document declares, made up by `unlisted.py`, at depth
1–3, on every person and employee route and some others), `quoting_errors` (the route's first call, after a
proxy page, answers a Paycor error whose detail and `Source` quote such a value: `quoting_status`, 500 by
default; always on the activated legal entities, the path of `check`). `injected` lists every value written.

`Realism` is the configuration given to `Sandbox(realistic=...)`; `RealisticAnswers` (`sb.realism`)
holds the per-route plans, writes the answers and logs which deviation changed which route's answer.
"""
from __future__ import annotations

import hashlib
import json
import random
import re
import threading
import uuid
from dataclasses import dataclass, field

from . import casing, errors
from .extras import account_numbers
from .openapi import Doc, Route
from .unlisted import Injection, inject, quoting_detail
from .records import iso
from .results import Array, Paged, Single

ANSWER_DEVIATIONS = (
    "single_object", "bare_array", "paged_for_single", "paged_for_array", "empty_as_nothing",
    "has_more_as_string", "ids_as_strings", "numbers_as_strings", "bools_as_strings", "strings_as_numbers",
    "pascal_keys", "extra_fields", "missing_optional", "null_arrays", "unasked_sensitive", "naive_datetimes",
    "html_error_page", "error_body_casing",
)
UNLISTED_DEVIATIONS = ("unlisted_sensitive", "quoting_errors")
ALL_DEVIATIONS = ANSWER_DEVIATIONS + UNLISTED_DEVIATIONS
UNLISTED_PROBABILITY = {"unlisted_sensitive": 0.35, "quoting_errors": 0.15}
ACTIVATED_ROUTE = "/v1/legalentities/activatedlegalentitytenantlist"
DEFAULT_SEED = 2
DEFAULT_PROBABILITY = 0.5
PROBABILITY = {"html_error_page": 0.2}     # a proxy page on the first call of half the routes is too many
BARE_ARRAY_LIMIT = 500

# Undeclared fields added by `extra_fields`; some PascalCase, so a client's key normalisation shows.
EXTRA_FIELDS = {"ExtraInternalCode": "X-17", "RowVersion": 3, "lastSyncedBy": "PayrollSync",
                "IsInternalOnly": False}

EMPTY_VARIANTS = {"paged": ("records_null", "null_body", "empty_body", "no_content"),
                  "array": ("null_body", "empty_body", "no_content")}
HAS_MORE_VARIANTS = ("lower", "title")
HTML_VARIANTS = ("bad_gateway_502", "html_200")
ERROR_VARIANTS = ("camel", "message", "oauth")
ERROR_STATUSES = (400, 403, 404, 500)

HTML_BAD_GATEWAY = (b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
                    b"<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n")
HTML_200 = (b"<!DOCTYPE html>\r\n<html><head><title>Paycor</title></head><body>"
            b"<h1>We'll be right back</h1><p>Paycor is performing scheduled maintenance.</p></body></html>\r\n")
HTML_HEADERS = {"Content-Type": "text/html; charset=utf-8"}
JSON_HEADERS = {"Content-Type": "application/json; charset=utf-8"}

_DATE_TIME_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$")
_PLAIN_INTEGER = re.compile(r"^[1-9]\d{0,14}$")
_NON_NUMERIC_FORMATS = ("date", "date-time", "guid", "uuid", "byte", "binary")
_ERROR_CODES = {400: "invalid_request", 403: "access_denied", 404: "not_found", 500: "server_error"}


@dataclass(frozen=True)
class Realism:
    """Configuration of realistic mode: which deviations may apply, drawn per route from `seed`."""
    seed: int = DEFAULT_SEED
    deviations: tuple = ALL_DEVIATIONS
    quoting_status: int = 500    # the status of `quoting_errors` answers (a 400 or 409 fails the read)

    def __post_init__(self):
        unknown = set(self.deviations) - set(ALL_DEVIATIONS)
        if unknown:
            raise ValueError(f"unknown deviations: {sorted(unknown)}")


@dataclass(frozen=True)
class Wire:
    """An answer as sent: status, body bytes, headers."""
    status: int
    body: bytes = b""
    headers: dict = field(default_factory=dict)


@dataclass(frozen=True)
class RoutePlan:
    """The deviations drawn for one route, and the variant of those that come in several forms."""
    template: str
    deviations: frozenset
    empty_variant: str
    has_more_variant: str
    html_variant: str
    error_variant: str


# ---------------------------------------------------------------------------- drawing
def _applies_to(deviation: str, route: Route) -> bool:
    shape = route.shape
    if deviation == "error_body_casing":
        return True
    if deviation == "unasked_sensitive":
        return route.key in SENSITIVE_FILLERS
    if deviation == "quoting_errors":
        return True
    if deviation in ("single_object", "empty_as_nothing"):
        return shape in ("paged", "array")
    if deviation == "bare_array":
        return shape == "paged"
    if deviation == "paged_for_single":
        return shape == "object"
    if deviation == "paged_for_array":
        return shape == "array"
    return shape in ("paged", "array", "object")


def _sends_envelope(route: Route, deviations: set) -> bool:
    return route.shape == "paged" or bool(deviations & {"paged_for_single", "paged_for_array"})


def draw_plan(seed: int, route: Route, enabled: tuple = ALL_DEVIATIONS) -> RoutePlan:
    """Every deviation consumes one draw in a fixed order, so a subset of `enabled` keeps the same choices."""
    rng = random.Random(f"{seed}:{route.template}")
    drawn = [deviation for deviation in ANSWER_DEVIATIONS if rng.random() < PROBABILITY.get(deviation,
                                                                                            DEFAULT_PROBABILITY)]
    unlisted = random.Random(f"{seed}:{route.template}:unlisted")
    drawn += [deviation for deviation in UNLISTED_DEVIATIONS
              if unlisted.random() < UNLISTED_PROBABILITY[deviation] or _always(deviation, route)]
    chosen = {deviation for deviation in drawn if deviation in enabled and _applies_to(deviation, route)}
    if not _sends_envelope(route, chosen):
        chosen.discard("has_more_as_string")
    empty_choices = EMPTY_VARIANTS.get(route.shape, EMPTY_VARIANTS["paged"])
    return RoutePlan(route.template, frozenset(chosen), rng.choice(empty_choices), rng.choice(HAS_MORE_VARIANTS),
                     rng.choice(HTML_VARIANTS), rng.choice(ERROR_VARIANTS))


def _always(deviation: str, route: Route) -> bool:
    """Person and employee records always carry unlisted values; `check`'s route always quotes one in an error."""
    if deviation == "unlisted_sensitive":
        last = route.key.rstrip("/").split("/")[-1]
        return any(word in last for word in ("person", "employee"))
    return route.key == ACTIVATED_ROUTE


# ---------------------------------------------------------------------------- value deviations
def _leaf(doc: Doc, schema: dict | None) -> dict:
    """The schema itself, or the one schema a nullable `allOf`/`oneOf`/`anyOf` wrapper stands for."""
    resolved = doc.resolve(schema)
    for wrapper in ("allOf", "oneOf", "anyOf"):
        parts = resolved.get(wrapper)
        if parts and len(parts) == 1 and "type" not in resolved:
            return doc.resolve(parts[0])
    return resolved


def retype(value, schema: dict | None, doc: Doc, convert):
    """Walk `value` alongside its document schema, replacing each scalar by `convert(scalar, schema)`."""
    resolved = _leaf(doc, schema) if schema is not None else {}
    if isinstance(value, dict):
        properties = doc.properties(resolved) if resolved else {}
        return {key: retype(item, properties.get(key), doc, convert) for key, item in value.items()}
    if isinstance(value, list):
        items = resolved.get("items") if resolved.get("type") == "array" else None
        return [retype(item, items, doc, convert) for item in value]
    if value is None or schema is None:
        return value
    return convert(value, resolved)


def integer_as_string(value, schema: dict):
    if schema.get("type") == "integer" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def number_as_string(value, schema: dict):
    if schema.get("type") == "number" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return json.dumps(value)
    return value


def bool_as_string(value, schema: dict):
    if schema.get("type") == "boolean" and isinstance(value, bool):
        return "true" if value else "false"
    return value


def plain_integer_string_as_number(value, schema: dict):
    if (schema.get("type") == "string" and schema.get("format") not in _NON_NUMERIC_FORMATS
            and "enum" not in schema and isinstance(value, str) and _PLAIN_INTEGER.match(value)):
        return int(value)
    return value


VALUE_CONVERTERS = (("ids_as_strings", integer_as_string), ("numbers_as_strings", number_as_string),
                    ("bools_as_strings", bool_as_string), ("strings_as_numbers", plain_integer_string_as_number))


def strip_datetime_z(value):
    if isinstance(value, dict):
        return {key: strip_datetime_z(item) for key, item in value.items()}
    if isinstance(value, list):
        return [strip_datetime_z(item) for item in value]
    if isinstance(value, str) and _DATE_TIME_Z.match(value):
        return value[:-1]
    return value


def drop_null_keys(value):
    if isinstance(value, dict):
        return {key: drop_null_keys(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [drop_null_keys(item) for item in value]
    return value


def empty_arrays_as_null(value):
    if isinstance(value, dict):
        return {key: empty_arrays_as_null(item) for key, item in value.items()}
    if isinstance(value, list):
        return [empty_arrays_as_null(item) for item in value] if value else None
    return value


def add_extra_fields(record):
    """EXTRA_FIELDS at the top level and inside the first nested object (a nested dict, or the first item
    of a nested list of dicts), if the record has one."""
    if not isinstance(record, dict):
        return record
    out = dict(record)
    for key, item in out.items():
        if isinstance(item, dict) and item:
            out[key] = {**item, **EXTRA_FIELDS}
            break
        if isinstance(item, list) and item and isinstance(item[0], dict):
            out[key] = [{**item[0], **EXTRA_FIELDS}] + item[1:]
            break
    out.update(EXTRA_FIELDS)
    return out


# ---------------------------------------------------------------------------- unasked sensitive values
def _declared(record: dict, values: dict) -> dict:
    """`record` with `values` set on the keys it declares (a faithful record carries every declared key)."""
    return {**record, **{key: value for key, value in values.items() if key in record}}


def fill_person(env, ctx, record: dict) -> dict:
    """A person's SSN and birth date, whatever the include asked for."""
    person = env.company.person_by_id.get(str(record.get("id", "")).lower())
    if person is None:
        return record
    demographic = {**(record.get("demographicData") or {}), "birthDate": iso(person.birth_date)}
    return _declared(record, {"socialSecurityNumber": person.ssn, "demographicData": demographic})


def fill_identifying(env, ctx, record: dict) -> dict:
    """SSN and birth date of identifying data, even when the Data Access item for them is denied."""
    employee = env.company.employee_by_id.get(str(record.get("employeeId", "")).lower())
    if employee is None:
        return record
    person = env.company.person_of(employee)
    return _declared(record, {"socialSecurityNumber": person.ssn.replace("-", ""),
                              "birthDate": iso(person.birth_date)})


def fill_account(env, ctx, record: dict) -> dict:
    """The full account number of a direct deposit or HSA account, without includeUnmaskedAccountNumber."""
    number = account_numbers(env, ctx.employee).get(str(record.get("id", "")).lower())
    return record if number is None else _declared(record, {"unmaskedAccountNumber": number})


SENSITIVE_FILLERS = {
    "/v1/legalentities/{legalentityid}/persons": fill_person,
    "/v1/tenants/{tenantid}/persons": fill_person,
    "/v1/tenants/{tenantid}/persons/{personid}": fill_person,
    "/v1/employees/{employeeid}/person": fill_person,
    "/v1/legalentities/{legalentityid}/employeesidentifyingdata": fill_identifying,
    "/v2/legalentities/{legalentityid}/employeesidentifyingdata": fill_identifying,
    "/v1/employees/{employeeid}/directdeposits": fill_account,
    "/v1/employees/{employeeid}/hsaaccounts": fill_account,
    "/v1/employees/{employeeid}/directdeposits/{directdepositid}": fill_account,
}


# ---------------------------------------------------------------------------- shapes
def envelope_of(records, has_more=False, token=None, url=None) -> dict:
    return {"hasMoreResults": has_more, "continuationToken": token, "additionalResultsUrl": url,
            "records": records}


def has_more_text(value: bool, variant: str) -> str:
    text = "true" if value else "false"
    return text.title() if variant == "title" else text


def empty_answer(variant: str):
    """(status, body object or None for no body) of an answer with no records."""
    if variant == "records_null":
        return 200, envelope_of(None)
    if variant == "null_body":
        return 200, "null"
    if variant == "empty_body":
        return 200, None
    return 204, None


def realistic_error_body(variant: str, status: int, body: dict) -> dict:
    """A PaycorError body (`Title`, `Detail`, `CorrelationId`, `Source`) in another house style."""
    title, detail = body.get("Title"), body.get("Detail")
    if variant == "camel":
        return {"correlationId": body.get("CorrelationId"), "title": title, "detail": detail,
                "source": body.get("Source")}
    if variant == "message":
        return {"message": detail or title}
    return {"error": _ERROR_CODES.get(status, "error"), "error_description": detail or title}


# ---------------------------------------------------------------------------- the layer
class RealisticAnswers:
    """`sb.realism`: per-route plans, the answer writer used by App, and the log of applied deviations."""

    def __init__(self, config: Realism, spec):
        self.config = config
        self.spec = spec
        self.plans = {route.key: draw_plan(config.seed, route, config.deviations) for route in (*spec.routes, *spec.post_routes)}
        self._lock = threading.Lock()
        self._html_served: set = set()
        self._quoted: set = set()
        self._applied: dict = {}        # deviation -> set of route templates whose answer it changed
        self._injected: dict = {}       # Injection -> route template, every value written by the unlisted deviations

    # -------------------------------------------------------------- what applies
    def plan(self, route_template: str) -> RoutePlan:
        return self.plans[route_template.lower()]

    def deviations_for(self, route_template: str) -> frozenset:
        return self.plan(route_template).deviations

    def routes_with(self, deviation: str) -> list:
        """Templates of the routes that drew `deviation`."""
        return [plan.template for plan in self.plans.values() if deviation in plan.deviations]

    def coverage(self) -> dict:
        """deviation -> number of routes that drew it."""
        return {deviation: len(self.routes_with(deviation)) for deviation in ALL_DEVIATIONS}

    @property
    def applied(self) -> dict:
        """deviation -> templates of the routes whose answers it actually changed so far."""
        with self._lock:
            return {deviation: set(templates) for deviation, templates in self._applied.items()}

    def _note(self, route: Route, deviation: str):
        with self._lock:
            self._applied.setdefault(deviation, set()).add(route.template)

    def _has(self, route: Route, deviation: str) -> bool:
        return deviation in self.plans[route.key].deviations

    # -------------------------------------------------------------- transport deviations
    def proxy_page(self, route: Route) -> Wire | None:
        """The first call of a route with `html_error_page` gets a proxy's HTML page; later calls do not."""
        if not self._has(route, "html_error_page"):
            return None
        with self._lock:
            if route.key in self._html_served:
                return None
            self._html_served.add(route.key)
        self._note(route, "html_error_page")
        if self.plans[route.key].html_variant == "bad_gateway_502":
            return Wire(502, HTML_BAD_GATEWAY, dict(HTML_HEADERS))
        return Wire(200, HTML_200, dict(HTML_HEADERS))

    def quoting_error(self, route: Route) -> Wire | None:
        """The first call of a route with `quoting_errors` (after its proxy page) gets an error quoting a value."""
        if not self._has(route, "quoting_errors"):
            return None
        with self._lock:
            if route.key in self._quoted:
                return None
            self._quoted.add(route.key)
        rng = random.Random(f"{self.config.seed}:{route.template}:quote")
        detail, source, injection = quoting_detail(rng)
        self._record(route, [injection])
        self._note(route, "quoting_errors")
        status = self.config.quoting_status
        title = {500: "Internal Server Error", 409: "Conflict"}.get(status, "Validation Error")
        body = dict(errors.paycor_error(title, detail, source), CorrelationId=str(uuid.UUID(int=rng.getrandbits(128))))
        return Wire(status, json.dumps(body).encode(), dict(JSON_HEADERS))

    @property
    def injected(self) -> list:
        """Every value the unlisted deviations wrote so far (`unlisted.Injection`), each once."""
        with self._lock:
            return sorted(self._injected, key=lambda injection: (injection.path, injection.value))

    def _record(self, route: Route, injections: list):
        with self._lock:
            for injection in injections:
                self._injected.setdefault(injection, route.template)

    def error(self, route: Route | None, error: errors.ApiError) -> errors.ApiError:
        """The route's error body in its drawn house style (400/403/404/500 PaycorError bodies only)."""
        if (route is None or not self._has(route, "error_body_casing") or error.status not in ERROR_STATUSES
                or not isinstance(error.body, dict) or "Title" not in error.body):
            return error
        self._note(route, "error_body_casing")
        body = realistic_error_body(self.plans[route.key].error_variant, error.status, error.body)
        return errors.ApiError(error.status, body, dict(error.headers))

    # -------------------------------------------------------------- records
    def records(self, env, ctx, records: list) -> list:
        return [self.record(env, ctx, record) for record in records]

    def record(self, env, ctx, record):
        route = ctx.route
        steps = [("unasked_sensitive", lambda current: self._fill_sensitive(env, ctx, current)),
                 ("unlisted_sensitive", lambda current: self._inject(route, current))]
        steps += [(name, lambda current, fn=fn: retype(current, route.record_schema, route.doc, fn))
                  for name, fn in VALUE_CONVERTERS]
        steps += [("naive_datetimes", strip_datetime_z), ("missing_optional", drop_null_keys),
                  ("null_arrays", empty_arrays_as_null), ("extra_fields", add_extra_fields)]
        for deviation, step in steps:
            if self._has(route, deviation):
                changed = step(record)
                if changed != record:
                    self._note(route, deviation)
                record = changed
        return record

    def _inject(self, route: Route, record):
        if not isinstance(record, dict):
            return record
        digest = hashlib.sha256(json.dumps(record, sort_keys=True, default=str).encode()).hexdigest()[:16]
        record, injections = inject(record, random.Random(f"{self.config.seed}:{route.template}:{digest}"))
        self._record(route, injections)
        return record

    def _fill_sensitive(self, env, ctx, record):
        return SENSITIVE_FILLERS[ctx.route.key](env, ctx, record) if isinstance(record, dict) else record

    # -------------------------------------------------------------- answers
    def answer(self, env, ctx, result, paged_body: dict | None, continuing: bool) -> Wire:
        """The realistic answer for a Paged/Array/Single result. `paged_body` is the faithful envelope of
        the requested page (Paged only); `continuing` says a continuation token was presented."""
        route = ctx.route
        if isinstance(result, Paged):
            status, body = self._paged(env, ctx, result, paged_body, continuing)
        elif isinstance(result, Array):
            status, body = self._array(env, ctx, list(result.records))
        else:
            assert isinstance(result, Single)
            status, body = self._single(env, ctx, result.obj)
        if body is None:
            return Wire(status, b"", {} if status == 204 else dict(JSON_HEADERS))
        if body == "null":
            return Wire(status, b"null", dict(JSON_HEADERS))
        if self._has(route, "pascal_keys"):
            self._note(route, "pascal_keys")
            body = casing.pascal(body)
        else:
            body = casing.apply(body, env.casing)
        return Wire(status, json.dumps(body).encode(), dict(JSON_HEADERS))

    def _paged(self, env, ctx, result: Paged, paged_body: dict, continuing: bool):
        route, total = ctx.route, len(result.records)
        if not continuing and total == 1 and self._has(route, "single_object"):
            self._note(route, "single_object")
            return 200, self.record(env, ctx, result.records.all()[0])
        if not continuing and 1 < total <= BARE_ARRAY_LIMIT and self._has(route, "bare_array"):
            self._note(route, "bare_array")
            return 200, self.records(env, ctx, result.records.all())
        if total == 0 and self._has(route, "empty_as_nothing"):
            self._note(route, "empty_as_nothing")
            status, body = empty_answer(self.plans[route.key].empty_variant)
            return status, self._has_more(route, body) if isinstance(body, dict) else body
        body = dict(paged_body, records=self.records(env, ctx, paged_body["records"]))
        return 200, self._has_more(route, body)

    def _array(self, env, ctx, records: list):
        route = ctx.route
        if len(records) == 1 and self._has(route, "single_object"):
            self._note(route, "single_object")
            return 200, self.record(env, ctx, records[0])
        if not records and self._has(route, "empty_as_nothing"):
            self._note(route, "empty_as_nothing")
            return empty_answer(self.plans[route.key].empty_variant)
        if self._has(route, "paged_for_array"):
            self._note(route, "paged_for_array")
            return 200, self._has_more(route, envelope_of(self.records(env, ctx, records)))
        return 200, self.records(env, ctx, records)

    def _single(self, env, ctx, obj: dict):
        route = ctx.route
        record = self.record(env, ctx, obj)
        if self._has(route, "paged_for_single"):
            self._note(route, "paged_for_single")
            return 200, self._has_more(route, envelope_of([record]))
        return 200, record

    def _has_more(self, route: Route, body: dict) -> dict:
        if not self._has(route, "has_more_as_string"):
            return body
        self._note(route, "has_more_as_string")
        return dict(body, hasMoreResults=has_more_text(bool(body["hasMoreResults"]),
                                                       self.plans[route.key].has_more_variant))
