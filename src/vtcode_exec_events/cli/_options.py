"""Click options that several commands share, each defined once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from vtcode_exec_events.cli.sizes import byte_size

__all__ = ["all_errors_option", "choice_option", "engine_option", "jobs_option", "max_line_option"]

F = TypeVar("F", bound=Callable[..., Any])


def choice_option(*names: str, choices: Sequence[str], default: str, help: str) -> Callable[[F], F]:
    """An option that takes one of ``choices`` (``default`` shown in ``--help``)."""
    return click.option(
        *names, type=click.Choice(list(choices)), default=default, show_default=True, help=help
    )


def engine_option(help: str) -> Callable[[F], F]:
    """``--engine local|ray``."""
    return choice_option("--engine", choices=("local", "ray"), default="local", help=help)


def jobs_option(default: int, help: str) -> Callable[[F], F]:
    """``--jobs/-j N`` (0 and up)."""
    return click.option(
        "--jobs",
        "-j",
        type=click.IntRange(min=0),
        default=default,
        show_default=bool(default),
        help=help,
    )


#: ``--max-line-size SIZE`` for the commands that read logs line by line.
max_line_option = click.option(
    "--max-line-size",
    "max_line",
    callback=lambda ctx, param, value: byte_size(value, param),
    default="64MiB",
    show_default=True,
    metavar="SIZE",
    help="Longest line read (bytes; K, M, G suffixes are binary); a longer line is "
    "skipped unread and counted invalid (kind size).",
)

#: ``--all-errors``: every schema error of an invalid line.
all_errors_option = click.option(
    "--all-errors",
    is_flag=True,
    help="Report every schema error of an invalid line, not only the first.",
)
