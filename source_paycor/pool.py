"""The threads of a read: `num_workers` read partitions (slices), up to `generators` more plan them.

The CDK's `ConcurrentSource` runs partition generators and partition reads on one pool, and a generator
pauses while 10,000 partitions wait in it (`ThreadPoolManager`): with as many threads as generators (one,
for `num_workers: 1`), nobody reads, and the pause never ends. So the pool holds `num_workers` threads more
than generators, and never more than `num_workers` of its threads read at once (a thread left free by a
generator that finished waits for a reader's place), so `num_workers` stays the number of slices read at a
time, 1 included. The CDK starts no more generators at once than its initial number.
"""

from __future__ import annotations

import concurrent.futures
import logging
import threading
from collections import deque
from queue import Queue
from typing import Any, Callable, Deque

from airbyte_cdk.sources.concurrent_source.concurrent_source import ConcurrentSource
from airbyte_cdk.sources.concurrent_source.thread_pool_manager import ThreadPoolManager
from airbyte_cdk.sources.message import MessageRepository
from airbyte_cdk.sources.streams.concurrent.partition_reader import PartitionReader
from airbyte_cdk.sources.utils.slice_logger import SliceLogger


class ReaderPlaces:
    """`places` places to read a partition, given in the order they were asked for (first come, first served), so
    that partitions are read in the order the generators made them, as with the CDK's own pool (a plain semaphore
    lets a thread that has just given its place back take it again ahead of one already waiting).

    A wait here cannot block for good: a place is given back when a partition read ends, and every read ends (each
    call has a timeout, retries are bounded)."""

    def __init__(self, places: int) -> None:
        self._free = places
        self._waiting: Deque[object] = deque()
        self._changed = threading.Condition()

    def __enter__(self) -> None:
        ticket = object()
        with self._changed:
            self._waiting.append(ticket)
            self._changed.wait_for(lambda: self._free > 0 and self._waiting[0] is ticket)
            self._waiting.popleft()
            self._free -= 1
            self._changed.notify_all()

    def __exit__(self, *_: Any) -> None:
        with self._changed:
            self._free += 1
            self._changed.notify_all()


class ReadingPool(ThreadPoolManager):
    """The CDK's pool manager, letting at most `readers` of its threads read partitions at once."""

    def __init__(self, executor: concurrent.futures.ThreadPoolExecutor, logger: logging.Logger, readers: int) -> None:
        super().__init__(executor, logger)
        self._readers = ReaderPlaces(readers)

    def submit(self, function: Callable[..., Any], *args: Any) -> None:
        if isinstance(getattr(function, "__self__", None), PartitionReader):
            super().submit(self._read, function, *args)
        else:  # a partition generator
            super().submit(function, *args)

    def _read(self, function: Callable[..., Any], *args: Any) -> Any:
        with self._readers:  # a reader's place: a partition read holds it until its last page
            return function(*args)


def concurrent_source(
    num_workers: int,
    generators: int,
    logger: logging.Logger,
    slice_logger: SliceLogger,
    message_repository: MessageRepository,
    queue: Queue,
) -> ConcurrentSource:
    """`ConcurrentSource.create`, with `num_workers` readers beside the `generators`."""
    executor = concurrent.futures.ThreadPoolExecutor(
        max_workers=num_workers + generators, thread_name_prefix="workerpool"
    )
    return ConcurrentSource(
        threadpool=ReadingPool(executor, logger, readers=num_workers),
        logger=logger,
        slice_logger=slice_logger,
        queue=queue,
        message_repository=message_repository,
        initial_number_partitions_to_generate=generators,
    )
