"""`source-paycor authorize` against the sandbox's activation page: the whole PKCE flow, headless."""

from __future__ import annotations

import json
import socket
import subprocess
import time
from urllib.parse import parse_qs, urlsplit

import requests

from paycor_sandbox import Sandbox

from helpers import CONNECTOR


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(config_path, port, *extra):
    process = subprocess.Popen(
        [CONNECTOR, "authorize", "--config", str(config_path), "--no-browser", "--redirect-port", str(port), *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL,
    )
    assert process.stdout.readline().startswith("Open this address in a browser")
    url = process.stdout.readline().strip()
    return process, url


def first_config(sandbox):
    config = sandbox.connector_config()
    del config["credentials"]["refresh_token"]
    config["platform_key"] = {"kept": True}
    return config


def test_given_consent_when_authorize_then_tokens_written_atomically_and_the_config_works(tmp_path, run_connector):
    with Sandbox(seed=7, employees=20) as sandbox:
        path = tmp_path / "config.json"
        path.write_text(json.dumps(first_config(sandbox)))
        process, url = start(path, free_port())
        query = parse_qs(urlsplit(url).query)
        assert url.startswith(sandbox.base_url + "/AppActivation/Authorize?")
        assert query["scope"] == [f"{sandbox.connector_config()['scope']} offline_access"]
        assert query["code_challenge_method"] == ["S256"] and query["response_type"] == ["code"]
        assert query["subscription-key"] == [sandbox.connector_config()["subscription_key"]]
        # the browser: Paycor approves and redirects to the callback
        redirect = requests.get(url, allow_redirects=False, timeout=10)
        assert redirect.status_code == 302
        assert requests.get(redirect.headers["Location"], timeout=10).status_code == 200
        out, err = process.communicate(timeout=30)
        assert process.returncode == 0, err
        assert f"Authorized: the refresh token is saved in {path}" in out
        written = json.loads(path.read_text())
        assert written["credentials"]["refresh_token"] == sandbox.valid_refresh_token
        assert written["credentials"]["access_token"] and written["credentials"]["token_expiry_date"]
        assert written["platform_key"] == {"kept": True} and written["subscription_key"] == sandbox.connector_config()["subscription_key"]
        assert sandbox.valid_refresh_token not in out + err
        assert [p.name for p in tmp_path.iterdir()] == ["config.json"]  # no temporary file left
        check = run_connector("check", written)
        assert check.connection_status["status"] == "SUCCEEDED"


def test_given_denied_consent_when_authorize_then_one_sentence_and_config_untouched(tmp_path):
    with Sandbox(seed=7, employees=20, deny_consent=True) as sandbox:
        path = tmp_path / "config.json"
        path.write_text(json.dumps(first_config(sandbox)))
        before = path.read_text()
        process, url = start(path, free_port())
        redirect = requests.get(url, allow_redirects=False, timeout=10)
        requests.get(redirect.headers["Location"], timeout=10)
        out, err = process.communicate(timeout=30)
        assert process.returncode == 1
        assert err.strip() == "The consent was denied on Paycor's activation page — run the command again and approve the application."
        assert path.read_text() == before


def test_given_wrong_state_when_callback_then_refused(tmp_path):
    with Sandbox(seed=7, employees=20) as sandbox:
        path = tmp_path / "config.json"
        path.write_text(json.dumps(first_config(sandbox)))
        port = free_port()
        process, url = start(path, port)
        requests.get(f"http://127.0.0.1:{port}/callback?code=abc&state=forged", timeout=10)
        out, err = process.communicate(timeout=30)
        assert process.returncode == 1
        assert "state does not match" in err
        assert "Traceback" not in err


def test_given_no_answer_when_authorize_then_timeout_message(tmp_path):
    with Sandbox(seed=7, employees=20) as sandbox:
        path = tmp_path / "config.json"
        path.write_text(json.dumps(first_config(sandbox)))
        started = time.monotonic()
        process, _ = start(path, free_port(), "--timeout", "1")
        out, err = process.communicate(timeout=30)
        assert process.returncode == 1
        assert err.strip() == "No answer from Paycor's activation page within 1 seconds — run the command again and finish the consent in the browser."
        assert time.monotonic() - started < 20


def test_given_exchange_refused_when_authorize_then_one_sentence(tmp_path):
    with Sandbox(seed=7, employees=20) as sandbox:
        config = first_config(sandbox)
        config["credentials"]["client_secret"] = "wrong" * 8
        path = tmp_path / "config.json"
        path.write_text(json.dumps(config))
        process, url = start(path, free_port())
        # the activation page checks the client id only; the exchange checks the secret
        redirect = requests.get(url, allow_redirects=False, timeout=10)
        requests.get(redirect.headers["Location"], timeout=10)
        out, err = process.communicate(timeout=30)
        assert process.returncode == 1
        assert "Paycor refused the client ID or client secret" in err
