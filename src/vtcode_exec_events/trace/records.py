"""Agent Trace records for what a session changed: its events joined with the workspace's diff."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from pydantic import BaseModel

from vtcode_exec_events.trace.builder import TraceContext, TraceRecordBuilder
from vtcode_exec_events.trace.git import Workspace
from vtcode_exec_events.trace.hashing import Algorithm, content_hash
from vtcode_exec_events.trace.models import (
    Contributor,
    RelatedResource,
    TraceConversation,
    TraceFile,
    TraceMetadata,
    TraceRange,
    TraceRecord,
    VtcodeMetadata,
)
from vtcode_exec_events.trace.session import changed_files

__all__ = ["SessionTraces", "Skipped", "session_records"]


@dataclass(frozen=True)
class Skipped:
    """A file the events name that got no range, and why."""

    thread_id: str | None
    path: str
    reason: str


@dataclass
class SessionTraces:
    """One record per thread that changed files, and the files left out with their reason."""

    records: list[TraceRecord] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def session_url(workspace: str, session_id: str) -> str:
    """Where VT Code keeps the session: ``file://{workspace}/.vtcode/sessions/{id}.json``
    (as the crate writes it, percent-encoded so that any id gives a valid URI)."""
    path = f"{workspace.rstrip('/')}/.vtcode/sessions/{session_id}.json"
    return "file://" + quote(path, safe="/")


def session_records(
    events: Iterable[BaseModel | Mapping[str, Any]],
    workspace: Workspace,
    context: TraceContext,
    *,
    base: str = "HEAD",
    algorithm: Algorithm = "murmur3",
) -> SessionTraces:
    """A record per thread of ``events`` for the files its applied patches changed.

    Line ranges and content hashes come from ``git diff base`` of the work tree (the events
    carry none): each hunk's added lines are one range. A file git does not track counts as
    added whole. Deleted files, files outside the work tree and files with no added line get
    no range and are listed in ``skipped``. The record's revision is the work tree's ``HEAD``
    (as VT Code records it), the contributor the context's model, the session the thread id.
    """
    base_commit = workspace.commit(base)
    revision = context.revision or workspace.commit("HEAD")
    root = str(workspace.root)
    out = SessionTraces()
    for thread in changed_files(events):
        session_id = context.session_id or thread.thread_id
        url = session_url(root, session_id) if session_id else None
        builder = TraceRecordBuilder().revision(revision)
        for path, kind in thread.files.items():
            relative = workspace.relative(path)
            if relative is None:
                out.skipped.append(Skipped(thread.thread_id, path, "outside the work tree"))
                continue
            if kind == "delete":
                out.skipped.append(Skipped(thread.thread_id, path, "deleted"))
                continue
            hunks = workspace.hunks(relative, base_commit)
            if not hunks:
                out.skipped.append(Skipped(thread.thread_id, path, "no added line in the diff"))
                continue
            ranges = [
                TraceRange(
                    start_line=h.start,
                    end_line=h.end,
                    content_hash=content_hash(h.content, algorithm),
                )
                for h in hunks
            ]
            conversation = TraceConversation(
                url=url,
                contributor=Contributor.ai(context.normalized_model_id()),
                ranges=ranges,
                related=[RelatedResource.session(url)] if url else None,
            )
            builder.file(TraceFile(path=relative, conversations=[conversation]))
        if not builder.files:
            continue
        builder.metadata = TraceMetadata(
            confidence=1.0,
            vtcode=VtcodeMetadata(
                session_id=session_id,
                turn_number=context.turn_number,
                workspace_path=context.workspace_path or root,
                provider=context.provider,
            ),
        )
        out.records.append(builder.build())
    return out
