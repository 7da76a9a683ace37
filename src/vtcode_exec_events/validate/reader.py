"""Read JSONL inputs as blocks of lines: plain files, gzip, standard input, byte ranges.

Every byte read ends up in exactly one line: a line is what lies between two newlines
(``\\r`` before a newline is left in place; JSON treats it as whitespace), the text after
the last newline is a final, unterminated line, and when a stream breaks part way (a
corrupt or truncated gzip member, an I/O error) the partial line read so far is handed
over as a line of its own before the error is raised. Memory stays at about one block
(plus the longest line) whatever the size of the input.
"""

from __future__ import annotations

import gzip
import io
import itertools
import os
import sys
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from vtcode_exec_events.errors import VtcodeExecEventsError

__all__ = [
    "BLOCK_SIZE",
    "GZIP_MAGIC",
    "STDIN",
    "Block",
    "Input",
    "InputError",
    "blocks",
    "display_name",
    "is_gzip",
    "open_input",
    "split_ranges",
]

BLOCK_SIZE = 1 << 20
GZIP_MAGIC = b"\x1f\x8b"
STDIN = "-"


class InputError(VtcodeExecEventsError, OSError):
    """An input could not be read (to its end); ``str()`` is the message for the user."""


@dataclass(frozen=True)
class Block:
    """Consecutive lines of one input, without their newlines.

    ``unterminated``: the last line ended the input without a newline. ``broken``: the
    input broke off inside the last line (the error follows as :class:`InputError`).
    """

    lines: list[bytes]
    unterminated: bool = False
    broken: bool = False


def display_name(path: str | os.PathLike[str]) -> str:
    """How an input is named in reports."""
    text = os.fspath(path)
    if text == STDIN:
        return "<stdin>"
    # A file name that is not UTF-8 is shown with replacement characters, never raised on.
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def is_gzip(path: str | os.PathLike[str]) -> bool:
    """Whether a file starts with the gzip magic bytes (whatever its name)."""
    try:
        with open(path, "rb") as f:
            return f.read(2) == GZIP_MAGIC
    except OSError:
        return str(path).endswith(".gz")


def _describe(exc: BaseException) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, IsADirectoryError):
        return "is a directory, not a file"
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, (gzip.BadGzipFile, zlib.error)):
        return f"corrupt gzip stream: {exc}"
    if isinstance(exc, EOFError):
        return "truncated gzip stream (it ends before its end-of-stream marker)"
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc)


class _Raw(io.RawIOBase):
    """A raw stream over any binary file object (so it can be buffered and peeked at)."""

    def __init__(self, inner: BinaryIO) -> None:
        self.inner = inner

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.inner.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


@dataclass(frozen=True)
class Input:
    """An open input: the (decompressed) stream, and how far the file underneath was read."""

    stream: BinaryIO
    consumed: Callable[[], int]
    gzip: bool


@contextmanager
def open_input(path: str | os.PathLike[str]) -> Iterator[Input]:
    """Open an input for binary reading. Raises :class:`InputError`.

    ``-`` is standard input. gzip is recognised by its magic bytes, on files and stdin.
    ``consumed()`` gives the bytes of the file read so far (for progress).
    """
    text = os.fspath(path)
    try:
        if text == STDIN:
            raw: BinaryIO = sys.stdin.buffer
            if not hasattr(raw, "peek"):
                raw = io.BufferedReader(_Raw(raw))
            head = raw.peek(2)[:2]
            owned = False
        else:
            if Path(text).is_dir():
                raise IsADirectoryError(text)
            raw = open(text, "rb")  # noqa: SIM115 - closed below
            head = raw.read(2)
            raw.seek(0)
            owned = True
    except OSError as exc:
        raise InputError(_describe(exc)) from None
    try:
        if head == GZIP_MAGIC:
            stream: BinaryIO = gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[assignment]
        else:
            stream = raw

        def consumed() -> int:
            try:
                return raw.tell() if owned else 0
            except (OSError, ValueError):
                return 0

        yield Input(stream, consumed, head == GZIP_MAGIC)
    finally:
        if owned:
            raw.close()


def blocks(
    source: Input, *, limit: int | None = None, block_size: int = BLOCK_SIZE
) -> Iterator[Block]:
    """Split an input into blocks of whole lines (at most ``limit`` bytes are read).

    Lines keep their ``\n`` (the checker ignores it). Raises :class:`InputError` when the
    input fails; the lines read before, and the partial line at the point of failure,
    have been yielded by then.
    """
    if source.gzip:
        return _split_blocks(source.stream, limit, block_size)
    return _line_blocks(source.stream, limit, block_size)


def _line_blocks(stream: BinaryIO, limit: int | None, block_size: int) -> Iterator[Block]:
    """``readlines`` in blocks: the fast way for plain files and pipes."""
    remaining = limit
    while True:
        hint = block_size if remaining is None else min(block_size, remaining)
        if hint <= 0:
            return
        try:
            lines = stream.readlines(hint)
        except (OSError, ValueError) as exc:
            raise InputError(_describe(exc)) from None
        if not lines:
            return
        if remaining is not None:
            remaining -= sum(map(len, lines))
            # readlines stops only once it has read *more* than the hint: give back what
            # lies past the limit (a range's end is a line end, so whole lines).
            while remaining < 0 and lines:
                remaining += len(lines.pop())
            if not lines:
                return
        yield Block(lines, unterminated=not lines[-1].endswith(b"\n"))


def _split_blocks(stream: BinaryIO, limit: int | None, block_size: int) -> Iterator[Block]:
    """``read`` and split: every byte decoded before a failure is handed over as lines."""
    pending: list[bytes] = []
    remaining = limit
    # read1: one decompression step at a time, so a failure loses nothing decoded before it.
    read = getattr(stream, "read1", stream.read)
    while True:
        size = block_size if remaining is None else min(block_size, remaining)
        if size <= 0:
            break
        try:
            chunk = read(size)
        except (OSError, EOFError, zlib.error, ValueError) as exc:
            if pending:
                yield Block([b"".join(pending)], unterminated=True, broken=True)
            raise InputError(_describe(exc)) from None
        if not chunk:
            break
        if remaining is not None:
            remaining -= len(chunk)
        cut = chunk.rfind(b"\n")
        if cut < 0:
            pending.append(chunk)
            continue
        if pending:
            pending.append(chunk[:cut])
            data = b"".join(pending)
            pending = []
        else:
            data = chunk[:cut]
        yield Block(data.split(b"\n"))
        if cut + 1 < len(chunk):
            pending.append(chunk[cut + 1 :])
    if pending:
        yield Block([b"".join(pending)], unterminated=True)


def split_ranges(path: str | os.PathLike[str], parts: int) -> list[tuple[int, int]]:
    """Cut a plain file into about ``parts`` byte ranges that each end at a newline."""
    size = os.path.getsize(path)
    if parts <= 1 or size == 0:
        return [(0, size)]
    cuts = [0]
    with open(path, "rb") as f:
        for k in range(1, parts):
            target = size * k // parts
            if target <= cuts[-1]:
                continue
            f.seek(target)
            f.readline()
            position = f.tell()
            if cuts[-1] < position < size:
                cuts.append(position)
    cuts.append(size)
    return list(itertools.pairwise(cuts))
