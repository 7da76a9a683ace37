"""Validation of any Agent Trace record (from any tool) against the specification's schema."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

from vtcode_exec_events.pointer import join, split

__all__ = ["Problem", "check", "schema"]

_FORMATS = ("date-time", "uri", "uuid")
_MESSAGE_LIMIT = 160


@dataclass(frozen=True)
class Problem:
    """One reason a record is not valid Agent Trace: where (a JSON pointer) and why."""

    pointer: str
    message: str


@cache
def schema() -> dict[str, Any]:
    """The Agent Trace v0.1.0 record schema (JSON Schema 2020-12) shipped with the package."""
    text = resources.files(__package__).joinpath("trace-record.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@cache
def _validator() -> Draft202012Validator:
    checker = FormatChecker(_FORMATS)
    missing = [f for f in _FORMATS if f not in checker.checkers]
    if missing:
        raise ImportError(
            f"checking the formats {', '.join(missing)} needs the 'trace' extra: "
            "pip install 'vtcode-exec-events[trace]'"
        )
    return Draft202012Validator(schema(), format_checker=checker)


def _short(text: str) -> str:
    return text if len(text) <= _MESSAGE_LIMIT else text[: _MESSAGE_LIMIT - 1] + "…"


def _ranges(document: Any) -> list[Problem]:
    """Ranges whose end comes before their start (the schema cannot say so)."""
    problems: list[Problem] = []
    files = document.get("files") if isinstance(document, dict) else None
    for f, file in enumerate(files if isinstance(files, list) else []):
        conversations = file.get("conversations") if isinstance(file, dict) else None
        for c, conv in enumerate(conversations if isinstance(conversations, list) else []):
            ranges = conv.get("ranges") if isinstance(conv, dict) else None
            for r, rng in enumerate(ranges if isinstance(ranges, list) else []):
                if not isinstance(rng, dict):
                    continue
                start, end = rng.get("start_line"), rng.get("end_line")
                if isinstance(start, int) and isinstance(end, int) and end < start:
                    where = join(["files", f, "conversations", c, "ranges", r, "end_line"])
                    problems.append(Problem(where, f"end_line {end} is before start_line {start}"))
    return problems


def _order(problem: Problem) -> list[tuple[int, int, str]]:
    """Document order: array indices compare as numbers, keys as text."""
    tokens = split(problem.pointer)
    return [(0, int(t), "") if t.isdigit() else (1, 0, t) for t in tokens]


def check(document: Any) -> list[Problem]:
    """Every problem of ``document`` (a parsed record), in document order; empty when valid."""
    found = [
        Problem(join(error.absolute_path), _short(error.message))
        for error in _validator().iter_errors(document)
    ]
    found.extend(_ranges(document))
    return sorted(found, key=_order)
