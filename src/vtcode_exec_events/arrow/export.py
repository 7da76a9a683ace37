"""Export logs as the events table on this machine: read, check, write, in one stream."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import pyarrow as pa

from vtcode_exec_events.arrow import sources, writers
from vtcode_exec_events.validate import Checker
from vtcode_exec_events.validate.reader import MAX_LINE

__all__ = ["Failure", "Tally", "export", "local_batches"]


@dataclass(frozen=True)
class Failure:
    """An input that could not be read (to its end): its name and why."""

    name: str
    message: str


@dataclass
class Tally:
    """What an export wrote: rows (lines read), invalid lines, files read (an input that
    could not be read at all, its only row an ``io`` row, is a failure, not a file),
    unreadable inputs."""

    rows: int = 0
    lines: int = 0
    invalid: int = 0
    files: int = 0
    failures: list[Failure] = field(default_factory=list)

    def count(self, batch: pa.RecordBatch) -> None:
        """Fold one batch of events rows in (file-error rows are failures, not lines)."""
        self.rows += batch.num_rows
        broken = batch.column("line").null_count
        self.lines += batch.num_rows - broken
        self.invalid += batch.column("valid").false_count - broken
        if broken:
            rows = batch.select(["line", "file", "error_message"]).to_pylist()
            for row in rows:
                if row["line"] is None:
                    self.failures.append(Failure(row["file"], row["error_message"]))

    def file(self, batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        """One input's batches, folded in as they pass; the input counts as a file read
        unless its rows are only the failure of an input that could not be read."""
        lines, failures = self.lines, len(self.failures)
        for batch in batches:
            self.count(batch)
            yield batch
        if self.lines > lines or len(self.failures) == failures:
            self.files += 1


def local_batches(
    paths: Sequence[str],
    checker: Checker,
    tally: Tally,
    progress: sources.Progress | None = None,
) -> Iterator[pa.RecordBatch]:
    """Every input's rows in order (this process); ``tally`` counts them as they pass."""
    for found in sources.expand(paths):
        if isinstance(found, sources.SourceError):
            tally.failures.append(Failure("", str(found)))
            continue
        yield from tally.file(sources.file_batches(found, checker, progress))


def export(
    paths: Sequence[str],
    out: str,
    *,
    fmt: str = "parquet",
    schema_version: str | None = None,
    strict: bool = False,
    partition_by: Sequence[str] = (),
    compression: str = "zstd",
    progress: Callable[[int], None] | None = None,
    max_line: int = MAX_LINE,
    all_errors: bool = False,
) -> Tally:
    """Write the events table of ``paths`` to ``out`` (see :func:`writers.write`). A line
    longer than ``max_line`` bytes is an invalid row of kind ``size`` (never held);
    ``all_errors`` puts every schema error of a line in ``issues``."""
    checker = Checker(
        schema_version=schema_version, strict=strict, max_line=max_line, all_errors=all_errors
    )
    tally = Tally()
    writers.write(
        local_batches(paths, checker, tally, progress),
        out,
        fmt=fmt,
        partition_by=partition_by,
        compression=compression,
    )
    return tally
