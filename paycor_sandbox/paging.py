"""Continuation tokens: opaque GUIDs mapped server-side to (path, query, offset); reusable."""
from __future__ import annotations

import hashlib
import threading
import uuid
from urllib.parse import urlencode


def query_key(query: dict) -> tuple:
    return tuple(sorted((name.lower(), value) for name, values in query.items() if name.lower() != "continuationtoken" for value in values))


class ContinuationStore:
    def __init__(self, seed: int):
        self.seed = seed
        self._map: dict[str, tuple] = {}
        self._lock = threading.Lock()

    def token_for(self, path: str, query: dict, offset: int) -> str:
        key = (path.lower().rstrip("/"), query_key(query), offset)
        digest = hashlib.sha256(repr((self.seed, key)).encode()).digest()
        token = str(uuid.UUID(bytes=digest[:16], version=4))
        with self._lock:
            self._map[token] = key
        return token

    def lookup(self, token: str):
        with self._lock:
            return self._map.get(token.lower())


def envelope(records: list, path: str, query: dict, offset: int, total: int, page_size: int,
             store: ContinuationStore) -> dict:
    more = offset + page_size < total
    token = store.token_for(path, query, offset + page_size) if more else None
    url = None
    if more:
        pairs = [(name, value) for name, values in query.items() if name.lower() != "continuationtoken" for value in values]
        pairs.append(("continuationToken", token))
        url = f"{path}?{urlencode(pairs)}"
    return {"hasMoreResults": more, "continuationToken": token, "additionalResultsUrl": url, "records": records}
