"""Records for what a session changed: its file_change events joined with a real git diff."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.trace.conftest import events_log, git, run_cli
from vtcode_exec_events.trace import (
    GitError,
    TraceContext,
    Workspace,
    changed_files,
    check,
    content_hash,
    session_records,
)


def _events(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_ranges_and_hashes_come_from_the_diff(repo: Path, tmp_path: Path) -> None:
    (repo / "a.txt").write_text("one\nTWO\n2.5\nthree\nfour\nfive\nsix\n")
    (repo / "new.py").write_text("print('hi')\r\nprint('there')\r\n")
    (repo / "gone.txt").unlink()
    log = events_log(
        tmp_path / "s.jsonl",
        "thread-1",
        [
            (str(repo / "a.txt"), "update"),
            ("new.py", "add"),
            ("gone.txt", "delete"),
            ("keep.txt", "update"),
            ("../../etc/passwd", "update"),
        ],
    )
    traces = session_records(
        _events(log), Workspace(repo), TraceContext(model_id="gpt-5", provider="openai")
    )
    assert [(s.path, s.reason) for s in traces.skipped] == [
        ("gone.txt", "deleted"),
        ("keep.txt", "no added line in the diff"),
        ("../../etc/passwd", "outside the work tree"),
    ]
    (record,) = traces.records
    assert check(record.to_dict()) == []
    head = git(repo, "rev-parse", "HEAD").strip()
    assert record.vcs is not None
    assert record.vcs.revision == head
    files = {f.path: f for f in record.files}
    assert list(files) == ["a.txt", "new.py"]
    ranges = [
        (r.start_line, r.end_line, r.content_hash) for r in files["a.txt"].conversations[0].ranges
    ]
    assert ranges == [(2, 3, content_hash("TWO\n2.5")), (7, 7, content_hash("six"))]
    (new,) = files["new.py"].conversations[0].ranges
    assert (new.start_line, new.end_line) == (1, 2)
    assert new.content_hash == content_hash("print('hi')\nprint('there')")
    conversation = files["a.txt"].conversations[0]
    assert conversation.contributor is not None
    assert conversation.contributor.model_id == "openai/gpt-5"
    assert conversation.url == f"file://{repo}/.vtcode/sessions/thread-1.json"
    assert record.metadata is not None
    assert record.metadata.vtcode is not None
    assert record.metadata.vtcode.session_id == "thread-1"
    assert record.metadata.vtcode.provider == "openai"


def test_a_failed_patch_changes_nothing(repo: Path, tmp_path: Path) -> None:
    (repo / "a.txt").write_text("changed\n")
    log = events_log(tmp_path / "s.jsonl", "t", [("a.txt", "update")], status="failed")
    assert changed_files(_events(log)) == []
    traces = session_records(_events(log), Workspace(repo), TraceContext("m", "p"))
    assert traces.records == []
    assert traces.skipped == []


def test_base_names_where_the_session_started(repo: Path, tmp_path: Path) -> None:
    (repo / "a.txt").write_text("one\ntwo\nthree\nfour\nfive\nsix\n")
    git(repo, "commit", "-qam", "session")
    log = events_log(tmp_path / "s.jsonl", "t", [("a.txt", "update")])
    at_head = session_records(_events(log), Workspace(repo), TraceContext("m", "p"))
    assert at_head.records == []
    since = session_records(_events(log), Workspace(repo), TraceContext("m", "p"), base="HEAD~1")
    (record,) = since.records
    assert [(r.start_line, r.end_line) for r in record.files[0].conversations[0].ranges] == [(6, 6)]


@pytest.mark.parametrize("base", ["--output=/tmp/pwned", "-p", "no-such-rev"])
def test_a_base_is_never_an_option(repo: Path, tmp_path: Path, base: str) -> None:
    log = events_log(tmp_path / "s.jsonl", "t", [("a.txt", "update")])
    with pytest.raises(GitError):
        session_records(_events(log), Workspace(repo), TraceContext("m", "p"), base=base)
    assert not Path("/tmp/pwned").exists()


def test_not_a_work_tree(tmp_path: Path) -> None:
    with pytest.raises(GitError, match="rev-parse failed"):
        Workspace(tmp_path)


def test_cli_writes_valid_records_and_escapes_hostile_text(repo: Path, tmp_path: Path) -> None:
    (repo / "a.txt").write_text("one\ntwo\nthree\nfour\nfive\nsix\n")
    log = events_log(
        tmp_path / "s.jsonl",
        "evil\x1b]52;c;aGk=\x07",
        [("a.txt", "update"), ("x\x1b[2J", "update")],
    )
    with log.open("a") as handle:
        handle.write("{not json\n")
    out = tmp_path / "out.jsonl"
    done = run_cli(
        "trace", str(log), "-w", str(repo), "--model", "claude-x", "--provider", "anthropic"
    )
    assert done.returncode == 1  # the log had an invalid line
    err = done.stderr.decode()
    assert "\x1b" not in err
    assert "\x07" not in err
    assert f"{log}:4: " in err
    assert "x\\e[2J: no range (no added line in the diff)" in err
    out.write_bytes(done.stdout)
    (line,) = done.stdout.decode().splitlines()
    record = json.loads(line)
    assert record["metadata"]["dev.vtcode"]["session_id"] == "evil\x1b]52;c;aGk=\x07"
    assert record["files"][0]["conversations"][0]["url"].startswith("file://")
    checked = run_cli("trace", "--check", str(out))
    assert checked.returncode == 0, checked.stderr


def test_cli_folder_output_and_errors(repo: Path, tmp_path: Path) -> None:
    (repo / "a.txt").write_text("zero\none\ntwo\nthree\nfour\nfive\n")
    log = events_log(tmp_path / "s.jsonl", "t", [("a.txt", "update")])
    folder = tmp_path / "traces"
    done = run_cli("trace", str(log), "-w", str(repo), "--model", "m", "-o", str(folder))
    assert done.returncode == 0, done.stderr
    (written,) = folder.iterdir()
    record = json.loads(written.read_text())
    assert written.name == f"{record['id']}.json"
    assert record["files"][0]["conversations"][0]["ranges"][0]["start_line"] == 1
    no_repo = run_cli("trace", str(log), "-w", str(tmp_path), "--model", "m")
    assert no_repo.returncode == 2
    assert no_repo.stderr.decode().startswith("error: git rev-parse failed: ")
    no_model = run_cli("trace", str(log), "-w", str(repo))
    assert no_model.returncode == 2
    assert b"--model is required" in no_model.stderr
