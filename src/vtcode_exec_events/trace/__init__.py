"""Agent Trace v0.1.0: records attributing lines of code to AI or humans, as VT Code's crate
writes them (models, builders, content hashes, validation, records from a session's diff)."""

from __future__ import annotations

from vtcode_exec_events.trace.builder import (
    TraceContext,
    TraceRecordBuilder,
    normalize_model_id,
)
from vtcode_exec_events.trace.check import Problem, check, schema
from vtcode_exec_events.trace.git import GitError, Workspace
from vtcode_exec_events.trace.hashing import Algorithm, content_hash
from vtcode_exec_events.trace.models import (
    MIME_TYPE,
    VERSION,
    Contributor,
    RelatedResource,
    ToolInfo,
    TraceConversation,
    TraceFile,
    TraceMetadata,
    TraceRange,
    TraceRecord,
    VcsInfo,
    VtcodeMetadata,
)
from vtcode_exec_events.trace.records import SessionTraces, Skipped, session_records
from vtcode_exec_events.trace.session import ChangedFiles, changed_files

__all__ = [
    "MIME_TYPE",
    "VERSION",
    "Algorithm",
    "ChangedFiles",
    "Contributor",
    "GitError",
    "Problem",
    "RelatedResource",
    "SessionTraces",
    "Skipped",
    "ToolInfo",
    "TraceContext",
    "TraceConversation",
    "TraceFile",
    "TraceMetadata",
    "TraceRange",
    "TraceRecord",
    "TraceRecordBuilder",
    "VcsInfo",
    "VtcodeMetadata",
    "Workspace",
    "changed_files",
    "check",
    "content_hash",
    "normalize_model_id",
    "schema",
    "session_records",
]
