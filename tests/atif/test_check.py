"""``atif.problems``: the upstream rules, each problem with its JSON pointer; agreement with
the upstream models on mutated documents."""

from __future__ import annotations

import copy
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.foundation.strategies import mutated
from vtcode_exec_events.atif import Trajectory, problems

#: A v1.8 document using most of the format: multimodal parts, subagents, later fields.
RICH: dict[str, Any] = {
    "schema_version": "ATIF-v1.8",
    "session_id": "run-1",
    "trajectory_id": "root",
    "agent": {"name": "other-agent", "version": "2.0", "model_name": "m", "tool_definitions": [{}]},
    "steps": [
        {"step_id": 1, "timestamp": "2026-01-01T00:00:00Z", "source": "system", "message": "sys"},
        {
            "step_id": 2,
            "source": "user",
            "message": [
                {"type": "text", "text": "look"},
                {"type": "image", "source": {"media_type": "image/png", "path": "a.png"}},
                {"type": "audio", "source": {"media_type": "audio/mp3", "path": "a.mp3"}},
            ],
            "is_copied_context": False,
        },
        {
            "step_id": 3,
            "timestamp": "2026-01-01T00:00:01.123456789+00:00",
            "source": "agent",
            "model_name": "m2",
            "reasoning_effort": "high",
            "message": "",
            "reasoning_content": "r",
            "tool_calls": [{"tool_call_id": "c1", "function_name": "f", "arguments": {}}],
            "observation": {
                "results": [
                    {"source_call_id": "c1", "content": "out"},
                    {"subagent_trajectory_ref": [{"trajectory_id": "sub"}]},
                ]
            },
            "metrics": {"prompt_tokens": 1, "cost_usd": 0.5, "logprobs": [-0.1]},
            "llm_call_count": 2,
            "extra": {"any": [1, {"deep": None}]},
        },
    ],
    "final_metrics": {"total_steps": 3, "total_cost_usd": 0.5},
    "subagent_trajectories": [
        {
            "schema_version": "ATIF-v1.7",
            "trajectory_id": "sub",
            "agent": {"name": "sub", "version": "1"},
            "steps": [{"step_id": 1, "source": "agent", "message": "done"}],
        }
    ],
}


def doc(**changes: Any) -> dict[str, Any]:
    value = copy.deepcopy(RICH)
    value.update(changes)
    return value


def with_step(index: int, **changes: Any) -> dict[str, Any]:
    value = doc()
    value["steps"][index] = {**value["steps"][index], **changes}
    return value


def test_a_rich_v1_8_document_is_valid() -> None:
    assert problems(RICH) == []
    Trajectory.model_validate(RICH)


CASES: list[tuple[str, dict[str, Any], str, str]] = [
    ("missing field", doc(agent={"name": "x"}), "/agent/version", "required field is missing"),
    ("unknown field", doc(colour="red"), "/colour", "unexpected field (not part of ATIF)"),
    ("unknown version", doc(schema_version="ATIF-v2.0"), "/schema_version", "ATIF-v1.0"),
    ("wrong type", with_step(0, message=5), "/steps/0/message", "valid string"),
    ("no steps", doc(steps=[]), "/steps", "at least one step"),
    ("step ids", with_step(1, step_id=7), "/steps/1/step_id", "step_id is 7, expected 2"),
    ("agent only", with_step(0, metrics={}), "/steps/0/metrics", "only allowed on agent steps"),
    (
        "agent only on user",
        with_step(1, reasoning_content="r"),
        "/steps/1/reasoning_content",
        "only allowed on agent steps, not user",
    ),
    (
        "no llm call",
        with_step(2, llm_call_count=0, reasoning_content=None),
        "/steps/2/metrics",
        "llm_call_count is 0",
    ),
    (
        "reference",
        with_step(2, tool_calls=[{"tool_call_id": "other", "function_name": "f", "arguments": {}}]),
        "/steps/2/observation/results/0/source_call_id",
        "names no tool call of step 3",
    ),
    (
        "reference without tool calls (Harbor)",
        with_step(0, observation={"results": [{"source_call_id": "x"}]}),
        "/steps/0/observation/results/0/source_call_id",
        "names no tool call of step 1",
    ),
    ("timestamp", with_step(0, timestamp="yesterday"), "/steps/0/timestamp", "ISO 8601"),
    (
        "text part",
        with_step(1, message=[{"type": "text"}]),
        "/steps/1/message/0",
        "needs 'text'",
    ),
    (
        "media kind",
        with_step(
            1, message=[{"type": "image", "source": {"media_type": "audio/wav", "path": "p"}}]
        ),
        "/steps/1/message/0/source/media_type",
        "needs an image media type",
    ),
    (
        "subagent ref",
        with_step(2, observation={"results": [{"subagent_trajectory_ref": [{"session_id": "s"}]}]}),
        "/steps/2/observation/results/0/subagent_trajectory_ref/0",
        "'trajectory_id' or 'trajectory_path'",
    ),
    (
        "subagent id",
        doc(subagent_trajectories=[{**RICH["subagent_trajectories"][0], "trajectory_id": None}]),
        "/subagent_trajectories/0",
        "needs 'trajectory_id'",
    ),
    (
        "subagent rules",
        doc(subagent_trajectories=[{**RICH["subagent_trajectories"][0], "steps": []}]),
        "/subagent_trajectories/0/steps",
        "at least one step",
    ),
    ("not an object", [], "", "a JSON object, not list"),  # type: ignore[list-item]
]


@pytest.mark.parametrize(
    ("document", "pointer", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_each_rule_reports_its_pointer(document: Any, pointer: str, message: str) -> None:
    found = problems(document)
    assert [p.pointer for p in found] == [pointer]
    assert message in found[0].message
    if isinstance(document, dict):
        with pytest.raises(ValueError, match="validation error"):
            Trajectory.model_validate(document)


def test_every_problem_is_reported_not_just_the_first() -> None:
    document = with_step(0, metrics={}, step_id=9, timestamp="no")
    document["steps"][1]["message"] = None
    pointers = {p.pointer for p in problems(document)}
    assert {
        "/steps/0/metrics",
        "/steps/0/step_id",
        "/steps/0/timestamp",
        "/steps/1/message",
    } <= pointers


#: Where this checker is stricter than the PyPI ``atif`` models (Harbor's validator agrees).
HARBOR_ONLY = ("at least one step", "names no tool call", "Input should be 'ATIF-v1")


def test_verdicts_agree_with_the_upstream_models() -> None:
    upstream = pytest.importorskip("atif", reason="the upstream models need Python 3.11+")

    examples = int(os.environ.get("ATIF_EXAMPLES", "300"))

    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck))
    @given(mutated(st.just(RICH).map(copy.deepcopy)))
    def check(document: Any) -> None:
        found = problems(document)
        try:
            upstream.Trajectory.model_validate(document)
        except ValueError:
            assert found, "upstream rejects a document the checker accepts"
            return
        for problem in found:  # upstream accepts: only the stricter (Harbor) rules may object
            assert any(rule in problem.message for rule in HARBOR_ONLY), problem

    check()
