"""Read JSONL inputs as blocks of lines: plain files, gzip, standard input, byte ranges.

Every byte read ends up in exactly one line: a line is what lies between two newlines
(``\\r`` before a newline is left in place; JSON treats it as whitespace), the text after
the last newline is a final, unterminated line, and when a stream breaks part way (a
corrupt or truncated gzip member, an I/O error) the partial line read so far is handed
over as a line of its own before the error is raised. A line longer than the maximum line
size is skipped as it streams past and reported by its length. Memory stays at about one
block plus one maximum line whatever the input: endless devices and gzip bombs included.
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
    "GIVE_UP",
    "GZIP_MAGIC",
    "LINE_BLOCK",
    "MAX_LINE",
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

#: Bytes read at a time by readers that hand a block to one vectorised step (Arrow's).
BLOCK_SIZE = 1 << 20
#: Bytes read at a time by readers that check line by line (``validate``, the log readers):
#: a block and its lines stay in the processor's L2 cache while they are checked (with
#: 1 MiB blocks ``validate`` misses it about twice as often, and runs measurably slower).
LINE_BLOCK = 64 << 10
#: The longest line read (``--max-line-size``); a longer one is skipped and counted invalid.
MAX_LINE = 64 << 20
#: An over-long line is skipped up to this many times ``MAX_LINE``; beyond, the input ends.
GIVE_UP = 16
GZIP_MAGIC = b"\x1f\x8b"
STDIN = "-"


class InputError(VtcodeExecEventsError, OSError):
    """An input could not be read (to its end); ``str()`` is the message for the user."""


@dataclass(frozen=True)
class Block:
    """Consecutive lines of one input, without their newlines.

    ``unterminated``: the last line ended the input without a newline. ``broken``: the
    input broke off inside the last line (the error follows as :class:`InputError`).
    ``oversize``: ``(index, length)`` of the lines longer than the maximum line size; they
    were skipped, not held, and stand in ``lines`` as ``b""``.
    """

    lines: list[bytes]
    unterminated: bool = False
    broken: bool = False
    oversize: tuple[tuple[int, int], ...] = ()


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

    ``-`` is standard input; any other readable path (a file, a FIFO, ``<(zcat x.gz)``, a
    character device) is read the same way, without seeking. gzip is recognised by its
    magic bytes, peeked at through the buffer. ``consumed()`` gives the bytes of the file
    read so far (for progress).
    """
    text = os.fspath(path)
    owned = False
    try:
        if text == STDIN:
            raw: BinaryIO = sys.stdin.buffer
            owned = False
        else:
            if Path(text).is_dir():
                raise IsADirectoryError(text)
            raw = open(text, "rb")  # noqa: SIM115 - closed below
            owned = True
        if not hasattr(raw, "peek"):
            raw = io.BufferedReader(_Raw(raw))
        # Peek, never seek: pipes, FIFOs, process substitution and devices cannot seek.
        head = raw.peek(2)[:2]
    except OSError as exc:
        if owned:
            raw.close()
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
    source: Input,
    *,
    limit: int | None = None,
    block_size: int = BLOCK_SIZE,
    max_line: int = MAX_LINE,
    newlines: bool = False,
) -> Iterator[Block]:
    """Split an input into blocks of whole lines (at most ``limit`` bytes are read).

    Lines come without their ``\n``; with ``newlines``, each keeps it (all but an input's
    unterminated last line), and the split finds them with ``memchr`` instead of looking at
    every byte (about 5x less work). A line longer than ``max_line`` bytes is skipped as it
    streams past (never held) and reported in ``Block.oversize``; one that runs on for
    more than ``GIVE_UP`` times ``max_line`` with no newline (``/dev/zero``) ends the input
    with an :class:`InputError`. Raises :class:`InputError` when the input fails; the lines
    read before, and the partial line at the point of failure, have been yielded by then.
    Memory stays at about ``block_size + max_line`` whatever the input.
    """
    pending: list[bytes] = []  # the pieces of the line being read
    held = 0  # the bytes of that line so far (skipped ones included)
    skipping = False  # that line is longer than max_line: its bytes are dropped
    remaining = limit
    # read1: one decompression step at a time, so a failure loses nothing decoded before it.
    read = getattr(source.stream, "read1", source.stream.read)
    while True:
        size = block_size if remaining is None else min(block_size, remaining)
        if size <= 0:
            break
        try:
            chunk = read(size)
        except (OSError, EOFError, zlib.error, ValueError) as exc:
            if skipping:
                yield Block([b""], unterminated=True, oversize=((0, held),))
            elif pending:
                yield Block([b"".join(pending)], unterminated=True, broken=True)
            raise InputError(_describe(exc)) from None
        if not chunk:
            break
        if remaining is not None:
            remaining -= len(chunk)
        cut = chunk.rfind(b"\n")
        if cut < 0:
            held += len(chunk)
            if not skipping and held > max_line:
                skipping, pending = True, []
            if skipping:
                if held > GIVE_UP * max_line:
                    yield Block([b""], unterminated=True, oversize=((0, held),))
                    raise InputError(
                        f"a line runs on for more than {held} bytes without a newline "
                        f"({GIVE_UP} times the maximum line size): stopped reading"
                    )
            else:
                pending.append(chunk)
            continue
        # One split of the whole chunk (no copy of it first): the first piece ends the line
        # carried over, the last is the start of the next one.
        if newlines:  # BytesIO shares the chunk's bytes; readlines() finds ends by memchr
            lines = io.BytesIO(chunk).readlines()
            rest = b"" if lines[-1].endswith(b"\n") else lines.pop()
        else:
            lines = chunk.split(b"\n")
            rest = lines.pop()
        end = int(newlines)  # the newline kept at the end of each line, not part of it
        length = held + len(lines[0]) - end
        oversize: list[tuple[int, int]] = []
        if skipping or length > max_line:
            oversize.append((0, length))
            lines[0] = b""
        elif pending:
            lines[0] = b"".join((*pending, lines[0]))
        # Only a chunk longer than max_line can hold a whole line that is (blocks are 1 MiB).
        if len(chunk) > max_line and len(lines) > 1 and max(map(len, lines)) - end > max_line:
            for index in range(1, len(lines)):
                if len(lines[index]) - end > max_line:
                    oversize.append((index, len(lines[index]) - end))
                    lines[index] = b""
        yield Block(lines, oversize=tuple(oversize))
        held = len(rest)
        skipping = held > max_line
        pending = [rest] if rest and not skipping else []
    if skipping:
        yield Block([b""], unterminated=True, oversize=((0, held),))
    elif pending:
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
