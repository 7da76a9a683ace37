"""Pydantic models of ATIF, the Agent Trajectory Interchange Format (reads v1.0 to v1.8).

The fields and their order follow Harbor's RFC 0001 and the upstream models (PyPI ``atif``
1.8, ``harbor.models.trajectories``): unknown fields are forbidden everywhere, as upstream.
Field order is the order in which VT Code's crate writes the fields it knows (``step_id,
timestamp, source, model_name, message, ...``); fields added after v1.4 come last, so a
model dumped with ``exclude_none=True`` keeps the crate's key order.

The models check each value's type. The rules that span fields (sequential step ids,
agent-only fields, tool-call references, content parts, embedded subagents) are in
:mod:`vtcode_exec_events.atif.check`; :class:`Trajectory` applies them when it is built,
unless the validation context says ``{"rules": False}`` (what the checker itself does, to
report every problem with its own pointer).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

__all__ = [
    "ATIF_VERSIONS",
    "Agent",
    "AudioSource",
    "ContentPart",
    "FinalMetrics",
    "ImageSource",
    "Metrics",
    "Observation",
    "ObservationResult",
    "Step",
    "SubagentTrajectoryRef",
    "ToolCall",
    "Trajectory",
]

#: The ATIF versions a document may declare (Harbor 0.26 accepts exactly these).
ATIF_VERSIONS = tuple(f"ATIF-v1.{minor}" for minor in range(9))

SchemaVersion = Literal[
    "ATIF-v1.0",
    "ATIF-v1.1",
    "ATIF-v1.2",
    "ATIF-v1.3",
    "ATIF-v1.4",
    "ATIF-v1.5",
    "ATIF-v1.6",
    "ATIF-v1.7",
    "ATIF-v1.8",
]
ImageMediaType = Literal["image/jpeg", "image/png", "image/gif", "image/webp"]
AudioMediaType = Literal[
    "audio/wav",
    "audio/mpeg",
    "audio/mp4",
    "audio/aac",
    "audio/ogg",
    "audio/flac",
    "audio/webm",
    "audio/aiff",
]
#: Spellings producers use for registered audio types; normalised on the way in (v1.8).
AUDIO_ALIASES = {
    "audio/mp3": "audio/mpeg",
    "audio/mpga": "audio/mpeg",
    "audio/x-mpeg": "audio/mpeg",
    "audio/x-wav": "audio/wav",
    "audio/wave": "audio/wav",
    "audio/vnd.wave": "audio/wav",
    "audio/x-m4a": "audio/mp4",
    "audio/m4a": "audio/mp4",
    "audio/x-aac": "audio/aac",
    "audio/x-flac": "audio/flac",
    "audio/x-aiff": "audio/aiff",
}


def normalize_audio_type(value: Any) -> Any:
    """An audio MIME type as upstream stores it: trimmed, lower case, aliases resolved."""
    if isinstance(value, str):
        value = value.strip().lower()
        return AUDIO_ALIASES.get(value, value)
    return value


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ImageSource(_Model):
    """An image stored beside the trajectory or at a URL (v1.6)."""

    media_type: ImageMediaType
    path: str


class AudioSource(_Model):
    """An audio file stored beside the trajectory or at a URL (v1.8)."""

    media_type: AudioMediaType
    path: str
    duration_sec: float | None = Field(default=None, ge=0)

    @field_validator("media_type", mode="before")
    @classmethod
    def _normalize(cls, value: Any) -> Any:
        return normalize_audio_type(value)


class ContentPart(_Model):
    """One part of a multimodal message or observation (v1.6)."""

    type: Literal["text", "image", "audio"]
    text: str | None = None
    source: ImageSource | AudioSource | None = None


class ToolCall(_Model):
    """One tool or function invocation of an agent step."""

    tool_call_id: str
    function_name: str
    arguments: dict[str, Any]
    extra: dict[str, Any] | None = None


class SubagentTrajectoryRef(_Model):
    """A reference to a delegated subagent's trajectory (v1.7)."""

    trajectory_id: str | None = None
    session_id: str | None = None
    trajectory_path: str | None = None
    extra: dict[str, Any] | None = None


class ObservationResult(_Model):
    """One result of an observation, tied to a tool call when ``source_call_id`` is set."""

    source_call_id: str | None = None
    content: str | list[ContentPart] | None = None
    subagent_trajectory_ref: list[SubagentTrajectoryRef] | None = None
    extra: dict[str, Any] | None = None


class Observation(_Model):
    """Feedback from the environment after a step."""

    results: list[ObservationResult]


class Metrics(_Model):
    """LLM metrics of one agent step."""

    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    cached_tokens: int | None = None
    cost_usd: float | None = None
    prompt_token_ids: list[int] | None = None
    completion_token_ids: list[int] | None = None
    logprobs: list[float] | None = None
    extra: dict[str, Any] | None = None


class FinalMetrics(_Model):
    """Aggregate metrics of a whole trajectory."""

    total_prompt_tokens: int | None = None
    total_completion_tokens: int | None = None
    total_cached_tokens: int | None = None
    total_cost_usd: float | None = None
    total_steps: int | None = Field(default=None, ge=0)
    extra: dict[str, Any] | None = None


class Agent(_Model):
    """The agent system that produced the trajectory."""

    name: str
    version: str
    model_name: str | None = None
    tool_definitions: list[dict[str, Any]] | None = None
    extra: dict[str, Any] | None = None


class Step(_Model):
    """One step: a system event, a user message, or one agent turn."""

    step_id: int = Field(ge=1)
    timestamp: str | None = None
    source: Literal["system", "user", "agent"]
    model_name: str | None = None
    reasoning_effort: str | float | None = None
    message: str | list[ContentPart]
    reasoning_content: str | None = None
    tool_calls: list[ToolCall] | None = None
    observation: Observation | None = None
    metrics: Metrics | None = None
    extra: dict[str, Any] | None = None
    is_copied_context: bool | None = None
    llm_call_count: int | None = Field(default=None, ge=0)


class Trajectory(_Model):
    """A whole ATIF document. Building one applies every rule of ``atif.check``."""

    schema_version: SchemaVersion
    session_id: str | None = None
    agent: Agent
    steps: list[Step]
    notes: str | None = None
    final_metrics: FinalMetrics | None = None
    extra: dict[str, Any] | None = None
    trajectory_id: str | None = None
    continued_trajectory_ref: str | None = None
    subagent_trajectories: list[Trajectory] | None = None

    @model_validator(mode="after")
    def _rules(self, info: ValidationInfo) -> Trajectory:
        context = info.context if isinstance(info.context, dict) else {}
        if context.get("rules", True):
            from vtcode_exec_events.atif.check import rule_problems

            problems = rule_problems(self.model_dump(mode="json", exclude_none=True))
            if problems:
                first = problems[0]
                more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
                raise ValueError(f"{first.pointer or '/'}: {first.message}{more}")
        return self
