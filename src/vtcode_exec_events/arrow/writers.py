"""Write events batches as one Parquet file, a Parquet dataset (folder), Arrow IPC or NDJSON.

Writers stream: at most one row group (:data:`ROW_GROUP_ROWS` rows or
:data:`ROW_GROUP_BYTES`) is held before it is written, and one more while it is written,
whatever the size of the input. Parquet and Arrow IPC files are encoded and compressed in a
second thread (pyarrow releases the GIL there) while the next row group is made.
"""

from __future__ import annotations

import base64
import os
import queue
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from typing import Any, BinaryIO

import orjson
import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from vtcode_exec_events.arrow.schema import SCHEMA
from vtcode_exec_events.arrow.sources import filesystem, is_url

__all__ = [
    "DICTIONARY_COLUMNS",
    "FILE_ROWS",
    "FORMATS",
    "ROW_GROUP_BYTES",
    "ROW_GROUP_ROWS",
    "is_dataset",
    "write",
]

FORMATS = ("parquet", "arrow", "ndjson")
#: Rows per Parquet row group. The last row group is compressed after the last line is
#: read, while nothing else runs: a small one keeps that serial tail short (with 65,536 rows
#: the export waited about 0.16 s per 100k events for it; with 16,384, 0.05 s).
ROW_GROUP_ROWS = 1 << 14
ROW_GROUP_BYTES = 64 << 20
#: Rows per file of a Parquet dataset (a folder).
FILE_ROWS = 1 << 22


def is_dataset(out: str, fmt: str) -> bool:
    """Whether ``out`` names a folder to fill with a Parquet dataset rather than one file:
    Parquet output whose name does not end in ``.parquet``."""
    return fmt == "parquet" and out != "-" and not out.endswith(".parquet")


#: Columns with few distinct values: dictionary-encoded. The others (ids, commands,
#: messages, counts, ``raw``) are mostly distinct, where a dictionary costs time (a tenth of
#: the writing) and makes the file larger, not smaller.
DICTIONARY_COLUMNS = (
    "file",
    "severity",
    "error_kind",
    "schema_version",
    "type",
    "thread_id",
    "item_type",
    "status",
    "tool_name",
)


def _parquet_options(compression: str) -> dict[str, Any]:
    """Parquet settings: dictionaries for :data:`DICTIONARY_COLUMNS`, statistics for every
    column but ``raw`` (unique, large values)."""
    columns = [name for name in SCHEMA.names if name != "raw"]
    return {
        "compression": compression,
        "use_dictionary": list(DICTIONARY_COLUMNS),
        "write_statistics": columns,
    }


def _grouped(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.Table]:
    """Batches gathered into tables of about one row group each."""
    held: list[pa.RecordBatch] = []
    rows = size = 0
    for batch in batches:
        held.append(batch)
        rows += batch.num_rows
        size += batch.nbytes
        if rows >= ROW_GROUP_ROWS or size >= ROW_GROUP_BYTES:
            yield pa.Table.from_batches(held, SCHEMA)
            held, rows, size = [], 0, 0
    if held:
        yield pa.Table.from_batches(held, SCHEMA)


#: Bytes gathered in Arrow before a write reaches a Python file object. The writer thread
#: writes without the GIL; each write to a Python file takes it back, and the thread that
#: makes the rows then waits for it. Parquet writes many small pieces: unbuffered, that
#: wait was about a tenth of an export.
OUT_BUFFER = 1 << 20


class _Kept:
    """A binary stream that passes writes on and is flushed, never closed, when Arrow
    closes it (standard output stays open for whatever runs next)."""

    closed = False

    def __init__(self, inner: BinaryIO) -> None:
        self.inner = inner

    def write(self, data: bytes) -> int:
        return self.inner.write(data)

    def flush(self) -> None:
        self.inner.flush()

    def close(self) -> None:
        self.inner.flush()


@contextmanager
def _output(out: str) -> Iterator[Any]:
    """A binary output stream: ``-`` (standard output), a URL, or a local file; local ones
    buffered in Arrow (:data:`OUT_BUFFER`)."""
    if is_url(out):
        fs, path = filesystem(out)
        with fs.open_output_stream(path) as stream:
            yield stream
        return
    with ExitStack() as stack:
        target = _Kept(sys.stdout.buffer) if out == "-" else stack.enter_context(open(out, "wb"))
        with pa.output_stream(target, buffer_size=OUT_BUFFER) as stream:
            yield stream


def _ndjson_row(row: dict[str, Any]) -> bytes:
    raw = row["raw"]
    try:
        row["raw"] = raw.decode("utf-8") if raw is not None else None
    except UnicodeDecodeError:
        row["raw"] = None
        row["raw_base64"] = base64.b64encode(raw).decode()
    return orjson.dumps(row) + b"\n"


def _write_ndjson(batches: Iterable[pa.RecordBatch], stream: BinaryIO) -> int:
    rows = 0
    for batch in batches:
        stream.write(b"".join(_ndjson_row(r) for r in batch.to_pylist()))
        rows += batch.num_rows
    return rows


def _write_file(batches: Iterable[pa.RecordBatch], out: str, fmt: str, compression: str) -> int:
    with _output(out) as stream:
        if fmt == "ndjson":
            rows = _write_ndjson(batches, stream)
        elif fmt == "arrow":
            opener = pa.ipc.new_stream if out == "-" else pa.ipc.new_file
            options = pa.ipc.IpcWriteOptions(
                compression=None if compression == "none" else compression
            )
            with opener(stream, SCHEMA, options=options) as writer:
                rows = _in_background(_grouped(batches), writer.write_table)
        else:
            with pq.ParquetWriter(stream, SCHEMA, **_parquet_options(compression)) as writer:
                rows = _in_background(
                    _grouped(batches),
                    lambda t: writer.write_table(t, row_group_size=ROW_GROUP_ROWS),
                )
    return rows


def _in_background(tables: Iterator[pa.Table], write: Callable[[pa.Table], Any]) -> int:
    """``write`` each table in a second thread while the next one is made; returns the
    rows. At most one table waits; the writer's error (or an interrupt here) stops both,
    and the writer's error is raised here."""
    slot: queue.Queue[pa.Table | None] = queue.Queue(maxsize=1)
    failed: list[BaseException] = []

    def writer() -> None:
        while (table := slot.get()) is not None:
            if not failed:
                try:
                    write(table)
                except BaseException as exc:  # handed to the caller, raised there
                    failed.append(exc)

    thread = threading.Thread(target=writer, name="events-writer", daemon=True)
    thread.start()
    rows = 0
    try:
        for table in tables:
            if failed:
                break
            slot.put(table)
            rows += table.num_rows
    finally:
        slot.put(None)
        thread.join()
    if failed:
        raise failed[0]
    return rows


def _write_dataset(
    batches: Iterable[pa.RecordBatch], out: str, partition_by: Sequence[str], compression: str
) -> int:
    rows = 0

    def counted() -> Iterator[pa.RecordBatch]:
        nonlocal rows
        for batch in batches:
            rows += batch.num_rows
            yield batch

    import pyarrow.dataset as pads  # slow to import (seconds): only for datasets

    fs: pafs.FileSystem | None = None
    base = out
    if is_url(out):
        fs, base = filesystem(out)
    else:
        os.makedirs(out, exist_ok=True)
    pads.write_dataset(
        pa.RecordBatchReader.from_batches(SCHEMA, counted()),
        base,
        filesystem=fs,
        format="parquet",
        file_options=pads.ParquetFileFormat().make_write_options(**_parquet_options(compression)),
        partitioning=list(partition_by) or None,
        partitioning_flavor="hive" if partition_by else None,
        basename_template="part-{i}.parquet",
        max_rows_per_file=FILE_ROWS,
        max_rows_per_group=ROW_GROUP_ROWS,
        min_rows_per_group=ROW_GROUP_ROWS,
        existing_data_behavior="overwrite_or_ignore",
        preserve_order=True,
        use_threads=True,
    )
    return rows


def write(
    batches: Iterable[pa.RecordBatch],
    out: str,
    *,
    fmt: str = "parquet",
    partition_by: Sequence[str] = (),
    compression: str = "zstd",
) -> int:
    """Write the rows; returns how many. Raises :class:`SourceError` for a bad output URL
    and ``OSError`` when the output cannot be written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    unknown = [c for c in partition_by if c not in SCHEMA.names]
    if unknown:
        raise ValueError(f"not a column of the events table: {', '.join(unknown)}")
    if is_dataset(out, fmt):
        return _write_dataset(batches, out, partition_by, compression)
    if partition_by:
        raise ValueError("--partition-by needs a folder as output (a Parquet dataset)")
    return _write_file(batches, out, fmt, compression)
