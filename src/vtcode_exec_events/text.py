"""Terminal safety: text from logs, schemas and file names made visible before it is printed."""

from __future__ import annotations

import re

__all__ = ["visible"]

# C0 controls but tab, DEL, C1 controls, and the bidirectional overrides and isolates
# (Trojan Source): none of them may reach a terminal from input we did not write.
_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\x1b": "\\e"}


def _show(match: re.Match[str]) -> str:
    ch = match.group()
    named = _NAMED.get(ch)
    if named is not None:
        return named
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` with every control character made visible: ``"a\\x1b]0;x\\x07"`` prints
    as ``a\\e]0;x\\x07``. Printable text, tabs and non-ASCII letters pass unchanged."""
    return text if _UNSAFE.search(text) is None else _UNSAFE.sub(_show, text)
