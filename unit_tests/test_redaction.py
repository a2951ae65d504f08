"""No sensitive value in logs, traces or error sentences: Paycor's error bodies and headers quoting an SSN, a
birth date or an account number, read through the CDK's own entrypoint (its test wrapper), in-process."""

from __future__ import annotations

import json
import logging

import pytest

from airbyte_cdk.models import AirbyteMessageSerializer
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_paycor.redaction import SensitiveLogFilter, clean_exception, install, scrub

from .builders import BASE, read_stream

# The values Paycor quotes below, each in a form the connector's output must never hold.
SSN, SSN_DIGITS, BIRTH_DATE, ACCOUNT = "123-45-6789", "987654321", "1984-02-29", "000123456789"
QUOTED = (SSN, SSN_DIGITS, BIRTH_DATE, ACCOUNT)
BODY = {
    "Title": "Conflict",
    "Detail": f"employee SSN {SSN} is held by another person",
    "CorrelationId": "3f2a9c1e-7b4d-4e1a-9c2b-0a1b2c3d4e5f",
    "Source": {"spouseSsn": SSN_DIGITS, "dependentDateOfBirth": BIRTH_DATE, "checkingAccountNumber": ACCOUNT},
}
HEADERS = {"X-Paycor-Echo": f"ssn={SSN}"}


def _everything(output) -> str:
    """Every message of a run (records, logs, traces, statuses) and what it raised, as text."""
    text = [json.dumps(AirbyteMessageSerializer.dump(message)) for message in output.get_message_iterator()]
    error = output._uncaught_exception if hasattr(output, "_uncaught_exception") else None
    if error is not None:
        text += [str(error), repr(error), str(getattr(error, "internal_message", ""))]
    return "\n".join(text)


@pytest.mark.parametrize("status", [400, 409])
def test_given_error_body_and_header_quoting_sensitive_values_when_read_then_no_log_trace_or_sentence_carries_them(paycor, status):
    paycor.get(f"{BASE}/v2/legalentities/11/departments", status_code=status, json=BODY, headers=HEADERS)
    output = read_stream("departments", expecting_exception=True)
    text = _everything(output)
    assert output.errors, "the stream failed"
    assert [value for value in QUOTED if value in text] == []
    # The connector's sentence still says what Paycor answered, with the value masked.
    assert "***-**-****" in text and "correlation id 3f2a9c1e-7b4d-4e1a-9c2b-0a1b2c3d4e5f" in text


def test_given_500s_quoting_sensitive_values_then_retried_and_no_warning_carries_them(paycor):
    paycor.get(f"{BASE}/v2/legalentities/11/departments", [
        {"status_code": 500, "json": BODY, "headers": HEADERS},
        {"json": {"hasMoreResults": False, "records": [{"id": 1}]}},
    ])
    output = read_stream("departments")
    text = _everything(output)
    assert len(output.records) == 1
    assert any("answered 500 (Conflict: employee SSN ***-**-**** is held" in log.log.message for log in output.logs)
    assert [value for value in QUOTED if value in text] == []


def test_given_check_answered_by_an_error_quoting_an_ssn_then_failed_check_without_it(requests_mock):
    from airbyte_cdk.test.entrypoint_wrapper import _run_command

    from source_paycor import SourcePaycor

    from .builders import ACTIVATED_URL, TOKEN_URL, config, token_answer

    requests_mock.post(TOKEN_URL, json=token_answer())
    requests_mock.get(ACTIVATED_URL, status_code=409, json=BODY, headers=HEADERS)
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "config.json"
        path.write_text(json.dumps(config()))
        output = _run_command(SourcePaycor(), ["check", "--config", str(path)], expecting_exception=True)
    text = _everything(output)
    statuses = [message.connectionStatus for message in output.connection_status_messages]
    assert statuses and statuses[-1].status.value == "FAILED" and "***-**-****" in statuses[-1].message
    assert [value for value in QUOTED if value in text] == []


# --- the pieces ---------------------------------------------------------------------------------------------------
CDK_LINE = (
    f"'GET' request to '{BASE}/v2/legalentities/11/departments' failed with status code '409' and error message: "
    f"'employee SSN {SSN} is held'. Request (body): 'None'. Response (body): '{json.dumps(BODY)}'. "
    f"Response (headers): '{HEADERS}'."
)


def test_given_the_cdks_failed_call_text_when_scrubbed_then_bodies_and_headers_withheld_and_the_rest_masked():
    assert scrub(CDK_LINE) == (
        f"'GET' request to '{BASE}/v2/legalentities/11/departments' failed with status code '409' and error message: "
        "'employee SSN ***-**-**** is held'. (request and response bodies and headers withheld by the connector: "
        "they may hold sensitive values)"
    )


def test_given_a_traced_exception_quoting_values_when_cleaned_then_message_internal_message_and_repr_masked():
    error = clean_exception(AirbyteTracedException(internal_message=CDK_LINE, message=f"Stream x: SSN {SSN} held"))
    assert [value for value in QUOTED if value in f"{error.message} {error.internal_message} {error!r}"] == []


def test_given_log_records_with_values_in_message_traceback_and_debug_extras_when_filtered_then_masked():
    try:
        raise ValueError(f"dependent DOB {BIRTH_DATE} invalid")
    except ValueError as error:
        record = logging.LogRecord("airbyte", logging.ERROR, __file__, 1, "%s", (CDK_LINE,), (ValueError, error, error.__traceback__))
    record.body = json.dumps({"records": [{"SpouseSSN": SSN, "note": f"ssn {SSN_DIGITS}"}]})
    record.url = f"{BASE}/v1/x?ssn={SSN}"
    assert SensitiveLogFilter().filter(record)
    shown = logging.Formatter().format(record) + record.body + record.url
    assert [value for value in QUOTED if value in shown] == []
    assert json.loads(record.body) == {"records": [{"SpouseSSN": None, "note": "ssn ****"}]}


def test_given_install_twice_then_one_filter_per_handler():
    handler = logging.StreamHandler()
    logging.getLogger().addHandler(handler)
    try:
        install()
        install()
        assert sum(isinstance(f, SensitiveLogFilter) for f in handler.filters) == 1
    finally:
        logging.getLogger().removeHandler(handler)
