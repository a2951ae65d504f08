"""The console script's stdout: messages leave in blocks, in order (through the CDK's `PRINT_BUFFER`, as its `launch`
does), not one write per message, also where stdout is unbuffered."""

from __future__ import annotations

import io
import sys

from source_paycor import run as run_module

LINES = [f'{{"type":"RECORD","record":{{"stream":"s","data":{{"id":{i}}},"emitted_at":0}}}}' for i in range(500)]


class CountingRaw(io.RawIOBase):
    """A raw file that keeps what it is given and counts the system calls a real one would make."""

    def __init__(self) -> None:
        self.data = bytearray()
        self.writes = 0

    def writable(self) -> bool:
        return True

    def write(self, chunk) -> int:  # type: ignore[override]
        self.writes += 1
        self.data += bytes(chunk)
        return len(chunk)


def test_given_unbuffered_stdout_when_a_command_prints_then_lines_leave_in_blocks_in_order(monkeypatch):
    raw = CountingRaw()
    # What Python makes of stdout under PYTHONUNBUFFERED / -u: a text layer writing through to the raw file.
    stdout = io.TextIOWrapper(raw, encoding="utf-8", write_through=True)  # type: ignore[arg-type]
    monkeypatch.setattr(sys, "stdout", stdout)
    monkeypatch.setattr(sys, "__stdout__", stdout)
    monkeypatch.setattr(run_module.PaycorEntrypoint, "run", lambda self, parsed: iter(LINES))
    run_module.run(["spec"])
    printed = raw.data.decode().splitlines()
    assert [line for line in printed if not line.startswith('{"type":"LOG"')] == LINES  # the CDK's log lines beside
    assert raw.writes <= len(LINES) // 10, f"{raw.writes} writes for {len(LINES)} lines"
    assert sys.stdout is stdout, "stdout is set back when the command ends"
