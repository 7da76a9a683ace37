"""The crate's rules, case by case: same events in, the crate's own bytes out.

The expected outputs in tests/data/atif/crate_rules.json were written by VT Code's crate
itself (its atif.rs built from source; see tests/atif/oracle/README.md).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

import vtcode_exec_events as vee
from vtcode_exec_events.atif import AtifBuilder, dumps_crate
from vtcode_exec_events.emit import EventEmitter, FanOut

from .conftest import BASE, UUID4, build, crate_cases

CASES = crate_cases()


def _crate_bytes(builder: AtifBuilder) -> str:
    text = dumps_crate(builder.crate_document()).decode()
    if builder.session_id is None:
        assert re.search(f'"session_id":"{UUID4}"', text)
        text = re.sub(f'"session_id":"{UUID4}"', '"session_id":"<random v4 uuid>"', text)
    return text


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_the_crate_writes_these_bytes(case: dict[str, Any]) -> None:
    assert _crate_bytes(build(case["events"])) == case["crate"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_models_and_envelopes_give_the_same_bytes_as_dicts(case: dict[str, Any]) -> None:
    models = [vee.parse_event(e) for e in case["events"]]
    envelopes = [vee.parse_line(vee.dumps(m, schema_version="0.11.0")).event for m in models]
    assert _crate_bytes(build(models)) == case["crate"]
    assert _crate_bytes(build(envelopes)) == case["crate"]


# The crate's unit tests (atif.rs, mod tests), ported as behaviour.


def test_trajectory_round_trip() -> None:
    document = {
        "schema_version": "ATIF-v1.4",
        "session_id": "test-session",
        "agent": {"name": "vtcode", "version": "0.147.0"},
        "steps": [{"step_id": 1, "timestamp": "2025-01-15T10:30:00+00:00", "source": "user"}],
    }
    document["steps"][0]["message"] = "hello"
    restored = vee.atif.Trajectory.model_validate_json(dumps_crate(document))
    assert restored.schema_version == "ATIF-v1.4"
    assert restored.session_id == "test-session"
    assert len(restored.steps) == 1


def test_builder_thread_started_sets_session_id() -> None:
    builder = build([{"type": "thread.started", "thread_id": "thread-abc"}])
    assert builder.crate_document()["session_id"] == "thread-abc"


def test_builder_agent_message_step() -> None:
    event = {
        "type": "item.completed",
        "item": {"id": "msg-1", "type": "agent_message", "text": "Hello, world!"},
    }
    (step,) = build([event]).crate_document()["steps"]
    assert (step["step_id"], step["source"], step["message"]) == (1, "agent", "Hello, world!")


def test_builder_tool_invocation_with_output() -> None:
    invocation = {
        "type": "item.completed",
        "item": {
            "id": "tool_1",
            "type": "tool_invocation",
            "tool_name": "read_file",
            "arguments": {"path": "README.md"},
            "tool_call_id": "tc_0",
            "status": "completed",
        },
    }
    output = {
        "type": "item.completed",
        "item": {
            "id": "tool_1:output",
            "type": "tool_output",
            "call_id": "tool_1",
            "tool_call_id": "tc_0",
            "output": "file contents here",
            "exit_code": 0,
            "status": "completed",
        },
    }
    builder = AtifBuilder()
    builder(invocation, at=BASE)
    assert builder.steps == []  # buffered until the output arrives
    builder(output, at=BASE)
    (step,) = builder.crate_document()["steps"]
    assert step["source"] == "agent"
    (call,) = step["tool_calls"]
    assert (call["function_name"], call["tool_call_id"]) == ("read_file", "tc_0")
    (result,) = step["observation"]["results"]
    assert result["content"] == "file contents here"


def test_builder_turn_completed_accumulates_metrics() -> None:
    usage = {
        "input_tokens": 500,
        "cached_input_tokens": 100,
        "cache_creation_tokens": 0,
        "output_tokens": 200,
    }
    final = build([{"type": "turn.completed", "usage": usage}]).crate_document()["final_metrics"]
    assert final["total_prompt_tokens"] == 500
    assert final["total_completion_tokens"] == 200
    assert final["total_cached_tokens"] == 100


def test_step_metrics_from_usage() -> None:
    usage = {
        "input_tokens": 1000,
        "cached_input_tokens": 200,
        "cache_creation_tokens": 50,
        "output_tokens": 300,
    }
    (step,) = build([{"type": "turn.completed", "usage": usage}]).crate_document()["steps"]
    assert step["metrics"] == {
        "prompt_tokens": 1000,
        "completion_tokens": 300,
        "cached_tokens": 200,
        "extra": {"cache_creation_tokens": 50},
    }


def test_builder_implements_event_emitter() -> None:
    builder = AtifBuilder()
    assert isinstance(builder, EventEmitter)
    with FanOut(builder) as emit:
        emit(vee.ThreadStartedEvent(thread_id="t-1"))
    assert builder.steps == []  # thread.started makes no step
    assert builder.session_id == "t-1"


def test_skips_lifecycle_events() -> None:
    builder = AtifBuilder()
    builder({"type": "turn.started"})
    assert builder.steps == []


def test_compact_boundary_with_segment_metadata_preserves_atif_export() -> None:
    event = {
        "type": "thread.compact_boundary",
        "thread_id": "thread-1",
        "trigger": "auto",
        "mode": "local",
        "original_message_count": 12,
        "compacted_message_count": 5,
        "previous_segment_id": "segment-0001",
        "new_segment_id": "segment-0002",
        "previous_prefix_hash": "prefix-before",
        "new_prefix_hash": "prefix-after",
        "previous_catalog_hash": "catalog-before",
        "new_catalog_hash": "catalog-after",
    }
    (step,) = build([event]).crate_document()["steps"]
    assert step["source"] == "system"
    assert step["message"] == "context_compaction: 12 messages -> 5 messages (auto)"


# Beyond the crate's tests: timestamps, session ids, bad input.


def test_processing_time_is_rfc3339_with_nanoseconds_as_chrono_writes_it() -> None:
    builder = AtifBuilder()
    builder({"type": "error", "message": "x"})
    (step,) = builder.steps
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3}|\.\d{6}|\.\d{9})?\+00:00", step["timestamp"]
    )
    assert vee.atif.rfc3339(1_736_937_000_000_000_000) == "2025-01-15T10:30:00+00:00"
    assert vee.atif.rfc3339(1_736_937_000_120_000_000) == "2025-01-15T10:30:00.120+00:00"
    assert vee.atif.rfc3339(1_736_937_000_000_123_000) == "2025-01-15T10:30:00.000123+00:00"
    assert vee.atif.rfc3339(1_736_937_000_000_000_001) == "2025-01-15T10:30:00.000000001+00:00"


def test_a_paired_tool_step_takes_its_invocations_time_and_the_outputs_place() -> None:
    case = next(c for c in CASES if c["name"] == "tool_invocation_waits_for_its_output")
    steps = build(case["events"]).crate_document()["steps"]
    assert [s.get("message") for s in steps] == ["between", None]
    assert steps[1]["timestamp"] == "2025-01-15T10:30:00+00:00"


def test_without_a_clock_steps_have_no_timestamp() -> None:
    builder = AtifBuilder(clock=None)
    builder({"type": "error", "message": "x"})
    assert "timestamp" not in builder.steps[0]


def test_the_random_session_id_is_a_v4_uuid_and_stable() -> None:
    builder = AtifBuilder()
    first = builder.crate_document()["session_id"]
    assert re.fullmatch(UUID4, first)
    assert builder.crate_document()["session_id"] == first
    assert AtifBuilder(session_id="mine").crate_document()["session_id"] == "mine"


def test_an_explicit_session_id_wins_over_the_events() -> None:
    builder = AtifBuilder(session_id="mine")
    builder({"type": "thread.started", "thread_id": "theirs"})
    assert builder.crate_document()["session_id"] == "mine"


def test_a_malformed_event_dict_is_rejected_with_its_pointer() -> None:
    builder = AtifBuilder()
    with pytest.raises(vee.WireFormatError) as caught:
        builder({"type": "turn.completed", "usage": {"input_tokens": "many"}})
    assert caught.value.pointer.startswith("/usage")
    assert builder.steps == []


def test_an_old_log_without_cache_creation_tokens_counts_zero() -> None:
    usage = {"input_tokens": 10, "cached_input_tokens": 0, "output_tokens": 1}
    old = build([{"type": "turn.completed", "usage": usage}], schema_version="0.3.0")
    (step,) = old.crate_document()["steps"]
    assert step["metrics"] == {"prompt_tokens": 10, "completion_tokens": 1}
    # A bare dict is read with the newest schema unless told otherwise, as a log line is.
    with pytest.raises(vee.WireFormatError, match="cache_creation_tokens"):
        build([{"type": "turn.completed", "usage": usage}])


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        AtifBuilder()({"type": "error", "message": "x"}, at=BASE.replace(tzinfo=None))
