"""Names of report streams and of their columns, from Report Builder's display names.

- A stream is `report_` + the template's display name in snake_case (`Employee Pay Rates` →
  `report_employee_pay_rates`). Templates sharing a name all take the first 8 characters of their template
  id as a suffix, whatever order Paycor lists them in; a name pinned in `report_templates` wins.
- A column is the header's display name in camelCase, like the other streams' fields (`Pay Rate` →
  `payRate`, `SSN` → `ssn`); a name met again in the same report takes its position among equals as a
  suffix (`phone`, `phone2`), as do the fields the connector adds (`legalEntityId`, `templateId`).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

STREAM_PREFIX = "report_"
# Fields added to every report record: a column whose name would be one of them takes a suffix.
ADDED_FIELDS = ("legalEntityId", "templateId")
_WORDS = re.compile(r"[A-Za-z0-9]+")


def snake(text: str) -> str:
    return "_".join(word.lower() for word in _WORDS.findall(text or ""))


def camel(text: str) -> str:
    """`Pay Rate (USD)` → `payRateUsd`; a word in capitals is one word (`SSN` → `ssn`, `Employee ID` → `employeeId`)."""
    words = _WORDS.findall(text or "")
    out = []
    for position, word in enumerate(words):
        whole = word.lower() if word.isupper() or word.isdigit() else word
        out.append(whole[:1].lower() + whole[1:] if position == 0 else whole[:1].upper() + whole[1:])
    return "".join(out)


def column_names(display_names: Sequence[Optional[str]]) -> List[str]:
    """One distinct name per header, in header order; stable while the report's columns keep their order."""
    taken = set(ADDED_FIELDS)
    seen: Counter = Counter()
    names = []
    for position, display in enumerate(display_names, start=1):
        base = camel(display or "") or f"column{position}"
        seen[base] += 1
        name = base if seen[base] == 1 and base not in taken else f"{base}{seen[base] + (base in ADDED_FIELDS)}"
        while name in taken:
            seen[base] += 1
            name = f"{base}{seen[base]}"
        taken.add(name)
        names.append(name)
    return names


def stream_names(templates: Iterable[Tuple[str, str]], pinned: Mapping[str, str]) -> Dict[str, str]:
    """Template id → stream name, for (template id, display name) pairs; `pinned` maps template ids to names."""
    pairs = list(templates)
    bases = {template_id: STREAM_PREFIX + (snake(display) or "template") for template_id, display in pairs}
    counts = Counter(base for template_id, base in bases.items() if template_id not in pinned)
    taken = set(pinned.values())
    names: Dict[str, str] = {}
    for template_id, _ in pairs:
        if template_id in pinned:
            names[template_id] = pinned[template_id]
            continue
        base = bases[template_id]
        shared = counts[base] > 1 or base in taken
        names[template_id] = f"{base}_{snake(template_id)[:8]}" if shared else base
    return names
