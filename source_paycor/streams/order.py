"""The order in which the selected streams are read: streams that spend the call budget beside streams
that spend the CPU.

A sync is bounded by Paycor's limit (calls per minute) and by the connector's CPU (one core: the GIL).
Per-employee streams make one small call per employee and are bound by the budget; payroll streams
read pages of up to 200 full records per call and are bound by the CPU. Read in the catalog's order,
the payroll streams come last and leave the budget idle while the CPU turns their pages into records
(a sixth of a 10,000-employee sync under the benchmark's time compression). So each payroll stream
is read beside a per-employee stream: the CDK starts streams in catalog order (two at a time, see
`source.py`), and the calls of both share its worker queue.

The order: every other stream first (organisation lists, employee lists, time, recruiting: few
calls), then per-employee and payroll streams alternately, each group in the catalog's order.
Records, states and statuses are per stream, so the order changes nothing but the wall time.
"""

from __future__ import annotations

from itertools import zip_longest
from typing import Callable, List, Sequence, TypeVar

from .catalog import EMPLOYEES, UNPAID_WORKERS, StreamSpec, by_name

PER_EMPLOYEE_PARENTS = frozenset({EMPLOYEES.parent, UNPAID_WORKERS.parent})
RECORD_HEAVY_FAMILY = "payroll"
OTHER, PER_EMPLOYEE, RECORD_HEAVY = "other", "per employee", "record heavy"

T = TypeVar("T")


def load_kind(spec: StreamSpec) -> str:
    """What bounds reading the stream: the call budget (per employee), the CPU (record heavy), or neither."""
    if spec.fan_out is not None and spec.fan_out.parent in PER_EMPLOYEE_PARENTS:
        return PER_EMPLOYEE
    if spec.family == RECORD_HEAVY_FAMILY:
        return RECORD_HEAVY
    return OTHER


def reading_order(items: Sequence[T], name: Callable[[T], str] = str) -> List[T]:
    """`items` (configured streams, or stream names) in reading order; `name(item)` is the item's stream."""
    specs = by_name()
    # Streams found at run time (Report Builder reports: pages of many rows, few calls) are record heavy.
    kinds = [load_kind(specs[name(item)]) if name(item) in specs else RECORD_HEAVY for item in items]
    group = {
        kind: [item for item, its in zip(items, kinds, strict=True) if its == kind]
        for kind in (OTHER, PER_EMPLOYEE, RECORD_HEAVY)
    }
    alternating = [
        item for pair in zip_longest(group[PER_EMPLOYEE], group[RECORD_HEAVY]) for item in pair if item is not None
    ]
    return [*group[OTHER], *alternating]
