"""Agent Trace v0.1.0 records as pydantic models, written with the crate's key order and bytes."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_serializer, field_validator

__all__ = [
    "MIME_TYPE",
    "VERSION",
    "Contributor",
    "RelatedResource",
    "ToolInfo",
    "TraceConversation",
    "TraceFile",
    "TraceMetadata",
    "TraceRange",
    "TraceRecord",
    "VcsInfo",
    "VtcodeMetadata",
    "rfc3339",
]

#: The Agent Trace specification version these models write.
VERSION = "0.1.0"
#: The media type of one record.
MIME_TYPE = "application/vnd.agent-trace.record+json"

ContributorType = Literal["human", "ai", "mixed", "unknown"]
VcsType = Literal["git", "jj", "hg", "svn"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class VcsInfo(_Model):
    """The revision the record's line numbers refer to."""

    type: VcsType
    revision: str


class ToolInfo(_Model):
    """The tool that wrote the record."""

    name: str
    version: str | None = None


class Contributor(_Model):
    """Who produced a contribution; ``model_id`` as models.dev writes it (``provider/model``)."""

    type: ContributorType
    model_id: str | None = Field(default=None, max_length=250)

    @classmethod
    def ai(cls, model_id: str) -> Contributor:
        return cls(type="ai", model_id=model_id)

    @classmethod
    def human(cls) -> Contributor:
        return cls(type="human")

    @classmethod
    def mixed(cls) -> Contributor:
        return cls(type="mixed")

    @classmethod
    def unknown(cls) -> Contributor:
        return cls(type="unknown")


class RelatedResource(_Model):
    """A resource linked to a conversation (``session``, ``prompt``, …)."""

    type: str
    url: str

    @classmethod
    def session(cls, url: str) -> RelatedResource:
        return cls(type="session", url=url)

    @classmethod
    def prompt(cls, url: str) -> RelatedResource:
        return cls(type="prompt", url=url)


class TraceRange(_Model):
    """Lines ``start_line``..``end_line`` (1-based, inclusive) at the recorded revision."""

    start_line: int = Field(ge=1)
    end_line: int = Field(ge=1)
    content_hash: str | None = None
    contributor: Contributor | None = None


class TraceConversation(_Model):
    """The ranges one conversation produced, with its contributor."""

    url: str | None = None
    contributor: Contributor | None = None
    ranges: list[TraceRange]
    related: list[RelatedResource] | None = None


class TraceFile(_Model):
    """A file (path relative to the repository root) and the conversations that touched it."""

    path: str
    conversations: list[TraceConversation]

    @classmethod
    def with_ai_ranges(cls, path: str, model_id: str, ranges: list[TraceRange]) -> TraceFile:
        """A file with one AI conversation, as the crate's ``TraceFile::with_ai_ranges``."""
        conversation = TraceConversation(contributor=Contributor.ai(model_id), ranges=ranges)
        return cls(path=path, conversations=[conversation])


class VtcodeMetadata(_Model):
    """VT Code's vendor metadata, under the key ``dev.vtcode``."""

    session_id: str | None = None
    turn_number: int | None = Field(default=None, ge=0)
    workspace_path: str | None = None
    provider: str | None = None


class TraceMetadata(BaseModel):
    """Free-form metadata; ``confidence``, ``post_processing_tools`` and ``dev.vtcode`` typed,
    any other (vendor) key kept as it is and written after them."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    confidence: float | None = None
    post_processing_tools: list[str] | None = None
    vtcode: VtcodeMetadata | None = Field(
        default=None,
        validation_alias="dev.vtcode",
        serialization_alias="dev.vtcode",
    )


def rfc3339(moment: datetime) -> str:
    """``moment`` in UTC as chrono writes a ``DateTime<Utc>``: ``Z``, and a fraction of 0, 3
    or 6 digits (as many as it needs)."""
    utc = moment.astimezone(timezone.utc) if moment.tzinfo else moment
    base = utc.strftime("%Y-%m-%dT%H:%M:%S")
    micros = utc.microsecond
    if micros == 0:
        return base + "Z"
    if micros % 1000 == 0:
        return f"{base}.{micros // 1000:03d}Z"
    return f"{base}.{micros:06d}Z"


class TraceRecord(_Model):
    """One Agent Trace record: which lines of which files came from which contributor."""

    version: str = Field(default=VERSION, pattern=r"^[0-9]+\.[0-9]+\.[0-9]+$")
    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    timestamp: datetime = Field(default_factory=lambda: datetime.now(timezone.utc))
    vcs: VcsInfo | None = None
    tool: ToolInfo | None = None
    files: list[TraceFile] = Field(default_factory=list)
    metadata: TraceMetadata | None = None

    @field_validator("timestamp")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("timestamp needs a UTC offset (RFC 3339)")
        return value

    @field_serializer("timestamp")
    def _timestamp(self, value: datetime) -> str:
        return rfc3339(value)

    @field_serializer("id")
    def _id(self, value: uuid.UUID) -> str:
        return str(value)

    def has_attributions(self) -> bool:
        """Whether any conversation of any file has a range."""
        return any(c.ranges for f in self.files for c in f.conversations)

    def to_dict(self) -> dict[str, Any]:
        """The record as JSON values, absent fields omitted, in the crate's key order."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)

    def dumps(self, *, indent: int | None = 2) -> str:
        """JSON text: pretty (two spaces, as the crate's ``to_string_pretty``) by default,
        compact with ``indent=None``; non-ASCII written raw."""
        separators = (",", ":") if indent is None else (",", ": ")
        return json.dumps(self.to_dict(), indent=indent, separators=separators, ensure_ascii=False)
