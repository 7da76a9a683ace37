"""Read a JSONL event log one line at a time (file, ``.jsonl.gz`` or ``-``) and parse each line."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from pydantic import BaseModel

from vtcode_exec_events.errors import WireFormatError
from vtcode_exec_events.registry import latest, versions
from vtcode_exec_events.validate.checker import broken_issue, oversize_issue
from vtcode_exec_events.validate.reader import (
    LINE_BLOCK,
    MAX_LINE,
    STDIN,
    blocks,
    display_name,
    open_input,
)
from vtcode_exec_events.validate.result import KINDS, Issue, Kind
from vtcode_exec_events.wire import parse_line

__all__ = ["STDIN", "Issue", "LogLine", "display_name", "open_log", "read_log"]


@dataclass(frozen=True)
class LogLine:
    """One line of a log: its event and schema version, or the error that stopped parsing."""

    file: str
    number: int
    event: BaseModel | None
    #: The schema version whose models parsed the line (the envelope's, or the one chosen
    #: for a bare line); ``None`` when the line is invalid.
    version: str | None
    enveloped: bool
    #: Why the line could not be parsed: the validator's ``Issue`` (severity ``error``).
    error: Issue | None = None


@contextlib.contextmanager
def open_log(path: str) -> Iterator[BinaryIO]:
    """Open a log for binary line reading, as the validator does: ``-`` is standard input,
    gzip is recognised by its magic bytes. Raises ``InputError`` (an ``OSError``)."""
    with open_input(path) as source:
        yield source.stream


def parse(raw: bytes, file: str, number: int, schema_version: str | None = None) -> LogLine:
    """Parse one line (without its newline). Never raises for bad input.

    The verdict is ``validate``'s (one engine): an envelope is read with its own
    ``schema_version``, a bare line with ``schema_version`` (default: the newest); an
    invalid line carries the validator's first error.
    """
    try:
        parsed = parse_line(raw, schema_version=schema_version)
    except WireFormatError as exc:
        error = Issue(number, exc.pointer, exc.message, _kind(exc.kind), file=file)
        return LogLine(file, number, None, None, False, error)
    if parsed.schema_version is not None:
        version = parsed.schema_version
        if version not in versions():  # newer than the newest: read with the newest
            version = latest()
        return LogLine(file, number, parsed.event, version, True)
    return LogLine(file, number, parsed.event, schema_version or latest(), False)


def _kind(kind: str) -> Kind:
    """A parse error's kind as the validator names it (``schema`` for anything else)."""
    return kind if kind in KINDS else "schema"


def read_log(
    path: str, *, schema_version: str | None = None, max_line: int = MAX_LINE
) -> Iterator[LogLine]:
    """Every line of one log, parsed, in order; constant memory however long the log is.

    Any readable path works (a FIFO, ``<(zcat x.gz)``, a device); gzip is recognised by
    its magic bytes. A line longer than ``max_line`` bytes is skipped unread and given an
    error of kind ``size``. When the input fails part way (a truncated gzip, an I/O error),
    every line read before has been yielded, the line cut by the failure as an invalid
    one, and then ``InputError`` (an ``OSError``) is raised.
    """
    file = display_name(path)
    number = 0
    with open_input(path) as source:
        for block in blocks(source, max_line=max_line, block_size=LINE_BLOCK):
            oversize = dict(block.oversize)
            last = len(block.lines) - 1
            for index, raw in enumerate(block.lines):
                number += 1
                if index in oversize:
                    error = oversize_issue(number, oversize[index], max_line, file)
                    yield LogLine(file, number, None, None, False, error)
                elif block.broken and index == last:
                    yield LogLine(file, number, None, None, False, broken_issue(number, file))
                else:
                    yield parse(raw, file, number, schema_version)
