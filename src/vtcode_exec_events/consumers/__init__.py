"""Consumer tools over event logs: a streaming reader, statistics and a replay timeline."""

from __future__ import annotations

from vtcode_exec_events.consumers.reader import Issue, LogLine, open_log, read_log
from vtcode_exec_events.consumers.stats import Stats, collect
from vtcode_exec_events.consumers.timeline import TimelineEntry, replay

__all__ = [
    "Issue",
    "LogLine",
    "Stats",
    "TimelineEntry",
    "collect",
    "open_log",
    "read_log",
    "replay",
]
