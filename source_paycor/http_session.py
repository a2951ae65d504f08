"""HTTP sessions that read the environment's proxy and CA-bundle settings once, not on every call.

`requests` re-reads `HTTPS_PROXY`/`NO_PROXY`/`REQUESTS_CA_BUNDLE` (scanning the whole environment)
before every request of a session that trusts the environment: about a third of the connector's CPU
per call. Every call of a sync goes to the one `base_url`, so the answer is the same each time: it is
read once and pinned on the session, and the session stops consulting the environment.
"""

from __future__ import annotations

import os

import requests
from requests.utils import get_environ_proxies


def pin_environment(session: requests.Session, base_url: str) -> requests.Session:
    """Pin the proxies (honouring `NO_PROXY`) and CA bundle the environment gives `base_url`."""
    if not session.trust_env:
        return session
    session.proxies.update(get_environ_proxies(base_url))
    bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
    if bundle and session.verify is True:
        session.verify = bundle
    session.trust_env = False
    return session
