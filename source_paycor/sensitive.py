"""What is sensitive: the one policy for field names and values (SSNs, birth dates, tax ids, identity
documents, bank account and routing numbers), used for records, `--debug` bodies, logs and error sentences.

Declared fields follow the schemas: `scripts/generate_schemas.py` marks a declared field `"airbyte_sensitive":
true` when it is on the reviewed list `DECLARED_SENSITIVE`; the declared names the name policy flags but that
hold no personal value are reviewed in `DECLARED_NOT_SENSITIVE` (a general-ledger `accountNumber`, the employer's
`legalEntityTaxId`, Paycor's masked numbers), and `unit_tests/test_sensitive.py` fails when a schema declares a
flagged name that is on neither list.

Everything else — fields no document declares, Paycor's error text, log lines — goes through a policy that holds
for spellings nobody listed:
- `is_sensitive_name`: a name split into words in any casing (`spouseSSN`, `SpouseSsn`, `spouse_ssn`,
  `spousessn`) is sensitive when its words or its letters say ssn, social security, tax id / tin / ein, dob, date
  of birth, birth(day), passport, alien, driver licen[cs]e, visa / I-94 / USCIS / document numbers, or an account
  or routing number (any prefix: `checkingAccountNumber`, `acctNo`), a bank account, an IBAN. Not: a name ending
  in a word that says what kind of value it is (`routingNumberType`, `ssnStatus`), Paycor's `masked…` numbers,
  words that merely contain the letters (`setting`, `tinyint`, `business`).
- `mask_value`: an undeclared string holding an SSN (`ddd-dd-dddd`), 9 digits under a name about a person's
  identity, or 8–17 digits under a name about an account, is masked (`***-**-****`, `****`), and so is a value
  in free text that follows a sensitive name (`"note": "spouse ssn 123456789"`).
- `mask_text`: free text (an error body, a log line) with SSN shapes and digit runs of 9 or more masked, and any
  value following a sensitive name (`date of birth 1980-01-02`, `"dependentDob": "1980-01-02"`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Mapping, Optional, Tuple

# The schema keyword that marks a declared field sensitive (written by scripts/generate_schemas.py).
MARK = "airbyte_sensitive"

# --- declared fields: the reviewed list ---------------------------------------------------------------------
# Declared fields whose values are a person's sensitive data: marked in the schemas, nulled unless
# `include_sensitive_data`.
DECLARED_SENSITIVE = frozenset(
    {
        "socialSecurityNumber",  # persons, identifying data, retirement data
        "ssn",
        "birthDate",  # persons' demographicData, identifying data
        "unmaskedAccountNumber",  # direct deposits, HSA accounts
        "routingNumber",  # direct deposits, HSA accounts
        "employeeAccountNumber",  # HSA accounts
        "documentNumber",  # I-9 documents
        "listASecondDocumentNumber",
        "listAThirdDocumentNumber",
        "foreignPassportNumber",
        "alienAdmissionNumber",
        "alienRegistrationNumber",
        "uscisNumber",
        "i94Number",
        "passportNumber",
        "visaNumber",
        "driversLicenseNumber",
        "driverLicenseNumber",
        "alienAdmissionExpirationDate",  # I-9 verifications
        "applicableBirthyear",  # employee taxes: the employee's birth year
    }
)
# Declared fields the name policy flags that hold no personal value, each with the reason it is kept.
DECLARED_NOT_SENSITIVE: Mapping[str, str] = {
    "accountNumber": "a general-ledger account (ledger and job-costing rows: part of their row keys), not a bank one",
    "maskedAccountNumber": "Paycor's masked account number (last digits only)",
    "legalEntityTaxId": "the id of a legal entity tax in Paycor's system (employee taxes, tax codes), not a person's",
    "nonResidentAlien": "a tax status (whether the employee is a non-resident alien), not a document number",
}

# --- the name policy ----------------------------------------------------------------------------------------
# Words of a name: acronyms (`SSN` in `spouseSSNLast4`), capitalised and lower-case words, digit runs.
_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")
# Whole words that are sensitive on their own.
_SENSITIVE_WORDS = frozenset(
    {"ssn", "ssns", "sin", "tin", "itin", "ein", "fein", "dob", "dobs", "iban", "aba", "uscis", "passport", "alien"}
)
# Words beginning so (`birthday`, `passports`, `aliens`).
_SENSITIVE_WORD_STARTS = ("birth", "passport", "alien", "socialsecurity")
# Letters of the whole name (lower-cased, separators removed) that say it, wherever they stand.
_SENSITIVE_LETTERS = (
    "socialsecurity",
    "dateofbirth",
    "birthdate",
    "birthday",
    "taxid",
    "taxpayerid",
    "taxidentification",
    "taxnumber",
    "passport",
    "alienregistration",
    "alienadmission",
    "aliennumber",
    "driverlicen",
    "driverslicen",
    "visanumber",
    "i94",
    "greencard",
    "nationalid",
    "documentnumber",
    "bankaccount",
    "checkingaccount",
    "savingsaccount",
    "depositaccount",
    "accountnumber",
    "accountnum",
    "accountno",
    "acctnumber",
    "acctnum",
    "acctno",
    "routingnumber",
    "routingnum",
    "routingno",
    "abanumber",
)
# A single lower-case word ending or starting so (`spousessn`, `dependentdob`, `ssnlast4`).
_SENSITIVE_ENDS = ("ssn", "dob", "routing", "iban")
_SENSITIVE_STARTS = ("ssn", "dob")
# Last words that say the value is a kind, a state or a count, not the number itself (`routingNumberType`).
_NEUTRAL_TAILS = frozenset(
    {
        "type",
        "types",
        "kind",
        "status",
        "format",
        "category",
        "description",
        "desc",
        "label",
        "count",
        "required",
        "verified",
        "provided",
        "flag",
        "indicator",
        "masked",
        "mask",
        "length",
    }
)
# Paycor's masked numbers (`maskedAccountNumber`).
_MASKED_PREFIXES = ("masked",)


def words(name: str) -> Tuple[str, ...]:
    """The words of a field name, lower-cased: `spouseSSNLast4` → ("spouse", "ssn", "last", "4")."""
    return tuple(word.lower() for word in _WORDS.findall(name))


def squash(name: str) -> str:
    return "".join(words(name))


@lru_cache(maxsize=8192)
def is_sensitive_name(name: str) -> bool:
    """Whether a field of this name (any casing, any prefix) holds a sensitive value; see the module's doc."""
    parts = words(name)
    if not parts:
        return False
    flat = "".join(parts)
    if parts[-1] in _NEUTRAL_TAILS or flat.endswith(("type", "status")):
        return False
    if flat.startswith(_MASKED_PREFIXES) or "masked" in parts:
        return False
    if any(part in _SENSITIVE_WORDS or part.startswith(_SENSITIVE_WORD_STARTS) for part in parts):
        return True
    if any(letters in flat for letters in _SENSITIVE_LETTERS):
        return True
    return any(
        len(part) > 3 and (part.endswith(_SENSITIVE_ENDS) or part.startswith(_SENSITIVE_STARTS))
        for part in parts
        if part.isalpha()
    )


def is_marked(schema: Any) -> bool:
    """Whether a declared field's schema marks it sensitive."""
    return isinstance(schema, Mapping) and schema.get(MARK) is True


# --- the value policy ---------------------------------------------------------------------------------------
SSN_MASK = "***-**-****"
MASK = "****"
_SSN_SHAPE = re.compile(r"(?<![\w-])\d{3}([- ])\d{2}\1\d{4}(?![\w-])")
_NINE_DIGITS = re.compile(r"\d{9}")
_ACCOUNT_DIGITS = re.compile(r"\d{8,17}")
# Words of names about a person's identity (9 digits under them are an SSN) and about an account.
_IDENTITY_WORDS = frozenset(
    {
        "social",
        "security",
        "national",
        "identity",
        "identification",
        "identifier",
        "government",
        "federal",
        "personal",
        "spouse",
        "dependent",
        "child",
        "beneficiary",
        "member",
        "person",
        "tax",
    }
)
_ACCOUNT_WORDS = frozenset({"account", "accounts", "acct", "deposit", "bank", "iban", "card", "checking", "savings"})


def mask_value(name: str, value: Any) -> Any:
    """An undeclared value with what is shaped like an SSN or a full account number masked; the value itself
    when nothing is (compare with `is`)."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return value
    text = str(value)
    digits = text.replace("-", "").replace(" ", "")
    if digits.isdigit():
        parts = set(words(name))
        if len(digits) == 9 and parts & _IDENTITY_WORDS:
            return SSN_MASK
        if _ACCOUNT_DIGITS.fullmatch(digits) and parts & _ACCOUNT_WORDS:
            return MASK
    if isinstance(value, str) and (" " in value or _SSN_SHAPE.search(value)):
        # Free text (a note, a comment): SSN shapes, and values that follow a sensitive name (`ssn 123456789`).
        masked = mask_text(value, digit_runs=False)
        return value if masked == value else masked
    return value


# --- free text ----------------------------------------------------------------------------------------------
_LONG_DIGITS = re.compile(r"(?<![\w-])\d{9,19}(?![\w-])")
# A value-like piece of text: with a digit, at least 4 characters (a date, a passport or licence number).
_CANDIDATE = re.compile(r"(?<![\w*])[A-Za-z]{0,3}\d[\w/.\-]{2,}(?<![.\-/])")
_NAME_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
# Text that ends what a name can refer to (a sentence, an item of a list or of an object).
_BOUNDARY = re.compile(r"[,;{}\]()|\n]|\. ")
_WINDOW = 60


def _names_sensitive(window: str) -> bool:
    """Whether the words before a value name a sensitive field, alone or run together (`date of birth`)."""
    names = _NAME_WORD.findall(window)[-4:]
    for start in range(len(names)):
        for end in range(start + 1, len(names) + 1):
            if is_sensitive_name("_".join(names[start:end])):
                return True
    return False


def mask_text(text: str, digit_runs: bool = True) -> str:
    """Free text with SSN shapes, digit runs of 9 or more (unless `digit_runs` is false) and every value that
    follows a sensitive name masked."""
    if not text:
        return text
    text = _SSN_SHAPE.sub(SSN_MASK, text)
    if digit_runs:
        text = _LONG_DIGITS.sub(MASK, text)
    pieces = []
    last = 0
    for match in _CANDIDATE.finditer(text):
        window = text[max(last, match.start() - _WINDOW) : match.start()]
        cuts = [boundary.end() for boundary in _BOUNDARY.finditer(window)]
        if cuts:
            window = window[cuts[-1] :]
        if _names_sensitive(window):
            pieces.append(text[last : match.start()])
            pieces.append(MASK)
            last = match.end()
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)


def redacted(value: Any, name: Optional[str] = None) -> Any:
    """A copy of a JSON value with every sensitive field nulled and values shaped like an SSN or an account
    number masked, keys as they came (for `--debug` bodies)."""
    if isinstance(value, dict):
        return {
            key: None
            if isinstance(key, str) and is_sensitive_name(key) and item is not None and not isinstance(item, bool)
            else redacted(item, key if isinstance(key, str) else None)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [redacted(item, name) for item in value]
    value = mask_value(name or "", value)
    return mask_text(value) if isinstance(value, str) else value
