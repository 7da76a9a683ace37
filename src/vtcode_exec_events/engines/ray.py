"""Ray Data engine: the files listed by the driver, each read and turned into rows on a worker.

``ray.init()`` joins the cluster in ``RAY_ADDRESS`` when it is set, else starts a local
one with ``cpus`` CPUs. Inputs are listed on the driver (folders and URL prefixes
expanded as ``export`` does) into a dataset of paths; each file goes whole to one
:func:`~vtcode_exec_events.arrow.mapping.read_files_with` call on a worker, which reads
it through ``pyarrow.fs`` with the local engine's reader (Ray Data never decompresses),
so thread and turn state is exact and a file that cannot be read to its end (a corrupt
gzip member) becomes an ``io`` row, as locally: it never fails the job.
"""

from __future__ import annotations

import logging
import os
import socket
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from vtcode_exec_events.arrow import export as local
from vtcode_exec_events.arrow import sources, writers
from vtcode_exec_events.arrow.mapping import read_files_with
from vtcode_exec_events.errors import VtcodeExecEventsError
from vtcode_exec_events.validate import Checker, FileResult, Issue, Summary
from vtcode_exec_events.validate.reader import MAX_LINE

__all__ = ["EngineError", "dataset", "export", "init", "validate_paths"]

#: Files per ``map_batches`` call.
FILES_PER_BATCH = 4
#: Most blocks of the dataset of paths: files are grouped into at most this many blocks (a
#: block names whole files), so millions of small files do not become millions of tasks.
MAX_TASKS = 4096
#: Seconds to wait for a TCP connection to ``RAY_ADDRESS`` before saying it cannot be joined.
CONNECT_TIMEOUT = 10.0
#: Ray's smallest object store (bytes).
MIN_OBJECT_STORE = 80 << 20


class EngineError(VtcodeExecEventsError, RuntimeError):
    """Ray could not start, join its cluster, or finish the job (one-line message)."""


def init(cpus: int | None = None) -> None:
    """Join ``RAY_ADDRESS``'s cluster, or start a local one with ``cpus`` CPUs."""
    import ray

    if not ray.is_initialized():
        options: dict[str, Any] = {
            "logging_level": logging.ERROR,
            "log_to_driver": False,
            "configure_logging": True,
        }
        address = os.environ.get("RAY_ADDRESS")
        if address:
            _reachable(address)
        try:
            if address:
                ray.init(address=address, **options)
            else:
                ray.init(
                    num_cpus=cpus or os.cpu_count() or 1,
                    include_dashboard=False,
                    object_store_memory=_store_within_limit(),
                    **options,
                )
        except Exception as exc:  # Ray raises bare Exception, ConnectionError, RuntimeError…
            where = f"the cluster at {address}" if address else "a local Ray cluster"
            raise EngineError(f"cannot start or join {where}: {_line(exc)}") from None
    for name in ("ray", "ray.data"):  # Ray Data logs its plans at INFO on stderr
        logging.getLogger(name).setLevel(logging.ERROR)
    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True
    context.enable_progress_bars = sys.stderr.isatty()


def _reachable(address: str) -> None:
    """Fail fast when nothing listens at a ``host:port`` address (``ray://`` too): Ray
    itself retries for minutes before giving up."""
    host, sep, port = address.removeprefix("ray://").rpartition(":")
    if not sep or not port.isdigit():
        return  # "auto", "local": Ray resolves them
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_TIMEOUT).close()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise EngineError(f"cannot start or join the cluster at {address}: {reason}") from None


def _store_within_limit() -> int | None:
    """An object store this process can map under its address-space limit (``ulimit -v``):
    a quarter of it; ``None`` (Ray's default, 30% of RAM) when there is no limit."""
    try:
        import resource
    except ImportError:  # not Unix
        return None
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY:
        return None
    return max(MIN_OBJECT_STORE, soft // 4)


def _line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


def _plan(
    paths: Sequence[str], checker: Checker, tally: local.Tally
) -> tuple[list[sources.Source], list[pa.RecordBatch]]:
    """Files for Ray, and the rows of inputs the driver reads itself (missing files,
    standard input): those become ``io`` rows exactly as the local engine writes them."""
    remote: list[sources.Source] = []
    here: list[pa.RecordBatch] = []
    for found in sources.expand(paths):
        if isinstance(found, sources.SourceError):
            tally.failures.append(local.Failure("", str(found)))
            continue
        if found.fs is None and not os.path.isfile(found.path):
            rows = list(sources.file_batches(found, checker))
            here.extend(rows)
            read = local.Tally()  # the file counts as the local engine counts it
            for _ in read.file(rows):
                pass
            tally.files += read.files
        else:
            tally.files += 1
            remote.append(found)
    filesystems = {type(s.fs).__name__ for s in remote if s.fs is not None}
    if len(filesystems) > 1 or (filesystems and any(s.fs is None for s in remote)):
        raise EngineError(
            "--engine ray reads one kind of storage per run (local or one URL scheme)"
        )
    return remote, here


def dataset(
    files: Sequence[sources.Source],
    checker: Checker | None = None,
    *,
    columns: Sequence[str] | None = None,
) -> Any:
    """The Ray dataset of events rows for ``files`` (names kept as the driver shows them),
    checked with ``checker``'s options (the default version, strict, the maximum line
    size, every error or the first)."""
    import ray

    options = checker or Checker()
    fs = files[0].fs if files else None
    listed = [
        {"path": s.path if s.fs is not None else os.path.abspath(s.path), "name": s.name}
        for s in files
    ]
    paths = ray.data.from_items(listed, override_num_blocks=max(1, min(len(listed), MAX_TASKS)))
    read = read_files_with(
        fs,
        schema_version=options.schema_version,
        strict=options.strict,
        columns=columns,
        max_line=options.max_line,
        all_errors=options.all_errors,
    )
    return paths.map_batches(read, batch_format="pyarrow", batch_size=FILES_PER_BATCH)


def _batches(ds: Any) -> Iterator[pa.RecordBatch]:
    for table in ds.iter_batches(batch_format="pyarrow", batch_size=None):
        yield from table.to_batches()


def export(
    paths: Sequence[str],
    out: str,
    *,
    fmt: str = "parquet",
    schema_version: str | None = None,
    strict: bool = False,
    partition_by: Sequence[str] = (),
    compression: str = "zstd",
    cpus: int | None = None,
    max_line: int = MAX_LINE,
    all_errors: bool = False,
) -> local.Tally:
    """Export with Ray: workers write a Parquet dataset folder; a single file (or Arrow,
    NDJSON) is written by the driver from the workers' batches."""
    checker = Checker(
        schema_version=schema_version, strict=strict, max_line=max_line, all_errors=all_errors
    )
    tally = local.Tally()
    files, here = _plan(paths, checker, tally)
    init(cpus)
    try:
        if writers.is_dataset(out, fmt) and files:
            ds = dataset(files, checker)
            fs = None
            target = out
            if sources.is_url(out):
                fs, target = sources.filesystem(out)
            ds.write_parquet(
                target,
                filesystem=fs,
                partition_cols=list(partition_by) or None,
                compression=compression,
            )
            for batch in here:
                tally.count(batch)
            if here:
                writers.write(
                    iter(here),
                    os.path.join(out, "driver"),
                    fmt=fmt,
                    partition_by=partition_by,
                    compression=compression,
                )
            for batch in _count_written(target, fs):
                tally.count(batch)
            return tally
        batches = _batches(dataset(files, checker)) if files else iter(())

        def counted() -> Iterator[pa.RecordBatch]:
            for batch in [*here]:
                tally.count(batch)
                yield batch
            for batch in batches:
                tally.count(batch)
                yield batch

        writers.write(counted(), out, fmt=fmt, partition_by=partition_by, compression=compression)
    except (OSError, ValueError, VtcodeExecEventsError):
        raise
    except Exception as exc:  # a failed Ray job
        raise EngineError(f"the Ray job failed: {_line(exc)}") from None
    return tally


def _count_written(target: str, fs: Any) -> Iterator[pa.RecordBatch]:
    """The counting columns of what the workers wrote (read back, without ``raw``)."""
    import pyarrow.dataset as pads

    written = pads.dataset(target, filesystem=fs, format="parquet", partitioning="hive")
    columns = ["file", "line", "valid", "error_message"]
    yield from written.to_batches(columns=columns)


def validate_paths(
    paths: Sequence[str],
    *,
    schema_version: str | None = None,
    strict: bool = False,
    cpus: int | None = None,
    on_issue: Callable[[Issue], None] | None = None,
    max_line: int = MAX_LINE,
    all_errors: bool = False,
) -> Summary:
    """``validate`` with Ray: the same :class:`Summary` (and issues, in file and line
    order) as :func:`vtcode_exec_events.validate.validate_paths` for the same files and
    options (``max_line``, ``all_errors``)."""
    checker = Checker(
        schema_version=schema_version, strict=strict, max_line=max_line, all_errors=all_errors
    )
    tally = local.Tally()
    files, here = _plan(paths, checker, tally)
    if tally.failures:
        raise EngineError(tally.failures[0].message)
    order = {
        s.name: n for n, s in enumerate(sources.expand(paths)) if isinstance(s, sources.Source)
    }
    summary = Summary(files=[FileResult(path=name, keep=0) for name in order])
    columns = ["file", "line", "valid", "issues"]
    init(cpus)
    try:
        stream: Iterator[pa.RecordBatch] = iter(())
        if files:
            ds = dataset(files, checker, columns=columns)
            stream = _batches(ds)
        for batch in [*(b.select(columns) for b in here), *stream]:
            _fold(batch, summary, order, on_issue)
    except (OSError, ValueError, VtcodeExecEventsError):
        raise
    except Exception as exc:
        raise EngineError(f"the Ray job failed: {_line(exc)}") from None
    return summary


def _fold(
    batch: pa.RecordBatch,
    summary: Summary,
    order: dict[str, int],
    on_issue: Callable[[Issue], None] | None,
) -> None:
    """Add one batch of (file, line, valid, issues) rows to the summary."""
    files = batch.column("file")
    for name in pc.unique(files).to_pylist():
        part = batch.filter(pc.equal(files, name)) if len(pc.unique(files)) > 1 else batch
        total = summary.files[order[name]]
        lines = part.column("line")
        read = part.num_rows - lines.null_count
        valid = pc.sum(pc.and_(part.column("valid"), pc.is_valid(lines))).as_py() or 0
        total.lines += read
        total.valid += valid
        total.invalid += read - valid
        flagged = part.filter(pc.is_valid(part.column("issues")))
        for row in flagged.to_pylist():
            if row["line"] is None:
                if total.error is None:
                    total.error = row["issues"][0]["message"]
                continue
            for found in row["issues"]:
                issue = Issue(
                    line=row["line"],
                    pointer=found["pointer"],
                    message=found["message"],
                    kind=found["kind"],
                    severity=found["severity"],
                    file=name,
                )
                if issue.severity == "warning":
                    total.warnings += 1
                total.record((issue,))  # counted in its group, not kept
                if on_issue is not None:
                    on_issue(issue)
