"""VT Code exec events for Python: the versioned event vocabulary, its models and tools."""

from __future__ import annotations

from pkgutil import extend_path

# The generated models live in generated/vtcode_exec_events/models; they join this package.
__path__ = extend_path(__path__, __name__)

__version__ = "0.1.0"
#: The newest schema version this package knows; what the writer stamps on envelopes.
EVENT_SCHEMA_VERSION: str  # imported below from the generated models.newest

from vtcode_exec_events.errors import (  # noqa: E402
    SchemaError,
    SchemaReferenceError,
    UnknownSchemaVersion,
    VtcodeExecEventsError,
    WireFormatError,
)
from vtcode_exec_events.models.newest import SCHEMA_VERSION as EVENT_SCHEMA_VERSION  # noqa: E402
from vtcode_exec_events.models.newest import (  # noqa: E402
    AgentMessageItem,
    CommandExecutionItem,
    CommandExecutionStatus,
    CompactionMode,
    CompactionTrigger,
    ContextResetEvent,
    ContextResetTrigger,
    ErrorItem,
    FileChangeItem,
    FileUpdateChange,
    HarnessEventItem,
    HarnessEventKind,
    InterjectedEvent,
    InterjectionSource,
    ItemCompletedEvent,
    ItemStartedEvent,
    ItemUpdatedEvent,
    KnownThreadEvent,
    McpToolCallItem,
    McpToolCallStatus,
    PatchApplyStatus,
    PatchChangeKind,
    PermissionDecision,
    PermissionRequestedEvent,
    PermissionResolvedEvent,
    PlanApprovalDecision,
    PlanApprovalRequestedEvent,
    PlanApprovalResolvedEvent,
    PlanDeltaEvent,
    PlanItem,
    ReasoningItem,
    RedirectKind,
    ThreadCompactBoundaryEvent,
    ThreadCompletedEvent,
    ThreadCompletionSubtype,
    ThreadErrorEvent,
    ThreadEvent,
    ThreadItem,
    ThreadStartedEvent,
    TokenBreakdown,
    ToolCallStatus,
    ToolInvocationItem,
    ToolOutcome,
    ToolOutputItem,
    TurnCompletedEvent,
    TurnFailedEvent,
    TurnStartedEvent,
    UnknownThreadEvent,
    Usage,
    VersionedThreadEvent,
    WebSearchItem,
)
from vtcode_exec_events.wire import ParsedLine, dumps, parse_event, parse_line  # noqa: E402

#: Every event of the newest version as one type: a known event or the unknown catch-all.
Event = (
    ThreadStartedEvent
    | ThreadCompletedEvent
    | ThreadCompactBoundaryEvent
    | ContextResetEvent
    | TurnStartedEvent
    | TurnCompletedEvent
    | TurnFailedEvent
    | ItemStartedEvent
    | ItemUpdatedEvent
    | ItemCompletedEvent
    | PermissionRequestedEvent
    | PermissionResolvedEvent
    | InterjectedEvent
    | PlanDeltaEvent
    | PlanApprovalRequestedEvent
    | PlanApprovalResolvedEvent
    | ThreadErrorEvent
    | UnknownThreadEvent
)

__all__ = [
    "EVENT_SCHEMA_VERSION",
    "AgentMessageItem",
    "CommandExecutionItem",
    "CommandExecutionStatus",
    "CompactionMode",
    "CompactionTrigger",
    "ContextResetEvent",
    "ContextResetTrigger",
    "ErrorItem",
    "Event",
    "FileChangeItem",
    "FileUpdateChange",
    "HarnessEventItem",
    "HarnessEventKind",
    "InterjectedEvent",
    "InterjectionSource",
    "ItemCompletedEvent",
    "ItemStartedEvent",
    "ItemUpdatedEvent",
    "KnownThreadEvent",
    "McpToolCallItem",
    "McpToolCallStatus",
    "ParsedLine",
    "PatchApplyStatus",
    "PatchChangeKind",
    "PermissionDecision",
    "PermissionRequestedEvent",
    "PermissionResolvedEvent",
    "PlanApprovalDecision",
    "PlanApprovalRequestedEvent",
    "PlanApprovalResolvedEvent",
    "PlanDeltaEvent",
    "PlanItem",
    "ReasoningItem",
    "RedirectKind",
    "SchemaError",
    "SchemaReferenceError",
    "ThreadCompactBoundaryEvent",
    "ThreadCompletedEvent",
    "ThreadCompletionSubtype",
    "ThreadErrorEvent",
    "ThreadEvent",
    "ThreadItem",
    "ThreadStartedEvent",
    "TokenBreakdown",
    "ToolCallStatus",
    "ToolInvocationItem",
    "ToolOutcome",
    "ToolOutputItem",
    "TurnCompletedEvent",
    "TurnFailedEvent",
    "TurnStartedEvent",
    "UnknownSchemaVersion",
    "UnknownThreadEvent",
    "Usage",
    "VersionedThreadEvent",
    "VtcodeExecEventsError",
    "WebSearchItem",
    "WireFormatError",
    "__version__",
    "dumps",
    "parse_event",
    "parse_line",
]
