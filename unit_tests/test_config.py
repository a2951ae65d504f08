"""Config validation: each mistake ends in one sentence that names the field."""

from __future__ import annotations

import json

import pytest

from airbyte_cdk.models import Status

from source_paycor.run import run
from source_paycor.config import ConfigError, parse_config

from .builders import BASE, config


def _credentials(**changes):
    cfg = config()
    cfg["credentials"].update(changes)
    return cfg


BAD_CONFIGS = [
    (config(subscription_key=""), "`subscription_key` is empty"),
    (config(subscription_key="   "), "`subscription_key` is empty"),
    (config(subscription_key=123), "`subscription_key` must be text"),
    ({k: v for k, v in config().items() if k != "subscription_key"}, "`subscription_key` is empty"),
    ({k: v for k, v in config().items() if k != "credentials"}, "`credentials` is missing"),
    (config(credentials="abc"), "`credentials` is missing"),
    (_credentials(client_id=""), "`credentials.client_id` is empty"),
    (_credentials(client_secret=None), "`credentials.client_secret` is empty"),
    (_credentials(refresh_token="\n"), "`credentials.refresh_token` is empty"),
    (_credentials(refresh_token=42), "`credentials.refresh_token` must be text"),
    (_credentials(auth_type="api_key"), "`credentials.auth_type` must be `oauth2.0`"),
    (_credentials(token_expiry_date="yesterday-ish"), "`credentials.token_expiry_date` is not a date-time"),
    (_credentials(access_token=5), "`credentials.access_token` is managed by the connector"),
    (config(base_url="http://apis.paycor.com"), "`base_url` must use https://"),
    (config(base_url="http://10.0.0.5:8080"), "`base_url` must use https://"),
    (config(base_url="ftp://apis.paycor.com"), "`base_url` is not a valid URL"),
    (config(base_url="apis.paycor.com"), "`base_url` is not a valid URL"),
    (config(base_url="https://apis.paycor.com:notaport"), "`base_url` is not a valid URL"),
    (config(base_url="https://user:pw@apis.paycor.com"), "`base_url` must be just the API host"),
    (config(base_url=7), "`base_url` must be a URL"),
    (config(legal_entity_ids="501123"), "`legal_entity_ids` must be a list"),
    (config(legal_entity_ids=[501123, "abc"]), "`legal_entity_ids` holds 'abc'"),
    (config(legal_entity_ids=[1.5]), "`legal_entity_ids` holds 1.5"),
    (config(legal_entity_ids=[-4]), "`legal_entity_ids` holds -4"),
    (config(legal_entity_ids=[True]), "`legal_entity_ids` holds True"),
    (config(legal_entity_ids=[99999999999]), "`legal_entity_ids` holds 99999999999"),
    (config(start_date="2025-13-01"), "`start_date` holds '2025-13-01'"),
    (config(start_date="01/02/2025"), "`start_date` holds '01/02/2025'"),
    (config(start_date=20250101), "`start_date` must be a date"),
    (config(start_date="2999-01-01"), "`start_date` (2999-01-01) is in the future"),
    (config(skip_employees_terminated_before="2024-02-30"), "`skip_employees_terminated_before` holds '2024-02-30', which is not a date written YYYY-MM-DD, such as 2025-01-01."),
    (config(skip_employees_terminated_before="2999-01-01"), "`skip_employees_terminated_before` (2999-01-01) is in the future"),
    (config(scope=12), "`scope` must be text"),
    ({k: v for k, v in config().items() if k != "scope"}, "The field `scope` is empty — enter the scope key of your application"),
    (config(scope="  "), "`scope` is empty"),
    (config(environment="staging"), "The field `environment` holds 'staging' — choose Production or Sandbox"),
    (config(environment=1), "`environment` holds 1"),
    (config(environment="Sandbox", base_url="https://apis.paycor.com"), "`base_url` (https://apis.paycor.com) is Paycor's Production host but `environment` is Sandbox — clear `base_url`"),
    (config(environment="Production", base_url="https://apis-sandbox.paycor.com/"), "is Paycor's Sandbox host but `environment` is Production"),
    (config(request_timeout_seconds=0), "`request_timeout_seconds` is 0"),
    (config(request_timeout_seconds="60"), "`request_timeout_seconds` must be a whole number"),
    ([], "The configuration must be a JSON object"),
]


@pytest.mark.parametrize("raw, expected", BAD_CONFIGS)
def test_given_bad_value_when_parsed_then_one_sentence_names_the_field(raw, expected):
    with pytest.raises(ConfigError) as error:
        parse_config(raw)
    message = error.value.message
    assert expected in message
    assert message.count(". ") == 0 and "\n" not in message, message


@pytest.mark.parametrize("raw, expected", BAD_CONFIGS[:-1])
def test_given_bad_value_when_check_then_failed_status_with_that_sentence(raw, expected, requests_mock, capsys, tmp_path):
    path = tmp_path / "config.json"
    path.write_text(json.dumps(raw))
    run(["check", "--config", str(path)])
    messages = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    statuses = [m["connectionStatus"] for m in messages if m["type"] == "CONNECTION_STATUS"]
    assert statuses and statuses[-1]["status"] == Status.FAILED.value
    assert expected in statuses[-1]["message"]
    assert requests_mock.call_count == 0


@pytest.mark.parametrize(
    "command, raw, expected",
    [
        ("discover", config(start_date="2025-02-30"), "`start_date` holds '2025-02-30'"),
        ("read", config(start_date="2025-02-30"), "`start_date` holds '2025-02-30'"),
        ("check", [1, 2], "does not hold a JSON object"),
        ("read", "not json", "does not hold a JSON object"),
    ],
)
def test_given_bad_config_when_command_then_config_error_trace_without_traceback(command, raw, expected, requests_mock, capsys, tmp_path):
    path = tmp_path / "config.json"
    path.write_text(json.dumps(raw))
    catalog = tmp_path / "catalog.json"
    catalog.write_text(json.dumps({"streams": []}))
    args = [command, "--config", str(path)] + (["--catalog", str(catalog)] if command == "read" else [])
    with pytest.raises(SystemExit) as exit_:
        run(args)
    assert exit_.value.code == 1
    out = capsys.readouterr().out
    traces = [json.loads(line)["trace"] for line in out.splitlines() if '"TRACE"' in line]
    assert [t["error"]["failure_type"] for t in traces] == ["config_error"]
    assert expected in traces[0]["error"]["message"]
    assert "Traceback" not in out and traces[0]["error"].get("stack_trace") is None
    assert requests_mock.call_count == 0


def test_given_whitespace_around_secrets_when_parsed_then_trimmed_in_place():
    raw = config(subscription_key="  key \n", base_url=" https://apis.paycor.com/ ")
    raw["credentials"]["refresh_token"] = "\ttoken\n"
    parsed = parse_config(raw)
    assert parsed.subscription_key == "key" and raw["subscription_key"] == "key"
    assert raw["credentials"]["refresh_token"] == "token"
    assert parsed.base_url == BASE


def test_given_unknown_keys_and_loopback_http_when_parsed_then_accepted():
    parsed = parse_config(config(base_url="http://127.0.0.1:8080", platform_extra={"x": 1}, legal_entity_ids=[5, "6", 5]))
    assert parsed.base_url == "http://127.0.0.1:8080"
    assert parsed.legal_entity_ids == (5, 6)
    assert parse_config(config(base_url="http://localhost:1")).base_url == "http://localhost:1"


def test_given_no_base_url_when_parsed_then_production_default():
    assert parse_config(config()).base_url == BASE
    assert parse_config(config(base_url=None)).base_url == BASE


SANDBOX = "https://apis-sandbox.paycor.com"


@pytest.mark.parametrize(
    "given, host",
    [
        ({}, BASE),  # neither: production, as before `environment` existed
        ({"environment": "Production"}, BASE),
        ({"environment": "Sandbox"}, SANDBOX),
        ({"environment": "sandbox"}, SANDBOX),  # any casing
        ({"environment": None, "base_url": ""}, BASE),  # the form's empty values
        ({"base_url": SANDBOX}, SANDBOX),  # a config written before `environment`
        ({"environment": "Sandbox", "base_url": SANDBOX}, SANDBOX),  # both, agreeing
        ({"environment": "Production", "base_url": "http://127.0.0.1:8765"}, "http://127.0.0.1:8765"),  # base_url wins
        ({"environment": "Sandbox", "base_url": "http://127.0.0.1:8765"}, "http://127.0.0.1:8765"),
    ],
)
def test_given_environment_and_base_url_when_parsed_then_the_documented_host(given, host):
    assert parse_config(config(**given)).base_url == host


def test_given_environment_only_when_parsed_then_no_base_url_written_into_the_config():
    """The config handed back after a token rotation must not pin the host: a later change of `environment` alone
    (in the form) would otherwise be overruled by a `base_url` the user never typed."""
    raw = config(environment="sandbox")
    parse_config(raw)
    assert "base_url" not in raw and raw["environment"] == "Sandbox"
