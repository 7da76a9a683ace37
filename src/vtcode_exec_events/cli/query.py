"""The ``query`` command: SQL over the view ``events`` (DuckDB), as a table, CSV or JSON."""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable, Iterable, Sequence
from contextlib import ExitStack
from typing import Any

import click
import orjson

from vtcode_exec_events.cli._output import Section, reader_may_leave, render
from vtcode_exec_events.cli.export import fail, require
from vtcode_exec_events.text import visible

__all__ = ["FORMATS", "command", "run", "write_rows"]

FORMATS = ("table", "csv", "json")
#: Most rows a ``table`` shows (CSV and JSON stream every row).
TABLE_ROWS = 10_000


def _cell(value: Any) -> str:
    """A value as text for a table or CSV cell: escaped, bytes decoded, lists compact."""
    if value is None:
        return ""
    if isinstance(value, (bytes, bytearray, memoryview)):
        value = bytes(value).decode("utf-8", "replace")
    elif isinstance(value, list) and all(isinstance(v, dict) and len(v) == 2 for v in value):
        value = " ".join(":".join(str(x) for x in v.values()) for v in value)
    elif not isinstance(value, str):
        value = str(value)
    return visible(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("utf-8", "replace")
    if (
        isinstance(value, list)
        and value
        and all(isinstance(v, dict) and len(v) == 2 for v in value)
    ):
        return {str(k): n for k, n in (tuple(v.values()) for v in value)}
    return value


def write_rows(names: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str) -> int:
    """Print rows; returns how many. JSON: one object per line, exact; table/CSV: escaped."""
    count = 0
    out = sys.stdout
    if fmt == "json":
        for row in rows:
            item = {n: _json_value(v) for n, v in zip(names, row, strict=False)}
            out.write(orjson.dumps(item, default=str).decode() + "\n")
            count += 1
    elif fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([visible(n) for n in names])
        for row in rows:
            writer.writerow([_cell(v) for v in row])
            count += 1
    else:
        section = Section("events", [visible(n) for n in names])
        for row in rows:
            count += 1
            if count <= TABLE_ROWS:
                section.add(*(_cell(v) for v in row))
        if count > TABLE_ROWS:
            section.note = f"first {TABLE_ROWS} of {count} rows (--format csv or json: all)"
        section.title = f"{count} row{'' if count == 1 else 's'}"
        if count:
            render([section])
        else:
            click.echo("(no rows)")
    out.flush()
    return count


def run(
    paths: Sequence[str],
    schema_version: str | None,
    strict: bool,
    fmt: str,
    body: Callable[[Any], tuple[Sequence[str], Iterable[Sequence[Any]]]],
) -> None:
    """Open the view over ``paths``, print what ``body(connection)`` returns, exit."""
    require("duckdb", "analytics")
    require("pyarrow", "arrow")
    import duckdb

    from vtcode_exec_events import analytics

    failures: list[analytics.Failure] = []
    try:
        with ExitStack() as stack:
            stack.enter_context(reader_may_leave())
            con, failures = stack.enter_context(
                analytics.connect(paths, schema_version=schema_version, strict=strict)
            )
            names, rows = body(con)
            write_rows(names, rows, fmt)
    except duckdb.Error as exc:
        text = str(exc).strip().splitlines()
        fail(f"query failed: {' '.join(t.strip() for t in text[:3])}")
    except (OSError, ValueError) as exc:
        fail(str(exc))
    for failure in failures:
        where = f"{failure.name}: " if failure.name else ""
        click.echo(f"vtcode-exec-events: error: {visible(where + failure.message)}", err=True)
    sys.exit(2 if failures else 0)


@click.command("query")
@click.argument("args", nargs=-1, required=True, metavar="PATH... SQL")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--schema-version", metavar="V", help="Schema version for bare lines.")
@click.option("--strict", is_flag=True, help="Warnings count as errors (valid = false).")
def command(args: tuple[str, ...], fmt: str, schema_version: str | None, strict: bool) -> None:
    """Run SQL over a view named `events`: logs (checked as export does) or exported Parquet.

    Example: vtcode-exec-events query logs/ "SELECT type, count(*) FROM events GROUP BY 1"
    Exit status: 0 done, 2 usage, I/O or SQL error.
    """
    if len(args) < 2:
        raise click.UsageError("give at least one PATH and then the SQL")
    *paths, sql = args

    def body(con: Any) -> tuple[Sequence[str], Iterable[Sequence[Any]]]:
        cursor = con.execute(sql)
        names = [d[0] for d in cursor.description or ()]

        def rows() -> Iterable[Sequence[Any]]:
            while chunk := cursor.fetchmany(1024):
                yield from chunk

        return names, rows()

    run(paths, schema_version, strict, fmt, body)
