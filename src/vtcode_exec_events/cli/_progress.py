"""Progress on standard error for long runs: shown only on a terminal, for large inputs."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from typing import Any, TypeVar

import click

__all__ = ["PROGRESS_THRESHOLD", "byte_progress", "counted", "input_size", "progress_option"]

#: Inputs at least this large (in bytes on disk) get a progress bar on a terminal.
PROGRESS_THRESHOLD = 16 << 20
#: Lines between two updates of a line count (an update costs far more than a line).
_EVERY = 4096
T = TypeVar("T")

#: ``--progress/--no-progress`` for the commands that read logs.
progress_option = click.option(
    "--progress/--no-progress",
    default=None,
    help="Force the progress display on standard error on or off "
    "(default: on a terminal, for inputs of 16 MB or more).",
)


def input_size(paths: Iterable[str]) -> int:
    """The bytes on disk of the paths that are files (``-`` and the unreadable count 0)."""
    total = 0
    for path in paths:
        if path != "-":
            with suppress(OSError):
                total += os.path.getsize(path)
    return total


def _wanted(total: int, show: bool | None) -> bool:
    if show is not None:
        return show and total > 0
    return sys.stderr.isatty() and total >= PROGRESS_THRESHOLD


def _bar(*columns: Any) -> Any:
    from rich.console import Console
    from rich.progress import Progress

    return Progress(
        *columns,
        console=Console(stderr=True),
        transient=True,
        redirect_stdout=False,
        redirect_stderr=False,
    )


@contextmanager
def byte_progress(
    description: str, total: int, show: bool | None
) -> Iterator[Callable[[int], None] | None]:
    """A bar of bytes consumed out of ``total``; ``None`` (no display) when not wanted."""
    if not _wanted(total, show):
        yield None
        return
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    bar = _bar(
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
    )
    task = bar.add_task(description, total=total)
    with bar:
        yield lambda n: bar.advance(task, n)


def counted(items: Iterable[T], description: str, total: int, show: bool | None) -> Iterator[T]:
    """``items`` unchanged, with a count of lines read on standard error while they are
    consumed (for inputs of ``total`` bytes; see :func:`byte_progress` for when)."""
    if not _wanted(total, show):
        yield from items
        return
    from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn

    size = f"{total / (1 << 20):.0f} MB"
    bar = _bar(
        SpinnerColumn(),
        TextColumn("{task.description}", markup=False),
        TextColumn(f"{{task.completed:,.0f}} lines of {size}"),
        TimeElapsedColumn(),
    )
    task = bar.add_task(description, total=None)
    with bar:
        n = 0
        for item in items:
            yield item
            n += 1
            if n == _EVERY:
                bar.advance(task, n)
                n = 0
