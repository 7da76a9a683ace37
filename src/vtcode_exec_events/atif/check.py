"""Check any ATIF document with the upstream rules; every problem gets a JSON pointer.

Two layers. The models (:mod:`vtcode_exec_events.atif.models`) check each value's type,
required fields and unknown fields. The rules here span fields, as Harbor's validator and
the PyPI ``atif`` models apply them (where the two differ, the stricter one is applied, so
a document that passes here passes both):

- at least one step (Harbor);
- ``step_id`` is 1, 2, 3, ... in order;
- ``model_name``, ``reasoning_effort``, ``reasoning_content``, ``tool_calls`` and ``metrics``
  only on agent steps;
- an agent step with ``llm_call_count == 0`` has no ``metrics`` and no ``reasoning_content``;
- an observation result's ``source_call_id``, when set, names a tool call of the same step
  (Harbor: also on steps without tool calls);
- timestamps are ISO 8601 (as ``datetime.fromisoformat`` reads them);
- content parts: ``text`` parts carry ``text`` and no ``source``, media parts a ``source`` of
  their own kind and no ``text``;
- a subagent reference names a ``trajectory_id`` or a ``trajectory_path``; embedded subagent
  trajectories carry unique ``trajectory_id`` values and follow every rule themselves.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from vtcode_exec_events.atif.models import Trajectory, normalize_audio_type
from vtcode_exec_events.pointer import join
from vtcode_exec_events.wire import error_pointer

__all__ = ["AGENT_ONLY", "Problem", "problems", "rule_problems", "structure_problems"]

#: Fields only an agent step may carry.
AGENT_ONLY = ("model_name", "reasoning_effort", "reasoning_content", "tool_calls", "metrics")
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
AUDIO_TYPES = frozenset(
    {"audio/wav", "audio/mpeg", "audio/mp4", "audio/aac"}
    | {"audio/ogg", "audio/flac", "audio/webm", "audio/aiff"}
)
# Python 3.10's fromisoformat reads at most 6 fractional digits (RFC 3339 allows any number).
_FRACTION = re.compile(r"(\.\d{6})\d+")


@dataclass(frozen=True)
class Problem:
    """One problem: where (an RFC 6901 pointer into the document) and what."""

    pointer: str
    message: str


def _is_iso8601(value: str) -> bool:
    text = value.replace("Z", "+00:00")
    try:
        datetime.fromisoformat(text)
    except ValueError:
        if sys.version_info >= (3, 11):
            return False
        try:
            datetime.fromisoformat(_FRACTION.sub(r"\1", text))
        except ValueError:
            return False
    return True


def _parts(parts: Any, base: str) -> Iterator[Problem]:
    if not isinstance(parts, list):
        return
    for index, part in enumerate(parts):
        if not isinstance(part, dict):
            continue
        where = join([index], base)
        kind, source = part.get("type"), part.get("source")
        if kind == "text":
            if part.get("text") is None:
                yield Problem(where, "a 'text' content part needs 'text'")
            if source is not None:
                yield Problem(join(["source"], where), "a 'text' content part has no 'source'")
        elif kind in ("image", "audio"):
            if source is None:
                yield Problem(where, f"an {kind!r} content part needs 'source'")
            elif isinstance(source, dict):
                media = normalize_audio_type(source.get("media_type"))
                wanted = IMAGE_TYPES if kind == "image" else AUDIO_TYPES
                if isinstance(media, str) and media not in wanted:
                    yield Problem(
                        join(["source", "media_type"], where),
                        f"an {kind!r} content part needs an {kind} media type, not {media!r}",
                    )
            if part.get("text") is not None:
                yield Problem(join(["text"], where), f"an {kind!r} content part has no 'text'")


def _step(step: dict[str, Any], index: int, base: str) -> Iterator[Problem]:
    where = join(["steps", index], base)
    step_id = step.get("step_id")
    if isinstance(step_id, int) and not isinstance(step_id, bool) and step_id != index + 1:
        yield Problem(
            join(["step_id"], where), f"step_id is {step_id}, expected {index + 1} (1, 2, 3, ...)"
        )
    source = step.get("source")
    if isinstance(source, str) and source != "agent":
        for name in AGENT_ONLY:
            if step.get(name) is not None:
                yield Problem(
                    join([name], where), f"{name!r} is only allowed on agent steps, not {source}"
                )
    if source == "agent" and step.get("llm_call_count") == 0:
        for name in ("metrics", "reasoning_content"):
            if step.get(name) is not None:
                yield Problem(
                    join([name], where), f"{name!r} must be absent when llm_call_count is 0"
                )
    timestamp = step.get("timestamp")
    if isinstance(timestamp, str) and not _is_iso8601(timestamp):
        yield Problem(join(["timestamp"], where), f"not an ISO 8601 timestamp: {timestamp!r}")
    yield from _parts(step.get("message"), join(["message"], where))
    calls = step.get("tool_calls")
    ids = (
        {
            c.get("tool_call_id")
            for c in calls
            if isinstance(c, dict) and isinstance(c.get("tool_call_id"), str)
        }
        if isinstance(calls, list)
        else set()
    )
    observation = step.get("observation")
    results = observation.get("results") if isinstance(observation, dict) else None
    for r_index, result in enumerate(results if isinstance(results, list) else []):
        if not isinstance(result, dict):
            continue
        r_where = join(["observation", "results", r_index], where)
        call_id = result.get("source_call_id")
        if isinstance(call_id, str) and call_id not in ids:
            yield Problem(
                join(["source_call_id"], r_where),
                f"source_call_id {call_id!r} names no tool call of step {index + 1}",
            )
        yield from _parts(result.get("content"), join(["content"], r_where))
        refs = result.get("subagent_trajectory_ref")
        for ref_index, ref in enumerate(refs if isinstance(refs, list) else []):
            if not isinstance(ref, dict) or ref.get("trajectory_id") is not None:
                continue
            if ref.get("trajectory_path") is None:
                yield Problem(
                    join(["subagent_trajectory_ref", ref_index], r_where),
                    "a subagent reference needs 'trajectory_id' or 'trajectory_path'",
                )


def _rules(doc: Any, base: str) -> Iterator[Problem]:
    if not isinstance(doc, dict):
        return
    steps = doc.get("steps")
    if isinstance(steps, list):
        if not steps:
            yield Problem(join(["steps"], base), "a trajectory needs at least one step")
        for index, step in enumerate(steps):
            if isinstance(step, dict):
                yield from _step(step, index, base)
    subagents = doc.get("subagent_trajectories")
    if isinstance(subagents, list):
        seen: set[str] = set()
        for index, sub in enumerate(subagents):
            where = join(["subagent_trajectories", index], base)
            if not isinstance(sub, dict):
                continue
            sub_id = sub.get("trajectory_id")
            if sub_id is None:
                yield Problem(where, "an embedded subagent trajectory needs 'trajectory_id'")
            elif isinstance(sub_id, str):
                if sub_id in seen:
                    yield Problem(
                        join(["trajectory_id"], where), f"trajectory_id {sub_id!r} is not unique"
                    )
                seen.add(sub_id)
            yield from _rules(sub, where)


def rule_problems(doc: Any) -> list[Problem]:
    """The cross-field rules' problems (values of the wrong type are left to the models)."""
    return list(_rules(doc, ""))


_MESSAGES = {
    "missing": "required field is missing",
    "extra_forbidden": "unexpected field (not part of ATIF)",
    "recursion_loop": "nested too deeply to check",
    "recursion_depth_exceeded": "nested too deeply to check",
}


def _structure(doc: Any) -> tuple[list[Problem], Any]:
    """The models' problems, one per pointer; and the document as the models read it (lax
    coercions applied, as upstream) when they found none, else ``None``."""
    try:
        model = Trajectory.model_validate(doc, context={"rules": False})
    except ValidationError as exc:
        found: dict[str, list[str]] = {}
        for error in exc.errors(include_url=False):
            pointer = error_pointer(error["loc"], doc)
            message = _MESSAGES.get(error["type"], error["msg"])
            if message not in found.setdefault(pointer, []):
                found[pointer].append(message)
        return [Problem(p, "; ".join(m)) for p, m in found.items()], None
    except RecursionError:
        return [Problem("", "nested too deeply to check")], None
    return [], model.model_dump(mode="json", exclude_none=True)


def structure_problems(doc: Any) -> list[Problem]:
    """Types, required and unknown fields, as the models see them; one problem per pointer."""
    return _structure(doc)[0]


def problems(doc: Any) -> list[Problem]:
    """Every problem of a decoded ATIF document: the models' first, then the rules'."""
    if not isinstance(doc, dict):
        return [Problem("", f"an ATIF document is a JSON object, not {type(doc).__name__}")]
    found, read = _structure(doc)
    try:
        found += rule_problems(doc if read is None else read)
    except RecursionError:
        found.append(Problem("", "nested too deeply to check"))
    return found
