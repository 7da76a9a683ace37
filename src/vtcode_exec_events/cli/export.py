"""The ``export`` command: logs to the events table (Parquet, Arrow IPC or NDJSON)."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Sequence
from contextlib import suppress
from typing import Any, NoReturn

import click

from vtcode_exec_events.cli._options import (
    all_errors_option,
    choice_option,
    engine_option,
    jobs_option,
    max_line_option,
)
from vtcode_exec_events.cli._output import ends_on_interrupt, reader_may_leave
from vtcode_exec_events.cli._progress import byte_progress, progress_option
from vtcode_exec_events.text import visible
from vtcode_exec_events.validate import Issue, Summary

__all__ = ["command", "fail", "require", "start_ray", "validate_with_ray", "without_numpy"]


def fail(message: str) -> NoReturn:
    """A one-line error on stderr (escaped) and exit 2."""
    click.echo(f"vtcode-exec-events: error: {visible(message)}", err=True)
    sys.exit(2)


def without_numpy() -> None:
    """Keep numpy (and pandas) out of this process, for the local engine's ``export``.

    pyarrow imports numpy whenever it is installed (pyarrow.compute and pyarrow.dataset
    pull in pandas too, which Ray installs), yet the events table never needs either:
    the columns are built from Arrow buffers. That import is a third of a second of CPU
    at every start. ``sys.modules["numpy"] = None`` makes ``import numpy`` fail, which
    pyarrow takes as "not installed" (numpy has been optional since pyarrow 16). Only
    before pyarrow is imported, and never for Ray, which needs numpy.
    """
    if "pyarrow" in sys.modules or "numpy" in sys.modules:
        return
    sys.modules["numpy"] = None  # type: ignore[assignment]
    try:
        import pyarrow  # noqa: F401
    except ImportError:  # a pyarrow that needs numpy after all: let it have it
        del sys.modules["numpy"]


def require(module: str, extra: str) -> None:
    """Exit 2 with an install hint when an optional dependency is missing."""
    try:
        __import__(module)
    except ImportError:
        fail(f"this command needs the extra '{extra}': pip install 'vtcode-exec-events[{extra}]'")


def start_ray(paths: Sequence[str], cpus: int | None) -> None:
    """Check ``--engine ray`` can run and start or join Ray; else a one-line error, exit 2.

    Called before any output is made, so a failed start never leaves a partial report.
    """
    require("ray", "ray")
    require("pyarrow", "arrow")
    if "-" in paths:
        fail("--engine ray reads files and object storage, not standard input (-)")
    from vtcode_exec_events.engines import ray as ray_engine

    try:
        ray_engine.init(cpus)
    except ray_engine.EngineError as exc:
        fail(str(exc))


def validate_with_ray(
    paths: Sequence[str],
    schema_version: str | None,
    strict: bool,
    cpus: int,
    on_issue: Callable[[Issue], None],
    max_line: int,
    all_errors: bool,
) -> Summary:
    """``validate --engine ray`` (after :func:`start_ray`): the summary, or a one-line
    error and exit 2."""
    from vtcode_exec_events.engines import ray as ray_engine

    try:
        return ray_engine.validate_paths(
            paths,
            schema_version=schema_version,
            strict=strict,
            cpus=cpus,
            on_issue=on_issue,
            max_line=max_line,
            all_errors=all_errors,
        )
    except (ray_engine.EngineError, OSError, ValueError) as exc:
        fail(str(exc))


@click.command("export")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option(
    "-o",
    "--output",
    "out",
    required=True,
    metavar="OUT",
    help="OUT.parquet: one file; a folder: a Parquet dataset; - : stdout (arrow, ndjson).",
)
@choice_option(
    "--format",
    "fmt",
    choices=("parquet", "arrow", "ndjson"),
    default="parquet",
    help="Output format.",
)
@engine_option("local: this process; ray: Ray Data (RAY_ADDRESS, else a local cluster).")
@jobs_option(0, "CPUs of a local Ray cluster (0: all).")
@click.option("--schema-version", metavar="V", help="Schema version for bare lines.")
@click.option("--strict", is_flag=True, help="Warnings count as errors (valid = false).")
@click.option(
    "--partition-by",
    "partition_by",
    multiple=True,
    metavar="COLUMN",
    help="Hive-partition a dataset folder by a column (repeatable).",
)
@choice_option(
    "--compression",
    choices=("zstd", "snappy", "lz4", "gzip", "none"),
    default="zstd",
    help="Parquet (or Arrow IPC) compression.",
)
@max_line_option
@all_errors_option
@progress_option
def command(
    paths: tuple[str, ...],
    out: str,
    fmt: str,
    engine: str,
    jobs: int,
    schema_version: str | None,
    strict: bool,
    partition_by: tuple[str, ...],
    compression: str,
    max_line: int,
    all_errors: bool,
    progress: bool | None,
) -> None:
    """Write logs as one table, one row per line read, validate's verdict included.

    PATH: .jsonl / .jsonl.gz files, folders (recursively), - (stdin), or URLs
    (s3://…; AWS_ENDPOINT_URL points at an S3-compatible server). Exit status:
    0 written, 2 usage or I/O error (an unreadable input: the rest is still written).
    """
    if engine == "local":
        without_numpy()
    require("pyarrow", "arrow")
    if paths.count("-") > 1:
        raise click.UsageError("standard input (-) can be given only once")
    if out == "-" and fmt == "parquet":
        raise click.UsageError("Parquet cannot go to standard output: give -o OUT.parquet")
    from vtcode_exec_events.arrow import export, sources
    from vtcode_exec_events.errors import UnknownSchemaVersion, VtcodeExecEventsError

    options: dict[str, Any] = {
        "fmt": fmt,
        "schema_version": schema_version,
        "strict": strict,
        "partition_by": partition_by,
        "compression": compression,
        "max_line": max_line,
        "all_errors": all_errors,
    }
    try:
        if engine == "ray":
            start_ray(paths, jobs or None)
            from vtcode_exec_events.engines import ray as ray_engine

            tally = ray_engine.export(list(paths), out, cpus=jobs or None, **options)
        else:
            total = sum(
                s.size for s in sources.expand(list(paths)) if isinstance(s, sources.Source)
            )
            gc.freeze()  # what start-up built lives on: the collector skips it (3% less work)
            with (
                ends_on_interrupt(),
                reader_may_leave(),
                byte_progress("exporting", total, progress) as advance,
            ):
                tally = export.export(list(paths), out, progress=advance, **options)
    except UnknownSchemaVersion as exc:
        raise click.BadParameter(str(exc), param_hint="--schema-version") from None
    except (OSError, ValueError) as exc:
        fail(f"{out}: {exc}")
    except VtcodeExecEventsError as exc:  # the Ray engine's errors
        fail(str(exc))
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    for failure in tally.failures:
        where = f"{failure.name}: " if failure.name else ""
        click.echo(f"vtcode-exec-events: error: {visible(where + failure.message)}", err=True)
    with suppress(OSError):
        shown = visible(out)
        click.echo(
            f"{tally.lines} lines ({tally.invalid} invalid) from {tally.files} files -> {shown}",
            err=True,
        )
    sys.exit(2 if tally.failures else 0)
