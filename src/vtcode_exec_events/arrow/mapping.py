"""``map_batches``: whole files in, events rows out, in the shape Ray Data and Spark call.

Input rows are whole files: a ``path`` column and their bytes in ``bytes`` (Ray Data's
``read_binary_files(..., include_paths=True)``) or ``content`` (Spark's ``binaryFile``
source). A file is never split across batches, so ``thread_id`` and ``turn_index`` are
exact whatever the batching. Line-per-row inputs (``read_text``) lose the line numbers
and the thread state, so they are refused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import lru_cache
from typing import Any, TypeAlias

import pyarrow as pa

from vtcode_exec_events.arrow.schema import SCHEMA
from vtcode_exec_events.arrow.sources import bytes_batches
from vtcode_exec_events.validate import Checker, reader

__all__ = ["CONTENT_COLUMNS", "map_batches", "map_batches_with"]

#: Where a file's bytes may be: Ray Data's column name, Spark's.
CONTENT_COLUMNS = ("bytes", "content")

#: A ``pyarrow.RecordBatch`` or ``pyarrow.Table`` (pyarrow ships no type information).
Batch: TypeAlias = Any


@lru_cache(maxsize=8)
def _checker(schema_version: str | None, strict: bool) -> Checker:
    return Checker(schema_version=schema_version, strict=strict)


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
) -> Callable[[Batch | Iterable[pa.RecordBatch]], Iterator[Batch]]:
    """A ``map_batches`` with options: the default version for bare lines, ``strict``,
    ``names`` (a path as the engine sees it -> the name to show) and ``columns`` (keep
    only these, e.g. to leave ``raw`` on the workers). Picklable for any engine."""
    wanted = list(columns) if columns is not None else None
    if wanted is not None:
        unknown = [c for c in wanted if c not in SCHEMA.names]
        if unknown:
            raise ValueError(f"not a column of the events table: {', '.join(unknown)}")
    return _Mapper(schema_version, strict, dict(names or {}), wanted)


class _Mapper:
    """The picklable callable behind :func:`map_batches_with`."""

    def __init__(
        self,
        schema_version: str | None,
        strict: bool,
        names: dict[str, str],
        columns: list[str] | None,
    ) -> None:
        self.schema_version = schema_version
        self.strict = strict
        self.names = names
        self.columns = columns

    def __call__(self, batches: Batch | Iterable[pa.RecordBatch]) -> Iterator[Batch]:
        checker = _checker(self.schema_version, self.strict)
        # Ray Data passes one table and takes tables back; Spark iterates record batches.
        tables = isinstance(batches, pa.Table)
        inputs: Iterable[Batch] = (
            [batches] if isinstance(batches, (pa.RecordBatch, pa.Table)) else batches
        )
        for batch in inputs:
            for out in _one(batch, checker, self.names):
                if self.columns is not None:
                    out = out.select(self.columns)
                yield pa.Table.from_batches([out]) if tables else out
