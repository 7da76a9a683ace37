"""``stats``: aggregates over logs of every schema version, bare or enveloped, in any container."""

from __future__ import annotations

import gzip
import json
import os
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.consumers.conftest import EXAMPLES, LOGS, ROOT, golden, run
from vtcode_exec_events.consumers import collect, read_log, replay
from vtcode_exec_events.consumers.reader import parse
from vtcode_exec_events.consumers.stats import MAX_KEYS, OTHER

LOG_NAMES = sorted(p.name for p in (ROOT / LOGS).glob("*.jsonl"))


@pytest.mark.parametrize("name", LOG_NAMES)
def test_json_report_matches_golden(name: str) -> None:
    result = run("stats", str(LOGS / name), "--format", "json")
    golden(name.replace(".jsonl", ".stats.json"), result.output)
    assert result.exit_code == (1 if name.startswith(("invalid", "bare-0.1.0")) else 0)


@pytest.mark.parametrize("name", LOG_NAMES)
def test_text_report_matches_golden(name: str) -> None:
    golden(name.replace(".jsonl", ".stats.txt"), run("stats", str(LOGS / name)).output)


def test_every_line_is_counted_and_every_bad_line_is_named() -> None:
    report = json.loads(run("stats", str(LOGS / "invalid-lines.jsonl"), "--format", "json").output)
    assert (report["lines"], report["parsed"], report["invalid"]) == (9, 3, 6)
    errors = {e["line"]: e for e in report["errors"]["shown"]}
    assert sorted(errors) == [2, 3, 4, 5, 7, 8]
    assert errors[2]["kind"] == "json"
    assert errors[5] == {
        "file": str(LOGS / "invalid-lines.jsonl"),
        "line": 5,
        "pointer": "",
        "message": '"thread_id" is a required property',
        "kind": "schema",
        "severity": "error",
    }
    # Line 6 is an envelope of a newer version (9.0.0): read with the newest, as VT Code does.
    assert report["schema_versions"]["enveloped"] == {"0.11.0": 2}
    assert errors[7]["pointer"] == "/event/decision"


def test_sample_logs_command_metrics() -> None:
    report = json.loads(run("stats", str(EXAMPLES / "session.jsonl"), "--format", "json").output)
    assert report["commands"] == {
        "completed": 2,
        "succeeded": 1,
        "failed": 1,
        "success_rate": 0.5,
        "exit_codes": {"101": 1, "0": 1},
    }
    assert report["usage"]["cache_hit_rate"] == pytest.approx(4800 / 14900)
    assert report["threads"]["completed"] == {"success": 1}
    assert report["tools"]["outcomes"] == {"success": 1, "permission_rejected": 1}


def test_bare_lines_are_read_as_validate_reads_them_and_an_older_version_is_named() -> None:
    log = str(LOGS / "bare-0.1.0.jsonl")
    result = run("stats", log, "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["schema_versions"]["bare"] == {"0.11.0": 9}
    # The 3-field usage of turn.completed predates cache_creation_tokens (0.4.0).
    (error,) = report["errors"]["shown"]
    assert (error["line"], error["pointer"]) == (8, "/usage")
    assert error["message"] == (
        '"cache_creation_tokens" is a required property '
        "(the line is valid under schema 0.3.0: --schema-version 0.3.0)"
    )


def test_pinned_schema_version_reads_old_bare_lines() -> None:
    log = str(LOGS / "bare-0.1.0.jsonl")
    result = run("stats", log, "--schema-version", "0.3.0", "--format", "json")
    assert result.exit_code == 0
    report = json.loads(result.output)
    assert (report["invalid"], report["schema_versions"]["bare"]) == (0, {"0.3.0": 10})


def test_enveloped_lines_use_their_own_version() -> None:
    report = json.loads(run("stats", str(LOGS / "every-version.jsonl"), "--format", "json").output)
    assert set(report["schema_versions"]["enveloped"]) == {
        "0.1.0",
        "0.2.0",
        "0.3.0",
        "0.4.0",
        "0.7.0",
        "0.8.0",
        "0.9.0",
        "0.10.0",
        "0.11.0",
    }
    assert report["unknown_events"] == {"future.event": 1}


def test_gzip_stdin_and_unsuffixed_gzip_give_the_same_report_as_the_file(tmp_path: Path) -> None:
    log = ROOT / EXAMPLES / "session.jsonl"
    packed = tmp_path / "session.jsonl.gz"
    packed.write_bytes(gzip.compress(log.read_bytes()))
    unsuffixed = tmp_path / "session.log"
    unsuffixed.write_bytes(packed.read_bytes())
    plain = json.loads(run("stats", str(log), "--format", "json").output)
    for report in (
        json.loads(run("stats", str(unsuffixed), "--format", "json").output),
        json.loads(run("stats", "-", "--format", "json", stdin=packed.read_bytes()).output),
        json.loads(run("stats", str(packed), "--format", "json").output),
        json.loads(run("stats", "-", "--format", "json", stdin=log.read_bytes()).output),
    ):
        for key in ("files", "errors", "failures"):
            report.pop(key), plain.pop(key, None)
        assert report == plain


def test_several_logs_are_summed_and_listed() -> None:
    logs = [str(EXAMPLES / "exec.jsonl"), str(EXAMPLES / "session.jsonl")]
    report = json.loads(run("stats", *logs, "--format", "json").output)
    assert [(f["path"], f["lines"]) for f in report["files"]] == [(logs[0], 15), (logs[1], 32)]
    assert report["lines"] == 47


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["stats", "no-such.jsonl"], "cannot read no-such.jsonl: it does not exist"),
        (["stats", "."], "cannot read .: it is a directory"),
        (["stats", "-", "-"], "standard input ('-') can be read only once"),
        (["stats", "x.jsonl", "--schema-version", "0.5.0"], "unknown schema version '0.5.0'"),
        (["replay", "no-such.jsonl"], "cannot read no-such.jsonl: it does not exist"),
    ],
)
def test_usage_errors_exit_2_with_a_message(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.output


def test_truncated_gzip_is_an_io_error(tmp_path: Path) -> None:
    packed = tmp_path / "cut.jsonl.gz"
    packed.write_bytes(gzip.compress((ROOT / EXAMPLES / "session.jsonl").read_bytes())[:200])
    result = run("stats", str(packed))
    assert result.exit_code == 2
    assert f"error: cannot read {packed}:" in result.output


def test_max_examples_bounds_what_is_quoted_not_what_is_counted() -> None:
    result = run(
        "stats", str(LOGS / "invalid-lines.jsonl"), "--format", "json", "--max-examples", "2"
    )
    report = json.loads(result.output)
    assert report["errors"]["count"] == 6
    assert len(report["errors"]["shown"]) == 2


def test_memory_stays_flat_as_the_log_grows(tmp_path: Path) -> None:
    lines = (ROOT / EXAMPLES / "session.jsonl").read_bytes()
    peaks = []
    for copies in (20, 200):
        log = tmp_path / f"x{copies}.jsonl"
        log.write_bytes(lines * copies)
        tracemalloc.start()
        collect(read_log(str(log)))
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    # Ten times the log (6,400 lines) must not need anywhere near ten times the memory.
    assert peaks[1] < peaks[0] * 2


SAMPLE_LINES = [
    line
    for path in (EXAMPLES / "session.jsonl", EXAMPLES / "exec.jsonl", LOGS / "every-version.jsonl")
    for line in (ROOT / path).read_bytes().splitlines()
]
JUNK = [b'{"type":"turn.started"', b"", b"[]", b"\xff", b'{"schema_version":"0.1.0"}']


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.sampled_from(SAMPLE_LINES) | st.sampled_from(JUNK) | st.binary(max_size=30),
        max_size=30,
    )
)
def test_any_sequence_is_counted_and_replayed_never_raised(raw_lines: list[bytes]) -> None:
    lines = [parse(raw.replace(b"\n", b" "), "f", n) for n, raw in enumerate(raw_lines, 1)]
    stats = collect(lines)
    assert stats.lines == len(raw_lines) == stats.parsed + stats.invalid
    assert all((line.event is None) == (line.error is not None) for line in lines)
    entries = list(replay(lines))
    invalid = [e.line for e in entries if e.status == "invalid"]
    assert invalid == [line.number for line in lines if line.event is None]
    assert [e.line for e in entries] == sorted(e.line for e in entries)


def test_tallies_stay_bounded_whatever_the_log_names() -> None:
    lines = [parse(f'{{"type":"x.{n}"}}'.encode(), "f", n) for n in range(MAX_KEYS + 50)] + [
        parse(
            b'{"type":"item.completed","item":{"id":"i","type":"tool_invocation",'
            b'"tool_name":"t' + str(n).encode() + b'","status":"completed"}}',
            "f",
            n,
        )
        for n in range(MAX_KEYS + 5)
    ]
    stats = collect(lines)
    assert len(stats.unknown_events) == MAX_KEYS + 1
    assert stats.unknown_events[OTHER] == 50
    assert len(stats.tools) == MAX_KEYS + 1
    assert stats.tools[OTHER] == {"success": 5}
    assert stats.parsed == 2 * MAX_KEYS + 55


def test_a_file_name_that_is_not_utf8_is_reported_with_replacement_characters(
    tmp_path: Path,
) -> None:
    log = Path(os.fsdecode(bytes(tmp_path) + b"/\xff.jsonl"))
    log.write_bytes((ROOT / EXAMPLES / "exec.jsonl").read_bytes())
    report = json.loads(run("stats", str(log), "--format", "json").output)
    assert report["files"][0]["path"] == f"{tmp_path}/\ufffd.jsonl"
    entries = run("replay", str(log), "--format", "json").output.splitlines()
    assert json.loads(entries[0])["file"] == f"{tmp_path}/\ufffd.jsonl"
