"""`source-paycor authorize`: get the first refresh token, for self-hosted users.

Paycor hands out the first refresh token only through its activation page: authorization code with
PKCE S256, `scope="<scope key> offline_access"`, the subscription key as a query parameter. This
command builds that URL, opens the browser (or prints the URL), receives the redirect on
`http://127.0.0.1:<port>/callback`, checks `state`, exchanges the code with its `code_verifier` at
`POST {base_url}/sts/v1/common/token?subscription-key=…`, and writes the tokens into the config file
atomically, keeping every other key. Every failure is one sentence and exit code 1.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import http.server
import json
import os
import secrets
import sys
import tempfile
import threading
import webbrowser
from pathlib import Path
from typing import Any, Dict, List, Optional
from urllib.parse import parse_qs, urlencode, urlsplit

import requests

from .auth import TOKEN_PATH
from .base_url import DEFAULT_BASE_URL, SANDBOX_BASE_URL, validated_base_url
from .config import _required_secret
from .config_error import ConfigError
from .dates import now
from .error_body import token_refusal
from .error_sentences import CONFIG_FILE_NOT_JSON
from .version import USER_AGENT

PRODUCTION_AUTHORIZE_URL = "https://hcm.paycor.com/AppActivation/Authorize"
SANDBOX_AUTHORIZE_URL = "https://hcm-demo.paycor.com/AppActivation/Authorize"
DEFAULT_PORT = 8976
DEFAULT_TIMEOUT = 300


class AuthorizeError(Exception):
    """A failure of the activation flow, told in one sentence."""


def authorize_url_for(base_url: str, override: Optional[str]) -> str:
    if override:
        return override
    if base_url == DEFAULT_BASE_URL:
        return PRODUCTION_AUTHORIZE_URL
    if base_url == SANDBOX_BASE_URL:
        return SANDBOX_AUTHORIZE_URL
    if urlsplit(base_url).scheme == "http":  # a local test server serves its own activation page
        return base_url + "/AppActivation/Authorize"
    return PRODUCTION_AUTHORIZE_URL


def pkce_pair() -> tuple:
    verifier = secrets.token_urlsafe(64)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


class _Callback(http.server.BaseHTTPRequestHandler):
    """Receives Paycor's redirect once and tells the browser what happened."""

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        parts = urlsplit(self.path)
        if parts.path != "/callback":
            self.send_error(404)
            return
        self.server.answer = {key: values[0] for key, values in parse_qs(parts.query).items()}  # type: ignore[attr-defined]
        body = b"<html><body><p>source-paycor received Paycor's answer. You can close this tab.</p></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.server.received.set()  # type: ignore[attr-defined]

    def log_message(self, *_: Any) -> None:  # the query holds the code: never log it
        pass


def wait_for_callback(port: int, timeout: float, on_listening) -> Dict[str, str]:
    try:
        server = http.server.HTTPServer(("127.0.0.1", port), _Callback)
    except OSError:
        raise AuthorizeError(
            f"Port {port} on 127.0.0.1 is busy — choose another with --redirect-port (and register that redirect URI "
            "in Paycor)."
        ) from None
    server.answer = None  # type: ignore[attr-defined]
    server.received = threading.Event()  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        on_listening(server.server_address[1])
        if not server.received.wait(timeout):  # type: ignore[attr-defined]
            raise AuthorizeError(
                f"No answer from Paycor's activation page within {int(timeout)} seconds — run the command again and "
                "finish the consent in the browser."
            )
        return server.answer  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()


def exchange_code(
    base_url: str,
    subscription_key: str,
    client_id: str,
    client_secret: str,
    code: str,
    verifier: str,
    redirect_uri: str,
) -> Dict[str, Any]:
    """The code exchanged for the first tokens; a refusal is one sentence (`AuthorizeError`).

    A 401 blames the subscription key only when its body says so, as the connector's refresh does: Paycor's
    documents tell the key's 401 by its body ("Access denied due to missing/invalid subscription key"), and a 401
    without it is not the key's.
    """
    try:
        response = requests.post(
            base_url + TOKEN_PATH,
            params={"subscription-key": subscription_key},
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "code_verifier": verifier,
                "client_id": client_id,
                "client_secret": client_secret,
            },
            headers={"Accept": "application/json", "User-Agent": USER_AGENT},
            timeout=60,
        )
    except requests.RequestException as error:
        raise AuthorizeError(
            f"Could not reach Paycor's token endpoint ({type(error).__name__}) — check `base_url` and your connection."
        ) from None  # the exception's text holds the token URL, and with it the subscription key
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not response.ok or not isinstance(body, dict) or not body.get("refresh_token"):
        refusal = token_refusal(response)
        if refusal is not None:
            raise AuthorizeError(refusal)
        reason = body.get("error") if isinstance(body, dict) else None
        raise AuthorizeError(
            f"Paycor refused to exchange the authorization code ({reason or response.status_code}) — run the command "
            "again; a code works once and only for a few minutes."
        )
    return body


def write_config_atomically(path: Path, config: Dict[str, Any]) -> None:
    handle, temporary = tempfile.mkstemp(dir=str(path.parent), prefix=".config-", suffix=".json")
    try:
        with os.fdopen(handle, "w") as file:
            json.dump(config, file, indent=2)
            file.write("\n")
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def authorize(args: List[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="source-paycor authorize",
        description="Activate the Paycor application and store its first refresh token in the config.",
    )
    parser.add_argument(
        "--config", required=True, help="the connector's config JSON; credentials.* are written back into it"
    )
    parser.add_argument(
        "--authorize-url",
        help="Paycor's activation page (default: production, or the sandbox page for the sandbox base_url)",
    )
    parser.add_argument(
        "--redirect-port",
        type=int,
        default=DEFAULT_PORT,
        help=f"port of http://127.0.0.1:<port>/callback (default {DEFAULT_PORT})",
    )
    parser.add_argument("--no-browser", action="store_true", help="print the URL instead of opening a browser")
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help=f"seconds to wait for the browser (default {DEFAULT_TIMEOUT})",
    )
    options = parser.parse_args(args)
    path = Path(options.config)
    try:
        config = json.loads(path.read_text())
        if not isinstance(config, dict):
            raise ValueError
    except (OSError, ValueError):
        print(CONFIG_FILE_NOT_JSON.format(path=path), file=sys.stderr)
        return 1
    try:
        base_url = validated_base_url(config)
        subscription_key = _required_secret(
            config, "subscription_key", "subscription_key", "the APIm subscription key of your application"
        )
        credentials = config.setdefault("credentials", {})
        if not isinstance(credentials, dict):
            raise ConfigError("The field `credentials` must be an object with client_id and client_secret.")
        client_id = _required_secret(
            credentials, "client_id", "credentials.client_id", "the client ID of your application"
        )
        client_secret = _required_secret(
            credentials, "client_secret", "credentials.client_secret", "the client secret of your application"
        )
        scope = _required_secret(
            config, "scope", "scope", "the scope key of your application (Data Access tab, then General tab)"
        )
    except ConfigError as error:
        print(error.message, file=sys.stderr)
        return 1

    verifier, challenge = pkce_pair()
    state = secrets.token_urlsafe(24)
    port_holder: Dict[str, int] = {}

    def on_listening(port: int) -> None:
        port_holder["port"] = port
        redirect_uri = f"http://127.0.0.1:{port}/callback"
        url = (
            authorize_url_for(base_url, options.authorize_url)
            + "?"
            + urlencode(
                {
                    "client_id": client_id,
                    "response_type": "code",
                    "redirect_uri": redirect_uri,
                    "scope": f"{scope} offline_access",
                    "subscription-key": subscription_key,
                    "state": state,
                    "code_challenge": challenge,
                    "code_challenge_method": "S256",
                }
            )
        )
        if options.no_browser or not webbrowser.open(url):
            print("Open this address in a browser and approve the application:", flush=True)
            print(url, flush=True)
        else:
            print("Approve the application in the browser window that just opened.", flush=True)

    try:
        answer = wait_for_callback(options.redirect_port, options.timeout, on_listening)
        if answer.get("error"):
            if answer["error"] == "access_denied":
                raise AuthorizeError(
                    "The consent was denied on Paycor's activation page — run the command again and approve the "
                    "application."
                )
            raise AuthorizeError(
                f"Paycor's activation page answered {answer['error']!r} — check the client ID, scope key and "
                "redirect URI of the application."
            )
        if not secrets.compare_digest(answer.get("state") or "", state):
            raise AuthorizeError(
                "The answer's state does not match this request (another browser tab or an old link?) — run the "
                "command again."
            )
        if not answer.get("code"):
            raise AuthorizeError("Paycor's answer holds no authorization code — run the command again.")
        redirect_uri = f"http://127.0.0.1:{port_holder['port']}/callback"
        tokens = exchange_code(
            base_url, subscription_key, client_id, client_secret, answer["code"], verifier, redirect_uri
        )
    except AuthorizeError as error:
        print(str(error), file=sys.stderr)
        return 1

    credentials["auth_type"] = "oauth2.0"
    credentials["refresh_token"] = tokens["refresh_token"]
    if tokens.get("access_token"):
        credentials["access_token"] = tokens["access_token"]
        lifetime = tokens.get("expires_in")
        expires_in = lifetime if isinstance(lifetime, (int, float)) else 1800
        credentials["token_expiry_date"] = str(now().add(seconds=int(expires_in)))
    write_config_atomically(path, config)
    print(
        f"Authorized: the refresh token is saved in {path}. Paycor refresh tokens work once; the connector keeps "
        "that file current."
    )
    return 0
