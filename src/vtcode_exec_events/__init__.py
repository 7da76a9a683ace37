"""VT Code exec events for Python: the versioned event vocabulary, its models and tools."""

from __future__ import annotations

import importlib
from pkgutil import extend_path
from typing import TYPE_CHECKING, Any

# The generated models live in generated/vtcode_exec_events/models; they join this package.
__path__ = extend_path(__path__, __name__)

__version__ = "0.1.0"

from vtcode_exec_events.errors import (
    SchemaError,
    SchemaReferenceError,
    UnknownSchemaVersion,
    VtcodeExecEventsError,
    WireFormatError,
)

#: The newest schema version this package knows (generated: models.LATEST); what the writer
#: stamps on envelopes.
from vtcode_exec_events.models import LATEST as EVENT_SCHEMA_VERSION

if TYPE_CHECKING:  # the names below are imported on first use (see __getattr__)
    from vtcode_exec_events.models.newest import *  # noqa: F403 (its __all__: every model name)
    from vtcode_exec_events.wire import ParsedLine, dumps, parse_event, parse_line


#: The generated module of the newest version, imported when one of its names is first used.
_NEWEST_MODELS = "vtcode_exec_events.models.newest"
_WIRE = frozenset({"ParsedLine", "dumps", "parse_event", "parse_line"})


def __getattr__(name: str) -> Any:
    """The models and the wire functions, imported on first use (``import`` stays cheap)."""
    if name in _WIRE:
        value = getattr(importlib.import_module("vtcode_exec_events.wire"), name)
    elif name in __all__ and name[:1].isupper():
        value = getattr(importlib.import_module(_NEWEST_MODELS), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


# The model names in __all__ come from models.newest (the star import above, for type checkers).
__all__ = [  # noqa: F405
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
