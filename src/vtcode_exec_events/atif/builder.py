"""``AtifBuilder``: an emitter that turns events into an ATIF trajectory by the crate's rules.

The mapping is the one of VT Code's ``AtifTrajectoryBuilder`` (``vtcode-exec-events``
``src/atif.rs``), rule by rule, including its key order: each step is a dict whose keys are
in the order serde writes them, and objects the crate builds with ``json!`` or copies from a
``serde_json::Value`` have their keys sorted, as serde_json's default map (a ``BTreeMap``)
writes them. :meth:`AtifBuilder.crate_document` is what the crate's ``finish(None)``
returns; :meth:`AtifBuilder.finish` repairs it into valid ATIF (:mod:`.repair`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from vtcode_exec_events.atif.inputs import rfc3339, rfc3339_now, step_time, wire_event
from vtcode_exec_events.atif.models import Trajectory

__all__ = [
    "ATIF_SCHEMA_VERSION",
    "CRATE_VERSION",
    "AtifBuilder",
    "StepOrigin",
    "rfc3339",
    "rfc3339_now",
    "wire_event",
]

#: What the crate writes as ``schema_version``.
ATIF_SCHEMA_VERSION = "ATIF-v1.4"
#: The crate release whose builder this mirrors (VT Code 0.147.0 ships schema 0.11.0); the
#: crate writes its own version as ``agent.version``.
CRATE_VERSION = "0.147.0"
U64_MAX = (1 << 64) - 1
_COMPACTION_TRIGGERS = frozenset({"manual", "auto", "recovery", "model_switch"})
_RESET_TRIGGERS = frozenset({"plan_approval"})
_STATUS_SUFFIX = {"failed": " [FAILED]", "in_progress": " [IN_PROGRESS]"}


def _sorted(value: Any) -> Any:
    """A JSON value as serde_json's ``Value`` writes it: object keys sorted, at every level."""
    if isinstance(value, dict):
        return {k: _sorted(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_sorted(v) for v in value]
    return value


def _camel(snake: str) -> str:
    """A Rust enum variant's ``Debug`` name from its snake_case wire value."""
    return "".join(part[:1].upper() + part[1:] for part in snake.split("_"))


def _step(step_id: int, source: str, ts: str | None, **fields: Any) -> dict[str, Any]:
    """A step with the crate's key order; ``None`` fields are left out, as serde skips them."""
    step: dict[str, Any] = {"step_id": step_id}
    if ts is not None:
        step["timestamp"] = ts
    step["source"] = source
    for name in ("message", "reasoning_content", "tool_calls", "observation", "metrics", "extra"):
        value = fields.get(name)
        if value is not None:
            step[name] = value
    return step


def _metrics(usage: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "prompt_tokens": usage["input_tokens"],
        "completion_tokens": usage["output_tokens"],
    }
    if usage.get("cached_input_tokens", 0) > 0:
        out["cached_tokens"] = usage["cached_input_tokens"]
    if usage.get("cache_creation_tokens", 0) > 0:
        out["extra"] = {"cache_creation_tokens": usage["cache_creation_tokens"]}
    return out


@dataclass(frozen=True)
class StepOrigin:
    """What made a step: the event or item kind, and for a turn's end where the turn began."""

    kind: str
    #: For ``turn.completed`` and ``turn.failed`` steps: the index of the turn's first step.
    turn_start: int = 0


@dataclass
class _Pending:
    call_id: str
    tool_call_id: str | None
    tool_name: str
    arguments: Any
    timestamp: str | None


class AtifBuilder:
    """Collects events (``builder(event)``, like every emitter) into one ATIF trajectory.

    ``clock`` stamps each step when its event is processed, as the crate does (RFC 3339 with
    nanoseconds); ``clock=None`` leaves steps without a timestamp; ``builder(event, at=...)``
    gives a time explicitly. ``finish()`` returns valid ATIF, ``crate_document()`` exactly
    what the crate's builder returns. Neither consumes the builder.
    """

    def __init__(
        self,
        *,
        agent_name: str = "vtcode",
        agent_version: str = CRATE_VERSION,
        model_name: str | None = None,
        session_id: str | None = None,
        clock: Callable[[], str] | None = rfc3339_now,
        schema_version: str | None = None,
    ) -> None:
        #: The version bare wire dicts are read with (default: the newest); models and
        #: envelopes carry their own.
        self.schema_version = schema_version
        self.agent: dict[str, Any] = {"name": agent_name, "version": agent_version}
        if model_name is not None:
            self.agent["model_name"] = model_name
        self.session_id = session_id
        self.clock = clock
        self.steps: list[dict[str, Any]] = []
        #: One entry per step: what made it (the repairs need it).
        self.origins: list[StepOrigin] = []
        self.totals = {"prompt": 0, "completion": 0, "cached": 0}
        self.num_turns = 0
        self.saw_turn_usage = False
        self.pending: list[_Pending] = []
        self.turn_start = 0
        self._random_id: str | None = None

    # -- the emitter -------------------------------------------------------------------

    def __call__(
        self, event: BaseModel | Mapping[str, Any], /, at: datetime | str | None = None
    ) -> None:
        wire = wire_event(event, self.schema_version)
        if at is not None:
            ts: str | None = step_time(at)
        else:
            ts = self.clock() if self.clock is not None else None
        self._event(wire, ts)

    emit = __call__

    def set_session_id(self, session_id: str) -> None:
        """Name the session explicitly (events then cannot change it)."""
        self.session_id = session_id

    # -- the crate's rules -------------------------------------------------------------

    def _push(self, source: str, ts: str | None, kind: str, **fields: Any) -> None:
        self.steps.append(_step(len(self.steps) + 1, source, ts, **fields))
        self.origins.append(StepOrigin(kind, self.turn_start))

    def _add_usage(self, usage: Mapping[str, Any]) -> None:
        for key, name in (("prompt", "input_tokens"), ("completion", "output_tokens")):
            self.totals[key] = min(self.totals[key] + usage[name], U64_MAX)
        self.totals["cached"] = min(self.totals["cached"] + usage["cached_input_tokens"], U64_MAX)

    def _event(self, ev: dict[str, Any], ts: str | None) -> None:
        kind = ev["type"]
        if kind == "thread.started":
            if self.session_id is None:
                self.session_id = ev["thread_id"]
        elif kind == "thread.completed":
            if self.session_id is None:
                self.session_id = ev["session_id"]
            self.num_turns = ev["num_turns"]
            if not self.saw_turn_usage:
                self._add_usage(ev["usage"])
        elif kind == "turn.started":
            self.turn_start = len(self.steps)
        elif kind == "turn.completed":
            self.saw_turn_usage = True
            self._add_usage(ev["usage"])
            self.num_turns = (self.num_turns + 1) & U64_MAX
            metrics = _metrics(ev["usage"])
            self._push("system", ts, kind, message="turn_completed", metrics=metrics)
            self.turn_start = len(self.steps)
        elif kind == "turn.failed":
            usage = ev.get("usage")
            if usage is not None:
                self.saw_turn_usage = True
                self._add_usage(usage)
            failed = _metrics(usage) if usage is not None else None
            self._push("system", ts, kind, message=ev["message"], metrics=failed)
            self.turn_start = len(self.steps)
        elif kind == "item.completed":
            self._item(ev["item"], ts)
        elif kind == "thread.compact_boundary":
            trigger = ev["trigger"] if ev["trigger"] in _COMPACTION_TRIGGERS else "unknown"
            message = (
                f"context_compaction: {ev['original_message_count']} messages -> "
                f"{ev['compacted_message_count']} messages ({trigger})"
            )
            self._push("system", ts, kind, message=message)
        elif kind == "context.reset":
            message = (
                f"context_reset: {ev['previous_context_usage_percent']}% context used; "
                f"plan preserved: {_bool(ev['plan_preserved'])}; "
                f"tool budget reset: {_bool(ev['tool_budget_reset'])}"
            )
            trigger = ev["trigger"] if ev["trigger"] in _RESET_TRIGGERS else "unknown"
            extra = _sorted(
                {
                    "thread_id": ev["thread_id"],
                    "turn_id": ev["turn_id"],
                    "trigger": trigger,
                    "plan_preserved": ev["plan_preserved"],
                    "previous_context_usage_percent": ev["previous_context_usage_percent"],
                    "tool_budget_reset": ev["tool_budget_reset"],
                }
            )
            self._push("system", ts, kind, message=message, extra=extra)
        elif kind == "error":
            self._push("system", ts, kind, message=ev["message"])
        # Anything else (lifecycle, streaming, plan, permission, unknown events) makes no step.

    def _item(self, item: dict[str, Any], ts: str | None) -> None:
        kind, item_id = item["type"], item["id"]
        if kind == "agent_message":
            self._push("agent", ts, kind, message=item["text"])
        elif kind == "plan":
            self._push("agent", ts, kind, message=item["text"], extra={"vtcode_item_type": "plan"})
        elif kind == "reasoning":
            self._push("agent", ts, kind, reasoning_content=item["text"])
        elif kind == "tool_invocation":
            self.pending.append(
                _Pending(
                    item_id,
                    item.get("tool_call_id"),
                    item["tool_name"],
                    _sorted(item.get("arguments")),
                    ts,
                )
            )
        elif kind == "tool_output":
            self._tool_output(item, ts)
        elif kind == "command_execution":
            arguments = _sorted({"command": item["command"], "arguments": item.get("arguments")})
            output = {"source_call_id": item_id, "content": item.get("aggregated_output", "")}
            exit_code = item.get("exit_code")
            self._push(
                "agent",
                ts,
                kind,
                tool_calls=[_call(item_id, "command_execution", arguments)],
                observation={"results": [output]},
                extra={"exit_code": exit_code} if exit_code is not None else None,
            )
        elif kind == "mcp_tool_call":
            call = _call(item_id, item["tool_name"], _sorted(item.get("arguments")))
            result = item.get("result")
            answered = (
                {"results": [{"source_call_id": item_id, "content": result}]}
                if result is not None
                else None
            )
            self._push("agent", ts, kind, tool_calls=[call], observation=answered)
        elif kind == "file_change":
            changes = ", ".join(f"{c['path']}: {_camel(c['kind'])}" for c in item["changes"])
            self._push("system", ts, kind, message=f"file_changes: {changes}")
        elif kind == "web_search":
            results = item.get("results")
            found = (
                {
                    "results": [
                        {"source_call_id": f"search_{i}", "content": r}
                        for i, r in enumerate(results)
                    ]
                }
                if results is not None
                else None
            )
            message = f"web_search: {item['query']}"
            self._push("system", ts, kind, message=message, observation=found)
        elif kind == "harness":
            note = item.get("message")
            extra = {"harness_message": note} if note is not None else None
            self._push("system", ts, kind, message=f"harness: {_camel(item['event'])}", extra=extra)
        elif kind == "error":
            self._push("system", ts, "error_item", message=item["message"])

    def _tool_output(self, item: dict[str, Any], ts: str | None) -> None:
        call_id = item["call_id"]
        index = next((i for i, p in enumerate(self.pending) if p.call_id == call_id), None)
        if index is not None:
            pending = self.pending.pop(index)
            name, arguments, tool_call_id, step_ts = (
                pending.tool_name,
                pending.arguments,
                pending.tool_call_id,
                pending.timestamp,
            )
        else:
            name, arguments, tool_call_id, step_ts = "unknown", None, item.get("tool_call_id"), ts
        the_id = tool_call_id if tool_call_id is not None else call_id
        content = item.get("output", "") + _STATUS_SUFFIX.get(item["status"], "")
        self._push(
            "agent",
            step_ts,
            "tool_output" if index is not None else "tool_output_unpaired",
            tool_calls=[_call(the_id, name, arguments)],
            observation={"results": [{"source_call_id": the_id, "content": content}]},
        )

    # -- results -----------------------------------------------------------------------

    def _session_id(self) -> str:
        if self.session_id is not None:
            return self.session_id
        if self._random_id is None:
            self._random_id = str(uuid.uuid4())
        return self._random_id

    def crate_document(self) -> dict[str, Any]:
        """What the crate's ``finish(None)`` returns, as a dict in its key order.

        Not valid ATIF in general (see ``finish``). The session id is the one set or seen
        in the events, else a random v4 UUID (the same one on every call).
        """
        final: dict[str, Any] = {
            "total_prompt_tokens": self.totals["prompt"],
            "total_completion_tokens": self.totals["completion"],
        }
        if self.totals["cached"] > 0:
            final["total_cached_tokens"] = self.totals["cached"]
        final["total_steps"] = len(self.steps)
        final["extra"] = {"num_turns": self.num_turns}
        return {
            "schema_version": ATIF_SCHEMA_VERSION,
            "session_id": self._session_id(),
            "agent": dict(self.agent),
            "steps": [dict(s) for s in self.steps],
            "final_metrics": final,
        }

    def dropped_invocations(self) -> list[dict[str, Any]]:
        """The tool invocations still waiting for an output (the crate drops them)."""
        return [{"item_id": p.call_id, "tool_name": p.tool_name} for p in self.pending]

    def finish(self, *, skipped_lines: int = 0) -> Trajectory:
        """The trajectory as valid ATIF: the crate's, with its violations repaired.

        ``skipped_lines`` (log lines that could not be parsed) is recorded in ``extra``.
        Raises :class:`~vtcode_exec_events.atif.repair.EmptyTrajectoryError` when no event
        made a step (ATIF needs at least one).
        """
        from vtcode_exec_events.atif.repair import repair

        document = self.crate_document()
        return repair(document, self.origins, self.dropped_invocations(), skipped_lines)


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _call(call_id: str, name: str, arguments: Any) -> dict[str, Any]:
    call: dict[str, Any] = {"tool_call_id": call_id, "function_name": name}
    if arguments is not None:
        call["arguments"] = arguments
    return call
