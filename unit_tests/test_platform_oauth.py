"""Airbyte's OAuth button: the spec's advanced_auth matches what the connector reads, renders Paycor's flow, and
completes it against the sandbox the way the platform does.

`Platform` below replays the platform's declarative OAuth, read from airbyte-platform's `airbyte-oauth` module
(Kotlin sources, 2025-2026):
- `declarative/DeclarativeOAuthSpecHandler.kt`: `createDefaultTemplateMap` (every key of the merged config rendered
  as text, the `*_key` defaults `code`, `client_id`, `client_secret`, `redirect_uri`, `scope`, `state`),
  `getTemplateParametersAndValues` (`<x>_param` is `name=value`, url-encoded for `redirect_uri` and `scope` only;
  `<x>_value` the bare value), `renderConfigAccessTokenParams` / `renderCompleteOAuthHeaders` (keys and values of
  `access_token_params` / `access_token_headers` rendered one by one), `processOAuthOutput` (each `extract_output`
  path read from the JSON answer, a missing one fails; `expires_in` also yields `token_expiry_date` = now +
  expires_in as `Instant.toString()`), `getConfigurableState` (`state.min`..`state.max` characters of
  `[A-Za-z0-9.-_]`), the Jinjava interpreter with the filters `codechallengeS256` and `b64encode`.
- `declarative/CodeChallengeS256Filter.kt`: base64url(SHA-256(value)) without padding (older versions: standard
  base64, hence the spec's `replace` chain, a no-op on base64url).
- `declarative/DeclarativeOAuthFlow.kt`: `getRequestContentType` (no `access_token_params`: form; params and a
  `Content-Type` header of `application/x-www-form-urlencoded`: form; `application/json` or no such header: JSON),
  `getCompleteOAuthFlowRequestHeaders` (the rendered `access_token_headers` when there are any, else the default
  `Content-Type` + `Accept: application/json`), `formatConsentUrl` / `formatAccessTokenUrl` (rendered, then
  `URIBuilder(...).build()`: the text as rendered, which must be a valid URI), `completeSourceOAuth` (the user's
  input merged with `oauth_connector_input_specification`, the code and state read from the redirect's query).
- `BaseOAuth2Flow.kt`: `getCompleteOAuthFlowHttpRequest` (a POST of the converted params to the rendered URL with
  those headers), `toUrlEncodedString` (keys as they are, values through `java.net.URLEncoder`), `toJson` (Gson),
  an answer >= 400 fails.
- `BaseOAuthFlow.kt`: `formatOAuthOutput` (only the keys of `complete_oauth_output_specification.properties` are
  kept, client id and secret from the server's OAuth parameters).
Jinjava's own `urlencode` filter (HubSpot/jinjava `UrlEncodeFilter.java`) is `URLEncoder.encode(value, "UTF-8")`:
a space becomes `+`, not jinja2's `%20`; its `or` returns the first truthy operand (`OrOperator.java`), and
`a if cond else b` parses as in Python (`ExtendedParser.expr`), so jinja2 renders the spec's expressions as Jinjava
does once `urlencode` is Jinjava's.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Dict, Optional
from urllib.parse import parse_qs, quote_plus, urlsplit

import jinja2
import pytest
import requests
import yaml

from paycor_sandbox import Sandbox
from source_paycor.run import run

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


def java_url_encode(value: str) -> str:
    """`java.net.URLEncoder.encode(value, UTF_8)`: letters, digits and `.-*_` kept, a space as `+`, the rest %XX."""
    return quote_plus(value, safe="*").replace("~", "%7E")


def jinjava() -> jinja2.Environment:
    """jinja2 with Jinjava's filters where they differ: `urlencode` (UrlEncodeFilter), `codechallengeS256` and
    `b64encode` (registered by DeclarativeOAuthSpecHandler.getInterpolator)."""
    environment = jinja2.Environment()
    environment.filters["urlencode"] = lambda value: java_url_encode("" if value is None else str(value))
    environment.filters["codechallengeS256"] = lambda value: (
        base64.urlsafe_b64encode(hashlib.sha256(str(value).encode()).digest()).rstrip(b"=").decode()
    )
    environment.filters["b64encode"] = lambda value: base64.b64encode(str(value).encode()).decode()
    return environment


# The `*_key` names and their defaults (DeclarativeOAuthSpecHandler.MANDATORY_DEFAULT_KEYS).
KEY_DEFAULTS = {"auth_code": "code", "client_id": "client_id", "client_secret": "client_secret",
                "redirect_uri": "redirect_uri", "scope": "scope", "state": "state"}
STATE_CHARACTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_"
# What java.net.URI accepts unescaped (RFC 2396/3986 characters and percent escapes): the rendered URLs must parse.
URI_TEXT = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")


def as_text(node: Any) -> str:
    """Jackson's `JsonNode.asText()`: a string as is, a number or boolean as text, an object or array as ''."""
    if isinstance(node, bool):
        return "true" if node else "false"
    if isinstance(node, (dict, list)):
        return ""
    return "" if node is None else str(node)


class Platform:
    """The platform's DeclarativeOAuthFlow for a source, replayed (citations in the module docstring)."""

    def __init__(self, spec: Dict[str, Any], form: Dict[str, Any], client_id: str, client_secret: str,
                 redirect_url: str = "https://cloud.airbyte.com/auth_flow", seed: int = 0) -> None:
        oauth = spec["advanced_auth"]["oauth_config_specification"]
        self.oauth = oauth
        # The user's input: each oauth_user_input_from_connector_config_specification field, read from the form.
        user_input = {}
        for name, field in oauth["oauth_user_input_from_connector_config_specification"]["properties"].items():
            value: Any = form
            for step in field["path_in_connector_config"]:
                value = value.get(step) if isinstance(value, dict) else None
            if value is not None:
                user_input[name] = value
        self.merged = {**user_input, **oauth["oauth_connector_input_specification"]}  # Jsons.mergeNodes
        self.client_id, self.client_secret, self.redirect_url = client_id, client_secret, redirect_url
        self.random = random.Random(seed)
        self.jinja = jinjava()

    def values(self, **known: Optional[str]) -> Dict[str, Any]:
        """createDefaultTemplateMap, the known values (client_id, client_secret, auth_code, redirect_uri, state) set
        under their names, then getTemplateParametersAndValues."""
        values: Dict[str, Any] = {f"{role}_key": as_text(self.merged.get(f"{role}_key", default)) for role, default in KEY_DEFAULTS.items()}
        for key, node in self.merged.items():
            values[key] = as_text(node)
        for role, value in known.items():
            values[values[f"{role}_key"]] = value
        for role in KEY_DEFAULTS:
            name = values[f"{role}_key"]
            value = values.get(name)
            encoded = java_url_encode(value) if role in ("redirect_uri", "scope") and value is not None else value
            values[f"{role}_param"] = f"{name}={'null' if encoded is None else encoded}"
            values[f"{role}_value"] = value
        return values

    def render(self, template: str, values: Dict[str, Any]) -> str:
        return self.jinja.from_string(template).render(**values)

    def state(self) -> str:
        bounds = self.merged.get("state") or {"min": 7, "max": 24}
        length = self.random.randint(bounds["min"], bounds["max"])
        return "".join(self.random.choice(STATE_CHARACTERS) for _ in range(length))

    def consent_url(self, state: str) -> str:
        url = self.render(self.merged["consent_url"], self.values(client_id=self.client_id, redirect_uri=self.redirect_url, state=state))
        assert URI_TEXT.fullmatch(url), f"URIBuilder would refuse the consent URL: {url!r}"
        return url

    def token_request(self, code: str, state: str) -> requests.PreparedRequest:
        values = self.values(client_id=self.client_id, client_secret=self.client_secret, auth_code=code,
                             redirect_uri=self.redirect_url, state=state)
        url = self.render(self.merged["access_token_url"], values)
        assert URI_TEXT.fullmatch(url), f"URIBuilder would refuse the token URL: {url!r}"
        params = {self.render(k, values): self.render(str(v), values) for k, v in (self.merged.get("access_token_params") or {}).items()}
        headers = {self.render(k, values): self.render(str(v), values) for k, v in (self.merged.get("access_token_headers") or {}).items()}
        content_type = headers.get("Content-Type")
        form = "access_token_params" not in self.merged or content_type == "application/x-www-form-urlencoded"
        if not headers:
            headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}
        if form:
            body = "&".join(f"{key}={java_url_encode(value)}" for key, value in params.items())
        else:
            body = json.dumps(params, separators=(",", ":"))
        return requests.Request("POST", url, data=body.encode(), headers=headers).prepare()

    def complete(self, redirect_query: Dict[str, str], now: datetime) -> Dict[str, Any]:
        """completeSourceOAuth: the code and state from the redirect, the token call, the outputs kept."""
        code, state = redirect_query[self.values()["auth_code_key"]], redirect_query[self.values()["state_key"]]
        response = requests.Session().send(self.token_request(code, state), timeout=30)
        if response.status_code >= 400:
            raise IOError(f"Token endpoint returned HTTP {response.status_code}: {response.text}")
        answer = response.json()
        output: Dict[str, Any] = {}
        for path in self.merged.get("extract_output") or ["refresh_token"]:
            assert path in answer, f"Missing '{path}' field in the OAuth output"
            value = as_text(answer[path])
            if path == self.merged.get("token_expiry_key", "expires_in"):
                output["token_expiry_date"] = (now + timedelta(seconds=int(value))).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            output[path] = value
        kept = self.oauth["complete_oauth_output_specification"]["properties"]
        return {key: value for key, value in output.items() if key in kept}

    def config_with(self, form: Dict[str, Any], output: Dict[str, Any]) -> Dict[str, Any]:
        """The form's config with every output and the server's client id and secret at their connector paths."""
        config = json.loads(json.dumps(form))
        server = {"client_id": self.client_id, "client_secret": self.client_secret}
        for key, value in {**server, **output}.items():
            spec_key = "complete_oauth_server_output_specification" if key in server else "complete_oauth_output_specification"
            *parents, leaf = self.oauth[spec_key]["properties"][key]["path_in_connector_config"]
            node = config
            for parent in parents:
                node = node.setdefault(parent, {})
            node[leaf] = value
        return config


FORM = {"subscription_key": "fedcba9876543210fedcba9876543210", "scope": "0123456789abcdef0123456789abcdef"}


def consent_query(url: str) -> Dict[str, list]:
    return parse_qs(urlsplit(url).query)


@pytest.mark.parametrize(
    "given, page, token_url",
    [
        ({}, PRODUCTION_AUTHORIZE_URL, "https://apis.paycor.com"),
        ({"environment": "Production"}, PRODUCTION_AUTHORIZE_URL, "https://apis.paycor.com"),
        ({"environment": "Sandbox"}, SANDBOX_AUTHORIZE_URL, "https://apis-sandbox.paycor.com"),
        ({"base_url": "https://apis-sandbox.paycor.com"}, SANDBOX_AUTHORIZE_URL, "https://apis-sandbox.paycor.com"),
        ({"environment": "Sandbox", "base_url": "http://127.0.0.1:8765"}, "http://127.0.0.1:8765/AppActivation/Authorize", "http://127.0.0.1:8765"),
    ],
)
def test_given_the_form_when_the_platform_renders_then_paycors_activation_page_and_token_url_of_that_environment(given, page, token_url):
    form = {**FORM, **given}
    platform = Platform(SPEC, form, client_id="abc", client_secret="s3cret")
    state = platform.state()
    url = platform.consent_url(state)
    # the same page as `source-paycor authorize` picks for the same config
    assert url.split("?")[0] == page == authorize_url_for(parse_config(config(**form)).base_url, None)
    request = platform.token_request("the-code", state)
    assert request.url == f"{token_url}/sts/v1/common/token?subscription-key=fedcba9876543210fedcba9876543210"


def test_given_paycors_documented_consent_query_when_the_platform_renders_then_every_parameter_as_documented():
    """API_NOTES "Tokens": `client_id`, `response_type=code`, `redirect_uri`, `scope=<key>%20offline_access`,
    `subscription-key`, `state`, `code_challenge` (S256 of the verifier, base64url without padding), `code_challenge_method=S256`."""
    platform = Platform(SPEC, FORM, client_id="abc", client_secret="s3cret", redirect_url="https://cloud.airbyte.com/auth_flow?x=1 2")
    state = platform.state()
    assert 43 <= len(state) <= 128  # a PKCE verifier's length (RFC 7636), from the spec's `state`
    url = platform.consent_url(state)
    assert "&scope=0123456789abcdef0123456789abcdef%20offline_access&" in url
    query = consent_query(url)
    assert query["client_id"] == ["abc"] and query["response_type"] == ["code"]
    assert query["redirect_uri"] == ["https://cloud.airbyte.com/auth_flow?x=1 2"]
    assert query["scope"] == ["0123456789abcdef0123456789abcdef offline_access"]
    assert query["subscription-key"] == ["fedcba9876543210fedcba9876543210"]
    assert query["state"] == [state] and query["code_challenge_method"] == ["S256"]
    assert query["code_challenge"] == [base64.urlsafe_b64encode(hashlib.sha256(state.encode()).digest()).rstrip(b"=").decode()]


def test_given_the_code_when_the_platform_asks_for_tokens_then_a_form_body_paycors_token_endpoint_takes():
    """API_NOTES "Tokens": form-encoded, `grant_type=authorization_code`, `code`, `redirect_uri`, `code_verifier`,
    `client_id`, `client_secret` in the body, no Basic auth."""
    platform = Platform(SPEC, FORM, client_id="abc", client_secret="s3 cret+/", redirect_url="https://cloud.airbyte.com/auth_flow")
    request = platform.token_request("c0de/+=", "verifier-of-43-characters-abcdefghijklmnopq")
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert "Authorization" not in request.headers
    assert parse_qs(request.body.decode()) == {
        "grant_type": ["authorization_code"], "code": ["c0de/+="], "redirect_uri": ["https://cloud.airbyte.com/auth_flow"],
        "code_verifier": ["verifier-of-43-characters-abcdefghijklmnopq"], "client_id": ["abc"], "client_secret": ["s3 cret+/"],
    }


def test_given_no_form_content_type_header_when_the_platform_asks_for_tokens_then_it_would_send_json():
    """Why the spec names the Content-Type: without it the platform posts JSON (getRequestContentType)."""
    spec = json.loads(json.dumps(SPEC))
    del spec["advanced_auth"]["oauth_config_specification"]["oauth_connector_input_specification"]["access_token_headers"]
    request = Platform(spec, FORM, client_id="abc", client_secret="s").token_request("code", "state")
    assert json.loads(request.body)["grant_type"] == "authorization_code"


def _authorize_in_the_browser(url: str) -> Dict[str, str]:
    """The user consents: Paycor's (the sandbox's) activation page redirects to the platform with code and state."""
    answer = requests.get(url, allow_redirects=False, timeout=30)
    assert answer.status_code == 302, answer.text
    return {key: values[0] for key, values in parse_qs(urlsplit(answer.headers["Location"]).query).items()}


def test_given_consent_when_the_platform_completes_the_flow_against_the_sandbox_then_the_config_works_without_a_refresh(tmp_path, capsys):
    with Sandbox(employees=3, tenants=1, legal_entities=1) as sandbox:
        form = {"subscription_key": sandbox.auth.subscription_key, "scope": sandbox.auth.scope, "base_url": sandbox.base_url}
        platform = Platform(SPEC, form, client_id=sandbox.auth.client_id, client_secret=sandbox.auth.client_secret)
        state = platform.state()
        redirect = _authorize_in_the_browser(platform.consent_url(state))
        assert redirect["state"] == state
        now = datetime.now(timezone.utc)
        output = platform.complete(redirect, now)
        assert set(output) == {"access_token", "refresh_token", "token_expiry_date"}
        assert output["refresh_token"] == sandbox.valid_refresh_token
        assert datetime.fromisoformat(output["token_expiry_date"].replace("Z", "+00:00")) > now + timedelta(minutes=25)
        # the connector runs on the config the platform assembles
        connector_config = platform.config_with(form, output)
        path = tmp_path / "config.json"
        path.write_text(json.dumps(connector_config))
        run(["check", "--config", str(path)])
        statuses = [json.loads(line)["connectionStatus"] for line in capsys.readouterr().out.splitlines() if '"CONNECTION_STATUS"' in line]
        assert [status["status"] for status in statuses] == ["SUCCEEDED"]
        assert sandbox.refresh_tokens_presented == []  # the first access token served, until it expires


def test_given_json_body_when_the_sandbox_token_endpoint_is_asked_then_refused_as_paycor_would():
    """The other branch of getRequestContentType, against the sandbox: a JSON body is no grant Paycor reads."""
    spec = json.loads(json.dumps(SPEC))
    del spec["advanced_auth"]["oauth_config_specification"]["oauth_connector_input_specification"]["access_token_headers"]
    with Sandbox(employees=3, tenants=1, legal_entities=1) as sandbox:
        form = {"subscription_key": sandbox.auth.subscription_key, "scope": sandbox.auth.scope, "base_url": sandbox.base_url}
        platform = Platform(spec, form, client_id=sandbox.auth.client_id, client_secret=sandbox.auth.client_secret)
        state = platform.state()
        redirect = _authorize_in_the_browser(platform.consent_url(state))
        with pytest.raises(IOError, match="HTTP 400"):
            platform.complete(redirect, datetime.now(timezone.utc))


def test_authorize_command_picks_paycors_activation_page_for_the_base_url():
    assert authorize_url_for("https://apis.paycor.com", None) == PRODUCTION_AUTHORIZE_URL
    assert authorize_url_for("https://apis-sandbox.paycor.com", None) == SANDBOX_AUTHORIZE_URL
    assert authorize_url_for("http://127.0.0.1:8765", None) == "http://127.0.0.1:8765/AppActivation/Authorize"
    assert authorize_url_for("https://apis.paycor.com", "https://example.test/a") == "https://example.test/a"
