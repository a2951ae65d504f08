"""OAuth for Paycor: single-use refresh tokens, rotated and handed to the platform.

`POST {base_url}/sts/v1/common/token?subscription-key=…` with a form body
(`grant_type=refresh_token`, `refresh_token`, `client_id`, `client_secret`). Every answer carries a new
refresh token and spends the old one; the CDK authenticator writes it into the config dict and prints
a CONNECTOR_CONFIG control message, and `on_rotation` (given by the console script) writes the config back
to the `--config` file. Refreshes are serialised on the CDK's class-level lock, so no two
threads ever present the same refresh token. Access tokens are refreshed `EXPIRY_MARGIN_SECONDS` before
they expire and (through the error mapping) once on a 401.

Dates: the token's expiry is the CDK's `AirbyteDateTime`, not a `dates.Moment`, because the CDK authenticator's
interface is written in it (`get_token_expiry_date` returns one, `set_token_expiry_date` takes one and writes its text
into the config); the overrides here compare it with the CDK's `ab_datetime_now`, and the margin is seconds made a
`timedelta` by `dates.seconds` (the connector's one way to a duration, `dates.py`).
"""

from __future__ import annotations

import logging
import time
from typing import Any, Callable, Mapping, MutableMapping, Optional

import requests
from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.streams.call_rate import APIBudget
from airbyte_cdk.sources.streams.http.requests_native_auth import SingleUseRefreshTokenOauth2Authenticator
from airbyte_cdk.utils.airbyte_secrets_utils import add_to_secrets
from airbyte_cdk.utils.datetime_helpers import AirbyteDateTime, ab_datetime_now
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from .config import PaycorConfig
from .config_error import ConfigError
from .dates import seconds
from .error_body import token_refusal
from .error_sentences import BASE_URL_UNUSABLE, REFRESH_REJECTED
from .errors import UNUSABLE_URL_ERRORS, PaycorBackoff
from .http_session import pin_environment
from .version import USER_AGENT

logger = logging.getLogger("airbyte")

TOKEN_PATH = "/sts/v1/common/token"
EXPIRY_MARGIN_SECONDS = 5 * 60
# The expiry of a missing access token: long past (as the CDK's own answer for an empty expiry).
EXPIRED_SECONDS_AGO = 24 * 60 * 60
TOKEN_ATTEMPTS = 5
# The same waits as the data calls': Paycor's own after a 429, else exponential.
BACKOFF = PaycorBackoff()


def _remember_secret(value: Any) -> None:
    if isinstance(value, str) and value:
        add_to_secrets(value)


class PaycorAuthenticator(SingleUseRefreshTokenOauth2Authenticator):
    """The CDK's single-use refresh token authenticator, speaking Paycor's token endpoint."""

    def __init__(
        self,
        raw_config: MutableMapping[str, Any],
        config: PaycorConfig,
        session: requests.Session | None = None,
        api_budget: APIBudget | None = None,
        on_rotation: Optional[Callable[[Mapping[str, Any]], Any]] = None,
    ) -> None:
        self._paycor = config
        self._budget = api_budget
        self._on_rotation = on_rotation
        # `check` sets a short connect timeout (SourcePaycor.check_connection); None: the request timeout.
        self.connect_timeout_seconds: Optional[float] = None
        self.refusal: ConfigError | None = None
        self._margin = seconds(EXPIRY_MARGIN_SECONDS)
        self._token_session = pin_environment(session or requests.Session(), config.base_url)
        self._expiry_parsed: tuple = (None, None)  # (the config's expiry text, its parsed date)
        for key in ("client_secret", "refresh_token", "access_token"):
            _remember_secret(raw_config["credentials"].get(key))
        _remember_secret(config.subscription_key)
        super().__init__(connector_config=raw_config, token_refresh_endpoint=config.base_url + TOKEN_PATH)

    def _emit_control_message(self) -> None:
        """The CDK's CONNECTOR_CONFIG control message, then `on_rotation` (run.py: the config written back to the
        `--config` file, `config_file.py`)."""
        super()._emit_control_message()
        if self._on_rotation is not None:
            self._on_rotation(self._connector_config)

    def build_refresh_request_query_params(self) -> Mapping[str, Any]:
        return {"subscription-key": self._paycor.subscription_key}

    def _get_config_value_by_path(self, config_path: Any, default: Any = None) -> Any:
        """The CDK's lookup without `dpath` (~1 ms per call, three times per request): the paths are plain keys."""
        value: Any = self._connector_config
        for key in config_path.split("/") if isinstance(config_path, str) else config_path:
            if not isinstance(value, Mapping) or key not in value:
                return default if default is not None else ""
            value = value[key]
        return value

    def get_token_expiry_date(self) -> AirbyteDateTime:
        if not self.access_token:
            return ab_datetime_now() - seconds(EXPIRED_SECONDS_AGO)
        # Parsed once per token, not on every request (the CDK parses the text each time).
        text = self._get_config_value_by_path(self._token_expiry_date_config_path)
        seen, parsed = self._expiry_parsed
        if text != seen or parsed is None:
            parsed = super().get_token_expiry_date()
            self._expiry_parsed = (text, parsed)
        return parsed

    def token_has_expired(self) -> bool:
        """Refresh early (`EXPIRY_MARGIN_SECONDS`, or a quarter of a shorter lifetime), so a token never expires
        between a check and a call."""
        return ab_datetime_now() > self.get_token_expiry_date() - self._margin

    def _make_handled_request(self) -> Any:
        """Call the token endpoint: retry transient failures, map refusals to one config-error sentence."""
        if self.refusal is not None:  # a refused refresh is final: never present the token again
            raise self.refusal
        failure = "no answer"
        for attempt in range(1, TOKEN_ATTEMPTS + 1):
            try:
                request = requests.Request(
                    "POST",
                    self.get_token_refresh_endpoint(),
                    params=self.build_refresh_request_query_params(),
                    data=self.build_refresh_request_body(),
                    headers={"Accept": "application/json", "User-Agent": USER_AGENT},
                ).prepare()
            except UNUSABLE_URL_ERRORS as error:  # no attempt would mend the URL
                raise ConfigError(BASE_URL_UNUSABLE.format(kind=type(error).__name__)) from None
            if self._budget is not None:  # the token call counts against the same per-key limit
                self._budget.acquire_call(request)
            try:
                timeout: Any = self._paycor.request_timeout_seconds
                if self.connect_timeout_seconds is not None:
                    timeout = (self.connect_timeout_seconds, timeout)
                response = self._token_session.send(request, timeout=timeout)
            except UNUSABLE_URL_ERRORS as error:
                raise ConfigError(BASE_URL_UNUSABLE.format(kind=type(error).__name__)) from None
            except requests.RequestException as error:
                # The exception text carries the token URL, and with it the subscription key: log only its kind.
                failure = f"{type(error).__name__} while connecting"
                self._wait(attempt, None)
                continue
            if self._budget is not None:
                self._budget.update_from_response(request, response)
            if response.status_code == 429 or response.status_code >= 500:
                failure = f"HTTP {response.status_code}"
                self._wait(attempt, response)
                continue
            if not response.ok:
                self.refusal = self._refusal(response)
                raise self.refusal
            try:
                body = response.json()
            except ValueError:
                failure = "an answer that is not JSON"
                self._wait(attempt, None)
                continue
            if not isinstance(body, dict) or not body.get("access_token"):
                failure = "an answer without an access token"
                self._wait(attempt, None)
                continue
            _remember_secret(body.get("access_token"))
            _remember_secret(body.get("refresh_token"))
            if isinstance(body.get("expires_in"), (int, float)) and body["expires_in"] > 0:
                self._margin = seconds(min(EXPIRY_MARGIN_SECONDS, body["expires_in"] / 4))
            return body
        raise AirbyteTracedException(
            message=(
                f"Paycor's token endpoint at `base_url` {self._paycor.base_url} did not answer after "
                f"{TOKEN_ATTEMPTS} attempts ({failure}) — "
                "check `base_url` and the network, then try again."
            ),
            internal_message=f"Token refresh failed after {TOKEN_ATTEMPTS} attempts: {failure}",
            failure_type=FailureType.transient_error,
        )

    @staticmethod
    def _wait(attempt: int, response: requests.Response | None) -> None:
        """Before the next attempt: after a 429, Paycor's Retry-After or "Try again in N seconds", else 60 s
        (Paycor's limit is per minute, API_NOTES: "else wait 60 s": a shorter wait would only meet the shared call
        budget holding the next call for the same minute); after other failures 1, 2, 4, 8 s."""
        if attempt < TOKEN_ATTEMPTS:
            time.sleep(BACKOFF.backoff_time(response, attempt) or 0)

    @staticmethod
    def _refusal(response: requests.Response) -> ConfigError:
        return ConfigError(token_refusal(response) or REFRESH_REJECTED)
