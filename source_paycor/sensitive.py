"""The one list of sensitive field names, enforced by name on every record of every stream.

With `include_sensitive_data` off, a field whose name is on this list is nulled wherever it occurs, at
any depth, declared or not, whether or not the connector asked Paycor for it (Paycor sends some of them
unasked). The schema keeps the column. Names are compared without case, `_`, `-` or spaces, so
`SocialSecurityNumber`, `social_security_number` and `SSN` all match.

A name matches when it equals one of `EXACT` or ends with one of `SUFFIXES` (`dependentBirthDate`,
`listASecondDocumentNumber`). `accountNumber` alone is not on the list: Paycor uses it for general-ledger
accounts; bank accounts come as `unmaskedAccountNumber` (and `maskedAccountNumber`, which is safe).
`legalEntityTaxId` is the employer's federal id, not a person's, and is kept.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

# Whole names (after `squash`).
EXACT = frozenset(
    {
        "ssn",
        "dob",
        "sin",
        "taxid",
        "taxpayerid",
        "tin",
        "itin",
        "bankaccountnumber",
        "employeeaccountnumber",
        "dateofbirth",
    }
)
# Endings (after `squash`): any field named like these, with any prefix.
SUFFIXES = (
    "socialsecuritynumber",
    "socialsecuritynum",
    "birthdate",
    "unmaskedaccountnumber",
    "routingnumber",
    "abanumber",
    "documentnumber",
    "passportnumber",
    "alienadmissionnumber",
    "alienregistrationnumber",
    "aliennumber",
    "uscisnumber",
    "i94number",
    "driverslicensenumber",
    "driverlicensenumber",
    "visanumber",
)


def squash(name: str) -> str:
    return name.replace("_", "").replace("-", "").replace(" ", "").lower()


@lru_cache(maxsize=4096)
def is_sensitive(name: str) -> bool:
    """Whether a field of this name holds a sensitive value (SSN, birth date, bank, identity documents)."""
    flat = squash(name)
    return flat in EXACT or flat.endswith(SUFFIXES)


def redacted(value: Any) -> Any:
    """A copy of a JSON value with every sensitive field nulled, keys as they came (for debug output)."""
    if isinstance(value, dict):
        return {
            key: None if isinstance(key, str) and is_sensitive(key) and item is not None else redacted(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [redacted(item) for item in value]
    return value
