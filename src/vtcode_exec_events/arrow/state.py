"""Thread and turn state of one file: which thread and turn each line belongs to.

``thread_id`` is that of the last valid ``thread.started`` before the line (``thread.*``
events carry their own); ``turn_index`` counts the valid ``turn.started`` lines of the
thread from 0, set from a ``turn.started`` up to and including its ``turn.completed`` or
``turn.failed``. Only valid lines move the state, as only they reach VT Code's decoder.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from vtcode_exec_events.arrow import build

__all__ = ["ThreadState"]

_S = pa.string()
_I = pa.int64()


class ThreadState:
    """The state after the lines seen so far; :meth:`walk` moves it over the next ones."""

    def __init__(self) -> None:
        self.thread_id: str | None = None
        self.turns = 0
        self.turn: int | None = None

    def walk(self, valid: pa.Array, tags: pa.Array, own: pa.Array) -> tuple[pa.Array, pa.Array]:
        """``thread_id`` and ``turn_index`` per line; valid lines move the state.

        Only ``thread.*`` and ``turn.*`` lines can move it: they are found in one pass of
        Arrow, walked here, and the state between them fills runs of lines.
        """
        n = len(tags)
        if not n:
            return build.column([], _S), build.column([], _I)
        moving = pc.and_(
            valid, pc.or_(pc.starts_with(tags, "thread."), pc.starts_with(tags, "turn."))
        )
        where = pc.indices_nonzero(moving)
        thread, turn, count = self.thread_id, self.turn, self.turns
        ends: list[int] = []
        threads: list[str | None] = []
        turns: list[int | None] = []

        def run(end: int, thread: str | None, turn: int | None) -> None:
            if end > (ends[-1] if ends else 0):
                ends.append(end)
                threads.append(thread)
                turns.append(turn)

        events = zip(
            where.to_pylist(),
            tags.take(where).to_pylist(),
            own.take(where).to_pylist(),
            strict=True,
        )
        for index, tag, mine in events:
            if tag == "thread.started":
                run(index, thread, turn)
                thread, turn, count = mine, None, 0
            elif tag == "turn.started":
                run(index, thread, turn)
                turn, count = count, count + 1
            elif tag in ("turn.completed", "turn.failed"):
                run(index + 1, thread, turn)
                turn = None
            elif tag == "thread.completed":
                run(index, thread, turn)
                run(index + 1, mine or thread, turn)
                turn = None
        run(n, thread, turn)
        self.thread_id, self.turn, self.turns = thread, turn, count
        return _runs(ends, threads, _S), _runs(ends, turns, _I)


def _runs(ends: list[int], values: list[Any], type: pa.DataType) -> pa.Array:
    """The values repeated over runs of lines that end (exclusive) at ``ends``."""
    if len(ends) == 1:
        return build.repeat(values[0], ends[0], type)
    # from_buffers, not RunEndEncodedArray.from_arrays: that one imports pandas.
    encoded = pa.Array.from_buffers(
        pa.run_end_encoded(_I, type),
        ends[-1],
        [None],
        children=[build.column(ends, _I), build.column(values, type)],
    )
    return pc.run_end_decode(encoded)
