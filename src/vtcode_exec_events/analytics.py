"""DuckDB over the events table (extra ``analytics``): a view named ``events``, and sessions.

Inputs are logs (read and checked as ``export`` does, into a temporary Parquet file that
DuckDB scans as often as a query needs, in flat memory) or Parquet written by ``export``
(files or dataset folders, read in place).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import duckdb

from vtcode_exec_events.arrow import export as arrow_export
from vtcode_exec_events.arrow.sources import LOG_SUFFIXES

__all__ = ["SESSIONS_SQL", "Failure", "connect", "is_parquet", "sessions"]

Failure = arrow_export.Failure

#: One row per thread (per file): what ``vtcode-exec-events sessions`` prints.
SESSIONS_SQL = """
WITH e AS (SELECT * FROM events WHERE line IS NOT NULL),
ok AS (SELECT * FROM e WHERE valid),
items AS (
    SELECT file, thread_id, item_type, count(*) AS n FROM ok
    WHERE type = 'item.completed' GROUP BY ALL
),
kinds AS (
    SELECT file, thread_id, list({'kind': coalesce(item_type, '?'), 'n': n} ORDER BY item_type)
        AS items_by_kind
    FROM items GROUP BY ALL
),
codes AS (
    SELECT file, thread_id, exit_code, count(*) AS n FROM ok
    WHERE type = 'item.completed' AND item_type = 'command_execution' GROUP BY ALL
),
exits AS (
    SELECT file, thread_id,
        list({'code': coalesce(CAST(exit_code AS VARCHAR), 'none'), 'n': n}
             ORDER BY exit_code NULLS LAST) AS exit_codes
    FROM codes GROUP BY ALL
),
main AS (
    SELECT
        file,
        thread_id,
        min(line) AS first_line,
        count(*) AS lines,
        count(*) FILTER (WHERE NOT valid) AS invalid,
        count(*) FILTER (WHERE valid AND type = 'turn.started') AS turns,
        count(*) FILTER (WHERE valid AND type = 'turn.failed') AS turns_failed,
        count(*) FILTER (WHERE valid AND type = 'item.completed') AS items,
        count(*) FILTER (WHERE valid AND type = 'item.completed'
            AND item_type IN ('tool_invocation', 'mcp_tool_call')) AS tool_calls,
        count(*) FILTER (WHERE valid AND type = 'item.completed'
            AND item_type IN ('tool_invocation', 'mcp_tool_call')
            AND status = 'failed') AS tool_failures,
        count(*) FILTER (WHERE valid AND type = 'item.completed'
            AND item_type = 'command_execution') AS commands,
        count(*) FILTER (WHERE valid AND type = 'item.completed'
            AND item_type = 'command_execution'
            AND (status IS DISTINCT FROM 'completed' OR coalesce(exit_code, 0) <> 0))
            AS commands_failed,
        coalesce(sum(input_tokens) FILTER (WHERE {turn_usage}), 0) AS input_tokens,
        coalesce(sum(cached_input_tokens) FILTER (WHERE {turn_usage}), 0) AS cache_read_tokens,
        coalesce(sum(cache_creation_tokens) FILTER (WHERE {turn_usage}), 0)
            AS cache_creation_tokens,
        coalesce(sum(output_tokens) FILTER (WHERE {turn_usage}), 0) AS output_tokens,
        sum(total_cost_usd) FILTER (WHERE valid AND type = 'thread.completed') AS cost_usd,
        arg_max(
            -- CASE: only valid thread.completed lines are decoded and parsed
            CASE WHEN valid AND type = 'thread.completed' THEN coalesce(
                json_extract_string(CAST(decode(raw) AS JSON), '$.event.subtype'),
                json_extract_string(CAST(decode(raw) AS JSON), '$.subtype')
            ) END,
            line
        ) FILTER (WHERE valid AND type = 'thread.completed') AS completed
    FROM e
    GROUP BY file, thread_id
)
SELECT
    main.file, main.thread_id, turns, turns_failed, items,
    coalesce(kinds.items_by_kind, []) AS items_by_kind,
    tool_calls, tool_failures, commands, commands_failed,
    coalesce(exits.exit_codes, []) AS exit_codes,
    input_tokens, cache_read_tokens, cache_creation_tokens, output_tokens, cost_usd,
    coalesce(completed, CASE WHEN turns_failed > 0 THEN 'incomplete (turn failed)'
        ELSE 'incomplete' END) AS outcome,
    lines, invalid
FROM main
LEFT JOIN kinds ON kinds.file = main.file AND kinds.thread_id IS NOT DISTINCT FROM main.thread_id
LEFT JOIN exits ON exits.file = main.file AND exits.thread_id IS NOT DISTINCT FROM main.thread_id
ORDER BY main.file, main.first_line
""".replace("{turn_usage}", "valid AND type IN ('turn.completed', 'turn.failed')")


def _parquet_files(path: str) -> list[str] | None:
    """The Parquet files a path names (a ``.parquet`` file or a folder holding only
    Parquet), or None when it holds logs."""
    if os.path.isfile(path):
        return [path] if path.endswith(".parquet") else None
    if not os.path.isdir(path):
        return None
    found: list[str] = []
    for root, dirs, names in os.walk(path):
        dirs.sort()
        for name in sorted(names):
            if name.endswith(".parquet"):
                found.append(os.path.join(root, name))
            elif name.endswith(LOG_SUFFIXES):
                return None
    return found or None


def is_parquet(path: str) -> bool:
    """Whether a path is read as exported Parquet rather than as logs."""
    return _parquet_files(path) is not None


def _sql_list(paths: Sequence[str]) -> str:
    return "[" + ", ".join("'" + p.replace("'", "''") + "'" for p in paths) + "]"


@contextmanager
def connect(
    paths: Sequence[str],
    *,
    schema_version: str | None = None,
    strict: bool = False,
    memory_limit: str | None = None,
) -> Iterator[tuple[duckdb.DuckDBPyConnection, list[Failure]]]:
    """A DuckDB connection with the view ``events`` over ``paths``, and the inputs that
    could not be read (their lines read before the failure are in the view)."""
    parquet: list[str] = []
    logs: list[str] = []
    for path in paths:
        files = _parquet_files(path)
        if files is None:
            logs.append(path)
        else:
            parquet.extend(files)
    failures: list[Failure] = []
    with tempfile.TemporaryDirectory(prefix="vtcode-exec-events-") as scratch:
        if logs:
            table = os.path.join(scratch, "events.parquet")
            tally = arrow_export.export(logs, table, schema_version=schema_version, strict=strict)
            failures.extend(tally.failures)
            parquet.append(table)
        con = duckdb.connect(config={"temp_directory": os.path.join(scratch, "duckdb")})
        try:
            if memory_limit:
                con.execute(f"SET memory_limit = '{memory_limit}'")
            con.execute(
                "CREATE VIEW events AS SELECT * FROM read_parquet("
                f"{_sql_list(parquet)}, union_by_name = true, hive_partitioning = true)"
            )
            yield con, failures
        finally:
            con.close()


def sessions(con: duckdb.DuckDBPyConnection) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
    """The column names and rows of :data:`SESSIONS_SQL` over the connection's view."""
    cursor = con.execute(SESSIONS_SQL)
    names = [d[0] for d in cursor.description or ()]

    def rows() -> Iterator[tuple[Any, ...]]:
        while True:
            chunk = cursor.fetchmany(1024)
            if not chunk:
                return
            yield from chunk

    return names, rows()
