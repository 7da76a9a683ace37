"""Builders for Agent Trace records: the crate's ``TraceRecordBuilder``, ``TraceContext`` and
``normalize_model_id``, with the same outputs for the same inputs."""

from __future__ import annotations

from dataclasses import dataclass, field

from vtcode_exec_events import __version__
from vtcode_exec_events.trace.models import (
    ToolInfo,
    TraceFile,
    TraceMetadata,
    TraceRecord,
    VcsInfo,
    VcsType,
)

__all__ = ["TOOL", "TraceContext", "TraceRecordBuilder", "normalize_model_id"]

#: The ``tool`` a record names when the caller names none.
TOOL = ToolInfo(name="vtcode-exec-events", version=__version__)


def normalize_model_id(model: str, provider: str) -> str:
    """``provider/model`` as models.dev writes it; a model that already has a ``/`` is kept."""
    return model if "/" in model else f"{provider}/{model}"


@dataclass
class TraceContext:
    """What a record needs beyond the changes: the model and provider, and optionally the
    revision, session, turn and workspace."""

    model_id: str
    provider: str
    revision: str | None = None
    session_id: str | None = None
    turn_number: int | None = None
    workspace_path: str | None = None

    def normalized_model_id(self) -> str:
        return normalize_model_id(self.model_id, self.provider)


@dataclass
class TraceRecordBuilder:
    """Collects VCS, tool, files and metadata, then ``build()`` stamps a new id and time."""

    vcs: VcsInfo | None = None
    tool: ToolInfo | None = None
    files: list[TraceFile] = field(default_factory=list)
    metadata: TraceMetadata | None = None

    def revision(self, revision: str, vcs: VcsType = "git") -> TraceRecordBuilder:
        self.vcs = VcsInfo(type=vcs, revision=revision)
        return self

    def file(self, file: TraceFile) -> TraceRecordBuilder:
        self.files.append(file)
        return self

    def build(self) -> TraceRecord:
        """The record; ``tool`` defaults to this package (the crate's default is VT Code)."""
        return TraceRecord(
            vcs=self.vcs,
            tool=self.tool or TOOL,
            files=list(self.files),
            metadata=self.metadata,
        )
