"""A log whose every string tries to drive the terminal, and the check that none got through."""

from __future__ import annotations

import json
import re
from pathlib import Path

#: Everything a log could use to take over a terminal: window title (OSC 0), a hyperlink
#: (OSC 8), a clipboard write (OSC 52), clear screen (CSI 2J), BEL, overprinting with CR
#: and BS, Rich markup, a bidirectional override, a C1 CSI and DEL.
ATTACK = (
    "\x1b]0;owned\x07"
    "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\"
    "\x1b]52;c;aGVsbG8=\x07"
    "\x1b[2J\x1b[H"
    "\x07"
    "safe\rFAKE\b\b"
    "[bold red]markup[/]"
    "\u202eevil\u202c"
    "\x9b2J"
    "\x7f"
)
#: A file name with the same intent (a file name cannot hold NUL or "/").
FILE_NAME = "log\x1b]0;title\x07\x1b[2J\u202e.jsonl"


def _events(attack: str) -> list[dict[str, object]]:
    item = {"id": "i" + attack, "status": "completed"}
    return [
        {"type": "thread.started", "thread_id": "t" + attack},
        {"type": "turn.started"},
        {"type": "item.completed", "item": {**item, "type": "agent_message", "text": attack}},
        {
            "type": "item.completed",
            "item": {
                **item,
                "type": "command_execution",
                "command": "ls " + attack,
                "aggregated_output": attack,
                "exit_code": 1,
                "status": "failed",
            },
        },
        {
            "type": "item.completed",
            "item": {
                **item,
                "type": "tool_invocation",
                "tool_name": "tool" + attack,
                "arguments": {"k": attack},
                "status": "failed",
            },
        },
        {"type": "item.completed", "item": {**item, "type": "error", "message": attack}},
        {"type": "turn.failed", "message": attack},
        {"type": "future." + attack},
        {"type": "item.completed", "item": {**item, "type": "file_change", "status": attack}},
        {"type": "thread.completed", "thread_id": "t", "subtype": attack},
    ]


def write_log(directory: Path) -> Path:
    """The hostile log: valid events carrying the attack, and invalid ones quoting it."""
    path = directory / FILE_NAME
    lines = [json.dumps(e, ensure_ascii=False) for e in _events(ATTACK)]
    lines.append("not json " + ATTACK.replace("\x1b", "").replace("\x07", ""))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


#: What a program may write itself on a terminal: SGR colour and style sequences and the
#: cursor and line controls rich uses to draw (none of them can come from the log).
_OWN = re.compile(r"\x1b\[[0-9;?]*[mKhlAB]|\r\n")
_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def leaks(output: str, terminal: bool = False) -> list[str]:
    """Every control character in ``output`` that did not come from the program itself."""
    if terminal:
        output = _OWN.sub("", output)
    return [repr(m.group()) for m in _UNSAFE.finditer(output.replace("\n", ""))]
