"""The honest minimum's rules (bench/honest_minimum.py) with the expected calls stated here: per-employee reads (rules
9–11) on hand-made employees — the windows within employment and who is read in an incremental sync —, and the Report
Builder (rule 14) on a hand-made Report Builder and on a small sandbox company."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
for _path in (str(ROOT), str(ROOT / "bench")):
    if _path not in sys.path:
        sys.path.insert(0, _path)

import paycor_rules as rules  # noqa: E402
from honest_minimum import Employment, Minimum, StreamOf, families  # noqa: E402
from paycor_sandbox import Call, Sandbox  # noqa: E402
from paycor_sandbox.reports import report_builder  # noqa: E402

TODAY = date(2026, 12, 4)  # a first sync reads 2025-12-05 .. 2026-12-04 (364 days back)
HOURS = rules.by_stream()["employee_hours"]  # 31-day windows, within employment


def employee(hire=None, termination=None, rehire=None) -> Employment:
    return Employment({"employmentDateData": {"hireDate": hire and f"{hire}T00:00:00Z", "terminationDate": termination,
                                              "reHireDate": rehire}})


def minimum(previous_day=None) -> Minimum:
    computed = Minimum.__new__(Minimum)  # the window arithmetic needs no sandbox
    computed.today, computed.previous_day, computed.grace = TODAY, previous_day, 90
    return computed


def d(text: str) -> date:
    return date.fromisoformat(text)


@pytest.mark.parametrize(
    "who, expected",
    [
        # hired within the year: from the hire date, in 31-day windows
        (employee("2026-11-01"), [("2026-11-01", "2026-12-01"), ("2026-12-02", "2026-12-04")]),
        # terminated 2026-01-10: until 2026-04-10 (+ 90 days of grace)
        (employee("2019-03-01", "2026-01-10"), [("2025-12-05", "2026-01-04"), ("2026-01-05", "2026-02-04"),
                                                ("2026-02-05", "2026-03-07"), ("2026-03-08", "2026-04-07"),
                                                ("2026-04-08", "2026-04-10")]),
        # terminated long ago: no window
        (employee("2015-01-01", "2020-06-30"), []),
        # rehired: the first span ended 2025-04-01 (before the range), the second starts on the rehire date
        (employee("2020-01-01", "2025-01-01", "2026-10-20"), [("2026-10-20", "2026-11-19"), ("2026-11-20", "2026-12-04")]),
    ],
)
def test_given_an_employee_when_first_sync_then_windows_only_within_employment_plus_grace(who, expected):
    assert minimum().windows(HOURS, who) == [(d(lo), d(hi)) for lo, hi in expected]


def test_given_an_employee_without_hire_date_then_every_window_of_the_range():
    windows = minimum().windows(HOURS, employee(None, "2026-01-10"))
    assert windows[0] == (d("2025-12-05"), d("2026-01-04")) and windows[-1][1] == TODAY and len(windows) == 12


def test_given_an_incremental_sync_then_windows_start_on_the_previous_sync_day_zero_lookback():
    assert minimum(d("2026-12-03")).windows(HOURS, employee("2010-05-05")) == [(d("2026-12-03"), TODAY)]


@pytest.mark.parametrize(
    "who, read",
    [
        (employee("2010-05-05"), True),  # active
        (employee("2010-05-05", "2026-09-04"), True),  # terminated 90 days before the previous sync (2026-12-03)
        (employee("2010-05-05", "2026-09-03"), False),  # 91 days before
        (employee("2010-05-05", "2019-09-03", "2021-01-04"), True),  # rehired after the termination
        (employee("2010-05-05", "2021-01-04", "2019-09-03"), False),  # an older rehire date: still terminated
    ],
)
def test_given_an_incremental_sync_then_only_employees_terminated_over_grace_days_before_the_previous_sync_are_skipped(who, read):
    assert who.read_in_incremental(d("2026-12-03"), 90) is read


# ----------------------------------------------------------------------------------------- Report Builder (rule 14)
class Refused(Exception):
    status = 403


class HandMadeReportBuilder:
    """Two legal entities; user u1 (in legal entity 502) lists templates A and B, user u2 (in 501) lists B again.
    Rows: A has 250 in 501 and none in 502; B has 101 in 501 and answers 403 in 502. Each answer holds all its rows in
    one data set: the minimum counts rows (100 a page), not the data sets the sandbox happens to send."""

    USERS = [{"userId": "u1", "legalEntityId": 502}, {"userId": "u2", "legalEntityId": 501}]
    TEMPLATES = {("u1", 502): [{"templateId": "A", "displayName": "Alpha"}, {"templateId": "B", "displayName": "Beta"}],
                 ("u2", 501): [{"templateId": "B", "displayName": "Beta"}]}
    ROWS = {("A", 501): 250, ("A", 502): 0, ("B", 501): 101}

    def __init__(self) -> None:
        self.asked: list = []
        self.company = type("Company", (), {"activated_pairs": lambda _self: [(501, 9), (502, 9)]})()
        self.auth = type("Auth", (), {"scope": "the-scope"})()

    def expected_records(self, template, query=None, **ids):
        self.asked.append((template, ids))
        if template == rules.REPORTING_USERS.path:
            return self.USERS if ids == {"scope": "the-scope"} else []
        if template == rules.REPORT_IDENTIFIERS.path:
            return self.TEMPLATES.get((ids["userId"], ids["legalEntityId"]), [])
        if template == rules.TEMPLATE_DATA.path:
            key = (ids["templateId"], ids["legalEntityId"])
            if key not in self.ROWS:
                raise Refused()
            return [{"headers": [], "data": [[n] for n in range(self.ROWS[key])], "footers": None, "totalRows": self.ROWS[key]}]
        return []  # the services of a legal entity: none needed here

    def expected_size(self, template, query=None, method="GET", body=None, **ids):
        return len(self.expected_records(template, query, **ids)), True


def test_given_a_report_builder_then_users_once_templates_per_user_and_each_template_per_legal_entity_per_100_rows():
    sandbox = HandMadeReportBuilder()
    computed = Minimum(sandbox, TODAY, None, 90)
    assert computed.reports() == {
        "(report users)": 1,  # 2 users: one page
        "(report templates)": 2,  # one list per user
        "report: Alpha": 3 + 1,  # 250 rows in 501: 3 pages; none in 502: 1 call
        "report: Beta": 2 + 1,  # 101 rows in 501: 2 pages; 403 in 502: 1 call. Listed by two users: read once
    }
    assert dict(computed.errors) == {"report: Beta:403": 1}
    # each user's templates asked in the user's legal entity; Beta read as its first user
    assert [ids for template, ids in sandbox.asked if template == rules.REPORT_IDENTIFIERS.path][:2] == [
        {"legalEntityId": 502, "userId": "u1"}, {"legalEntityId": 501, "userId": "u2"}]
    assert {ids["userId"] for template, ids in sandbox.asked if template == rules.TEMPLATE_DATA.path and ids["templateId"] == "B"} == {"u1"}


SMALL = dict(seed=7, employees=40, terminated_history=0, tenants=1, legal_entities=2)  # under 100 employees a legal entity


def test_given_a_small_sandbox_company_then_the_report_minimum_is_templates_times_legal_entities_plus_discovery():
    # The sandbox's Report Builder: one reporting user with three templates (paycor_sandbox/reports.py); at most 40
    # rows a template and legal entity, so one page each: 3 templates × 2 legal entities × 1 page, + 1 + 1.
    minimum = Minimum(Sandbox(today=TODAY, **SMALL), TODAY, None, 90).all()
    reports = {name: calls for name, calls in minimum.items() if families(minimum).get(name) == "reports"}
    assert reports == {"(report users)": 1, "(report templates)": 1, "report: Employee Pay Rates": 2, "report: Employee Phones": 2,
                       "report: Headcount by Department": 2}
    assert sum(reports.values()) == 3 * 2 * 1 + 2


def test_given_the_connectors_report_calls_and_records_then_they_are_counted_under_the_reports_names():
    sandbox = Sandbox(today=TODAY, **SMALL)
    builder = report_builder(sandbox)
    user, pay_rates = builder.users[0], next(t for t in builder.templates if t.display_name == "Employee Pay Rates")
    stream_of = StreamOf(sandbox)

    def call(path: str) -> Call:
        return Call("GET", path, {}, 200, {}, 0.0)

    assert stream_of(call(f"/v1/Reporting/{sandbox.auth.scope}/ReportingUsers")) == "(report users)"
    assert stream_of(call(f"/v1/Reporting/{user.legal_entity_id}/ReportIdentifiers/{user.user_id}")) == "(report templates)"
    assert stream_of(call(f"/v1/Reporting/1/TemplateData/{pay_rates.template_id.upper()}/{user.user_id}")) == "report: Employee Pay Rates"
    assert stream_of(call(f"/v1/Reporting/1/TemplateData/00000000-0000-4000-8000-000000000000/{user.user_id}")) == (
        "other:/v1/reporting/{legalentityid}/templatedata/{templateid}/{userid}")
    assert stream_of.of_record("report_employee_pay_rates", {"templateId": pay_rates.template_id}) == "report: Employee Pay Rates"
    assert stream_of.of_record("employees", {"id": "x"}) == "employees"
