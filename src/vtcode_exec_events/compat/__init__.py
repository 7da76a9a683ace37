"""JSON Schema compatibility checker: what breaks old readers, new readers, or neither, and why."""

from __future__ import annotations

from vtcode_exec_events.compat.api import compare, compare_paths, compare_sets
from vtcode_exec_events.compat.config import Policy, load_policy
from vtcode_exec_events.compat.diff import Change
from vtcode_exec_events.compat.report import Report
from vtcode_exec_events.compat.rules import RULES

__all__ = [
    "RULES",
    "Change",
    "Policy",
    "Report",
    "compare",
    "compare_paths",
    "compare_sets",
    "load_policy",
]
