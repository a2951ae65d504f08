"""Records that other streams fan out from, read once per legal entity per sync and shared.

The employee list drives every per-employee stream, the pay runs drive paystubs and ledgers, the pay
groups drive pay schedules. Each (parent stream, legal entity) is read by the first stream that asks;
the others wait for it and reuse it. Only the fields the fan-outs use are kept, so memory stays small
(a few ids per employee).
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

Reader = Callable[[str, int], List[Mapping[str, Any]]]


class SharedRecords:
    def __init__(self, reader: Reader, kept_fields: Mapping[str, Optional[Tuple[str, ...]]]) -> None:
        self._reader = reader
        self._kept = kept_fields
        self._cache: Dict[Tuple[str, int], List[Dict[str, Any]]] = {}
        self._locks: Dict[Tuple[str, int], threading.Lock] = {}
        self._guard = threading.Lock()

    def records(self, parent: str, legal_entity_id: int) -> List[Dict[str, Any]]:
        key = (parent, legal_entity_id)
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._cache:
                fields = self._kept.get(parent)
                rows = self._reader(parent, legal_entity_id)
                self._cache[key] = [
                    {name: row.get(name) for name in fields} if fields is not None else dict(row) for row in rows
                ]
            return self._cache[key]
