"""A command's output as the runner keeps it: chunks in a list, tails for updates, one cut marker.

Output is kept as decoded chunks (never rebuilt by concatenation), so taking N characters
costs O(N) however long the command runs. ``item.updated`` events carry a tail of it; the
final ``item.completed`` carries all of it, or its last ``max_output`` characters behind the
marker ``omitted(n)`` says how many characters were left out.
"""

from __future__ import annotations

from collections import deque

__all__ = ["Output", "omitted"]


def omitted(count: int) -> str:
    """The marker line that stands for ``count`` characters left out of the front of an output."""
    return f"[{count} earlier characters omitted]\n"


class Output:
    """Decoded output, appended in chunks; keeps at most the last ``limit`` characters."""

    def __init__(self, limit: int | None = None) -> None:
        self.limit = limit
        self.chunks: deque[str] = deque()
        #: Characters held in ``chunks``.
        self.held = 0
        #: Characters received in all (held or dropped from the front).
        self.total = 0
        #: The last character received ("" before any), for notes that start a new line.
        self.last = ""

    def append(self, text: str) -> None:
        if not text:
            return
        self.chunks.append(text)
        self.held += len(text)
        self.total += len(text)
        self.last = text[-1]
        if self.limit is not None:
            # Drop whole chunks that lie entirely before the last ``limit`` characters.
            while self.chunks and self.held - len(self.chunks[0]) >= self.limit:
                self.held -= len(self.chunks.popleft())

    def tail(self, count: int) -> str:
        """The last ``count`` characters (fewer if fewer were received), in O(count)."""
        count = min(count, self.held)
        if count <= 0:
            return ""
        parts: list[str] = []
        need = count
        for chunk in reversed(self.chunks):
            if len(chunk) >= need:
                parts.append(chunk[len(chunk) - need :])
                break
            parts.append(chunk)
            need -= len(chunk)
        parts.reverse()
        return "".join(parts)

    def text(self, count: int | None = None) -> str:
        """The last ``count`` characters (default: all that are kept), behind the ``omitted``
        marker when anything received is left out."""
        keep = self.held if self.limit is None else min(self.held, self.limit)
        if count is not None:
            keep = min(keep, count)
        body = self.tail(keep)
        cut = self.total - len(body)
        return omitted(cut) + body if cut else body
