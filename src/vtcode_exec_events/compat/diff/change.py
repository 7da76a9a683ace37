"""One classified difference (``Change``) and one step of its instance path (``Step``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from vtcode_exec_events.compat.canonical import Node
from vtcode_exec_events.compat.loader import Location

__all__ = ["Change", "Path", "Step"]


@dataclass(frozen=True)
class Step:
    """One step from a parent instance to a child: the parent nodes and the key or index."""

    old: Node
    new: Node
    key: str | int


@dataclass
class Change:
    """One classified difference between the old and the new schema.

    ``backward``/``forward`` are the conservative verdicts (an undecided change counts as
    breaking there); ``decided`` is False when the checker could not prove either way.
    """

    id: str
    old_pointer: str
    new_pointer: str
    backward: bool
    forward: bool
    message: str
    witness: dict[str, Any] | None = None
    decided: bool = True
    witness_note: str | None = None  # why no witness is shown (say, it is too large)
    severity: str = "error"
    old_loc: Location | None = None
    new_loc: Location | None = None
    old_node: Node | None = field(default=None, repr=False, compare=False)
    new_node: Node | None = field(default=None, repr=False, compare=False)
    path: tuple[Step, ...] = field(default=(), repr=False, compare=False)
    hints: tuple[Any, ...] = field(default=(), repr=False, compare=False)

    @property
    def proven(self) -> bool:
        """The former name of ``decided``."""
        return self.decided

    @property
    def key(self) -> tuple[str, str, str, bool, bool, str]:
        return (
            self.id,
            self.old_pointer,
            self.new_pointer,
            self.backward,
            self.forward,
            self.message,
        )

    @property
    def breaking(self) -> bool:
        return not (self.backward and self.forward)


#: The instance path from the root to a compared pair.
Path = tuple[Step, ...]
