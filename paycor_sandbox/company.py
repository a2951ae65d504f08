"""The generated company: tenants, legal entities, their setup lists, persons and employees.

Everything comes from ``random.Random(seed)``; the same seed gives the same company.  Objects are
small slotted dataclasses so that 50,000 employees fit in a few tens of MB and generate in ~1 s.
"""
from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from . import fakedata

ANCHOR = date(2025, 6, 30)  # static attributes (hire dates...) are generated before this day


def guid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


@dataclass(slots=True)
class Address:
    street: str
    city: str
    state: str
    county: str
    zip: str
    area_code: str


@dataclass(slots=True)
class JobTitle:
    id: str
    title: str
    code: str
    category: int
    hourly: bool
    low: float
    high: float


@dataclass(slots=True)
class Department:
    id: str
    code: str
    description: str
    parent_id: str | None
    level: int
    work_location_id: str | None = None


@dataclass(slots=True)
class WorkLocation:
    id: str
    name: str
    number: str
    address: Address
    phone: str


@dataclass(slots=True)
class PayGroup:
    id: str
    name: str
    frequency: str
    payroll_id: str
    payroll_code: str
    payroll_description: str


@dataclass(slots=True)
class Earning:
    id: str
    code: str
    description: str
    global_code: str
    factor: float


@dataclass(slots=True)
class Deduction:
    id: str
    code: str
    description: str
    type: str


@dataclass(slots=True)
class Tax:
    id: str
    code: str
    description: str
    type: str
    auth_code: str
    rate: float | None


@dataclass(slots=True)
class Tenant:
    id: int
    name: str
    legal_entity_ids: list = field(default_factory=list)
    job_titles: list = field(default_factory=list)


@dataclass(slots=True)
class LegalEntity:
    id: int
    tenant_id: int
    name: str
    fein: str
    corporation_type: str
    address: Address
    activated: bool = True
    departments: list = field(default_factory=list)
    work_locations: list = field(default_factory=list)
    pay_groups: list = field(default_factory=list)
    earnings: list = field(default_factory=list)
    deductions: list = field(default_factory=list)
    taxes: list = field(default_factory=list)
    services: dict = field(default_factory=dict)
    employee_idx: list = field(default_factory=list)


@dataclass(slots=True)
class Person:
    id: str
    tenant_id: int
    first: str
    middle: str | None
    last: str
    gender: str
    birth_date: date
    ssn: str
    email: str
    address: Address
    phone: str
    marital: str
    ethnicity: str
    employee_idx: list = field(default_factory=list)


@dataclass(slots=True)
class Employee:
    index: int
    id: str
    person_idx: int
    legal_entity_id: int
    tenant_id: int
    number: str
    hire_date: date
    status: str
    termination_date: date | None
    termination_reason: str | None
    department_idx: int
    job_idx: int
    work_location_idx: int
    pay_group_idx: int
    flsa: str
    full_time: bool
    pay_rate: float
    hourly: bool
    manager_idx: int | None
    work_email: str
    unpaid: bool = False   # an unpaid worker (workerCategory Unpaid): listed only with workerCategory=Unpaid
    rehire_date: date | None = None   # hired again after `termination_date` (employed again from that day)


SERVICE_KEYS = (
    "timeOnDemand performTime performTimeScheduling paycorScheduling paycorSchedulingPro performAccruals "
    "resellerAccruals performTimeOff integrationPayrollTimePartner workforceManagement jobCosting onboarding "
    "jobCostingReporting reporting healthandBenefitsEmployee healthandBenefits paychexPayments paychexBase "
    "paychexWorkersCompensation paychexIntegration paychex401kEmployee paychex401kProcessing"
).split()
# products that every legal entity has except the "lean" one (the last one)
FULL_SERVICES = {"performTime", "performTimeScheduling", "paycorScheduling", "performAccruals",
                 "performTimeOff", "jobCosting", "workforceManagement", "onboarding", "reporting",
                 "jobCostingReporting", "healthandBenefits", "healthandBenefitsEmployee"}
LEAN_SERVICES = {"reporting", "healthandBenefits"}
UNPAID_PER, UNPAID_FROM = 50, 20   # one unpaid worker per 50 employees; at least one in a company of 20 or more


class Company:
    def __init__(self, seed: int = 7, employees: int = 300, tenants: int = 2, legal_entities: int = 3,
                 terminated_history: float = 0.0):
        if legal_entities < tenants:
            raise ValueError("need at least one legal entity per tenant")
        self.seed = seed
        rng = random.Random(f"company:{seed}")
        self.tenants: list[Tenant] = []
        self.legal_entities: list[LegalEntity] = []
        self.unactivated_legal_entities: list[LegalEntity] = []
        self.persons: list[Person] = []
        self.employees: list[Employee] = []
        self._make_tenants(rng, tenants, legal_entities)
        self._tenants = {tenant.id: tenant for tenant in self.tenants}
        self._make_people(rng, employees)
        self.tenant_by_id = {tenant.id: tenant for tenant in self.tenants}
        self.legal_entity_by_id = {le.id: le for le in self.legal_entities + self.unactivated_legal_entities}
        # Years of turnover and unpaid workers come from their own generators, so that the rest of the company is the
        # same with or without them.
        self._make_history(random.Random(f"{seed}:history"), round(terminated_history * employees))
        self.unpaid_persons: list[Person] = []
        self.unpaid_workers: list[Employee] = []
        self._make_unpaid_workers(random.Random(f"{seed}:unpaid"), employees)
        self.employee_by_id = {employee.id.lower(): employee for employee in self.employees + self.unpaid_workers}
        self.person_by_id = {person.id.lower(): person for person in self.persons + self.unpaid_persons}

    # ------------------------------------------------------------------ structure
    def _address(self, rng: random.Random, city=None) -> Address:
        place = city or rng.choice(fakedata.CITIES)
        return Address(f"{rng.randint(100, 9899)} {rng.choice(fakedata.STREET_NAMES)} "
                       f"{rng.choice(fakedata.STREET_SUFFIXES)}",
                       place[0], place[1], place[2], f"{place[3]}{rng.randint(1, 99):02d}", place[4])

    def _make_tenants(self, rng, n_tenants, n_les):
        ids = rng.sample(range(100000, 999999), n_tenants + n_les + 1)
        words = rng.sample(fakedata.COMPANY_WORDS, n_tenants)
        kinds = rng.sample(fakedata.COMPANY_KINDS, len(fakedata.COMPANY_KINDS))
        for index in range(n_tenants):
            tenant = Tenant(ids[index], f"{words[index]} Holdings")
            titles = rng.sample(fakedata.JOB_TITLES, min(len(fakedata.JOB_TITLES), rng.randint(14, 20)))
            titles.sort(key=lambda entry: fakedata.JOB_TITLES.index(entry))
            for position, (title, code, cat, hourly, lo, hi) in enumerate(titles):
                tenant.job_titles.append(JobTitle(guid(rng), title, f"{code}{position + 1:02d}", cat, hourly, lo, hi))
            self.tenants.append(tenant)
        le_ids = sorted(ids[n_tenants:])
        for le_index in range(n_les + 1):
            tenant = self.tenants[le_index % n_tenants] if le_index < n_les else self.tenants[0]
            kind = kinds[le_index % len(kinds)]
            word = tenant.name.split()[0]
            name = (f"{word} {kind[0]} {kind[1]}" if le_index < n_tenants
                    else f"{word} {rng.choice(fakedata.COMPANY_WORDS)} {kind[0]} {kind[1]}")
            le = LegalEntity(le_ids[le_index], tenant.id, name, f"{rng.randint(10, 99)}{rng.randint(1000000, 9999999)}",
                             rng.choice(("Corporation", "LLC", "Corporation", "PartnershipLLC")), self._address(rng))
            if le_index == n_les:  # exists in the company but the application was not activated for it
                le.activated = False
                self.unactivated_legal_entities.append(le)
            else:
                tenant.legal_entity_ids.append(le.id)
                self.legal_entities.append(le)
            self._make_setup(rng, le, lean=(le_index == n_les - 1 and n_les > 1))

    def _make_setup(self, rng, le: LegalEntity, lean: bool):
        nloc = rng.randint(2, 4)
        cities = rng.sample(fakedata.CITIES, nloc)
        for site_no, city in enumerate(cities):
            le.work_locations.append(WorkLocation(guid(rng),
                                                  f"{city[0]} {'HQ' if site_no == 0 else 'Site ' + str(site_no)}",
                                                  f"{site_no + 1:03d}", self._address(rng, city),
                                                  f"{rng.randint(200, 999)}-{rng.randint(1000, 9999)}"))
        parents = rng.sample(fakedata.DEPARTMENTS, rng.randint(2, len(fakedata.DEPARTMENTS)))
        code = 100
        for pname, children in parents:
            parent = Department(guid(rng), str(code), pname, None, 1, le.work_locations[0].id)
            le.departments.append(parent)
            code += 100
            for ci, cname in enumerate(rng.sample(children, rng.randint(2, len(children)))):
                le.departments.append(Department(guid(rng), str(int(parent.code) + 10 * (ci + 1)), cname, parent.id, 2,
                                                 rng.choice(le.work_locations).id))
        payroll_id, payroll_code = guid(rng), f"P{le.id % 1000:03d}"
        groups = [("Biweekly Hourly", "Biweekly"), ("Semimonthly Salaried", "Semimonthly")]
        if rng.random() < 0.5:
            groups.append(("Weekly Hourly", "Weekly"))
        for name, freq in groups:
            le.pay_groups.append(PayGroup(guid(rng), name, freq, payroll_id, payroll_code, f"{le.name} Payroll"))
        earn = [earning for earning in fakedata.EARNINGS if earning[0] in ("REG", "OT", "SAL", "HOL", "PTO", "BON")]
        earn += rng.sample([earning for earning in fakedata.EARNINGS if earning not in earn], rng.randint(1, 4))
        le.earnings = [Earning(guid(rng), code, description, global_code, factor) for code, description, global_code,
                       factor in earn]
        ded = [deduction for deduction in fakedata.DEDUCTIONS if deduction[0] in ("401K", "MED", "DEN")]
        ded += rng.sample([deduction for deduction in fakedata.DEDUCTIONS if deduction not in ded], rng.randint(3, 7))
        le.deductions = [Deduction(guid(rng), code, description, kind) for code, description, kind in ded]
        states = sorted({location.address.state for location in le.work_locations} | {le.address.state})
        taxes = [Tax(guid(rng), code, description, kind, authority, None if kind == "FWH" else rate)
                 for (code, description, kind, authority), rate in zip(fakedata.FEDERAL_TAXES, (None, 0.062, 0.062,
                                                                                                0.0145, 0.006))]
        for st in states:
            taxes.append(Tax(guid(rng), f"{st}WH", f"{st} State Withholding", "SWH", st, None))
            taxes.append(Tax(guid(rng), f"{st}SUI", f"{st} State Unemployment", "SUI", st,
                             round(rng.uniform(0.005, 0.054), 4)))
        le.taxes = taxes
        keys = LEAN_SERVICES if lean else FULL_SERVICES
        le.services = {service: (service in keys) for service in SERVICE_KEYS}
        le.services["timeService"] = "None" if lean else "Perform Time"

    # ------------------------------------------------------------------ people
    def _make_people(self, rng, n_employees):
        les = self.legal_entities
        weights = [rng.uniform(1.0, 4.0) for _ in les]
        weights.sort(reverse=True)
        ssns = set()
        emp_no = {tenant.id: 1000 for tenant in self.tenants}
        for index in range(n_employees):
            le = les[rng.choices(range(len(les)), weights)[0]] if index >= len(les) else les[index]
            tenant_id = le.tenant_id
            second = None
            # ~2% of employees are a second employee record of an existing person of the tenant
            if index > 20 and rng.random() < 0.02:
                cand = self.employees[rng.randrange(len(self.employees))]
                person = self.persons[cand.person_idx]
                if person.tenant_id == tenant_id and len(person.employee_idx) == 1:
                    second = cand
            if second is None:
                female = rng.random() < 0.5
                first = rng.choice(fakedata.FIRST_NAMES_F if female else fakedata.FIRST_NAMES_M)
                last = rng.choice(fakedata.LAST_NAMES)
                mid = (rng.choice(fakedata.FIRST_NAMES_F if female else fakedata.FIRST_NAMES_M) if rng.random() < 0.6
                       else None)
                while True:
                    ssn = f"{rng.randint(100, 665):03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"
                    if ssn not in ssns:
                        ssns.add(ssn)
                        break
                bd = ANCHOR - timedelta(days=rng.randint(19 * 365, 66 * 365))
                handle = f"{first}.{last}".lower().replace("'", "")
                person = Person(guid(rng), tenant_id, first, mid, last, "Female" if female else "Male", bd, ssn,
                           f"{handle}{rng.randint(1, 99)}@{rng.choice(('gmail.com', 'yahoo.com', 'outlook.com', 'icloud.com'))}",
                           self._address(rng),
                           f"{rng.randint(200, 999)}-{rng.randint(1000, 9999)}",
                           rng.choice(("Single", "Married", "Married", "Divorced")),
                           rng.choice(("White", "White", "BlackorAfricanAmerican", "HispanicorLatino", "Asian",
                                       "TwoormoreRaces", "DeclinedToIdentify")))
                self.persons.append(person)
                pidx = len(self.persons) - 1
            else:
                pidx = second.person_idx
                person = self.persons[pidx]
                others = [le_id for le_id in self.tenant_by_id_tmp(tenant_id) if le_id != second.legal_entity_id]
                if others:
                    le = self._le(rng.choice(others))
            employee = self._employee(rng, index, pidx, le, emp_no, second)
            person.employee_idx.append(index)
            le.employee_idx.append(index)
            self.employees.append(employee)

    def tenant_by_id_tmp(self, tenant_id):
        return self._tenants[tenant_id].legal_entity_ids

    def _le(self, le_id):
        return next(le for le in self.legal_entities if le.id == le_id)

    def _employee(self, rng, index, pidx, le: LegalEntity, emp_no, previous: Employee | None) -> Employee:
        tenant = self._tenants[le.tenant_id]
        first_in_le = not le.employee_idx
        job_idx = 0 if first_in_le else rng.randrange(len(tenant.job_titles))
        job = tenant.job_titles[job_idx]
        emp_no[le.tenant_id] += 1
        hire = ANCHOR - timedelta(days=int(rng.triangular(10, 9000, 600)))
        status, term, reason = "Active", None, None
        if previous is not None:
            hire = max(previous.hire_date + timedelta(days=30), hire)
            if previous.status == "Active" and previous.legal_entity_id == le.id:
                previous.status, previous.termination_date = "Terminated", hire - timedelta(days=rng.randint(7, 20))
                previous.termination_reason = "Voluntary - Transferred"
        elif not first_in_le:
            roll = rng.random()
            if roll < 0.11:
                status = "Terminated"
                term = min(ANCHOR - timedelta(days=1), hire + timedelta(days=rng.randint(30, 2500)))
                reason = rng.choice(("Voluntary - Better Opportunity", "Voluntary - Relocation",
                                     "Involuntary - Performance", "Involuntary - Attendance", "Voluntary - Retirement"))
            elif roll < 0.14:
                status = rng.choice(("LeaveWithPay", "Fmla", "ShortTermDisability", "LeaveWithoutPay"))
        depts = [department for department in le.departments if department.level == 2] or le.departments
        dept = le.departments.index(rng.choice(depts))
        hourly = job.hourly
        rate = round(rng.uniform(job.low, job.high), 2 if hourly else 0)
        n_mgr = max(1, len(le.employee_idx) // 20)
        person = self.persons[pidx]
        domain = le.name.split()[0].lower() + ".com"
        return Employee(
            index=index, id=guid(rng), person_idx=pidx, legal_entity_id=le.id, tenant_id=le.tenant_id,
            number=str(emp_no[le.tenant_id]), hire_date=hire, status=status, termination_date=term,
            termination_reason=reason, department_idx=dept, job_idx=job_idx,
            work_location_idx=rng.randrange(len(le.work_locations)),
            pay_group_idx=0 if hourly else 1 % len(le.pay_groups),
            flsa=("HourlyNonExempt" if hourly else rng.choice(("SalaryExempt", "SalaryExempt", "SalaryNonExempt"))),
            full_time=rng.random() < (0.8 if hourly else 0.97), pay_rate=rate, hourly=hourly,
            manager_idx=(le.employee_idx[rng.randrange(n_mgr)] if le.employee_idx else None),
            work_email=f"{person.first[0]}{person.last}".lower().replace("'", "") + f"{index}@{domain}",
        )

    # ------------------------------------------------------------------ unpaid workers
    def _extra_person(self, rng: random.Random, tenant_id, ages: tuple, ssn_areas: tuple, email_numbers: tuple,
                      email_domain: str) -> Person:
        """A person beside the generated company's (a terminated or an unpaid worker): aged `ages` years, an SSN
        in the area numbers `ssn_areas`, an e-mail address numbered in `email_numbers` at `email_domain`."""
        female = rng.random() < 0.5
        first = rng.choice(fakedata.FIRST_NAMES_F if female else fakedata.FIRST_NAMES_M)
        last = rng.choice(fakedata.LAST_NAMES)
        return Person(guid(rng), tenant_id, first, None, last, "Female" if female else "Male",
                      ANCHOR - timedelta(days=rng.randint(ages[0] * 365, ages[1] * 365)),
                      f"{rng.randint(*ssn_areas):03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}",
                      f"{first}.{last}{rng.randint(*email_numbers)}@{email_domain}".lower().replace("'", ""),
                      self._address(rng), f"{rng.randint(200, 999)}-{rng.randint(1000, 9999)}", "Single",
                      "DeclinedToIdentify")

    def _make_history(self, rng: random.Random, count: int):
        """`count` employees terminated over the last ten years (more of them recently), in the employee lists
        with their termination dates, as Paycor keeps them."""
        if not count:
            return
        emp_no = {tenant.id: 900000 for tenant in self.tenants}
        weights = [len(le.employee_idx) for le in self.legal_entities]
        for _ in range(count):
            le = rng.choices(self.legal_entities, weights)[0]
            person = self._extra_person(rng, le.tenant_id, ages=(19, 70), ssn_areas=(700, 899),
                                        email_numbers=(100, 999), email_domain="outlook.com")
            self.persons.append(person)
            index = len(self.employees)
            employee = self._employee(rng, index, len(self.persons) - 1, le, emp_no, None)
            ended = ANCHOR - timedelta(days=int(rng.triangular(1, 3650, 1)))
            employee.status, employee.termination_date = "Terminated", ended
            employee.hire_date = ended - timedelta(days=rng.randint(30, 3000))
            employee.termination_reason = rng.choice(("Voluntary - Better Opportunity", "Voluntary - Relocation",
                                               "Involuntary - Performance", "Voluntary - Retirement"))
            person.employee_idx.append(index)
            le.employee_idx.append(index)
            self.employees.append(employee)

    def _make_unpaid_workers(self, rng: random.Random, n_employees: int):
        """1 unpaid worker (intern, volunteer) per 50 employees (`n_employees`, the active ones), at least 1 in a company of 20
        or more; dealt to the legal entities in turn, the largest first."""
        count = max(n_employees // UNPAID_PER, 1 if n_employees >= UNPAID_FROM else 0)
        order = sorted(self.legal_entities, key=lambda le: (-len(le.employee_idx), le.id))
        for worker_no in range(count):
            le = order[worker_no % len(order)]
            tenant = self._tenants[le.tenant_id]
            person = self._extra_person(rng, le.tenant_id, ages=(18, 30), ssn_areas=(666, 699),
                                        email_numbers=(1, 99), email_domain="gmail.com")
            self.unpaid_persons.append(person)
            person.employee_idx.append(len(self.employees) + len(self.unpaid_workers))
            depts = [department for department in le.departments if department.level == 2] or le.departments
            index = len(self.employees) + len(self.unpaid_workers)
            self.unpaid_workers.append(Employee(
                index=index, id=guid(rng), person_idx=len(self.unpaid_persons) - 1, legal_entity_id=le.id,
                tenant_id=le.tenant_id, number=f"U{le.id % 1000:03d}{worker_no + 1:03d}",
                hire_date=ANCHOR - timedelta(days=rng.randint(10, 400)), status="Active", termination_date=None,
                termination_reason=None, department_idx=le.departments.index(rng.choice(depts)),
                job_idx=rng.randrange(len(tenant.job_titles)), work_location_idx=rng.randrange(len(le.work_locations)),
                pay_group_idx=0, flsa="HourlyNonExempt", full_time=False, pay_rate=0.0, hourly=True,
                manager_idx=None, unpaid=True,
                work_email=f"{person.first[0]}{person.last}".lower().replace("'", "") + f".u{index}@{le.name.split()[0].lower()}.com"))

    def employee_at(self, index: int) -> Employee:
        """The employee of an `Employee.index` (paid employees first, then unpaid workers)."""
        paid_count = len(self.employees)
        return self.employees[index] if index < paid_count else self.unpaid_workers[index - paid_count]

    def unpaid_workers_of_legal_entity(self, le_id: int) -> list[Employee]:
        return [worker for worker in self.unpaid_workers if worker.legal_entity_id == le_id]

    # ------------------------------------------------------------------ queries
    def legal_entity(self, le_id: int) -> LegalEntity | None:
        return self.legal_entity_by_id.get(le_id)

    def employees_of_legal_entity(self, le_id: int) -> list[Employee]:
        le = self.legal_entity_by_id.get(le_id)
        return [self.employees[index] for index in le.employee_idx] if le else []

    def employees_of_tenant(self, tenant_id: int) -> list[Employee]:
        return [employee for employee in self.employees if employee.tenant_id == tenant_id]

    def persons_of_legal_entity(self, le_id: int) -> list[Person]:
        seen, out = set(), []
        for employee in self.employees_of_legal_entity(le_id):
            if employee.person_idx not in seen:
                seen.add(employee.person_idx)
                out.append(self.persons[employee.person_idx])
        return out

    def persons_of_tenant(self, tenant_id: int) -> list[Person]:
        return [person for person in self.persons if person.tenant_id == tenant_id]

    def person_of(self, employee: Employee) -> Person:
        return (self.unpaid_persons if employee.unpaid else self.persons)[employee.person_idx]

    def activated_pairs(self) -> list[tuple[int, int]]:
        return [(le.id, le.tenant_id) for le in self.legal_entities]
