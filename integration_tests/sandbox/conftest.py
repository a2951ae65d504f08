import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from paycor_sandbox import Sandbox  # noqa: E402
from .helpers import TODAY, Client  # noqa: E402


@pytest.fixture(scope="session")
def sandbox():
    with Sandbox(seed=7, employees=300, today=TODAY) as sb:
        yield sb


@pytest.fixture(scope="session")
def client(sandbox):
    return Client(sandbox)
