"""Write trajectories as JSON, read ATIF documents with bounds, and name output files safely."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, BinaryIO

import orjson

from vtcode_exec_events.atif.models import Trajectory

__all__ = [
    "DEFAULT_MAX_BYTES",
    "Loaded",
    "dumps",
    "dumps_crate",
    "read_document",
    "safe_name",
]

#: Documents larger than this are refused by ``atif --check`` (a bound on memory).
DEFAULT_MAX_BYTES = 256 << 20
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def dumps_crate(document: dict[str, Any]) -> bytes:
    """A crate-shaped document as serde_json's ``to_string`` writes it: compact, keys in the
    dict's order, non-ASCII raw, control characters escaped as ``\\u00XX`` or ``\\n`` etc."""
    return orjson.dumps(document)


def dumps(trajectory: Trajectory, *, indent: bool = False) -> bytes:
    """A trajectory as JSON: fields in the models' order, unset fields left out."""
    data = trajectory.model_dump(mode="json", exclude_none=True)
    return orjson.dumps(data, option=orjson.OPT_INDENT_2 if indent else 0)


@dataclass(frozen=True)
class Loaded:
    """A document read from a file: its value, or why it could not be read (``error``).

    ``fatal`` errors (too large, unreadable) mean the document was not checked at all.
    """

    value: Any = None
    error: str | None = None
    fatal: bool = False


def read_document(stream: BinaryIO, max_bytes: int = DEFAULT_MAX_BYTES) -> Loaded:
    """Read and decode one JSON document, refusing more than ``max_bytes``."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        return Loaded(error=f"larger than {max_bytes} bytes (see --max-bytes)", fatal=True)
    try:
        return Loaded(orjson.loads(data))
    except orjson.JSONDecodeError as exc:
        return Loaded(error=f"not JSON: {exc}")
    except RecursionError:  # pragma: no cover - orjson bounds nesting itself
        return Loaded(error="not JSON: nested too deeply")


def safe_name(text: str, fallback: str = "trajectory") -> str:
    """A file name made from untrusted text: no separators, no leading dot, at most 80
    characters of ``A-Z a-z 0-9 . _ -``; ``fallback`` when nothing is left."""
    name = _UNSAFE.sub("_", text).lstrip(".-_")[:80].rstrip(".")
    return name or fallback
