"""Inputs of the events table: files, folders (recursively), ``-``, object-storage URLs.

Local files and standard input are read by ``validate``'s own reader (the same line
splitting, gzip by its magic bytes); URLs (``s3://``, ``gs://``, ``file://``…) through
``pyarrow.fs``. For S3, ``AWS_ENDPOINT_URL`` (or ``AWS_ENDPOINT_URL_S3``) points at an
S3-compatible server (MinIO, moto, Ceph…), as the AWS tools read it.
"""

from __future__ import annotations

import gzip
import io
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, BinaryIO

import pyarrow as pa
import pyarrow.fs as pafs

from vtcode_exec_events.arrow.table import EventTable
from vtcode_exec_events.validate import Checker, reader

__all__ = [
    "LOG_SUFFIXES",
    "Source",
    "SourceError",
    "bytes_batches",
    "expand",
    "file_batches",
    "filesystem",
    "is_url",
]

#: What a folder contributes: its logs, recursively, in name order.
LOG_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")


Progress = Callable[[int], None]


class SourceError(reader.InputError):
    """A path that names no readable input (missing, empty folder, bad URL)."""


@dataclass(frozen=True)
class Source:
    """One input file: its name in reports, where it is, and its size when known."""

    name: str
    path: str
    size: int = 0
    #: The filesystem of a URL; ``None`` for a local path or standard input.
    fs: Any = None


def is_url(path: str) -> bool:
    """Whether ``path`` is a URL (``scheme://…``) rather than a local path."""
    scheme, sep, _ = path.partition("://")
    return bool(sep) and scheme.isascii() and scheme.isalnum() and len(scheme) > 1


def _endpoint() -> str | None:
    return os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")


def filesystem(url: str) -> tuple[pafs.FileSystem, str]:
    """The ``pyarrow.fs`` filesystem and path of a URL. Raises :class:`SourceError`."""
    try:
        if url.startswith("s3://") and _endpoint():
            endpoint = _endpoint() or ""
            scheme, _, host = endpoint.rpartition("://")
            keys = {
                "access_key": os.environ.get("AWS_ACCESS_KEY_ID"),
                "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY"),
                "session_token": os.environ.get("AWS_SESSION_TOKEN"),
            }
            # Explicit keys travel with the filesystem when Ray pickles it to its workers.
            fs = pafs.S3FileSystem(
                endpoint_override=host.rstrip("/"),
                scheme=scheme or "https",
                region=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION"),
                **{k: v for k, v in keys.items() if v},
            )
            return fs, url[len("s3://") :].rstrip("/")
        fs, path = pafs.FileSystem.from_uri(url)
    except (pa.ArrowException, ValueError, OSError) as exc:
        raise SourceError(f"cannot open {url}: {_first_line(exc)}") from None
    return fs, path


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


def _is_log(name: str) -> bool:
    return name.endswith(LOG_SUFFIXES)


def _expand_url(url: str) -> list[Source]:
    fs, path = filesystem(url)
    try:
        info = fs.get_file_info(path)
        if info.type == pafs.FileType.File:
            return [Source(reader.display_name(url), path, info.size or 0, fs)]
        if info.type != pafs.FileType.Directory:
            raise SourceError(f"{reader.display_name(url)}: no such file or folder")
        found = fs.get_file_info(pafs.FileSelector(path, recursive=True))
    except (pa.ArrowException, OSError) as exc:
        if isinstance(exc, SourceError):
            raise
        raise SourceError(f"{reader.display_name(url)}: {_first_line(exc)}") from None
    scheme = url.partition("://")[0]
    files = sorted(
        (f for f in found if f.type == pafs.FileType.File and _is_log(f.path)),
        key=lambda f: f.path,
    )
    if not files:
        raise SourceError(f"{reader.display_name(url)}: no {' or '.join(LOG_SUFFIXES)} files")
    return [
        Source(reader.display_name(f"{scheme}://{f.path}"), f.path, f.size or 0, fs) for f in files
    ]


def _expand_local(path: str) -> list[Source]:
    if path == reader.STDIN:
        return [Source(reader.display_name(path), path)]
    if not os.path.isdir(path):
        try:
            size = os.path.getsize(path)
        except OSError:
            size = 0  # the reader reports why it cannot be read
        return [Source(reader.display_name(path), path, size)]
    found: list[str] = []
    for root, dirs, names in os.walk(path):
        dirs.sort()
        found.extend(os.path.join(root, n) for n in sorted(names) if _is_log(n))
    if not found:
        raise SourceError(f"{reader.display_name(path)}: no {' or '.join(LOG_SUFFIXES)} files")
    return [Source(reader.display_name(p), p, os.path.getsize(p)) for p in found]


def expand(paths: Sequence[str]) -> Iterator[Source | SourceError]:
    """Every input file the paths name, in order; a path that names none is an error."""
    for path in paths:
        try:
            yield from (_expand_url(path) if is_url(path) else _expand_local(path))
        except SourceError as exc:
            yield exc


class _Raw(io.RawIOBase):
    """A raw stream over a ``pyarrow`` input stream (so it can be buffered and peeked at)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.inner.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


@contextmanager
def _open(source: Source) -> Iterator[reader.Input]:
    if source.fs is None:
        with reader.open_input(source.path) as opened:
            yield opened
        return
    try:
        inner = source.fs.open_input_stream(source.path, compression=None)
    except (pa.ArrowException, OSError) as exc:
        raise reader.InputError(_first_line(exc)) from None
    with inner:
        yield _input(io.BufferedReader(_Raw(inner), 1 << 20))


def _input(raw: io.BufferedReader) -> reader.Input:
    try:
        head = raw.peek(2)[:2]
    except (pa.ArrowException, OSError) as exc:
        raise reader.InputError(_first_line(exc)) from None
    if head == reader.GZIP_MAGIC:
        stream: BinaryIO = gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[assignment]
        return reader.Input(stream, raw.tell, True)
    return reader.Input(raw, raw.tell, False)


def _batches(
    opened: reader.Input, table: EventTable, progress: Progress | None = None
) -> Iterator[pa.RecordBatch]:
    seen = 0
    try:
        for block in reader.blocks(opened, max_line=table.checker.max_line, newlines=True):
            yield table.batch(
                block.lines,
                unterminated=block.unterminated,
                broken=block.broken,
                oversize=block.oversize,
                ended=True,
            )
            if progress is not None:
                now = opened.consumed()
                progress(now - seen)
                seen = now
    except (reader.InputError, pa.ArrowException) as exc:
        yield table.failure(_first_line(exc))


def file_batches(
    source: Source, checker: Checker, progress: Progress | None = None
) -> Iterator[pa.RecordBatch]:
    """The rows of one input, a batch per block of lines; an unreadable input ends in
    one ``io`` row (the lines read before it are kept). ``progress`` gets bytes read."""
    table = EventTable(source.name, checker)
    try:
        with _open(source) as opened:
            yield from _batches(opened, table, progress)
    except reader.InputError as exc:
        yield table.failure(str(exc))


def bytes_batches(name: str, data: bytes, checker: Checker) -> Iterator[pa.RecordBatch]:
    """The rows of one whole file held in memory (plain or gzip)."""
    table = EventTable(name, checker)
    yield from _batches(_input(io.BufferedReader(io.BytesIO(data))), table)
