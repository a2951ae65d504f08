"""The committed schemas are exactly what the generator derives from Paycor's OpenAPI documents."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _generator():
    spec = importlib.util.spec_from_file_location("generate_schemas", ROOT / "scripts" / "generate_schemas.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_given_openapi_documents_when_generated_then_committed_files_match():
    generator = _generator()
    expected = generator.build()
    committed = {path: path.read_text() for path in (ROOT / "source_paycor" / "schemas").glob("*.json")}
    committed[generator.ENDPOINTS_FILE] = generator.ENDPOINTS_FILE.read_text()
    drifted = sorted(str(path.relative_to(ROOT)) for path in set(expected) | set(committed) if expected.get(path) != committed.get(path))
    assert not drifted, f"run `make schemas`: {drifted}"


def test_given_nullable_in_openapi_then_schema_allows_null_and_dates_are_typed():
    schema = _generator().build()[ROOT / "source_paycor" / "schemas" / "employees.json"]
    import json

    properties = json.loads(schema)["properties"]
    assert properties["middleName"]["type"] == ["string", "null"]
    assert properties["id"]["type"] == "string"
    hire = properties["employmentDateData"]["properties"]["hireDate"]
    assert hire["format"] == "date-time" and "null" in hire["type"]


def test_spec_declares_public_config_names_and_secrets():
    spec = yaml.safe_load((ROOT / "source_paycor" / "spec.yaml").read_text())["connectionSpecification"]
    props = spec["properties"]
    assert {"environment", "base_url", "subscription_key", "credentials", "scope", "legal_entity_ids", "start_date"} <= set(props)
    assert props["environment"]["enum"] == ["Production", "Sandbox"] and props["environment"]["default"] == "Production"
    assert "default" not in props["base_url"]  # an empty base_url leaves the choice to `environment`
    assert props["subscription_key"]["airbyte_secret"] is True
    creds = props["credentials"]["properties"]
    assert creds["auth_type"]["const"] == "oauth2.0"
    assert all(creds[key]["airbyte_secret"] for key in ("client_id", "client_secret", "refresh_token", "access_token"))
    assert creds["access_token"]["airbyte_hidden"] and creds["token_expiry_date"]["airbyte_hidden"]
    assert props["legal_entity_ids"]["items"]["type"] == "integer"


def test_readme_stream_table_is_generated_from_the_catalog():
    import subprocess
    import sys

    completed = subprocess.run([sys.executable, str(ROOT / "scripts" / "stream_table.py"), "--check"], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr


def test_reliability_figures_are_those_the_tests_measured():
    """RELIABILITY.md's figure cells are scripts/reliability_figures.py's output for docs/reliability-figures.json."""
    import subprocess
    import sys

    completed = subprocess.run([sys.executable, str(ROOT / "scripts" / "reliability_figures.py"), "--check"], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
