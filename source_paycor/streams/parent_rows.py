"""Parent rows: records that other streams fan out from, read once per legal entity per sync for all of them.

The employee list drives every per-employee stream, the pay runs drive paystubs and ledgers, the pay
groups drive pay schedules. Each (parent stream, legal entity) is read by the first stream that asks;
the others wait for it and reuse it. Only the fields the fan-outs use are kept, so memory stays small
(a few ids per employee).

A windowed parent (the pay runs) is read from the first day its asker needs — a child's incremental
start — not from `start_date`; a later asker needing earlier days gets those days read and added.

Why the wait for another asker cannot block for good: the lock of a (parent, legal entity) is held across
that parent's read, whose calls end (timeouts, bounded retries) and whose own waits are bounded (call
budget, access gate, answer cache); a parent's read may ask for its own parent's records, never for a
record of a stream below it, as the catalog's parents form no cycle (`catalog/checks.py`).
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Dict, List, Mapping, NamedTuple, Optional, Tuple

from ..dates import Day, add_days

# (first day, last day or None: to the end) of a windowed parent's read; None: the parent's whole range.
Span = Optional[Tuple[Day, Optional[Day]]]
Reader = Callable[[str, int, Span], List[Mapping[str, Any]]]


class _Read(NamedTuple):
    since: Optional[Day]  # the first day read (None: the parent's whole range)
    rows: List[Dict[str, Any]]


class ParentRows:
    def __init__(self, reader: Reader, kept_fields: Mapping[str, Optional[Tuple[str, ...]]]) -> None:
        self._reader = reader
        self._kept = kept_fields
        self._cache: Dict[Tuple[str, int], _Read] = {}
        self._locks: Dict[Tuple[str, int], threading.Lock] = {}
        self._guard = threading.Lock()

    def records(self, parent: str, legal_entity_id: int, since: Optional[Day] = None) -> List[Dict[str, Any]]:
        """The parent's records in one legal entity; for a windowed parent, those from `since` on at least."""
        key = (parent, legal_entity_id)
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            read = self._cache.get(key)
            if read is None:
                read = _Read(since, self._read(parent, legal_entity_id, None if since is None else (since, None)))
            elif read.since is not None and since is None:
                read = _Read(None, self._read(parent, legal_entity_id, None))
            elif read.since is not None and since is not None and since < read.since:
                earlier = self._read(parent, legal_entity_id, (since, add_days(read.since, -1)))
                read = _Read(since, earlier + read.rows)
            self._cache[key] = read
            return read.rows

    def _read(self, parent: str, legal_entity_id: int, span: Span) -> List[Dict[str, Any]]:
        fields = self._kept.get(parent)
        rows = self._reader(parent, legal_entity_id, span)
        return [{name: row.get(name) for name in fields} if fields is not None else dict(row) for row in rows]
