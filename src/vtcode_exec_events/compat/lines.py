"""Maps a JSON pointer to the line and column of the node in the JSON text it came from."""

from __future__ import annotations

import re

from vtcode_exec_events.pointer import unescape

__all__ = ["pointer_line"]

_WS = re.compile(r"[ \t\r\n]*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_SCALAR = re.compile(r"[^,\]\}\s]+")


def pointer_line(text: str, pointer: str) -> tuple[int, int] | None:
    """The 1-based (line, column) where the value at ``pointer`` starts, or None."""
    tokens = [unescape(t) for t in pointer.split("/")[1:]] if pointer else []
    pos = _WS.match(text, 0).end()  # type: ignore[union-attr]
    for token in tokens:
        found = _child(text, pos, token)
        if found is None:
            break
        pos = found
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return line, col


def _skip(text: str, pos: int) -> int:
    """The position just after the JSON value starting at ``pos``."""
    ch = text[pos : pos + 1]
    if ch == '"':
        m = _STRING.match(text, pos)
        return m.end() if m else len(text)
    if ch in "{[":
        depth = 0
        i = pos
        while i < len(text):
            c = text[i]
            if c == '"':
                m = _STRING.match(text, i)
                i = m.end() if m else len(text)
                continue
            if c in "{[":
                depth += 1
            elif c in "}]":
                depth -= 1
                if depth == 0:
                    return i + 1
            i += 1
        return len(text)
    m = _SCALAR.match(text, pos)
    return m.end() if m else pos + 1


def _child(text: str, pos: int, token: str) -> int | None:
    import json

    ch = text[pos : pos + 1]
    if ch == "{":
        i = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
        while i < len(text) and text[i] != "}":
            m = _STRING.match(text, i)
            if not m:
                return None
            key = json.loads(m.group(0))
            i = _WS.match(text, m.end()).end()  # type: ignore[union-attr]
            i = _WS.match(text, i + 1).end()  # type: ignore[union-attr]  # after ':'
            if key == token:
                return i
            i = _WS.match(text, _skip(text, i)).end()  # type: ignore[union-attr]
            if text[i : i + 1] == ",":
                i = _WS.match(text, i + 1).end()  # type: ignore[union-attr]
        return None
    if ch == "[":
        if not token.isdigit():
            return None
        want = int(token)
        i = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
        idx = 0
        while i < len(text) and text[i] != "]":
            if idx == want:
                return i
            i = _WS.match(text, _skip(text, i)).end()  # type: ignore[union-attr]
            if text[i : i + 1] == ",":
                i = _WS.match(text, i + 1).end()  # type: ignore[union-attr]
            idx += 1
        return None
    return None
