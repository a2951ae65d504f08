"""An employee's employment span, from the employee list's `employmentDateData` (include=EmploymentDates).

Per-employee streams use it twice: a dated stream (`employee_hours`) asks only for the windows that overlap
the span, and an incremental sync does not read again an employee who left long before the previous sync.

The span runs from the hire date to the termination date plus `terminated_grace_days` (Paycor's late
corrections: a final paycheck, hours approved after the last day). An employee rehired after the termination
(`reHireDate` later than `terminationDate`) is employed again: the span has no end. Without a hire date the
span has no start (every window before the end is read, and the stream says how many employees had no date).
"""

from __future__ import annotations

from typing import Any, Mapping, NamedTuple, Optional

from ..dates import Day, add_days, day_of

# The field of the employee list that carries the dates, and the dates in it.
EMPLOYMENT_DATES = "employmentDateData"
HIRE, REHIRE, TERMINATION = "hireDate", "reHireDate", "terminationDate"


class Employment(NamedTuple):
    """The employee's dates: hired (None: unknown) and terminated (None: employed now, or rehired since)."""

    hired: Optional[Day]
    terminated: Optional[Day]

    @classmethod
    def of(cls, employee: Mapping[str, Any]) -> "Employment":
        dates = employee.get(EMPLOYMENT_DATES)
        dates = dates if isinstance(dates, Mapping) else {}
        hired, rehired, terminated = (day_of(dates.get(name)) for name in (HIRE, REHIRE, TERMINATION))
        if terminated is not None and rehired is not None and rehired > terminated:
            terminated = None
        return cls(hired, terminated)

    def last_day(self, grace_days: int) -> Optional[Day]:
        """The last day a per-employee row may still change: termination + grace (None: no end)."""
        return None if self.terminated is None else add_days(self.terminated, grace_days)

    def overlaps(self, start: Day, end: Day, grace_days: int) -> bool:
        """True when the window start..end (inclusive) meets the span hired..terminated + grace."""
        last = self.last_day(grace_days)
        return (self.hired is None or end >= self.hired) and (last is None or start <= last)

    def settled_before(self, day: Day, grace_days: int) -> bool:
        """True when the employee left more than `grace_days` before `day`: nothing of theirs changes any more."""
        last = self.last_day(grace_days)
        return last is not None and last < day
