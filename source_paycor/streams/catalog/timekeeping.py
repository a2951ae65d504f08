"""Time: punches, schedules, time off, windowed by date (family "time")."""

from __future__ import annotations

from typing import Tuple

from .parts import SCHEDULING, TIME
from .spec import StreamSpec, Window

ROWS: Tuple[StreamSpec, ...] = (
    StreamSpec(
        "punches",
        "/v2/legalEntities/{legalEntityId}/punches",
        ("rowKey",),
        family="time",
        window=Window("displayDate"),
        product=TIME,
        row_key=("employeeId", "punchIn", "punchOut", "earningCode", "departmentCode", "hourAmount"),
        description="Time card punches of every employee, 90 days per call.",
    ),
    StreamSpec(
        "schedules",
        "/v1/legalEntities/{legalEntityId}/schedules",
        ("employeeId", "date"),
        family="time",
        window=Window("date"),
        product=TIME,
        description="Each employee's scheduled shifts per day (Perform Time schedules), 90 days per call.",
    ),
    StreamSpec(
        "scheduling_shifts",
        "/v1/legalentities/{legalEntityId}/schedulingShifts",
        ("id",),
        family="time",
        window=Window("startDateTime", future_days=28),
        product=SCHEDULING,
        description="Paycor Scheduling shifts, including those published for the next four weeks.",
    ),
    StreamSpec(
        "time_off_requests",
        "/v1/legalentities/{legalEntityId}/timeoffrequests",
        ("timeOffRequestId",),
        family="time",
        window=Window("createdDate", future_days=180),
        product=("performTimeOff",),
        empty_when_400_says=("has no TimeOff requests",),
        description="Time-off requests of every employee, including time off planned up to 180 days ahead.",
    ),
    StreamSpec(
        "unassigned_punches",
        "/v1/legalentities/{legalEntityId}/unassignedpunches",
        ("punchId",),
        family="time",
        window=Window("punchDateTime"),
        product=TIME,
        description="Punches not yet assigned to an employee (badge punches), 90 days per call.",
    ),
    StreamSpec(
        "missed_punch_requests",
        "/v1/legalentities/{legalEntityId}/missedPunchRequests",
        ("punchId",),
        family="time",
        window=Window("punchDateTime"),
        product=TIME,
        description="Employees' requests to add punches they missed, 31 days per call.",
    ),
    StreamSpec(
        "pay_items",
        "/v1/legalentities/{legalEntityId}/payItems",
        ("payItemId",),
        family="time",
        window=Window("date"),
        product=TIME,
        description="Pay items (amounts entered in Perform Time), 30 days per call.",
    ),
    StreamSpec(
        "forecasting",
        "/v1/legalentities/{legalEntityId}/forecasting",
        ("rowKey",),
        family="time",
        window=Window("transactionDate", future_days=28),
        product=SCHEDULING,
        row_key=("transactionDate", "scheduleGroupName"),
        description="The scheduling forecast values per schedule group and day, four weeks ahead.",
    ),
    StreamSpec(
        "calculated_forecasting",
        "/v1/legalentities/{legalEntityId}/calculatedforecasting",
        ("rowKey",),
        family="time",
        window=Window("forecastDate", future_days=28),
        product=SCHEDULING,
        row_key=("forecastDate", "scheduleGroupName"),
        description="The calculated scheduling forecast per schedule group and day, four weeks ahead.",
    ),
)
