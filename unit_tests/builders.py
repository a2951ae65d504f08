"""Builders shared by the unit tests: a config, Paycor answers, a read through the CDK's entrypoint, and the
day the frozen clock stands on (`conftest.frozen_clock`)."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any, Dict, List

from airbyte_cdk.models import SyncMode
from airbyte_cdk.test.catalog_builder import CatalogBuilder
from airbyte_cdk.test.entrypoint_wrapper import read

from source_paycor import SourcePaycor

# The day every unit test runs on: the connector's "today" (windows, `start_date` not in the future, dated
# parameters) comes from the clock, which `conftest.frozen_clock` sets to this day for every unit test.
TODAY = date(2026, 11, 28)

BASE = "https://apis.paycor.com"
TOKEN_URL = BASE + "/sts/v1/common/token"
ACTIVATED_URL = BASE + "/v1/legalentities/ActivatedLegalEntityTenantList"

CONFIG: Dict[str, Any] = {
    "subscription_key": "0123456789abcdef0123456789abcdef",
    "scope": "00112233445566778899aabbccddeeff",
    "credentials": {
        "auth_type": "oauth2.0",
        "client_id": "a1b2c3d4e5f6a7b8c9d0",
        "client_secret": "S3cretS3cretS3cretS3cretS3cretS3cretS3cr",
        "refresh_token": "f" * 64,
    },
}


def config(**overrides: Any) -> Dict[str, Any]:
    result = copy.deepcopy(CONFIG)
    result.update(overrides)
    return result


def token_answer(access: str = "access-1", refresh: str = "e" * 64, expires_in: int = 1800) -> Dict[str, Any]:
    return {"access_token": access, "expires_in": expires_in, "token_type": "Bearer", "refresh_token": refresh}


def page(records: List[Dict[str, Any]], token: str | None = None) -> Dict[str, Any]:
    return {"hasMoreResults": token is not None, "continuationToken": token, "records": records}


def activated(*pairs: tuple) -> Dict[str, Any]:
    return {"userLegalEntities": [{"legalEntityId": le, "tenantId": tenant} for le, tenant in pairs]}


def read_stream(name: str, cfg: Dict[str, Any] | None = None, expecting_exception: bool = False):
    catalog = CatalogBuilder().with_stream(name, SyncMode.full_refresh).build()
    return read(SourcePaycor(), cfg or config(), catalog, expecting_exception=expecting_exception)
