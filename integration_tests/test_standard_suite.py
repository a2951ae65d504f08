"""The CDK's own standard tests (spec, check good/bad, discover, basic and full-refresh reads) against the sandbox.

Their scenarios come from `acceptance-test-config.yml`; this module writes the config files it names
from a Paycor sandbox started for the module. The configs carry a fresh access token, so the suite's
many in-process runs of the same file never need to rotate the single-use refresh token.

The suite's Docker-image tests (`image_tests` marker: selected by `make test`, deselected by a bare
`pytest`) run the image `make image` builds, given to them as `--connector-image` would (the CDK's own
build needs buildx and Airbyte's Dockerfile templates, which these machines do not have), with every
`docker run` on the host's network so that the containers reach the sandbox on loopback.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import requests

from airbyte_cdk.test.standard_tests import SourceTestSuiteBase

from paycor_sandbox import Sandbox
from source_paycor import SourcePaycor

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = ROOT / "integration_tests" / "standard"


def _write(name: str, config: dict) -> None:
    CONFIGS.mkdir(exist_ok=True)
    (CONFIGS / name).write_text(json.dumps(config, indent=2))


for _name in ("config.json", "invalid_config.json", "spec_config.json"):  # the suite's scenarios name them at collection
    if not (CONFIGS / _name).exists():
        _write(_name, {})


@pytest.fixture(scope="module", autouse=True)
def sandbox_configs():
    with Sandbox(seed=7, employees=40) as sandbox:
        config = sandbox.connector_config()
        credentials = config["credentials"]
        token = requests.post(
            sandbox.base_url + "/sts/v1/common/token",
            params={"subscription-key": config["subscription_key"]},
            data={"grant_type": "refresh_token", "refresh_token": credentials["refresh_token"],
                  "client_id": credentials["client_id"], "client_secret": credentials["client_secret"]},
            timeout=10,
        ).json()
        credentials.update(refresh_token=token["refresh_token"], access_token=token["access_token"],
                           token_expiry_date="2999-01-01T00:00:00+00:00")
        _write("config.json", config)
        _write("spec_config.json", config)
        _write("invalid_config.json", {**config, "subscription_key": "0" * 32})
        yield sandbox


@pytest.fixture
def connector_image_override(connector_image, host_network_docker, monkeypatch):
    """The image under test for the CDK's image tests (skipped or failed with the reason when no engine answers)."""
    monkeypatch.setenv("PATH", f"{host_network_docker}{os.pathsep}{os.environ['PATH']}")
    return connector_image


@pytest.fixture
def read_from_streams():
    """The CDK's image read test reads its scenario's catalog (`--read-from-streams`; without it, it skips)."""
    return "default"


class TestPaycorStandardSuite(SourceTestSuiteBase):
    connector = SourcePaycor
