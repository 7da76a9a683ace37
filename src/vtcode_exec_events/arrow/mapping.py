"""``map_batches``: whole files in, events rows out, in the shape Ray Data and Spark call.

Input rows are whole files: a ``path`` column and their bytes in ``bytes`` (Ray Data's
``read_binary_files(..., include_paths=True)``) or ``content`` (Spark's ``binaryFile``
source). A file is never split across batches, so ``thread_id`` and ``turn_index`` are
exact whatever the batching. Line-per-row inputs (``read_text``) lose the line numbers
and the thread state, so they are refused. :func:`read_files_with` takes rows that only
name files and reads each where it runs, as the local engine does (streaming).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeAlias

import pyarrow as pa

from vtcode_exec_events.arrow.schema import SCHEMA
from vtcode_exec_events.arrow.sources import Source, bytes_batches, file_batches
from vtcode_exec_events.validate import Checker, reader

__all__ = [
    "CONTENT_COLUMNS",
    "map_batches",
    "map_batches_with",
    "read_files_with",
    "shared_checker",
]

#: Where a file's bytes may be: Ray Data's column name, Spark's.
CONTENT_COLUMNS = ("bytes", "content")

#: A ``pyarrow.RecordBatch`` or ``pyarrow.Table`` (pyarrow ships no type information).
Batch: TypeAlias = Any


@lru_cache(maxsize=8)
def shared_checker(
    schema_version: str | None = None,
    strict: bool = False,
    max_line: int = reader.MAX_LINE,
    all_errors: bool = False,
) -> Checker:
    """One :class:`Checker` per set of options in a process (a worker builds it once)."""
    return Checker(
        schema_version=schema_version, strict=strict, max_line=max_line, all_errors=all_errors
    )


def _content_column(batch: Batch) -> str:
    for name in CONTENT_COLUMNS:
        if name in batch.schema.names:
            return name
    raise ValueError(
        "map_batches takes whole files: a 'path' column and a 'bytes' (Ray Data "
        "read_binary_files) or 'content' (Spark binaryFile) column; found "
        f"{', '.join(batch.schema.names) or 'no columns'}"
    )


def _one(
    batch: Batch, checker: Checker, names: Mapping[str, str] | None
) -> Iterator[pa.RecordBatch]:
    column = _content_column(batch)
    paths = batch.column("path").to_pylist() if "path" in batch.schema.names else None
    contents = batch.column(column)
    for index in range(batch.num_rows):
        path = paths[index] if paths is not None else ""
        name = names.get(path, path) if names else path
        data = contents[index].as_py()
        yield from bytes_batches(reader.display_name(name), data or b"", checker)


def map_batches(batches: Batch | Iterable[pa.RecordBatch]) -> Iterator[Batch]:
    """Events rows for whole files (default schema version, not strict); tables for a
    table, record batches for a record batch or an iterator of them.

    ``ds.map_batches(map_batches, batch_format="pyarrow")`` (Ray Data: one table per call)
    and ``df.mapInArrow(map_batches, SPARK_DDL)`` (Spark: an iterator of record batches)
    both call it directly; see :func:`map_batches_with` for options.
    """
    return map_batches_with()(batches)


def map_batches_with(
    *,
    schema_version: str | None = None,
    strict: bool = False,
    names: Mapping[str, str] | None = None,
    columns: Iterable[str] | None = None,
    max_line: int = reader.MAX_LINE,
    all_errors: bool = False,
) -> Callable[[Batch | Iterable[pa.RecordBatch]], Iterator[Batch]]:
    """A ``map_batches`` with options: the default version for bare lines, ``strict``,
    ``names`` (a path as the engine sees it -> the name to show), ``columns`` (keep
    only these, e.g. to leave ``raw`` on the workers), ``max_line`` (a longer line is
    an invalid row of kind ``size``, ``raw`` null) and ``all_errors`` (every schema error
    of a line in ``issues``, as ``validate --all-errors``). Picklable for any engine."""
    options = _Options(schema_version, strict, max_line, all_errors, _columns(columns))
    return _Mapper(options, dict(names or {}))


def read_files_with(
    filesystem: Any = None,
    *,
    schema_version: str | None = None,
    strict: bool = False,
    columns: Iterable[str] | None = None,
    max_line: int = reader.MAX_LINE,
    all_errors: bool = False,
) -> Callable[[Batch | Iterable[pa.RecordBatch]], Iterator[Batch]]:
    """As :func:`map_batches_with`, for rows that name files instead of holding them: a
    ``path`` column (on ``filesystem``, a ``pyarrow.fs`` filesystem; local paths when
    ``None``) and optionally ``name``, the name to show. Each file is read where the
    function runs, by the local engine's reader: streamed (a file is never held whole),
    gzip recognised by its magic bytes, an over-long line skipped unread, and a file
    that breaks off (a truncated gzip member) ends in one ``io`` row."""
    options = _Options(schema_version, strict, max_line, all_errors, _columns(columns))
    return _Reader(options, filesystem)


def _columns(columns: Iterable[str] | None) -> list[str] | None:
    wanted = list(columns) if columns is not None else None
    if wanted is not None:
        unknown = [c for c in wanted if c not in SCHEMA.names]
        if unknown:
            raise ValueError(f"not a column of the events table: {', '.join(unknown)}")
    return wanted


@dataclass(frozen=True)
class _Options:
    schema_version: str | None
    strict: bool
    max_line: int
    all_errors: bool
    columns: list[str] | None

    def checker(self) -> Checker:
        return shared_checker(self.schema_version, self.strict, self.max_line, self.all_errors)

    def run(
        self,
        batches: Batch | Iterable[pa.RecordBatch],
        rows: Callable[[Batch, Checker], Iterator[pa.RecordBatch]],
    ) -> Iterator[Batch]:
        """``rows`` over every input batch; tables out for a table (Ray Data passes one
        and takes tables back), record batches otherwise (Spark iterates them)."""
        checker = self.checker()
        tables = isinstance(batches, pa.Table)
        inputs: Iterable[Batch] = (
            [batches] if isinstance(batches, (pa.RecordBatch, pa.Table)) else batches
        )
        for batch in inputs:
            for out in rows(batch, checker):
                if self.columns is not None:
                    out = out.select(self.columns)
                yield pa.Table.from_batches([out]) if tables else out


class _Mapper:
    """The picklable callable behind :func:`map_batches_with`."""

    def __init__(self, options: _Options, names: dict[str, str]) -> None:
        self.options = options
        self.names = names

    def __call__(self, batches: Batch | Iterable[pa.RecordBatch]) -> Iterator[Batch]:
        return self.options.run(batches, self._rows)

    def _rows(self, batch: Batch, checker: Checker) -> Iterator[pa.RecordBatch]:
        return _one(batch, checker, self.names)


class _Reader:
    """The picklable callable behind :func:`read_files_with`."""

    def __init__(self, options: _Options, filesystem: Any) -> None:
        self.options = options
        self.filesystem = filesystem

    def __call__(self, batches: Batch | Iterable[pa.RecordBatch]) -> Iterator[Batch]:
        return self.options.run(batches, self._rows)

    def _rows(self, batch: Batch, checker: Checker) -> Iterator[pa.RecordBatch]:
        paths = batch.column("path").to_pylist()
        names = batch.column("name").to_pylist() if "name" in batch.schema.names else paths
        for path, name in zip(paths, names, strict=True):
            source = Source(reader.display_name(name), path, 0, self.filesystem)
            yield from file_batches(source, checker)
