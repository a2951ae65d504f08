"""No read hangs, whatever `num_workers` is: the threads that generate partitions never hold every worker.

The CDK's partition generator pauses while its thread pool holds 10,000 partitions not yet read
(`ThreadPoolManager.DEFAULT_MAX_QUEUE_SIZE`); only a thread reading partitions ends that pause. With
`num_workers: 1` the connector used to give the CDK one thread, which generated: a stream of more than
10,000 slices (`employee_hours` at ~850 employees) stopped for good.
"""

from __future__ import annotations

import re
import threading
import time
from datetime import timedelta
from time import sleep as real_sleep  # taken before `conftest.no_sleep` replaces `time.sleep`

import pytest
from airbyte_cdk.models import AirbyteStreamStatus, Level, SyncMode
from airbyte_cdk.sources.message import InMemoryMessageRepository
from airbyte_cdk.test.catalog_builder import CatalogBuilder
from airbyte_cdk.test.entrypoint_wrapper import read

from source_paycor import SourcePaycor

from .builders import BASE, TODAY, config

# The read: `employee_hours` a year back (12 windows of 31 days per employee) over 1,750 employees,
# 21,000 slices. Past 20,000 the old hang is certain, not a race: the CDK's queue holds 10,000 items, so while
# the generator makes slice 20,001 the main thread has handed at least 10,000 partitions to the pool.
EMPLOYEES = 1_750
YEAR_AGO = (TODAY - timedelta(days=364)).isoformat()
# Well above what the read takes on a loaded machine (~10 s), well below a hang.
BOUND_SECONDS = 45.0
HOURS = re.compile(re.escape(BASE) + r"/v1/employees/[^/]+/employeeHours")


def _read_bounded(catalog, cfg, bound: float = BOUND_SECONDS):
    """The read's output, or a failure naming the bound when it has not ended within it (the stuck read is then
    let go, so that its threads do not keep the test process from exiting)."""
    source = SourcePaycor(cfg, message_repository=InMemoryMessageRepository())
    outcome: dict = {}

    def run() -> None:
        outcome["output"] = read(source, cfg, catalog)

    reader = threading.Thread(target=run, name="bounded-read", daemon=True)
    started = time.monotonic()
    reader.start()
    reader.join(timeout=bound)
    if reader.is_alive():
        source._concurrent_source._threadpool._max_concurrent_tasks = 10**9  # lift the pause it is stuck in
        reader.join(timeout=bound)
        pytest.fail(f"the read did not end within {bound:.0f} s: it hangs")
    return outcome["output"], time.monotonic() - started


@pytest.fixture
def real_sleep_back(monkeypatch):
    """The CDK's generator pauses with `time.sleep(0.1)`; a no-op sleep would turn the pause into a busy loop."""
    monkeypatch.setattr("time.sleep", real_sleep)


@pytest.mark.timeout(120)
def test_given_more_slices_than_the_cdk_lets_wait_and_one_worker_when_read_then_the_read_ends(
    paycor, real_sleep_back
):
    # 1,750 employees in one legal entity with Perform Time; their hours are denied (403), so every slice after
    # the first is skipped without a call and the slices cost nothing but the CDK's handling of 21,000 partitions.
    paycor.get(BASE + "/v1/legalentities/11/services", json={"legalEntityId": 11, "performTime": True})
    paycor.get(
        BASE + "/v2/legalentities/11/employees",
        json=[{"id": f"e{n:05d}", "legalEntityId": 11} for n in range(EMPLOYEES)],
    )
    paycor.get(HOURS, status_code=403, json={"Title": "Forbidden", "CorrelationId": "x"})
    catalog = CatalogBuilder().with_stream("employee_hours", SyncMode.full_refresh).build()

    output, _ = _read_bounded(catalog, config(num_workers=1, start_date=YEAR_AGO))

    hour_calls = [call for call in paycor.request_history if HOURS.match(call.url)]
    assert len(hour_calls) == 1  # the first slice's 403 denied the other 20,999: skipped without a call
    assert not output.errors
    statuses = [m.trace.stream_status.status for m in output.trace_messages if m.trace.stream_status]
    assert statuses[-1] == AirbyteStreamStatus.INCOMPLETE
    warnings = [m.log.message for m in output.logs if m.log.level == Level.WARN]
    assert any("View Employee Hours by EmployeeId" in w for w in warnings)


@pytest.mark.parametrize("num_workers", [1, 2, 3, 10, 50])
def test_given_any_num_workers_then_num_workers_threads_read_beside_the_generators(num_workers):
    """The pool holds `num_workers` readers besides the generators, and the CDK starts no more generators than
    its initial number (its `ConcurrentReadProcessor` cap): never fewer than `num_workers` threads read."""
    source = SourcePaycor(config(num_workers=num_workers), message_repository=InMemoryMessageRepository())
    concurrent = source._concurrent_source  # the CDK members read here are pinned in test_cdk_internals.py
    pool = concurrent._threadpool._threadpool._max_workers
    generators = concurrent._initial_number_partitions_to_generate
    assert 1 <= generators <= 2
    assert pool - generators == num_workers



@pytest.mark.parametrize("num_workers", [1, 3])
def test_given_num_workers_then_no_more_partitions_are_read_at_once_even_by_idle_generator_threads(num_workers):
    """A generator's thread left idle may take a partition, but waits for a reader's place: `num_workers`
    stays the number of slices read at a time."""
    import concurrent.futures
    import logging

    from airbyte_cdk.sources.streams.concurrent.partition_reader import PartitionReader

    from source_paycor.pool import ReadingPool

    executor = concurrent.futures.ThreadPoolExecutor(max_workers=num_workers + 2)
    pool = ReadingPool(executor, logging.getLogger("test"), readers=num_workers)
    busy, most, guard = [0], [0], threading.Lock()

    class Reader(PartitionReader):
        def __init__(self) -> None:  # (the CDK's reader needs a queue; this one only counts)
            pass

        def process_partition(self, partition, cursor) -> None:  # type: ignore[override]
            with guard:
                busy[0] += 1
                most[0] = max(most[0], busy[0])
            threading.Event().wait(0.02)
            with guard:
                busy[0] -= 1

    reader = Reader()
    for n in range(4 * (num_workers + 2)):
        pool.submit(reader.process_partition, n, None)
    executor.shutdown(wait=True)
    assert most[0] == num_workers
