"""``vtcode-exec-events atif`` in a fresh process: outputs, exit codes and hostile inputs, each
bounded in time and memory."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import orjson
import pytest

from .conftest import ROOT, invoke, run_cli

SESSION = "examples/logs/session.jsonl"
ESC = "\x1b"


def _lines(*events: object) -> bytes:
    return b"".join(orjson.dumps(e) + b"\n" for e in events)


def _message(item_id: str, text: str) -> dict[str, object]:
    return {
        "type": "item.completed",
        "item": {"id": item_id, "type": "agent_message", "text": text},
    }


def test_one_log_gives_one_document_on_standard_output(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    ran = invoke(
        "atif",
        SESSION,
        "-o",
        "-",
        "--session-id",
        "s",
        "--agent-name",
        "a",
        "--agent-version",
        "9",
        "--model",
        "m",
    )
    assert ran.code == 0, ran.err
    document = json.loads(ran.out)  # exactly one JSON document
    assert document["session_id"] == "s"
    assert document["agent"] == {"name": "a", "version": "9", "model_name": "m"}
    assert all("timestamp" not in s for s in document["steps"])  # the log holds no times


def test_invalid_lines_are_reported_with_file_and_line_and_the_rest_is_converted(
    tmp_path: Path,
) -> None:
    log = tmp_path / "bad.jsonl"
    log.write_bytes(_lines(_message("a", "one")) + b"{oops\n" + _lines({"type": "turn.failed"}))
    out = tmp_path / "out.json"
    ran = run_cli("atif", str(log), "-o", str(out))
    assert ran.code == 1
    assert f"{log}:2: error[json]" in ran.err
    # A missing field is reported at its object (here the whole event), as validate does.
    assert f'{log}:3: error[schema] "message" is a required property' in ran.err
    assert "2 invalid line(s) left out (reported above)" in ran.err
    document = json.loads(out.read_bytes())
    assert [s["message"] for s in document["steps"]] == ["one"]
    assert document["extra"]["vtcode_exec_events"]["skipped_lines"] == 2


def test_a_session_without_steps_is_exit_1_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    ran = run_cli("atif", "-", "-o", str(out), stdin=_lines({"type": "turn.started"}))
    assert ran.code == 1
    assert "<stdin>: no event made a step" in ran.err
    assert not out.exists()
    crate = invoke("atif", "-", "--crate-compatible", stdin=_lines({"type": "turn.started"}))
    assert crate.code == 0
    assert json.loads(crate.out)["steps"] == []  # what the crate writes


def test_crate_mode_writes_the_crates_bytes_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "c.json"
    log = _lines({"type": "thread.started", "thread_id": "t"}, _message("a", "é\n"))
    ran = invoke("atif", "-", "--crate-compatible", "-o", str(out), stdin=log)
    assert ran.code == 0, ran.err
    data = out.read_bytes()
    assert data.startswith(b'{"schema_version":"ATIF-v1.4","session_id":"t","agent":')
    assert b'"message":"\xc3\xa9\\n"}],"final_metrics":' in data
    assert not data.endswith(b"\n")  # serde_json::to_string's bytes, nothing added


def test_several_logs_and_threads_go_to_safe_file_names(tmp_path: Path) -> None:
    hostile = ["../../escape", f"red{ESC}[31m", "", "x" * 500, ".hidden", "same", "same"]
    events = []
    for n, thread in enumerate(hostile):
        events += [{"type": "thread.started", "thread_id": thread}, _message(str(n), thread[:5])]
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "log.jsonl").write_bytes(_lines(*events))
    (tmp_path / "b" / "log.jsonl").write_bytes(_lines(_message("x", "y")))
    out = tmp_path / "out"
    ran = run_cli(
        "atif",
        str(tmp_path / "a" / "log.jsonl"),
        str(tmp_path / "b" / "log.jsonl"),
        "-o",
        str(out),
        "--split-threads",
    )
    assert ran.code == 0, ran.err
    names = sorted(p.name for p in out.iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b", "out"]  # nothing escaped
    assert names == sorted(
        [
            "log.escape.atif.json",
            "log.red_31m.atif.json",
            "log.segment-3.atif.json",
            f"log.{'x' * 80}.atif.json",
            "log.hidden.atif.json",
            "log.same.atif.json",
            "log.same-2.atif.json",
            "log.segment-8.atif.json",  # b/log.jsonl: no thread.started, the 8th trajectory
        ]
    )
    assert ESC not in ran.err
    assert "\\e[31m" in ran.err or "red_31m" in ran.err


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run_cli("atif", SESSION, SESSION).code == 2  # several logs need -o DIR
    assert run_cli("atif", SESSION, "--split-threads", "-o", "-").code == 2
    assert run_cli("atif", str(tmp_path / "missing.jsonl")).code == 2
    assert run_cli("atif", "-", "-", "-o", str(tmp_path)).code == 2
    assert run_cli("atif", "--check", "x.json", "--crate-compatible").code == 2


def test_check_reports_each_problem_with_file_and_pointer(tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    assert invoke("atif", str(ROOT / SESSION), "-o", str(good)).code == 0
    crate = tmp_path / f"crate{ESC}.json"
    assert invoke("atif", str(ROOT / SESSION), "--crate-compatible", "-o", str(crate)).code == 0
    zipped = tmp_path / "good.json.gz"
    zipped.write_bytes(gzip.compress(good.read_bytes()))
    ran = run_cli("atif", "--check", str(good), str(crate), str(zipped))
    assert ran.code == 1
    lines = ran.out.decode().splitlines()
    shown = str(crate).replace(ESC, "\\e")
    assert f"{shown}: /steps/0/message: required field is missing" in lines
    assert (
        f"{shown}: /steps/6/metrics: 'metrics' is only allowed on agent steps, not system" in lines
    )
    assert lines[-1] == "3 ATIF file(s): 2 valid, 1 invalid"
    assert ESC.encode() not in ran.out
    report = json.loads(invoke("atif", "--check", "--format", "json", str(good)).out)
    assert report == {
        "files": [{"path": str(good), "valid": True, "problems": [], "error": None}],
        "valid": 1,
        "invalid": 0,
        "unreadable": 0,
    }


def test_check_hostile_documents_bounded(tmp_path: Path) -> None:
    files = {
        "text.json": b"not json at all",
        "binary.json": bytes(range(256)) * 64,
        "deep.json": b"[" * 100_000 + b"]" * 100_000,
        "scalar.json": b"42",
        "empty.json": b"",
    }
    # Subagents nested about as deeply as JSON parsing allows (900 levels), then 100,000 bad
    # steps.
    agent = (
        b'"agent":{"name":"a","version":"1"},"steps":[{"step_id":1,"source":"agent","message":""}]'
    )
    head = b'{"schema_version":"ATIF-v1.8",%s,"trajectory_id":"%d","subagent_trajectories":['
    files["nested.json"] = (
        b"".join(head % (agent, n) for n in range(450))
        + b'{"schema_version":"ATIF-v1.8","trajectory_id":"x",'
        + agent
        + b"}"
        + b"]}" * 450
    )
    steps = [{"step_id": 1, "source": "system", "message": "", "metrics": {}}] * 20_000
    files["many.json"] = orjson.dumps(
        {"schema_version": "ATIF-v1.4", "agent": {"name": "a", "version": "1"}, "steps": steps}
    )
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    paths = [str(tmp_path / n) for n in files]
    ran = run_cli("atif", "--check", *paths, timeout=120, memory=3 << 30)
    assert ran.code == 1, ran.err
    assert "Traceback" not in ran.err
    lines = ran.out.decode().splitlines()
    expected = {
        "text.json": "not JSON: invalid literal, expected 'null': line 1 column 1 (char 0)",
        "binary.json": "not JSON: str is not valid UTF-8: surrogates not allowed",
        "deep.json": "not JSON: depth limit exceeded: line 1 column 1026 (char 1025)",
        "scalar.json": "an ATIF document is a JSON object, not int",
        "empty.json": "not JSON: Input is a zero-length, empty document",
        "nested.json": "nested too deeply to check",
    }
    for name, message in expected.items():
        (line,) = [line for line in lines if line.startswith(f"{tmp_path}/{name}:")]
        assert message in line
    many = [line for line in lines if line.startswith(f"{tmp_path}/many.json:")]
    assert len(many) == 2 * 20_000 - 1  # metrics on every step, step ids from the second on
    assert lines[-1] == "7 ATIF file(s): 0 valid, 7 invalid"
    bomb = tmp_path / "bomb.json.gz"
    bomb.write_bytes(gzip.compress(b" " * (200 << 20)))  # 200 MiB of spaces, 200 KiB on disk
    big = run_cli(
        "atif",
        "--check",
        "--max-bytes",
        "1000000",
        str(tmp_path / "many.json"),
        str(bomb),
        memory=1 << 30,
    )
    assert big.code == 2
    assert big.out.decode().splitlines() == [
        f"{tmp_path}/many.json: error: larger than 1000000 bytes (see --max-bytes)",
        f"{bomb}: error: larger than 1000000 bytes (see --max-bytes)",
        "2 ATIF file(s): 0 valid, 0 invalid, 2 unreadable",
    ]


def test_a_huge_log_line_is_bounded(tmp_path: Path) -> None:
    log = tmp_path / "big.jsonl"
    log.write_bytes(_lines(_message("a", "x" * (20 << 20)), {"type": "turn.started"}))
    ran = run_cli("atif", str(log), "-o", str(tmp_path / "o.json"), timeout=120, memory=2 << 30)
    assert ran.code == 0, ran.err
    assert (tmp_path / "o.json").stat().st_size > 20 << 20
