"""The console script's stdout: messages leave in blocks, in order, where stdout is unbuffered and not a terminal."""

from __future__ import annotations

import io
import sys

from source_paycor import run as run_module

LINES = [f'{{"type":"RECORD","record":{{"stream":"s","data":{{"id":{i}}},"emitted_at":0}}}}' for i in range(500)]


class CountingRaw(io.RawIOBase):
    """A raw file that keeps what it is given and counts the system calls a real one would make."""

    def __init__(self, tty: bool) -> None:
        self.data = bytearray()
        self.writes = 0
        self.tty = tty

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self.tty

    def write(self, chunk) -> int:  # type: ignore[override]
        self.writes += 1
        self.data += bytes(chunk)
        return len(chunk)


def _run_printing_lines(monkeypatch, tty: bool):
    raw = CountingRaw(tty)
    # What Python makes of stdout under PYTHONUNBUFFERED / -u: a text layer writing through to the raw file.
    stdout = io.TextIOWrapper(raw, encoding="utf-8", write_through=True)  # type: ignore[arg-type]
    monkeypatch.setattr(sys, "stdout", stdout)
    monkeypatch.setattr(run_module.PaycorEntrypoint, "run", lambda self, parsed: iter(LINES))
    run_module.run(["spec"])
    return raw, stdout


def test_given_unbuffered_stdout_not_a_terminal_when_a_command_prints_then_lines_leave_in_blocks_in_order(monkeypatch):
    raw, stdout = _run_printing_lines(monkeypatch, tty=False)
    assert raw.data.decode() == "".join(line + "\n" for line in LINES)
    assert raw.writes <= len(LINES) // 10, f"{raw.writes} writes for {len(LINES)} lines"
    assert stdout.write_through, "stdout is set back as it was when the command ends"


def test_given_a_terminal_then_each_line_is_written_as_before(monkeypatch):
    raw, _ = _run_printing_lines(monkeypatch, tty=True)
    assert raw.data.decode() == "".join(line + "\n" for line in LINES)
    assert raw.writes >= len(LINES)
