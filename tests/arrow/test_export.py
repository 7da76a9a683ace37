"""export, sessions and query as users run them: whole processes, real DuckDB, bounded."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.arrow.conftest import LOGS, SMALL_MAX_LINE, cli, flags_log

duckdb = pytest.importorskip("duckdb")


def _expected(paths: list[Path]) -> dict[str, Any]:
    """Counts and token sums read straight from the logs (not through the package)."""
    lines = invalid_json = 0
    tokens = {
        "input_tokens": 0,
        "cached_input_tokens": 0,
        "cache_creation_tokens": 0,
        "output_tokens": 0,
    }
    types: dict[str, int] = {}
    for path in paths:
        for raw in path.read_bytes().splitlines():
            lines += 1
            obj = orjson.loads(raw)
            event = obj.get("event", obj)
            types[event["type"]] = types.get(event["type"], 0) + 1
            if event["type"] in ("turn.completed", "turn.failed") and "usage" in event:
                for key in tokens:
                    tokens[key] += event["usage"][key]
    return {"lines": lines, "tokens": tokens, "types": types, "invalid_json": invalid_json}


def test_export_parquet_read_by_duckdb(tmp_path: Path) -> None:
    out = tmp_path / "events.parquet"
    done = cli("export", str(LOGS), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout == b""
    assert b"47 lines (0 invalid) from 2 files" in done.stderr
    want = _expected(sorted(LOGS.glob("*.jsonl")))
    con = duckdb.connect()
    assert con.execute(f"SELECT count(*) FROM '{out}'").fetchone()[0] == want["lines"]
    sums = con.execute(
        f"SELECT sum(input_tokens), sum(cached_input_tokens), sum(cache_creation_tokens), "
        f"sum(output_tokens) FROM '{out}' WHERE type IN ('turn.completed', 'turn.failed')"
    ).fetchone()
    assert list(sums) == list(want["tokens"].values())
    by_type = dict(con.execute(f"SELECT type, count(*) FROM '{out}' GROUP BY 1").fetchall())
    assert by_type == want["types"]


def test_export_dataset_partitioned_gzip_and_stdin(tmp_path: Path) -> None:
    gz = tmp_path / "in" / "session.jsonl.gz"
    gz.parent.mkdir()
    gz.write_bytes(gzip.compress((LOGS / "session.jsonl").read_bytes()))
    out = tmp_path / "ds"
    done = cli(
        "export",
        str(tmp_path / "in"),
        "-",
        "-o",
        str(out),
        "--partition-by",
        "valid",
        stdin=(LOGS / "exec.jsonl").read_bytes(),
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["valid=true"]
    files = dict(
        duckdb.connect()
        .execute(
            f"SELECT file, count(*) FROM read_parquet('{out}/**/*.parquet', "
            "hive_partitioning=true) GROUP BY 1"
        )
        .fetchall()
    )
    assert files == {str(gz): 32, "<stdin>": 15}


@pytest.mark.parametrize("fmt", ["ndjson", "arrow"])
def test_export_to_stdout(fmt: str) -> None:
    done = cli("export", str(LOGS / "exec.jsonl"), "--format", fmt, "-o", "-")
    assert done.returncode == 0, done.stderr
    if fmt == "ndjson":
        rows = [json.loads(line) for line in done.stdout.splitlines()]
        assert [r["line"] for r in rows] == list(range(1, 16))
        assert rows[0]["raw"] == (LOGS / "exec.jsonl").read_text().splitlines()[0]
    else:
        import pyarrow as pa

        table = pa.ipc.open_stream(done.stdout).read_all()
        assert table.num_rows == 15
        assert table.column("valid").to_pylist() == [True] * 15


def test_export_hostile_inputs_are_reported_escaped(tmp_path: Path) -> None:
    evil = tmp_path / "evil\x1b]0;owned\x07.jsonl"
    evil.write_bytes(b'{"type":"thread.started","thread_id":"\\u001b[2J"}\n{"type":\n')
    broken = tmp_path / "broken.jsonl.gz"
    broken.write_bytes(gzip.compress((LOGS / "exec.jsonl").read_bytes())[:-40])
    out = tmp_path / "o.parquet"
    done = cli("export", str(evil), str(broken), str(tmp_path / "missing.jsonl"), "-o", str(out))
    assert done.returncode == 2
    err = done.stderr.decode()
    assert "\x1b" not in err
    assert "\x07" not in err
    assert "evil\\e]0;owned\\x07.jsonl" not in err  # read fine: no error for it
    errors = [line for line in err.splitlines() if "error:" in line]
    assert len(errors) == 2
    assert "broken.jsonl.gz" in errors[0]
    assert "gzip" in errors[0]
    assert "missing.jsonl: no such file" in errors[1]
    rows = (
        duckdb.connect()
        .execute(
            f"SELECT file, line, valid, error_kind FROM '{out}' ORDER BY file, line NULLS LAST"
        )
        .fetchall()
    )
    by_file: dict[str, list[Any]] = {}
    for file, line, valid, kind in rows:
        by_file.setdefault(os.path.basename(file), []).append((line, valid, kind))
    assert by_file["evil\x1b]0;owned\x07.jsonl"] == [(1, True, None), (2, False, "json")]
    assert by_file["broken.jsonl.gz"][-1] == (None, False, "io")
    assert by_file["missing.jsonl"] == [(None, False, "io")]
    # sessions and query print the same escaped, never raw
    shown = cli("sessions", str(evil), "--format", "csv")
    assert shown.returncode == 0
    assert b"\x1b" not in shown.stdout
    assert b"evil\\e]0;owned\\x07.jsonl,\\e[2J," in shown.stdout


def test_huge_line_is_bounded(tmp_path: Path) -> None:
    """A line just under the maximum line size is kept whole; one over it is skipped
    unread (invalid, kind ``size``, ``raw`` null), and the next line is still read."""
    head = b'{"type":"item.completed","item":{"id":"x","type":"agent_message","text":"'
    big = tmp_path / "big.jsonl"
    with big.open("wb") as f:
        f.write(head + b"a" * ((64 << 20) - 200) + b'"}}\n')
        f.write(head + b"a" * (64 << 20) + b'"}}\n{"type":"turn.started"}\n')
    out = tmp_path / "big.parquet"
    # Arrow reserves address space generously: the bound that matters is resident memory,
    # of this export alone (not the largest of this process's earlier children).
    peak_kib, _ = _peak_kib("export", str(big), "-o", str(out))
    assert peak_kib < 1 << 20  # under 1 GiB for 64 MiB lines
    got = (
        duckdb.connect()
        .execute(f"SELECT line, valid, error_kind, octet_length(raw) FROM '{out}' ORDER BY line")
        .fetchall()
    )
    sizes = [len(line) for line in big.read_bytes().split(b"\n")[:3]]
    assert sizes[0] <= 64 << 20 < sizes[1]
    assert got == [(1, True, None, sizes[0]), (2, False, "size", None), (3, True, None, sizes[2])]


def test_sessions_formats() -> None:
    done = cli("sessions", str(LOGS), "--format", "json")
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["thread_id"] for r in rows] == ["thread-9c21", "thread-7f3a"]
    first, second = rows
    assert first["turns"] == 2
    assert first["turns_failed"] == 1
    assert first["exit_codes"] == {"0": 1, "1": 1}
    assert first["commands_failed"] == 1
    assert first["input_tokens"] == 4000
    assert first["cache_read_tokens"] == 1600
    assert first["outcome"] == "incomplete (turn failed)"
    assert second["outcome"] == "success"
    assert second["cost_usd"] == 0.0841
    assert second["input_tokens"] == 14900
    assert second["cache_creation_tokens"] == 4800
    assert second["items_by_kind"]["tool_invocation"] == 2
    assert second["tool_failures"] == 1
    table = cli("sessions", str(LOGS))
    assert table.returncode == 0
    assert b"thread-7f3a" in table.stdout
    header = cli("sessions", str(LOGS), "--format", "csv").stdout.splitlines()[0]
    assert header.startswith(b"file,thread_id,turns,turns_failed,items,items_by_kind,")


def test_query_over_logs_and_parquet(tmp_path: Path) -> None:
    sql = "SELECT type, count(*) AS n FROM events GROUP BY type ORDER BY n DESC, type LIMIT 2"
    over_logs = cli("query", str(LOGS), sql, "--format", "csv")
    assert over_logs.returncode == 0, over_logs.stderr
    assert over_logs.stdout == b"type,n\nitem.completed,18\nitem.started,5\n"
    out = tmp_path / "e.parquet"
    assert cli("export", str(LOGS), "-o", str(out)).returncode == 0
    assert cli("query", str(out), sql, "--format", "csv").stdout == over_logs.stdout


@pytest.mark.parametrize("sql", ["SELECT nonsense FROM events", "DROP TABLE nope; \x1b[31m"])
def test_sql_errors_are_one_line(sql: str) -> None:
    done = cli("query", str(LOGS / "exec.jsonl"), sql)
    assert done.returncode == 2
    err = done.stderr.decode()
    assert err.startswith("vtcode-exec-events: error: query failed: ")
    assert err.count("\n") == 1
    assert "Traceback" not in err
    assert "\x1b" not in err


def test_export_progress_only_on_request_when_piped(tmp_path: Path) -> None:
    """Piped, by default, stderr holds the summary line only; ``--progress`` forces the
    shared byte bar (``_progress.byte_progress``) on and still exits 0."""
    log = LOGS / "session.jsonl"
    out = tmp_path / "o.parquet"
    quiet = cli("export", str(log), "-o", str(out))
    assert quiet.returncode == 0
    assert quiet.stderr == f"32 lines (0 invalid) from 1 files -> {out}\n".encode()
    shown = cli("export", str(log), "-o", str(out), "--progress")
    assert shown.returncode == 0
    assert shown.stderr.endswith(quiet.stderr)


#: Inputs beside a readable 15-line log, and what export says of them: their error lines
#: (None: the reader's own message, not pinned here), the summary's counts, the exit status.
_UNREAD = {
    "missing": ([], ["no such file"], "15 lines (0 invalid) from 1 files", 2),
    "two missing": ([], ["no such file", "no such file"], "15 lines (0 invalid) from 1 files", 2),
    "empty file": ([b""], [], "15 lines (0 invalid) from 2 files", 0),
    # a gzip member cut short: its first line is read (cut, invalid), so it is a file read
    "truncated gzip": (
        [gzip.compress(b'{"type":"turn.started"}\n')[:20]],
        ["truncated gzip stream (it ends before its end-of-stream marker)"],
        "16 lines (1 invalid) from 2 files",
        2,
    ),
    # gzip's magic, then garbage: nothing can be read from it
    "corrupt gzip": ([b"\x1f\x8bnot deflate"], [None], "15 lines (0 invalid) from 1 files", 2),
}


@pytest.mark.parametrize("case", _UNREAD.values(), ids=_UNREAD.keys())
def test_export_counts_only_the_inputs_it_read(
    tmp_path: Path, case: tuple[list[bytes], list[str | None], str, int]
) -> None:
    """An input that could not be read at all is an error line, not one of the files the
    summary counts; one read in part (or empty) is a file."""
    contents, errors, summary, status = case
    gz = [data.startswith(b"\x1f\x8b") for data in contents]
    others = [tmp_path / f"in{n}.jsonl{'.gz' if z else ''}" for n, z in enumerate(gz)]
    for path, data in zip(others, contents, strict=True):
        path.write_bytes(data)
    others += [tmp_path / f"gone{n}.jsonl" for n in range(len(errors) - len(contents))]
    out = tmp_path / "o.parquet"
    done = cli("export", str(LOGS / "exec.jsonl"), *map(str, others), "-o", str(out))
    assert done.returncode == status
    lines = done.stderr.decode().splitlines()
    assert lines[-1] == f"{summary} -> {out}"
    assert len(lines) == len(errors) + 1
    unread = [p for p in others if p.name.startswith("gone") or p.name.endswith(".gz")]
    for line, path, message in zip(lines[:-1], unread, errors, strict=True):
        prefix = f"vtcode-exec-events: error: {path}: "
        assert line.startswith(prefix)
        if message is not None:
            assert line == prefix + message


def _issues(rows: list[dict[str, Any]], file: str) -> list[dict[str, Any]]:
    """The rows' issues as validate's JSON report lists them."""
    keys = ("pointer", "message", "kind", "severity")
    return [
        {"file": file, "line": r["line"], **{k: i[k] for k in keys}}
        for r in rows
        for i in r["issues"] or []
    ]


def test_export_max_line_size_and_all_errors_agree_with_validate(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    log = tmp_path / "flags.jsonl"
    log.write_bytes(flags_log())
    flags = ["--max-line-size", SMALL_MAX_LINE, "--all-errors"]
    out = tmp_path / "f.parquet"
    done = cli("export", str(log), "-o", str(out), *flags)
    assert done.returncode == 0, done.stderr
    assert done.stderr.endswith(f"20 lines (5 invalid) from 1 files -> {out}\n".encode())
    checked = cli("validate", str(log), "--format", "json", "--max-errors", "0", *flags)
    report = json.loads(checked.stdout)
    rows = pq.read_table(out).to_pylist()
    assert [r["line"] for r in rows] == list(range(1, report["lines"] + 1))
    assert _issues(rows, str(log)) == report["errors"]
    assert sum(not r["valid"] for r in rows) == report["invalid"] == 5
    over = [r["line"] for r in rows if r["error_kind"] == "size"]
    assert over == [6, 12, 20]
    assert [r["line"] for r in rows if r["raw"] is None] == over  # never read
    assert [len(r["issues"]) for r in rows if r["line"] in (7, 13)] == [5, 5]
    # The defaults: the 6 KB line is read and valid; one issue per invalid line.
    plain = tmp_path / "p.parquet"
    assert cli("export", str(log), "-o", str(plain)).returncode == 0
    rows = pq.read_table(plain).to_pylist()
    assert [(r["line"], r["valid"]) for r in rows if r["line"] in (6, 7, 12)] == [
        (6, True),
        (7, False),
        (12, False),
    ]
    assert [len(r["issues"]) for r in rows if r["line"] in (7, 13)] == [1, 1]
    assert rows[5]["raw"] == flags_log().split(b"\n")[5]


def _peak_kib(*args: str) -> tuple[int, bytes]:
    """The peak resident memory (KiB) of ``vtcode-exec-events ARGS`` run in a process of
    its own (so no other child counts), and its stderr; it must succeed."""
    measure = (
        "import resource, subprocess, sys; "
        "done = subprocess.run(sys.argv[1:], stderr=subprocess.PIPE); "
        "sys.stderr.buffer.write(done.stderr); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
        "sys.exit(done.returncode)"
    )
    command = [sys.executable, "-c", "from vtcode_exec_events.cli import main; main()", *args]
    done = subprocess.run(
        [sys.executable, "-c", measure, *command], capture_output=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-500:]
    return int(done.stdout), done.stderr


def test_export_over_long_line_is_never_held(tmp_path: Path) -> None:
    """A 96 MiB line over --max-line-size 8M streams past: the export's peak resident
    memory is that of a tiny log's export, give or take far less than the line."""
    log = tmp_path / "long.jsonl"
    with log.open("wb") as f:
        f.write(b'{"type":"turn.started"}\n')
        for _ in range(96):
            f.write(b"q" * (1 << 20))
        f.write(b'\n{"type":"turn.started"}\n')
    tiny = tmp_path / "tiny.jsonl"
    tiny.write_bytes(b'{"type":"turn.started"}\n')
    out = tmp_path / "long.parquet"
    base, _ = _peak_kib("export", str(tiny), "-o", str(tmp_path / "t.parquet"))
    peak, err = _peak_kib("export", str(log), "-o", str(out), "--max-line-size", "8M")
    assert peak - base < 40 << 10  # KiB: a held line would add 96 MiB
    assert err.endswith(b"3 lines (1 invalid) from 1 files -> " + str(out).encode() + b"\n")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("fmt", ["parquet", "arrow"])
def test_export_to_a_full_disk_is_one_line(tmp_path: Path, fmt: str) -> None:
    """The file is written in a second thread: its error still ends the command with one
    line naming the output, exit 2, no traceback."""
    full = tmp_path / "full.parquet"
    full.symlink_to("/dev/full")
    done = cli("export", str(LOGS), "--format", fmt, "-o", str(full))
    assert done.returncode == 2
    assert done.stderr.decode().splitlines() == [
        f"vtcode-exec-events: error: {full}: [Errno 28] No space left on device"
    ]
