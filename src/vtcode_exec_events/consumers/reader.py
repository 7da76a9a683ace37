"""Read a JSONL event log one line at a time (file, ``.jsonl.gz`` or ``-``) and parse each line."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from pydantic import BaseModel

from vtcode_exec_events.errors import WireFormatError
from vtcode_exec_events.registry import versions
from vtcode_exec_events.validate.reader import STDIN, display_name, open_input
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


def _strip(raw: bytes) -> bytes:
    if raw.endswith(b"\n"):
        raw = raw[:-1]
        if raw.endswith(b"\r"):
            raw = raw[:-1]
    return raw


def _bare_versions(schema_version: str | None) -> tuple[str, ...]:
    """The versions to try for a bare line: the one asked for, or newest first."""
    if schema_version is not None:
        return (schema_version,)
    return tuple(reversed(versions()))


def parse(
    raw: bytes,
    file: str,
    number: int,
    schema_version: str | None = None,
    *,
    candidates: tuple[str, ...] | None = None,
) -> LogLine:
    """Parse one line (without its newline). Never raises for bad input.

    ``candidates`` (from a caller parsing many lines) saves working out the versions to try.

    An envelope is parsed with the models of its ``schema_version``. A bare line is parsed
    with ``schema_version`` when given; otherwise with the newest version that accepts it,
    trying newest first (a bare 0.3.0 log has no ``cache_creation_tokens``, which 0.11.0
    requires). The error reported for a bare line is the newest version's.
    """
    if not raw.strip():
        error = Issue(number, "", "empty line: expected one JSON event", "json", file=file)
        return LogLine(file, number, None, None, False, error)
    first: WireFormatError | None = None
    for version in candidates or _bare_versions(schema_version):
        try:
            parsed = parse_line(raw, schema_version=version)
        except WireFormatError as exc:
            first = first or exc
            envelope = exc.pointer.startswith(("/event", "/schema_version"))
            if exc.kind != "schema" or envelope:
                break  # another version's models would not change the verdict
            continue
        if parsed.schema_version is not None:
            return LogLine(file, number, parsed.event, parsed.schema_version, True)
        return LogLine(file, number, parsed.event, version, False)
    assert first is not None
    error = Issue(number, first.pointer, first.message, _kind(first.kind), file=file)
    return LogLine(file, number, None, None, False, error)


def _kind(kind: str) -> Kind:
    """A parse error's kind as the validator names it (``schema`` for anything else)."""
    return kind if kind in KINDS else "schema"


def read_log(path: str, *, schema_version: str | None = None) -> Iterator[LogLine]:
    """Every line of one log, parsed, in order; constant memory however long the log is.

    ``OSError`` (``InputError`` included) and ``EOFError`` from a truncated gzip file
    propagate to the caller.
    """
    file = display_name(path)
    candidates = _bare_versions(schema_version)
    with open_log(path) as stream:
        for number, raw in enumerate(stream, start=1):
            yield parse(_strip(raw), file, number, candidates=candidates)
