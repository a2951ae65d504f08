"""What a route handler returns: a paged collection, a bare array, one object, or a file."""
from __future__ import annotations

from dataclasses import dataclass

from .records import LazyRecords


@dataclass
class Paged:
    records: LazyRecords
    page_size: int = 100
    # True: the next page is linked only by `additionalResultsUrl` (`continuationToken` null), as some routes do.
    url_only: bool = False


@dataclass
class Array:
    records: list


@dataclass
class Single:
    obj: dict


@dataclass
class Binary:
    data: bytes
    content_type: str = "application/octet-stream"


def page_size_for(template: str) -> int:
    if template.lower() in ("/v1/legalentities/{legalentityid}/employees", "/v2/legalentities/{legalentityid}/employees"):
        return 200
    return 100
