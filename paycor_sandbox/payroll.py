"""Pay runs and paystub amounts derived from the company (deterministic by seed and today's date)."""
from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from .company import Company, Employee, LegalEntity, PayGroup

HISTORY_DAYS = 400   # ~13 months of pay runs


@dataclass(frozen=True, slots=True)
class PayRun:
    planner_id: str
    pay_group: PayGroup
    check_date: date
    process_date: date
    period_start: date
    period_end: date
    number: int
    run_type: str = "Regular"


def _period_ends(freq: str, start: date, end: date, rng: random.Random):
    if freq == "Semimonthly":
        month = date(start.year, start.month, 1)
        while month <= end:
            mid = month.replace(day=15)
            next_month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
            for period_end in (mid, next_month - timedelta(days=1)):
                if start <= period_end <= end:
                    yield period_end, (month if period_end == mid else mid + timedelta(days=1))
            month = next_month
        return
    step = 7 if freq == "Weekly" else 14
    period_end = start + timedelta(days=(4 - start.weekday()) % 7 + rng.randrange(step // 7) * 7)  # a Friday
    while period_end <= end:
        yield period_end, period_end - timedelta(days=step - 1)
        period_end += timedelta(days=step)


_CACHE: dict = {}


def pay_runs(seed: int, le: LegalEntity, today: date) -> tuple:
    """Regular pay runs of every pay group, sorted by check date; check dates up to ~3 weeks ahead."""
    key = (seed, le.id, tuple(group.id for group in le.pay_groups), today)
    if key not in _CACHE:
        _CACHE[key] = _pay_runs(seed, le, today)
    return _CACHE[key]


def _pay_runs(seed: int, le: LegalEntity, today: date) -> tuple:
    runs = []
    for group in le.pay_groups:
        rng = random.Random(f"{seed}|payruns|{le.id}|{group.id}")
        number = 0
        for period_end, period_start in _period_ends(group.frequency, today - timedelta(days=HISTORY_DAYS),
                                                     today + timedelta(days=14), rng):
            check = period_end + timedelta(days=6 if group.frequency != "Semimonthly" else 0)
            while check.weekday() >= 5:
                check -= timedelta(days=1)
            number += 1
            runs.append(PayRun(str(uuid.UUID(int=rng.getrandbits(128), version=4)), group, check,
                               check - timedelta(days=2), period_start, period_end, number))
    runs.sort(key=lambda run: (run.check_date, run.pay_group.name))
    return tuple(runs)


def employees_in_run(company: Company, le: LegalEntity, run: PayRun) -> list[Employee]:
    group_index = le.pay_groups.index(run.pay_group)
    out = []
    for employee in company.employees_of_legal_entity(le.id):
        if employee.pay_group_idx != group_index or employee.hire_date > run.period_end:
            continue
        if employee.termination_date is not None and employee.termination_date < run.period_start:
            continue
        out.append(employee)
    return out


def find_run(seed: int, le: LegalEntity, today: date, planner_id: str) -> PayRun | None:
    pid = planner_id.lower()
    return next((run for run in pay_runs(seed, le, today) if run.planner_id == pid), None)


def periods_per_year(freq: str) -> int:
    return {"Weekly": 52, "Biweekly": 26, "Semimonthly": 24}.get(freq, 26)


def stub_amounts(seed: int, employee: Employee, run: PayRun, le: LegalEntity) -> dict:
    """Gross, itemised earnings/taxes/deductions and net for one employee's paycheck."""
    rng = random.Random(f"{seed}|stub|{employee.id}|{run.planner_id}")
    ppy = periods_per_year(run.pay_group.frequency)
    earnings = []
    if employee.hourly:
        hours = round(2080 / ppy * (1.0 if employee.full_time else 0.6) * rng.uniform(0.9, 1.0), 2)
        earnings.append(("REG", "Regular", hours, employee.pay_rate))
        if rng.random() < 0.35:
            earnings.append(("OT", "Overtime", round(rng.uniform(1, 10), 2), round(employee.pay_rate * 1.5, 2)))
    else:
        earnings.append(("SAL", "Salary", round(2080 / ppy, 2), round(employee.pay_rate / 2080, 2)))
        if rng.random() < 0.05:
            earnings.append(("BON", "Bonus", 0.0, 0.0))
    items = []
    for code, desc, hours, rate in earnings:
        amount = round(hours * rate, 2) if hours else round(rng.uniform(250, 2500), 2)
        items.append({"code": code, "description": desc, "hours": hours, "rate": rate, "amount": amount})
    gross = round(sum(item["amount"] for item in items), 2)
    state = le.work_locations[employee.work_location_idx].address.state
    taxes = [("FED", "Federal Withholding", round(gross * rng.uniform(0.08, 0.16), 2)),
             ("FICA", "Social Security", round(gross * 0.062, 2)),
             ("MEDI", "Medicare", round(gross * 0.0145, 2)),
             (f"{state}WH", f"{state} State Withholding", round(gross * rng.uniform(0.02, 0.05), 2))]
    deductions = [("401K", "401(k) Employee Contribution", round(gross * 0.05, 2))]
    if rng.random() < 0.7:
        deductions.append(("MED", "Medical Insurance Pre-Tax", round(rng.choice((45.5, 92.0, 181.25)), 2)))
    tax_total = round(sum(tax[2] for tax in taxes), 2)
    ded_total = round(sum(deduction[2] for deduction in deductions), 2)
    return {"gross": gross, "net": round(gross - tax_total - ded_total, 2), "earnings": items,
            "taxes": taxes, "deductions": deductions, "tax_total": tax_total, "ded_total": ded_total,
            "check_number": 100000 + run.number * 1000 + (employee.index % 1000)}
