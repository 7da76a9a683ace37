"""Thread and turn state of one file: which thread and turn each line belongs to.

``thread_id`` is that of the last valid ``thread.started`` before the line (``thread.*``
events carry their own); ``turn_index`` counts the valid ``turn.started`` lines of the
thread from 0, set from a ``turn.started`` up to and including its ``turn.completed`` or
``turn.failed``. Only valid lines move the state, as only they reach VT Code's decoder.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyarrow as pa

from vtcode_exec_events.arrow import build

__all__ = ["ThreadState"]

_S = pa.string()
_I = pa.int64()
#: The tags that move the state (other ``thread.*`` and ``turn.*`` events do not).
_MOVING = frozenset(
    ("thread.started", "turn.started", "turn.completed", "turn.failed", "thread.completed")
)


class ThreadState:
    """The state after the lines seen so far; :meth:`walk` moves it over the next ones."""

    def __init__(self) -> None:
        self.thread_id: str | None = None
        self.turns = 0
        self.turn: int | None = None

    def walk(
        self,
        valid: Sequence[bool] | None,
        tags: Sequence[str | None],
        own: Sequence[str | None],
    ) -> tuple[pa.Array, pa.Array]:
        """``thread_id`` and ``turn_index`` per line (``tags`` and ``own`` thread ids of
        the lines; ``valid`` None: every line is); valid lines move the state.

        Only the lines whose tag can move it are walked one by one; the state between
        them fills runs of lines.
        """
        n = len(tags)
        if not n:
            return build.column([], _S), build.column([], _I)
        moving = _MOVING
        where = [i for i, tag in enumerate(tags) if tag in moving]
        if valid is not None:
            where = [i for i in where if valid[i]]
        thread, turn, count = self.thread_id, self.turn, self.turns
        ends: list[int] = []
        threads: list[str | None] = []
        turns: list[int | None] = []

        def run(end: int, thread: str | None, turn: int | None) -> None:
            if end > (ends[-1] if ends else 0):
                ends.append(end)
                threads.append(thread)
                turns.append(turn)

        for index in where:
            tag = tags[index]
            if tag == "thread.started":
                run(index, thread, turn)
                thread, turn, count = own[index], None, 0
            elif tag == "turn.started":
                run(index, thread, turn)
                turn, count = count, count + 1
            elif tag in ("turn.completed", "turn.failed"):
                run(index + 1, thread, turn)
                turn = None
            else:  # thread.completed
                run(index, thread, turn)
                run(index + 1, own[index] or thread, turn)
                turn = None
        run(n, thread, turn)
        self.thread_id, self.turn, self.turns = thread, turn, count
        return _runs(ends, threads, _S), _runs(ends, turns, _I)


def _runs(ends: list[int], values: list[Any], type: pa.DataType) -> pa.Array:
    """The values repeated over runs of lines that end (exclusive) at ``ends``."""
    if len(ends) == 1:
        return build.repeat(values[0], ends[0], type)
    out: list[Any] = []
    start = 0
    for end, value in zip(ends, values, strict=True):
        out += [value] * (end - start)
        start = end
    return build.column(out, type)
