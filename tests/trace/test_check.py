"""`check` (and `trace --check`) says exactly where and why a record is not Agent Trace."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.trace.conftest import DATA, run_cli
from vtcode_exec_events.trace import (
    Contributor,
    RelatedResource,
    TraceConversation,
    TraceFile,
    TraceMetadata,
    TraceRange,
    TraceRecord,
    VcsInfo,
    VtcodeMetadata,
    check,
)

#: The specification's own example record (section 6.2).
SPEC_EXAMPLE: dict[str, Any] = {
    "version": "0.1.0",
    "id": "550e8400-e29b-41d4-a716-446655440000",
    "timestamp": "2026-01-23T14:30:00Z",
    "vcs": {"type": "git", "revision": "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0"},
    "tool": {"name": "cursor", "version": "2.4.0"},
    "files": [
        {
            "path": "src/utils/parser.ts",
            "conversations": [
                {
                    "url": "https://api.cursor.com/v1/conversations/12345",
                    "contributor": {"type": "ai", "model_id": "anthropic/claude-opus-4-5-20251101"},
                    "ranges": [
                        {"start_line": 42, "end_line": 67, "content_hash": "murmur3:9f2e8a1b"}
                    ],
                    "related": [
                        {"type": "session", "url": "https://api.cursor.com/v1/sessions/67890"}
                    ],
                }
            ],
        }
    ],
    "metadata": {"confidence": 0.95, "dev.cursor": {"workspace_id": "ws-abc123"}},
}

INVALID: list[dict[str, Any]] = json.loads((DATA / "invalid-records.json").read_text("utf-8"))


def test_the_specifications_example_is_valid_and_reads_back() -> None:
    assert check(SPEC_EXAMPLE) == []
    assert TraceRecord.model_validate(SPEC_EXAMPLE).to_dict() == SPEC_EXAMPLE


@pytest.mark.parametrize("case", INVALID, ids=lambda c: c["name"])
def test_each_problem_is_named_with_its_pointer(case: dict[str, Any]) -> None:
    found = [[p.pointer, p.message] for p in check(case["doc"])]
    assert found == case["problems"]


_text = st.text(st.characters(codec="utf-8"), max_size=20)
_contributor = st.builds(
    Contributor,
    type=st.sampled_from(["human", "ai", "mixed", "unknown"]),
    model_id=st.none() | st.text(max_size=250),
)


@st.composite
def _range(draw: st.DrawFn) -> TraceRange:
    start = draw(st.integers(1, 10_000))
    return TraceRange(
        start_line=start,
        end_line=draw(st.integers(start, 20_000)),
        content_hash=draw(st.none() | _text),
        contributor=draw(st.none() | _contributor),
    )


_url = st.sampled_from(["https://example.com/c/1", "file:///w/.vtcode/sessions/s%20x.json"])
_records = st.builds(
    TraceRecord,
    vcs=st.none()
    | st.builds(VcsInfo, type=st.sampled_from(["git", "jj", "hg", "svn"]), revision=_text),
    files=st.lists(
        st.builds(
            TraceFile,
            path=_text,
            conversations=st.lists(
                st.builds(
                    TraceConversation,
                    url=st.none() | _url,
                    contributor=st.none() | _contributor,
                    ranges=st.lists(_range(), max_size=3),
                    related=st.none()
                    | st.lists(st.builds(RelatedResource, type=_text, url=_url), max_size=2),
                ),
                max_size=2,
            ),
        ),
        max_size=3,
    ),
    metadata=st.none()
    | st.builds(
        TraceMetadata,
        confidence=st.none() | st.floats(0, 1),
        vtcode=st.none()
        | st.builds(
            VtcodeMetadata, session_id=st.none() | _text, turn_number=st.none() | st.integers(0, 99)
        ),
    ),
)


@settings(max_examples=100, deadline=None)
@given(_records)
def test_every_record_the_models_write_is_valid_and_reads_back(record: TraceRecord) -> None:
    doc = json.loads(record.dumps())
    assert check(doc) == []
    assert TraceRecord.model_validate(doc) == record
    assert json.loads(record.dumps(indent=None)) == doc


def test_cli_check_reports_file_pointer_and_exit_code(tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps(SPEC_EXAMPLE))
    bad = tmp_path / "bad\x1b]0;owned\x07.json"
    bad.write_text(json.dumps(INVALID[2]["doc"]))
    done = run_cli("trace", "--check", str(good), str(bad))
    assert done.returncode == 1
    assert done.stdout.decode() == f"{good}: valid Agent Trace record\n"
    err = done.stderr.decode()
    assert err == f"{tmp_path}/bad\\e]0;owned\\x07.json: /id: 'nope' is not a 'uuid'\n"


def test_cli_check_reads_json_lines_of_records(tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    path.write_text(json.dumps(SPEC_EXAMPLE) + "\n" + json.dumps(INVALID[2]["doc"]) + "\n{oops\n")
    done = run_cli("trace", "--check", str(path))
    assert done.returncode == 1
    assert done.stdout.decode() == f"{path}:1: valid Agent Trace record\n"
    lines = done.stderr.decode().splitlines()
    assert lines[0] == f"{path}:2: /id: 'nope' is not a 'uuid'"
    assert lines[1].startswith(f"{path}:3: not JSON: ")
    assert len(lines) == 2


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("deep.json", b"[" * 200_000 + b"]" * 200_000, "not JSON: "),
        ("huge.json", None, "larger than 64 MiB"),
        ("binary.json", b"\x00\xff\xfe" * 1000, "not JSON: "),
    ],
)
def test_hostile_records_fail_in_one_line_within_bounds(
    tmp_path: Path, name: str, content: bytes | None, expected: str
) -> None:
    path = tmp_path / name
    if content is None:
        with path.open("wb") as handle:
            handle.truncate(65 << 20)  # sparse: 65 MiB of zeros
    else:
        path.write_bytes(content)
    done = run_cli("trace", "--check", str(path), timeout=30, memory=768 << 20)
    assert done.returncode == 2
    err = done.stderr.decode()
    assert err.startswith(f"{path}: {expected}")
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_cli_check_missing_file_is_exit_2(tmp_path: Path) -> None:
    done = run_cli("trace", "--check", str(tmp_path / "nope.json"))
    assert done.returncode == 2
    assert done.stderr.decode().startswith(f"{tmp_path}/nope.json: ")
