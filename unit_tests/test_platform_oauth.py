"""Airbyte's OAuth button: the spec's advanced_auth matches what the connector reads, and renders Paycor's flow."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import jinja2
import yaml

from source_paycor.auth import PaycorAuthenticator
from source_paycor.authorize import PRODUCTION_AUTHORIZE_URL, SANDBOX_AUTHORIZE_URL, authorize_url_for
from source_paycor.config import parse_config

from .builders import config

SPEC = yaml.safe_load((Path(__file__).resolve().parent.parent / "source_paycor" / "spec.yaml").read_text())
OAUTH = SPEC["advanced_auth"]["oauth_config_specification"]


def test_output_paths_are_exactly_the_paths_the_authenticator_reads_and_writes():
    raw = config()
    auth = PaycorAuthenticator(raw, parse_config(raw))
    outputs = {key: tuple(value["path_in_connector_config"]) for key, value in OAUTH["complete_oauth_output_specification"]["properties"].items()}
    assert outputs == {
        "access_token": tuple(auth._access_token_config_path),
        "refresh_token": tuple(auth._refresh_token_config_path),
        "token_expiry_date": tuple(auth._token_expiry_date_config_path),
    }
    server = {key: tuple(value["path_in_connector_config"]) for key, value in OAUTH["complete_oauth_server_output_specification"]["properties"].items()}
    assert server == {"client_id": ("credentials", "client_id"), "client_secret": ("credentials", "client_secret")}
    assert SPEC["advanced_auth"]["predicate_key"] == ["credentials", "auth_type"]
    assert SPEC["advanced_auth"]["predicate_value"] == SPEC["connectionSpecification"]["properties"]["credentials"]["properties"]["auth_type"]["const"]
    inputs = {key: value["path_in_connector_config"] for key, value in OAUTH["oauth_user_input_from_connector_config_specification"]["properties"].items()}
    for path in inputs.values():
        assert path[0] in SPEC["connectionSpecification"]["properties"]


def render(template: str, **values) -> str:
    environment = jinja2.Environment()
    environment.filters["codechallengeS256"] = lambda value: base64.b64encode(hashlib.sha256(value.encode()).digest()).decode()
    return environment.from_string(template).render(**values)


def test_consent_url_renders_paycors_activation_request_with_pkce():
    verifier = "v" * 64
    values = dict(
        client_id_param="client_id=abc",
        redirect_uri_param="redirect_uri=https%3A%2F%2Fcloud.airbyte.com%2Fauth_flow",
        state_param=f"state={verifier}",
        state_value=verifier,
        scope="0123456789abcdef0123456789abcdef",
        subscription_key="fedcba9876543210fedcba9876543210",
        base_url="https://apis.paycor.com",
    )
    url = render(OAUTH["oauth_connector_input_specification"]["consent_url"], **values)
    assert url.startswith(PRODUCTION_AUTHORIZE_URL + "?")
    query = parse_qs(urlsplit(url).query)
    assert query["scope"] == ["0123456789abcdef0123456789abcdef offline_access"]
    assert query["subscription-key"] == ["fedcba9876543210fedcba9876543210"]
    assert query["response_type"] == ["code"] and query["code_challenge_method"] == ["S256"]
    assert query["code_challenge"] == [base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()]
    sandbox = render(OAUTH["oauth_connector_input_specification"]["consent_url"], **{**values, "base_url": "https://apis-sandbox.paycor.com"})
    assert sandbox.startswith(SANDBOX_AUTHORIZE_URL + "?")
    token_url = render(OAUTH["oauth_connector_input_specification"]["access_token_url"], **values)
    assert token_url == "https://apis.paycor.com/sts/v1/common/token?subscription-key=fedcba9876543210fedcba9876543210"
    params = OAUTH["oauth_connector_input_specification"]["access_token_params"]
    assert params["grant_type"] == "authorization_code" and params["code_verifier"] == "{{ state_value }}"


def test_authorize_command_picks_paycors_activation_page_for_the_base_url():
    assert authorize_url_for("https://apis.paycor.com", None) == PRODUCTION_AUTHORIZE_URL
    assert authorize_url_for("https://apis-sandbox.paycor.com", None) == SANDBOX_AUTHORIZE_URL
    assert authorize_url_for("http://127.0.0.1:8765", None) == "http://127.0.0.1:8765/AppActivation/Authorize"
    assert authorize_url_for("https://apis.paycor.com", "https://example.test/a") == "https://example.test/a"
