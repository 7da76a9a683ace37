"""Hashes, model ids and records match what VT Code's crate computes and writes."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone
from typing import Any

import pytest

from tests.trace.conftest import DATA
from vtcode_exec_events.trace import (
    MIME_TYPE,
    VERSION,
    Contributor,
    TraceFile,
    TraceMetadata,
    TraceRange,
    TraceRecord,
    TraceRecordBuilder,
    VcsInfo,
    VtcodeMetadata,
    content_hash,
    normalize_model_id,
)

VECTORS: dict[str, Any] = json.loads((DATA / "crate-vectors.json").read_text("utf-8"))


@pytest.mark.parametrize("case", VECTORS["content_hash"], ids=lambda c: repr(c["content"][:20]))
def test_content_hash_matches_the_crate(case: dict[str, str]) -> None:
    assert content_hash(case["content"]) == case["murmur3"]
    assert content_hash(case["content"], "murmur3") == case["murmur3"]
    assert content_hash(case["content"], "fnv1a") == case["fnv1a"]


@pytest.mark.parametrize("case", VECTORS["normalize_model_id"], ids=lambda c: c["model"] or "empty")
def test_normalize_model_id_matches_the_crate(case: dict[str, str]) -> None:
    assert normalize_model_id(case["model"], case["provider"]) == case["expected"]


def test_constants_are_the_crates() -> None:
    assert MIME_TYPE == "application/vnd.agent-trace.record+json"
    assert VERSION == "0.1.0"


def test_unknown_algorithm_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="unknown hash algorithm 'md5'"):
        content_hash("x", "md5")  # type: ignore[arg-type]


# The crate's own unit tests (trace.rs `mod tests`), as behaviour.


def test_trace_record_creation() -> None:
    trace = TraceRecordBuilder().build()
    assert trace.version == VERSION == "0.1.0"
    assert trace.tool is not None
    assert trace.files == []
    assert trace.id.version == 4


def test_trace_record_for_git() -> None:
    trace = TraceRecordBuilder().revision("abc123").build()
    assert trace.vcs == VcsInfo(type="git", revision="abc123")


def test_contributor_types() -> None:
    ai = Contributor.ai("anthropic/claude-opus-4")
    assert (ai.type, ai.model_id) == ("ai", "anthropic/claude-opus-4")
    human = Contributor.human()
    assert (human.type, human.model_id) == ("human", None)
    assert Contributor.mixed().type == "mixed"
    assert Contributor.unknown().type == "unknown"


def test_trace_range_with_content_hash() -> None:
    rng = TraceRange(start_line=10, end_line=25, content_hash=content_hash("hello world"))
    assert (rng.start_line, rng.end_line) == (10, 25)
    assert rng.content_hash is not None
    assert rng.content_hash.startswith("murmur3:")


def test_hash_algorithms_and_consistency() -> None:
    assert content_hash("hello world").startswith("murmur3:")
    assert content_hash("hello world", "fnv1a").startswith("fnv1a:")
    assert content_hash("hello world") == content_hash("hello world", "murmur3")
    assert content_hash("hello world") != content_hash("hello world!")
    assert content_hash("test", "fnv1a") == content_hash("test", "fnv1a")


def test_trace_file_builder() -> None:
    file = TraceFile.with_ai_ranges(
        "src/main.rs", "anthropic/claude-opus-4", [TraceRange(start_line=1, end_line=50)]
    )
    assert file.path == "src/main.rs"
    assert len(file.conversations) == 1
    assert file.conversations[0].contributor == Contributor.ai("anthropic/claude-opus-4")


def test_trace_record_builder_has_attributions() -> None:
    trace = (
        TraceRecordBuilder()
        .revision("abc123def456")
        .file(
            TraceFile.with_ai_ranges(
                "src/lib.rs", "openai/gpt-5", [TraceRange(start_line=10, end_line=20)]
            )
        )
        .build()
    )
    assert trace.vcs is not None
    assert len(trace.files) == 1
    assert trace.has_attributions()
    assert (
        not TraceRecordBuilder()
        .file(TraceFile(path="x", conversations=[]))
        .build()
        .has_attributions()
    )


def test_trace_serialization_round_trip() -> None:
    trace = TraceRecordBuilder().revision("abc123").build()
    text = trace.dumps()
    assert '"version": "0.1.0"' in text
    assert "abc123" in text
    assert TraceRecord.model_validate_json(text) == trace


# Exact bytes: serde's key order, skip_serializing_if on every optional, chrono's timestamp.

FIXED_ID = uuid.UUID("550e8400-e29b-41d4-a716-446655440000")


def _record(moment: datetime) -> TraceRecord:
    return TraceRecord(
        id=FIXED_ID,
        timestamp=moment,
        vcs=VcsInfo(type="git", revision="a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0"),
        files=[
            TraceFile.with_ai_ranges(
                "src/main.rs",
                "anthropic/claude-opus-4",
                [TraceRange(start_line=1, end_line=3, content_hash="murmur3:9f2e8a1b")],
            )
        ],
        metadata=TraceMetadata(
            confidence=1.0,
            vtcode=VtcodeMetadata(session_id="session-123", turn_number=1, provider="anthropic"),
        ),
    )


def test_pretty_bytes_are_serdes() -> None:
    text = _record(datetime(2026, 1, 23, 14, 30, tzinfo=timezone.utc)).dumps()
    assert (
        text
        == """{
  "version": "0.1.0",
  "id": "550e8400-e29b-41d4-a716-446655440000",
  "timestamp": "2026-01-23T14:30:00Z",
  "vcs": {
    "type": "git",
    "revision": "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0"
  },
  "files": [
    {
      "path": "src/main.rs",
      "conversations": [
        {
          "contributor": {
            "type": "ai",
            "model_id": "anthropic/claude-opus-4"
          },
          "ranges": [
            {
              "start_line": 1,
              "end_line": 3,
              "content_hash": "murmur3:9f2e8a1b"
            }
          ]
        }
      ]
    }
  ],
  "metadata": {
    "confidence": 1.0,
    "dev.vtcode": {
      "session_id": "session-123",
      "turn_number": 1,
      "provider": "anthropic"
    }
  }
}"""
    )


@pytest.mark.parametrize(
    ("moment", "written"),
    [
        (datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc), "2026-01-02T03:04:05Z"),
        (datetime(2026, 1, 2, 3, 4, 5, 120000, tzinfo=timezone.utc), "2026-01-02T03:04:05.120Z"),
        (datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=timezone.utc), "2026-01-02T03:04:05.123456Z"),
        (datetime.fromisoformat("2026-01-02T05:04:05+02:00"), "2026-01-02T03:04:05Z"),
    ],
)
def test_timestamps_are_chronos(moment: datetime, written: str) -> None:
    assert _record(moment).to_dict()["timestamp"] == written


def test_vendor_metadata_is_kept_after_the_typed_keys() -> None:
    doc = {
        "version": "0.1.0",
        "id": str(FIXED_ID),
        "timestamp": "2026-01-23T14:30:00Z",
        "files": [],
        "metadata": {"dev.cursor": {"workspace_id": "ws"}, "confidence": 0.5},
    }
    record = TraceRecord.model_validate(doc)
    assert list(record.to_dict()["metadata"]) == ["confidence", "dev.cursor"]
    assert record.to_dict()["metadata"]["dev.cursor"] == {"workspace_id": "ws"}
