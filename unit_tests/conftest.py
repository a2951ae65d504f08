"""Unit-test fixtures: a frozen clock, no sleeping, and requests-mock answering as Paycor (builders in builders.py)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import List

import pytest
import time_machine

from .builders import ACTIVATED_URL, TODAY, TOKEN_URL, activated, token_answer


@pytest.fixture(autouse=True)
def frozen_clock():
    """The clock at noon UTC of `builders.TODAY`, ticking from there (elapsed time stays real; the date does
    not change during a test)."""
    with time_machine.travel(datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=timezone.utc), tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def no_sleep(monkeypatch):
    """Retries wait for nothing in unit tests; the waits asked for are recorded."""
    waits: List[float] = []
    monkeypatch.setattr("time.sleep", lambda seconds: waits.append(seconds))
    return waits


@pytest.fixture
def paycor(requests_mock):
    """requests-mock with a working token endpoint and one activated legal entity (11, tenant 22)."""
    requests_mock.post(TOKEN_URL, json=token_answer())
    requests_mock.get(ACTIVATED_URL, json=activated((11, 22)))
    return requests_mock
