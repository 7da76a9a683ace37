"""Write trajectories as JSON, read ATIF documents with bounds, and name output files safely."""

from __future__ import annotations

import math
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
    "serde_float",
]

#: Documents larger than this are refused by ``atif --check`` (a bound on memory).
DEFAULT_MAX_BYTES = 256 << 20
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def serde_float(value: float) -> str:
    """A finite float as serde_json writes an ``f64``: the shortest digits that read back
    (as ``repr``), in ryu's layout: ``100.0``, ``0.0001``, ``1e16``, ``1.5e-7``."""
    if value == 0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    sign = "-" if value < 0 else ""
    mantissa, _, exponent = repr(abs(value)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    every = whole + fraction
    point = len(whole) + (int(exponent) if exponent else 0)
    digits = every.lstrip("0")
    point -= len(every) - len(digits)
    digits = digits.rstrip("0")
    length, zeros = len(digits), point - len(digits)
    if zeros >= 0 and point <= 16:
        return f"{sign}{digits}{'0' * zeros}.0"
    if 0 < point <= 16:
        return f"{sign}{digits[:point]}.{digits[point:]}"
    if -5 < point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    head = digits if length == 1 else f"{digits[0]}.{digits[1:]}"
    return f"{sign}{head}e{point - 1}"


def _serde_floats(value: Any) -> Any:
    if isinstance(value, float):
        return orjson.Fragment(serde_float(value))
    if isinstance(value, dict):
        return {k: _serde_floats(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_serde_floats(v) for v in value]
    return value


def dumps_crate(document: dict[str, Any], *, indent: bool = False) -> bytes:
    """A document as serde_json's ``to_string`` writes it: compact, keys in the dict's
    order, non-ASCII raw, control characters escaped (``\\u001f``, ``\\n``), floats as
    :func:`serde_float` writes them."""
    option = orjson.OPT_INDENT_2 if indent else 0
    return orjson.dumps(_serde_floats(document), option=option)


def dumps(trajectory: Trajectory, *, indent: bool = False) -> bytes:
    """A trajectory as JSON: fields in the models' order, unset fields left out."""
    return dumps_crate(trajectory.model_dump(mode="json", exclude_none=True), indent=indent)


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
