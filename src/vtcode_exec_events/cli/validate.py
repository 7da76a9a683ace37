"""The ``validate`` command: check JSONL event logs offline, line by line."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress

import click

from vtcode_exec_events import registry
from vtcode_exec_events.cli._output import reader_may_leave
from vtcode_exec_events.errors import UnknownSchemaVersion
from vtcode_exec_events.validate import validate_paths
from vtcode_exec_events.validate.reader import STDIN
from vtcode_exec_events.validate.report import JsonReporter, Reporter, TextReporter

__all__ = ["command"]

#: Inputs at least this large (in bytes on disk) get a progress bar on a terminal.
PROGRESS_THRESHOLD = 16 << 20


def _input_size(paths: tuple[str, ...]) -> int:
    total = 0
    for path in paths:
        if path != STDIN:
            with suppress(OSError):
                total += os.path.getsize(path)
    return total


@contextmanager
def _progress(total: int, show: bool | None) -> Iterator[Callable[[int], None] | None]:
    """A byte-count progress bar on stderr, for large inputs on a terminal only."""
    wanted = sys.stderr.isatty() and total >= PROGRESS_THRESHOLD if show is None else show
    if not wanted or total <= 0:
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    bar = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
        redirect_stdout=False,
        redirect_stderr=False,
    )
    task = bar.add_task("validating", total=total)
    with bar:
        yield lambda n: bar.advance(task, n)


def _check_version(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return registry.resolve_version(value)
    except UnknownSchemaVersion as exc:
        raise click.BadParameter(str(exc)) from None


@click.command("validate")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option(
    "--schema-version",
    callback=_check_version,
    metavar="V",
    help="Schema version for bare lines (default: the newest). Envelopes use their own.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Treat warnings (unknown event types, unknown catch-all values, BOM) as errors.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Worker processes for large or many files (0: one per CPU).",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Force the progress bar on or off (default: on a terminal, for large inputs).",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "ray"]),
    default="local",
    show_default=True,
    help="local: this machine; ray: Ray Data (RAY_ADDRESS, else a local cluster of --jobs CPUs).",
)
def command(
    paths: tuple[str, ...],
    schema_version: str | None,
    strict: bool,
    fmt: str,
    jobs: int,
    progress: bool | None,
    engine: str,
) -> None:
    """Validate JSONL event logs (.jsonl, .jsonl.gz, or - for standard input).

    Each line is a bare event, checked against --schema-version, or a
    {"schema_version", "event"} envelope, checked against its own version.
    Exit status: 0 every line valid, 1 some line invalid, 2 usage or I/O error.
    """
    if paths.count(STDIN) > 1:
        raise click.UsageError("standard input (-) can be given only once")
    jobs = jobs or os.cpu_count() or 1
    # A terminal or pipe that is not UTF-8 gets escapes (still valid JSON), not a traceback.
    with suppress(AttributeError, ValueError):
        sys.stdout.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    try:
        with reader_may_leave():
            reporter: Reporter = (
                JsonReporter(sys.stdout) if fmt == "json" else TextReporter(sys.stdout)
            )
            if engine == "ray":
                from vtcode_exec_events.cli.export import validate_with_ray

                summary = validate_with_ray(paths, schema_version, strict, jobs, reporter.issue)
            else:
                with _progress(_input_size(paths), progress) as advance:
                    summary = validate_paths(
                        list(paths),
                        schema_version=schema_version,
                        strict=strict,
                        jobs=jobs,
                        on_issue=reporter.issue,
                        on_progress=advance,
                        keep_issues=False,
                    )
            reporter.finish(summary)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    sys.exit(summary.exit_code)
