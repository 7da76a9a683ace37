"""What every compat output format shares: the run, severity levels, display order, wording."""

from __future__ import annotations

import json
from dataclasses import dataclass

from vtcode_exec_events.compat.diff import Change
from vtcode_exec_events.compat.report import Report

__all__ = [
    "GROUPS",
    "LEVELS",
    "Run",
    "level",
    "ordered",
    "policy_line",
    "title",
    "verdict",
    "where",
    "witness_json",
]

#: One severity vocabulary for every format (SARIF's): ``error`` fails the requested direction,
#: ``warning`` breaks only another direction (or was lowered by configuration), ``note`` is
#: compatible.
LEVELS = ("error", "warning", "note")


@dataclass(frozen=True)
class Run:
    """What was asked: the inputs as typed, the direction, the policy and where it came from."""

    old: str
    new: str
    direction: str = "backward"
    policy: str = "strict"
    origin: str = "default"
    undecided: str = "breaking"


def verdict(c: Change) -> str:
    if not c.decided:
        return "could not be decided"
    if c.backward and c.forward:
        return "compatible"
    if not c.backward and not c.forward:
        return "breaks old and new readers"
    if not c.backward:
        return "breaks new readers of old data (backward)"
    return "breaks old readers of new data (forward)"


def level(c: Change, failing: set[int]) -> str:
    """The change's severity in every format: see :data:`LEVELS`."""
    if id(c) in failing:
        return "error"
    if c.breaking and c.severity != "info":
        return "warning"
    return "note"


#: Display groups, breaking first: (key, title); ``{d}`` is the requested direction.
GROUPS = (
    ("failing", "Failing ({d})"),
    ("undecided-failing", "Undecided, counted as breaking ({d})"),
    ("other", "Breaking only in another direction than {d}"),
    ("undecided", "Undecided, not failing {d}"),
    ("compatible", "Compatible changes"),
)


def ordered(report: Report, direction: str) -> list[tuple[str, list[Change]]]:
    """The changes by display group (see :data:`GROUPS`), each group in report order."""
    failing = {id(c) for c in report.failing(direction)}
    groups: dict[str, list[Change]] = {key: [] for key, _ in GROUPS}
    for c in report.changes:
        if id(c) in failing:
            key = "failing" if c.decided else "undecided-failing"
        elif not c.decided:
            key = "undecided"
        else:
            key = "other" if level(c, failing) == "warning" else "compatible"
        groups[key].append(c)
    return [(key, groups[key]) for key, _ in GROUPS]


def title(key: str, direction: str) -> str:
    return dict(GROUPS)[key].format(d=direction)


def policy_line(run: Run) -> str:
    return f"policy {run.policy} (from {run.origin}); undecided changes count as {run.undecided}"


def where(c: Change) -> str:
    if c.old_pointer == c.new_pointer or not c.old_pointer:
        return c.new_pointer
    if not c.new_pointer:
        return c.old_pointer
    return f"{c.old_pointer} -> {c.new_pointer}"


def witness_json(c: Change) -> str:
    return json.dumps(c.witness["instance"], ensure_ascii=False) if c.witness else ""
