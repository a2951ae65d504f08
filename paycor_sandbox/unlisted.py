"""Sensitive values under names no Paycor document declares, and error bodies quoting them.

Paycor's live answers carry fields its documents do not declare; some hold a spouse's SSN, a dependent's birth
date, a checking-account number. This module makes such fields up at random from the patterns of those names
(ssn, social security, tax id / tin, dob, date of birth, birth(day), passport, alien, driver licen[cs]e,
account / routing numbers with a prefix, bank account) — on purpose without looking at any client's list — and
values of their kind, and writes them into records at depth 1 to 3 (in objects and in lists), in camelCase or
PascalCase. It also writes Paycor error bodies whose words quote such values.

Everything is drawn from `random.Random` seeded by the caller, so an answer is the same on every call.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

# kind -> the cores of its names, as words (joined in the drawn casing).
CORES = {
    "ssn": (("ssn",), ("social", "security", "number"), ("social", "security", "no"), ("social", "security")),
    "tax_id": (("tax", "id"), ("tin",), ("tax", "id", "number"), ("taxpayer", "id"), ("tax", "identification", "number")),
    "birth_date": (("dob",), ("date", "of", "birth"), ("birth", "date"), ("birthday",)),
    "passport": (("passport", "number"), ("passport", "no"), ("passport",)),
    "alien": (("alien", "number"), ("alien", "registration", "number"), ("alien", "id")),
    "driver_license": (("driver", "license", "number"), ("drivers", "licence", "number"), ("driver", "license"),
                       ("drivers", "licence")),
    "account": (("account", "number"), ("acct", "number"), ("account", "no"), ("bank", "account"),
                ("bank", "account", "number")),
    "routing": (("routing", "number"), ("routing", "no"), ("aba", "routing", "number")),
}
PREFIXES = ((), ("spouse",), ("dependent",), ("child",), ("beneficiary",), ("primary",), ("secondary",),
            ("checking",), ("savings",), ("federal",), ("emergency", "contact"), ("former",), ("payee",),
            ("deposit",))
SUFFIXES = ((), ("full",), ("value",), ("unmasked",), ("2",), ("raw",))
# Undeclared objects (and lists of objects) the values sit in at depth 2 and 3; no sensitive word in them.
CONTAINERS = (("family",), ("household",), ("emergency", "contacts"), ("beneficiaries",), ("benefits", "enrollment"),
              ("payroll", "profile"), ("prior", "employment"), ("onboarding", "form"), ("dependents",))
CASINGS = ("camel", "pascal")


def spell(words: tuple, casing: str) -> str:
    head, *rest = words
    first = head if casing == "camel" else head[:1].upper() + head[1:]
    return first + "".join(word[:1].upper() + word[1:] for word in rest)


def container_names() -> frozenset:
    """Every spelling of the containers (to leave them out when comparing records)."""
    return frozenset(spell(words, casing) for words in CONTAINERS for casing in CASINGS)


def value_of(kind: str, rng: random.Random) -> str:
    """A value of `kind`, as Paycor's people type them."""
    digits = lambda n: "".join(str(rng.randrange(10)) for _ in range(n))  # noqa: E731
    if kind == "ssn":
        return rng.choice((f"{rng.randrange(100, 900)}-{digits(2)}-{digits(4)}", str(rng.randrange(100_000_000, 900_000_000))))
    if kind == "tax_id":
        return rng.choice((f"{rng.randrange(10, 99)}-{digits(7)}", str(rng.randrange(100_000_000, 900_000_000))))
    if kind == "birth_date":
        # 1931–1938: before every birth and hire date of the company, so the value is this injection's alone.
        year, month, day = rng.randrange(1931, 1939), rng.randrange(1, 13), rng.randrange(1, 29)
        return rng.choice((f"{year}-{month:02d}-{day:02d}", f"{month:02d}/{day:02d}/{year}"))
    if kind == "passport":
        return rng.choice("CEFGHJKLMNPRX") + digits(8)
    if kind == "alien":
        return "A" + str(rng.randrange(100_000_000, 999_999_999))
    if kind == "driver_license":
        return rng.choice("BDFHKMSTWY") + digits(7) + rng.choice(("", digits(4)))
    if kind == "account":
        return "0" + digits(rng.randrange(9, 16))
    return rng.choice(("0", "1", "2")) + digits(8)  # routing


@dataclass(frozen=True)
class Injection:
    """One value written into an answer: its kind, the path of keys to it (`[]` for a list item), the value."""
    kind: str
    path: str
    name: str
    value: str


def inject(record: dict, rng: random.Random) -> tuple:
    """`record` with 1 to 3 sensitive values under made-up names at depth 1–3, and the `Injection`s."""
    out = dict(record)
    casing = rng.choice(CASINGS)
    made = []
    for _ in range(rng.randrange(1, 4)):
        kind = rng.choice(sorted(CORES))
        name = spell(rng.choice(PREFIXES) + rng.choice(CORES[kind]) + rng.choice(SUFFIXES), casing)
        value = value_of(kind, rng)
        depth = rng.randrange(1, 4)
        target, path = out, []
        for level in range(1, depth):
            container = spell(rng.choice(CONTAINERS), casing)
            in_list = level == depth - 1 and rng.random() < 0.5
            existing = target.get(container)
            if in_list:
                items = [dict(item) for item in existing] if isinstance(existing, list) and existing else [{}]
                target[container] = items
                target, path = items[0], path + [container, "[]"]
            else:
                inner = dict(existing) if isinstance(existing, dict) else {}
                target[container] = inner
                target, path = inner, path + [container]
        if name.lower() in {key.lower() for key in target}:  # never a second spelling of a field already there
            continue
        target[name] = value
        made.append(Injection(kind, ".".join(path + [name]).replace(".[]", "[]"), name, value))
    return out, made


QUOTES = (
    "employee {label} {value} is held by another person",
    "The {name} {value} does not match the employee's records.",
    "Validation failed: {name}={value}",
    "{label} '{value}' is already on file for a different employee",
)
LABELS = {"ssn": "SSN", "tax_id": "tax id", "birth_date": "date of birth", "passport": "passport",
          "alien": "alien number", "driver_license": "driver license", "account": "account number",
          "routing": "routing number"}


def quoting_detail(rng: random.Random) -> tuple:
    """A Paycor error detail quoting a sensitive value (and a `Source` naming it), and the `Injection`."""
    kind = rng.choice(sorted(CORES))
    name = spell(rng.choice(PREFIXES) + rng.choice(CORES[kind]), rng.choice(CASINGS))
    value = value_of(kind, rng)
    detail = rng.choice(QUOTES).format(label=LABELS[kind], value=value, name=name)
    return detail, {name: value}, Injection(kind, f"error:{name}", name, value)
