"""Repair the crate's trajectory into valid ATIF, recording every repair in ``extra``.

The crate's output breaks the upstream rules in four ways (five under Harbor's validator);
each is repaired the same documented way, and nothing is invented:

1. reasoning, tool, command and MCP steps have no ``message``: they get ``message: ""``;
2. turn usage sits on the ``turn_completed`` / ``turn.failed`` system step, where only agent
   steps may carry ``metrics``: it moves to the last agent step of the same turn; a turn
   without an agent step keeps it in the system step's ``extra.metrics``;
3. a tool call without arguments gets ``arguments: {}``; arguments that are not an object
   are wrapped as ``{"value": ...}``;
4. a session in which no event made a step has no valid trajectory:
   :class:`EmptyTrajectoryError` says so (no step is made up);
5. (Harbor) web search results name ``source_call_id`` ``search_0``, ``search_1``, ... on a
   system step without tool calls: the ids are removed (results keep their order).

What was repaired or dropped is listed under ``extra["vtcode_exec_events"]`` of the root
(step ids refer to the repaired trajectory, whose steps are the crate's, one for one).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from vtcode_exec_events import __version__
from vtcode_exec_events.atif.builder import StepOrigin
from vtcode_exec_events.atif.models import Trajectory

__all__ = ["EXTRA_KEY", "EmptyTrajectoryError", "repair"]

#: The root ``extra`` key that records the conversion.
EXTRA_KEY = "vtcode_exec_events"
_ORDER = (
    "step_id",
    "timestamp",
    "source",
    "model_name",
    "message",
    "reasoning_content",
    "tool_calls",
    "observation",
    "metrics",
    "extra",
)


class EmptyTrajectoryError(ValueError):
    """No event made a step; ATIF requires at least one, and none is made up."""


def _ordered(step: dict[str, Any]) -> dict[str, Any]:
    return {k: step[k] for k in _ORDER if k in step}


def _fix_calls(step: dict[str, Any], record: dict[str, list[Any]]) -> None:
    for call in step.get("tool_calls", ()):
        if "arguments" not in call:
            call["arguments"] = {}
            record["arguments_added"].append(step["step_id"])
        elif not isinstance(call["arguments"], dict):
            call["arguments"] = {"value": call["arguments"]}
            record["arguments_wrapped"].append(step["step_id"])


def _move_metrics(
    steps: list[dict[str, Any]], origins: Sequence[StepOrigin], record: dict[str, list[Any]]
) -> None:
    for index, step in enumerate(steps):
        if step["source"] == "agent" or "metrics" not in step:
            continue
        metrics = step.pop("metrics")
        start = origins[index].turn_start
        target = next(
            (
                steps[i]
                for i in range(index - 1, start - 1, -1)
                if steps[i]["source"] == "agent" and "metrics" not in steps[i]
            ),
            None,
        )
        if target is not None:
            target["metrics"] = metrics
            record["metrics_moved"].append(
                {"from_step": step["step_id"], "to_step": target["step_id"]}
            )
        else:
            step["extra"] = {**step.get("extra", {}), "metrics": metrics}
            record["metrics_kept_in_extra"].append(step["step_id"])


def repair(
    document: dict[str, Any],
    origins: Sequence[StepOrigin],
    dropped: Sequence[dict[str, Any]] = (),
    skipped_lines: int = 0,
) -> Trajectory:
    """The crate's ``document`` (from ``AtifBuilder.crate_document``) as valid ATIF.

    ``origins`` says what made each step; ``dropped`` lists the tool invocations no output
    answered; ``skipped_lines`` counts log lines that could not be parsed. Raises
    :class:`EmptyTrajectoryError` when there is no step.
    """
    if not document["steps"]:
        raise EmptyTrajectoryError(
            "no event made a step (ATIF needs at least one); no trajectory written"
        )
    record: dict[str, list[Any]] = {
        "message_added": [],
        "metrics_moved": [],
        "metrics_kept_in_extra": [],
        "arguments_added": [],
        "arguments_wrapped": [],
        "source_call_id_removed": [],
    }
    steps = [dict(s) for s in document["steps"]]
    for step in steps:
        if "message" not in step:
            step["message"] = ""
            record["message_added"].append(step["step_id"])
        if "tool_calls" in step:
            step["tool_calls"] = [dict(c) for c in step["tool_calls"]]
            _fix_calls(step, record)
        if "observation" in step and "tool_calls" not in step:
            results = step["observation"]["results"]
            if any("source_call_id" in r for r in results):
                step["observation"] = {
                    "results": [
                        {k: v for k, v in r.items() if k != "source_call_id"} for r in results
                    ]
                }
                record["source_call_id_removed"].append(step["step_id"])
    _move_metrics(steps, origins, record)
    conversion: dict[str, Any] = {"converter": f"vtcode-exec-events {__version__}"}
    repairs = {k: v for k, v in record.items() if v}
    if repairs:
        conversion["repairs"] = repairs
    if dropped:
        conversion["dropped_tool_invocations"] = list(dropped)
    if skipped_lines:
        conversion["skipped_lines"] = skipped_lines
    valid = {
        **{k: v for k, v in document.items() if k != "steps"},
        "steps": [_ordered(s) for s in steps],
    }
    valid = {
        k: valid[k] for k in ("schema_version", "session_id", "agent", "steps", "final_metrics")
    }
    valid["extra"] = {EXTRA_KEY: conversion}
    return Trajectory.model_validate(valid)
