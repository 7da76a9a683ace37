"""The comparison report: changes, per-direction verdicts after policy, severities and ignores."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from vtcode_exec_events.compat.diff import Change
from vtcode_exec_events.compat.rules import ANNOTATION_RULES

__all__ = ["DIRECTIONS", "UNDECIDED", "Report"]

DIRECTIONS = ("backward", "forward", "full")
#: How an undecided change counts: as breaking (the default, conservative) or compatible.
UNDECIDED = ("breaking", "compatible")


@dataclass
class Report:
    """What changed between two schemas and whether each direction stays compatible."""

    changes: list[Change]
    policy: str = "strict"
    ignored: list[tuple[Change, str]] = field(default_factory=list)
    old_name: str = "old"
    new_name: str = "new"
    undecided: str = "breaking"
    sources: dict[str, Any] = field(default_factory=dict, repr=False)

    def _fails(self, change: Change, direction: str) -> bool:
        if change.severity == "error" and change.id in _forced(self):
            return True
        if change.severity in ("warning", "info", "off"):
            return False
        if not change.decided and self.undecided == "compatible":
            return False
        if direction == "backward":
            return not change.backward
        if direction == "forward":
            return not change.forward
        return not (change.backward and change.forward)

    @property
    def backward(self) -> bool:
        """New readers accept every instance old writers could produce."""
        return not any(self._fails(c, "backward") for c in self.changes)

    @property
    def forward(self) -> bool:
        """Old readers accept every instance new writers can produce."""
        return not any(self._fails(c, "forward") for c in self.changes)

    @property
    def full(self) -> bool:
        return self.backward and self.forward

    def compatible(self, direction: str = "backward") -> bool:
        if direction == "backward":
            return self.backward
        if direction == "forward":
            return self.forward
        return self.full

    def failing(self, direction: str = "backward") -> list[Change]:
        return [c for c in self.changes if self._fails(c, direction)]

    @property
    def undecided_changes(self) -> list[Change]:
        """Changes the checker could neither prove breaking nor prove compatible."""
        return [c for c in self.changes if not c.decided]

    @property
    def annotation_only(self) -> bool:
        return all(c.id in ANNOTATION_RULES for c in self.changes)

    def to_json(self) -> dict[str, Any]:
        """The contract's JSON shape (plus a few optional, additive fields)."""
        out: list[dict[str, Any]] = []
        for c in self.changes:
            item: dict[str, Any] = {
                "id": c.id,
                "old_pointer": c.old_pointer,
                "new_pointer": c.new_pointer,
                "backward": c.backward,
                "forward": c.forward,
                "message": c.message,
            }
            if c.witness is not None:
                item["witness"] = c.witness
            item["severity"] = c.severity
            if not c.decided:
                item["decided"] = False
            if c.witness is None and c.witness_note is not None:
                item["witness_note"] = c.witness_note
            out.append(item)
        doc: dict[str, Any] = {"backward": self.backward, "forward": self.forward, "changes": out}
        if self.undecided != "breaking":
            doc["undecided"] = self.undecided
        if self.ignored:
            doc["ignored"] = [
                {
                    "id": c.id,
                    "old_pointer": c.old_pointer,
                    "new_pointer": c.new_pointer,
                    "reason": reason,
                }
                for c, reason in self.ignored
            ]
        return doc


def _forced(report: Report) -> frozenset[str]:
    return frozenset(report.sources.get("forced_errors", ()))
