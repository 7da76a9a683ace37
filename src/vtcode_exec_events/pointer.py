"""RFC 6901 JSON pointers: the one place that escapes, joins and splits them."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["escape", "join", "split", "unescape"]


def escape(token: str | int) -> str:
    """One reference token, escaped (``~`` → ``~0``, ``/`` → ``~1``)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    """The inverse of :func:`escape`."""
    return token.replace("~1", "/").replace("~0", "~")


def join(path: Iterable[str | int], base: str = "") -> str:
    """The pointer for ``path`` below ``base``: ``join(["item", 0]) == "/item/0"``."""
    return base + "".join("/" + escape(t) for t in path)


def split(pointer: str) -> list[str]:
    """The unescaped tokens of ``pointer``; ``""`` (the whole document) has none."""
    if not pointer:
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"a JSON pointer starts with '/': {pointer!r}")
    return [unescape(t) for t in pointer[1:].split("/")]
