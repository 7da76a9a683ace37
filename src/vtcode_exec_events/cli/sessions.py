"""The ``sessions`` command: one row per thread (DuckDB over the events table)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import click

from vtcode_exec_events.cli.query import FORMATS, run

__all__ = ["command"]


@click.command("sessions")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--schema-version", metavar="V", help="Schema version for bare lines.")
@click.option("--strict", is_flag=True, help="Warnings count as errors (valid = false).")
def command(paths: tuple[str, ...], fmt: str, schema_version: str | None, strict: bool) -> None:
    """One row per thread: turns, items by kind, tool calls and failures, commands and
    exit codes, tokens (cache read and creation), cost, outcome.

    PATH: logs (files, folders, -, URLs) or Parquet written by export.
    Exit status: 0 done, 2 usage or I/O error.
    """
    from vtcode_exec_events import analytics

    def body(con: Any) -> tuple[Sequence[str], Iterable[Sequence[Any]]]:
        return analytics.sessions(con)

    run(list(paths), schema_version, strict, fmt, body)
