"""The repairs that make the crate's trajectory valid ATIF, one by one, each recorded."""

from __future__ import annotations

from typing import Any

import pytest

from vtcode_exec_events.atif import EXTRA_KEY, EmptyTrajectoryError, problems

from .conftest import build

USAGE = {
    "input_tokens": 10,
    "cached_input_tokens": 4,
    "cache_creation_tokens": 2,
    "output_tokens": 3,
}
METRICS = {"prompt_tokens": 10, "completion_tokens": 3, "cached_tokens": 4}
METRICS["extra"] = {"cache_creation_tokens": 2}  # type: ignore[assignment]


def item(item_id: str, **fields: Any) -> dict[str, Any]:
    return {"type": "item.completed", "item": {"id": item_id, **fields}}


def valid(events: list[Any]) -> dict[str, Any]:
    """The default mode's document for ``events`` (checked: no problem left)."""
    document = build(events).finish().model_dump(mode="json", exclude_none=True)
    assert problems(document) == []
    return document


def record(document: dict[str, Any]) -> dict[str, Any]:
    conversion: dict[str, Any] = document["extra"][EXTRA_KEY]
    assert conversion["converter"].startswith("vtcode-exec-events ")
    return conversion


def test_steps_without_a_message_get_an_empty_one() -> None:
    document = valid(
        [
            item("r", type="reasoning", text="hmm"),
            item("c", type="command_execution", command="ls", status="completed"),
            item("m", type="mcp_tool_call", tool_name="x", arguments={}),
            item("o", type="tool_output", call_id="nobody", status="completed"),
            item("a", type="agent_message", text="done"),
        ]
    )
    assert [s["message"] for s in document["steps"]] == ["", "", "", "", "done"]
    assert list(document["steps"][0]) == [
        "step_id",
        "timestamp",
        "source",
        "message",
        "reasoning_content",
    ]
    assert record(document)["repairs"]["message_added"] == [1, 2, 3, 4]


def test_turn_usage_moves_to_the_turns_last_agent_step() -> None:
    document = valid(
        [
            {"type": "turn.started"},
            item("a", type="agent_message", text="first"),
            item("b", type="agent_message", text="last"),
            item("e", type="error", message="not an agent step"),
            {"type": "turn.completed", "usage": USAGE},
        ]
    )
    steps = document["steps"]
    assert "metrics" not in steps[0]
    assert steps[1]["metrics"] == METRICS
    assert steps[3] == {
        "step_id": 4,
        "timestamp": "2025-01-15T10:30:04+00:00",
        "source": "system",
        "message": "turn_completed",
    }
    assert record(document)["repairs"]["metrics_moved"] == [{"from_step": 4, "to_step": 2}]
    assert document["final_metrics"]["total_prompt_tokens"] == 10  # the totals are unchanged


def test_usage_never_moves_into_another_turn() -> None:
    document = valid(
        [
            {"type": "turn.started"},
            item("a", type="agent_message", text="turn one"),
            {"type": "turn.completed", "usage": USAGE},
            {"type": "turn.started"},
            {"type": "error", "message": "overloaded"},
            {"type": "turn.failed", "message": "gave up", "usage": USAGE},
        ]
    )
    steps = document["steps"]
    assert steps[0]["metrics"] == METRICS
    assert steps[3]["extra"] == {"metrics": METRICS}  # no agent step in turn two
    repairs = record(document)["repairs"]
    assert repairs["metrics_moved"] == [{"from_step": 2, "to_step": 1}]
    assert repairs["metrics_kept_in_extra"] == [4]


def test_a_failed_turn_without_usage_has_nothing_to_move() -> None:
    document = valid(
        [item("a", type="agent_message", text="x"), {"type": "turn.failed", "message": "m"}]
    )
    assert "metrics" not in document["steps"][0]
    assert "repairs" not in record(document)


def test_tool_calls_get_object_arguments() -> None:
    invocations = [
        item("n", type="tool_invocation", tool_name="none", status="completed"),
        item("s", type="tool_invocation", tool_name="str", arguments="ls -la", status="completed"),
        item("l", type="tool_invocation", tool_name="list", arguments=[1, 2], status="completed"),
        item("o", type="tool_invocation", tool_name="obj", arguments={"k": 1}, status="completed"),
    ]
    outputs = [item(f"{i}:out", type="tool_output", call_id=i, status="completed") for i in "nslo"]
    document = valid(invocations + outputs)
    arguments = [s["tool_calls"][0]["arguments"] for s in document["steps"]]
    assert arguments == [{}, {"value": "ls -la"}, {"value": [1, 2]}, {"k": 1}]
    repairs = record(document)["repairs"]
    assert repairs["arguments_added"] == [1]
    assert repairs["arguments_wrapped"] == [2, 3]


def test_search_result_ids_without_tool_calls_are_removed() -> None:
    document = valid([item("w", type="web_search", query="q", results=["https://a", "https://b"])])
    (step,) = document["steps"]
    assert step["observation"] == {"results": [{"content": "https://a"}, {"content": "https://b"}]}
    assert record(document)["repairs"]["source_call_id_removed"] == [1]


def test_a_session_without_steps_is_an_error_not_an_invented_step() -> None:
    builder = build([{"type": "thread.started", "thread_id": "t"}, {"type": "turn.started"}])
    with pytest.raises(EmptyTrajectoryError, match="no event made a step"):
        builder.finish()
    assert builder.crate_document()["steps"] == []  # the crate writes an empty trajectory


def test_unanswered_invocations_and_skipped_lines_are_recorded() -> None:
    events = [
        item("i", type="tool_invocation", tool_name="run", tool_call_id="c", status="completed"),
        item("a", type="agent_message", text="x"),
    ]
    document = build(events).finish(skipped_lines=2).model_dump(mode="json", exclude_none=True)
    conversion = record(document)
    assert conversion["dropped_tool_invocations"] == [{"item_id": "i", "tool_name": "run"}]
    assert conversion["skipped_lines"] == 2


def test_nothing_is_invented() -> None:
    """No cost, no usage beyond the log's, no times without a clock, no extra steps."""
    builder = build([item("a", type="agent_message", text="x")], clock=None)
    crate = builder.crate_document()
    document = builder.finish().model_dump(mode="json", exclude_none=True)
    assert len(document["steps"]) == len(crate["steps"])
    assert "total_cost_usd" not in document["final_metrics"]
    assert document["final_metrics"] == crate["final_metrics"]
    assert "metrics" not in document["steps"][0]


def test_repairs_keep_the_crates_steps_one_for_one() -> None:
    events = [
        item("r", type="reasoning", text="hmm"),
        {"type": "turn.completed", "usage": USAGE},
        item("w", type="web_search", query="q", results=["u"]),
    ]
    builder = build(events)
    crate, document = builder.crate_document(), valid(events)
    for before, after in zip(crate["steps"], document["steps"], strict=True):
        assert (before["step_id"], before["source"]) == (after["step_id"], after["source"])
        assert before.get("message", "") == after["message"]
