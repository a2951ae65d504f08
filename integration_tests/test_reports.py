"""Report Builder reports as streams, against the sandbox: discovery (several templates, none, a denied item),
typed columns, records equal to the sandbox's report rows in every row shape and type-code form, paging (token
and `additionalResultsUrl`), each page asked once, 403 and 404 per template, realistic answers, pinned names.

The ground truth is the sandbox's Report Builder (`paycor_sandbox.reports`): its rows, in header order, named here
by this module's own column names.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from typing import Any, Dict, List

import pytest

from paycor_sandbox import Realism, Sandbox
from paycor_sandbox.reports import ROWS_PER_PAGE, ReportStyle, report_builder
from source_paycor.streams.catalog import STREAMS

from helpers import configured_catalog

TEMPLATE_DATA = "/v1/Reporting/{legalEntityId}/TemplateData/{templateId}/{userId}"
# The stream and column names a reader of the sandbox's templates expects (display names in snake/camel case).
EXPECTED = {
    "report_employee_pay_rates": ["employeeNumber", "firstName", "lastName", "department", "status", "hireDate",
                                  "hourly", "payRate", "annualPay", "lastChanged"],
    "report_employee_phones": ["employeeNumber", "lastName", "phone", "phone2", "email"],
    "report_headcount_by_department": ["department", "headcount", "averagePayRate"],
}
DISPLAY = {"report_employee_pay_rates": "Employee Pay Rates", "report_employee_phones": "Employee Phones",
           "report_headcount_by_department": "Headcount by Department"}


def template(sandbox: Sandbox, stream: str):
    return next(t for t in report_builder(sandbox).templates if t.kind == DISPLAY[stream])


def expected_records(sandbox: Sandbox, stream: str) -> List[Dict[str, Any]]:
    builder, tmpl = report_builder(sandbox), template(sandbox, stream)
    out = []
    for legal_entity_id, _ in sandbox.company.activated_pairs():
        for values in builder.rows(tmpl, legal_entity_id):
            out.append({**dict(zip(EXPECTED[stream], values, strict=True)), "legalEntityId": legal_entity_id,
                        "templateId": tmpl.template_id})
    return out


def canonical(records: List[Dict[str, Any]]) -> List[str]:
    """Records as sorted JSON texts, numbers compared by value (a decimal text "4.0000" arrives as 4.0)."""
    def number(value: Any) -> Any:
        return int(value) if isinstance(value, float) and value.is_integer() else value
    return sorted(json.dumps({key: number(value) for key, value in record.items()}, sort_keys=True) for record in records)


def reporting_calls(sandbox: Sandbox, route: str) -> list:
    return [call for call in sandbox.calls if f"/{route}" in call.path and call.path.startswith("/v1/Reporting/")]


def discovered(run_connector, sandbox: Sandbox, **extra):
    config = {**sandbox.connector_config(), **extra}
    run = run_connector("discover", config)
    assert run.returncode == 0, run.stdout[-2000:]
    return run, (run.rotated_configs or [config])[-1]


def read_reports(run_connector, catalog, config, names=tuple(EXPECTED)):
    read = run_connector("read", config, catalog=configured_catalog(catalog, names))
    assert read.returncode == 0, (read.errors, read.stdout[-2000:])
    return read


def statuses(run) -> Dict[str, List[str]]:
    out: Dict[str, List[str]] = {}
    for message in run.of_type("TRACE"):
        if message["trace"]["type"] == "STREAM_STATUS":
            status = message["trace"]["stream_status"]
            out.setdefault(status["stream_descriptor"]["name"], []).append(status["status"])
    return out


# --- discovery -------------------------------------------------------------------------------------------
def test_given_three_templates_when_discover_then_one_typed_stream_each_for_three_calls(run_connector, sandbox):
    sandbox.reset_calls()
    run, _ = discovered(run_connector, sandbox)
    streams = {stream["name"]: stream for stream in run.catalog["streams"]}
    assert set(streams) == {spec.name for spec in STREAMS} | set(EXPECTED)
    for name, columns in EXPECTED.items():
        schema = streams[name]["json_schema"]
        assert list(schema["properties"]) == ["legalEntityId", "templateId", *columns]
        assert not streams[name].get("source_defined_primary_key")  # the user chooses one
        assert streams[name]["supported_sync_modes"] == ["full_refresh"]
        for column, header in zip(columns, template(sandbox, name).columns, strict=True):
            assert "null" in schema["properties"][column]["type"]
            assert header.field_id in schema["properties"][column]["description"]
    pay = streams["report_employee_pay_rates"]["json_schema"]["properties"]
    assert pay["payRate"]["type"] == ["null", "number"] and pay["hourly"]["type"] == ["null", "boolean"]
    assert pay["hireDate"]["format"] == "date" and pay["lastChanged"]["format"] == "date-time"
    assert pay["status"]["type"] == ["null", "string"] and pay["employeeNumber"]["type"] == ["null", "string"]
    # 1 list of users + 1 list of templates + the first page of each of the 3 templates
    assert (len(reporting_calls(sandbox, "ReportingUsers")), len(reporting_calls(sandbox, "ReportIdentifiers")),
            len(reporting_calls(sandbox, "TemplateData"))) == (1, 1, 3)


def test_given_two_users_with_the_same_template_names_when_discover_then_names_unique_and_stable(run_connector):
    with Sandbox(seed=7, employees=30) as sandbox:
        report_builder(sandbox, extra_users=1)
        names = [sorted(s["name"] for s in discovered(run_connector, sandbox)[0].catalog["streams"]
                        if s["name"].startswith("report_")) for _ in range(2)]
        ids = {t.template_id[:8] for t in report_builder(sandbox).templates}
    assert names[0] == names[1] and len(names[0]) == len(set(names[0])) == 6
    assert {name.rsplit("_", 1)[1] for name in names[0]} == ids


def test_given_user_without_templates_when_discover_then_no_report_stream_and_no_warning(run_connector, sandbox):
    report_builder(sandbox).templates = []
    run, _ = discovered(run_connector, sandbox)
    assert sorted(s["name"] for s in run.catalog["streams"]) == sorted(spec.name for spec in STREAMS)
    assert not run.logs("WARN", "WARNING", "ERROR")


@pytest.mark.parametrize("item", ["View Reporting Users by Application Scope", "View Report Identifiers To Download Reports",
                                  "View Single Report Template of a User"])
def test_given_a_denied_reporting_item_when_discover_then_api_streams_listed_and_one_line_names_it(run_connector, item):
    user_entity = None
    with Sandbox(seed=7, employees=30) as probe:
        user_entity = report_builder(probe).users[0].legal_entity_id
    with Sandbox(seed=7, employees=30, denied_data_access={user_entity: {item}}) as sandbox:
        run, _ = discovered(run_connector, sandbox)
    assert sorted(s["name"] for s in run.catalog["streams"]) == sorted(spec.name for spec in STREAMS)
    warnings = run.logs("WARN", "WARNING")
    assert len(warnings) == 1 and f'"{item}"' in warnings[0], warnings


def test_given_unknown_reporting_user_id_when_discover_then_one_warning_and_no_report_stream(run_connector, sandbox):
    run, _ = discovered(run_connector, sandbox, reporting_user_id="5245ae3d-e570-0000-0000-000066000000")
    assert not [s for s in run.catalog["streams"] if s["name"].startswith("report_")]
    warnings = run.logs("WARN", "WARNING")
    assert len(warnings) == 1 and "reporting_user_id" in warnings[0]


# --- records ---------------------------------------------------------------------------------------------
def test_given_report_streams_when_read_then_records_are_the_sandboxs_rows_and_each_page_asked_once(run_connector, sandbox):
    run, config = discovered(run_connector, sandbox)
    sandbox.reset_calls()
    read = read_reports(run_connector, run.catalog, config)
    for name in EXPECTED:
        assert canonical(read.records(name)) == canonical(expected_records(sandbox, name)), name
    assert statuses(read) == {name: ["STARTED", "RUNNING", "COMPLETE"] for name in EXPECTED}
    # every page of every template in every legal entity, each once (tokens make pages distinct)
    calls = reporting_calls(sandbox, "TemplateData")
    asked = Counter((call.path.lower(), json.dumps(call.query, sort_keys=True)) for call in calls)
    assert max(asked.values()) == 1
    pages = sum(sandbox.expected_pages(TEMPLATE_DATA, legalEntityId=le, templateId=template(sandbox, name).template_id,
                                       userId=template(sandbox, name).user_id)
                for le, _ in sandbox.company.activated_pairs() for name in EXPECTED)
    assert len(calls) == pages > 3 * len(sandbox.company.activated_pairs())
    assert any("continuationToken" in call.query for call in calls)
    # a read finds its templates again (users, templates) but takes schemas from its catalog: no header calls
    assert len(reporting_calls(sandbox, "ReportingUsers")) == len(reporting_calls(sandbox, "ReportIdentifiers")) == 1
    assert not read.logs("WARN", "WARNING", "ERROR")


STYLES = {
    "display names, numeric codes, url links, numbers as text": ReportStyle("display_name", "number", True, True),
    "field ids, numeric codes": ReportStyle("field_id", "number"),
    "arrays, named codes, numbers as text": ReportStyle("array", "name", False, True),
}


@pytest.mark.parametrize("style", list(STYLES.values()), ids=list(STYLES))
def test_given_any_row_shape_and_type_code_form_when_discover_and_read_then_same_schema_and_records(
        run_connector, sandbox, style):
    faithful, _ = discovered(run_connector, sandbox)
    tmpl = template(sandbox, "report_employee_pay_rates")
    report_builder(sandbox).styles[tmpl.template_id] = style
    run, config = discovered(run_connector, sandbox)
    schema = {s["name"]: s["json_schema"] for s in run.catalog["streams"]}
    assert schema["report_employee_pay_rates"] == {s["name"]: s["json_schema"] for s in faithful.catalog["streams"]}[
        "report_employee_pay_rates"]
    read = read_reports(run_connector, run.catalog, config, ["report_employee_pay_rates"])
    assert canonical(read.records("report_employee_pay_rates")) == canonical(
        expected_records(sandbox, "report_employee_pay_rates"))
    if style.numbers_as_text:  # coerced back to numbers, said once in the stream's closing line, not per value
        assert all(isinstance(r["payRate"], (int, float)) for r in read.records("report_employee_pay_rates"))


def test_given_403_for_one_template_and_404_for_another_when_read_then_those_streams_incomplete_the_rest_read(
        run_connector, sandbox):
    run, config = discovered(run_connector, sandbox)
    builder = report_builder(sandbox)
    builder.forbidden.add(template(sandbox, "report_employee_pay_rates").template_id)
    gone = template(sandbox, "report_employee_phones")
    builder.gone.add(gone.template_id)
    sandbox.reset_calls()
    read = read_reports(run_connector, run.catalog, config)
    assert statuses(read)["report_employee_pay_rates"][-1] == "INCOMPLETE"
    assert statuses(read)["report_employee_phones"][-1] == "INCOMPLETE"
    assert statuses(read)["report_headcount_by_department"][-1] == "COMPLETE"
    assert not read.records("report_employee_pay_rates") and not read.records("report_employee_phones")
    assert canonical(read.records("report_headcount_by_department")) == canonical(
        expected_records(sandbox, "report_headcount_by_department"))
    warnings = read.logs("WARN", "WARNING")
    gone_warnings = [w for w in warnings if "report_employee_phones" in w and "404" in w]
    assert len(gone_warnings) == 1
    # the 404 is asked once: the template's other legal entities are not asked
    assert len([c for c in sandbox.calls if gone.template_id in c.path]) == 1
    assert any("report_employee_pay_rates" in w and "View Single Report Template of a User" in w for w in warnings)


def test_given_realistic_answers_when_read_then_the_same_records(run_connector):
    with Sandbox(seed=7, employees=120, realistic=Realism()) as sandbox:
        run, config = discovered(run_connector, sandbox)
        read = read_reports(run_connector, run.catalog, config)
        styles = {report_builder(sandbox).style(t, sandbox.realism) for t in report_builder(sandbox).templates}
        for name in EXPECTED:
            assert canonical(read.records(name)) == canonical(expected_records(sandbox, name)), name
    assert len({style.rows for style in styles} | {style.codes for style in styles}) >= 3, styles


def test_given_template_pinned_by_id_when_renamed_in_paycor_then_its_stream_keeps_name_and_reads(run_connector, sandbox):
    tmpl = template(sandbox, "report_headcount_by_department")
    pin = {"report_templates": [{"template": tmpl.template_id, "stream_name": "report_headcount"}]}
    before, config = discovered(run_connector, sandbox, **pin)
    builder = report_builder(sandbox)
    builder.templates = [replace(t, display_name="Heads per Department") if t is tmpl else t for t in builder.templates]
    after, config = discovered(run_connector, sandbox, **pin)
    names = [[s["name"] for s in run.catalog["streams"] if s["name"].startswith("report_")] for run in (before, after)]
    assert names == [["report_headcount"], ["report_headcount"]]
    read = read_reports(run_connector, after.catalog, {**config, **pin}, ["report_headcount"])
    assert len(read.records("report_headcount")) == len(expected_records(sandbox, "report_headcount_by_department"))


def test_given_catalog_report_stream_no_longer_offered_when_read_then_warned_incomplete_and_others_read(
        run_connector, sandbox):
    run, config = discovered(run_connector, sandbox)
    catalog = configured_catalog(run.catalog, ["report_headcount_by_department", "departments"])
    gone = json.loads(json.dumps(catalog["streams"][0]))
    gone["stream"]["name"] = "report_deleted_in_paycor"
    catalog["streams"].append(gone)
    read = run_connector("read", config, catalog=catalog)
    assert read.returncode == 0, read.errors
    assert statuses(read)["report_deleted_in_paycor"] == ["INCOMPLETE"]
    assert read.records("report_headcount_by_department") and read.records("departments")
    assert len([w for w in read.logs("WARN", "WARNING") if "report_deleted_in_paycor" in w]) == 1
