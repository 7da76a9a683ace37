"""The `validate` command's contract: paths, stdin, gzip, formats, exit codes 0 / 1 / 2."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.validate.conftest import DATA, run_cli, run_json

GOOD = b'{"type":"turn.started"}\n{"schema_version":"0.11.0","event":{"type":"turn.started"}}\n'
BAD = b'{"type":"turn.started"}\n{"type":"turn.failed"}\n'
WARN = b'{"type":"future.event"}\n'
Write = Callable[[str, bytes], str]


def test_all_valid_exits_0(write: Write) -> None:
    code, out = run_cli(write("a.jsonl", GOOD))
    assert code == 0
    assert out.splitlines()[-1] == "1 file, 2 lines: 2 valid, 0 invalid, 0 warnings"


def test_an_invalid_line_exits_1_and_names_file_line_pointer(write: Write) -> None:
    path = write("a.jsonl", BAD)
    code, out = run_cli(path)
    assert code == 1
    assert out.splitlines()[0] == (f'{path}:2: error[schema] "message" is a required property')


def test_json_report_has_the_contract_keys(write: Write) -> None:
    path = write("a.jsonl", BAD)
    code, report = run_json(path)
    assert code == 1
    assert {"lines", "valid", "invalid", "warnings", "files", "errors"} <= report.keys()
    assert report["files"] == [
        {"path": path, "lines": 2, "valid": 1, "invalid": 1, "warnings": 0, "error": None}
    ]
    assert report["errors"] == [
        {
            "file": path,
            "line": 2,
            "pointer": "",
            "message": '"message" is a required property',
            "kind": "schema",
            "severity": "error",
        }
    ]


def test_warnings_keep_exit_0_unless_strict(write: Write) -> None:
    path = write("w.jsonl", WARN)
    code, report = run_json(path)
    assert (code, report["valid"], report["warnings"]) == (0, 1, 1)
    assert report["errors"][0]["severity"] == "warning"
    code, report = run_json("--strict", path)
    assert (code, report["invalid"], report["warnings"]) == (1, 1, 0)
    assert report["errors"][0]["severity"] == "error"


def test_schema_version_applies_to_bare_lines_only(write: Write) -> None:
    line = b'{"type":"permission.requested","tool_name":"t"}\n'
    envelope = (
        b'{"schema_version":"0.11.0","event":{"type":"permission.requested","tool_name":"t"}}\n'
    )
    path = write("v.jsonl", line + envelope)
    assert run_json(path)[1]["invalid"] == 0
    code, report = run_json("--schema-version", "0.3.0", path)
    assert code == 1
    assert [(e["line"], e["pointer"]) for e in report["errors"]] == [(1, "/type")]


def test_standard_input(write: Write) -> None:
    code, report = run_json("-", input=BAD)
    assert code == 1
    assert report["files"][0]["path"] == "<stdin>"
    assert report["errors"][0]["file"] == "<stdin>"


def test_gzipped_standard_input() -> None:
    code, report = run_json("-", input=gzip.compress(GOOD))
    assert (code, report["lines"], report["valid"]) == (0, 2, 2)


def test_gzip_file(write: Write) -> None:
    code, report = run_json(write("a.jsonl.gz", gzip.compress(BAD)))
    assert (code, report["lines"], report["invalid"]) == (1, 2, 1)


def test_many_paths_in_order_with_totals(write: Write) -> None:
    paths = [
        write("a.jsonl", GOOD),
        write("b.jsonl.gz", gzip.compress(BAD)),
        write("c.jsonl", WARN),
    ]
    code, report = run_json(*paths)
    assert code == 1
    assert [f["path"] for f in report["files"]] == paths
    assert (report["lines"], report["valid"], report["invalid"], report["warnings"]) == (5, 4, 1, 1)


def test_missing_file_is_an_io_error_and_the_others_are_still_checked(
    write: Write, tmp_path: Path
) -> None:
    missing = str(tmp_path / "nope.jsonl")
    good = write("a.jsonl", GOOD)
    code, report = run_json(missing, good, str(tmp_path))
    assert code == 2
    assert [f["error"] for f in report["files"]] == [
        "no such file",
        None,
        "is a directory, not a file",
    ]
    assert report["unreadable"] == 2
    assert report["files"][1]["valid"] == 2
    code, out = run_cli(missing, good)
    assert code == 2
    assert f"{missing}: error: no such file" in out.splitlines()


def test_unreadable_file(write: Write) -> None:
    path = Path(write("secret.jsonl", GOOD))
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as a user who can read any file")
        code, report = run_json(str(path))
        assert code == 2
        assert report["files"][0]["error"] == "permission denied"
    finally:
        path.chmod(0o644)


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--format", "xml", "x.jsonl"],
        ["--schema-version", "0.5.0", "x.jsonl"],
        ["--jobs", "-1", "x.jsonl"],
        ["-", "-"],
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    code, _ = run_cli(*args)
    assert code == 2


def test_unknown_schema_version_option_names_the_known_ones() -> None:
    from click.testing import CliRunner

    from vtcode_exec_events.cli import main

    result = CliRunner().invoke(main, ["validate", "--schema-version", "0.5.0", "x.jsonl"])
    assert result.exit_code == 2
    assert "unknown schema version '0.5.0' (known: 0.1.0" in result.output


def test_jobs_give_the_same_report_as_one_process(tmp_path: Path) -> None:
    lines = []
    for i in range(30_000):
        if i % 997 == 0:
            lines.append(b'{"type":"turn.failed","n":%d}' % i)
        elif i % 1499 == 0:
            lines.append(b'{"type":"x.%d"}' % i)
        else:
            lines.append(
                b'{"type":"plan.delta","thread_id":"t","turn_id":"u","item_id":"i","delta":"%s"}'
                % (b"d" * (i % 700))
            )
    big = tmp_path / "big.jsonl"
    big.write_bytes(b"\n".join(lines))
    small = tmp_path / "small.jsonl"
    small.write_bytes(BAD)
    paths = [str(big), str(small), str(big)]
    from vtcode_exec_events.validate import parallel

    old = parallel.RANGE_SIZE
    parallel.RANGE_SIZE = 1 << 20  # cut the 12 MB file into ranges
    try:
        one = run_json("--jobs", "1", *paths)
        two = run_json("--jobs", "2", *paths)
        assert len(parallel.plan(paths, 2)) > 4
    finally:
        parallel.RANGE_SIZE = old
    assert one == two
    assert one[1]["invalid"] == 2 * 31 + 1


def test_no_progress_bar_when_piped() -> None:
    path = DATA / "malformed" / "crlf.jsonl"
    script = "from vtcode_exec_events.cli import main; main()"
    proc = subprocess.run(
        [sys.executable, "-c", script, "validate", str(path)], capture_output=True, check=False
    )
    assert proc.returncode == 1
    assert proc.stderr == b""
    assert proc.stdout.decode().splitlines()[-1] == (
        "1 file, 3 lines: 2 valid, 1 invalid, 0 warnings"
    )


def test_a_reader_that_leaves_early_gets_no_traceback(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b'{"type":1}\n' * 50_000)
    script = "from vtcode_exec_events.cli import main; main()"
    proc = subprocess.Popen(
        [sys.executable, "-c", script, "validate", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    assert proc.stderr is not None
    assert proc.stdout.readline().startswith(str(path).encode() + b":1: error[schema]")
    proc.stdout.close()
    assert proc.wait(timeout=60) == 1
    assert proc.stderr.read() == b""
    proc.stderr.close()


def test_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    name = os.fsdecode(b"\xff-log.jsonl")
    (tmp_path / name).write_bytes(BAD)
    code, report = run_json(str(tmp_path / name))
    assert code == 1
    assert report["files"][0]["path"].endswith("\ufffd-log.jsonl")
    assert report["errors"][0]["line"] == 2
