"""What the builder takes in: events (models, envelopes, wire dicts) and step times."""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

import orjson
from pydantic import BaseModel

from vtcode_exec_events.errors import WireFormatError
from vtcode_exec_events.fastwire import encode

__all__ = ["rfc3339", "rfc3339_now", "step_time", "wire_event"]


def rfc3339(ns: int) -> str:
    """Nanoseconds since the epoch as chrono's ``DateTime<Utc>::to_rfc3339`` writes them:
    ``+00:00``, and 0, 3, 6 or 9 fractional digits, the fewest that are exact."""
    seconds, nanos = divmod(ns, 1_000_000_000)
    text = datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    if nanos == 0:
        fraction = ""
    elif nanos % 1_000_000 == 0:
        fraction = f".{nanos // 1_000_000:03d}"
    elif nanos % 1_000 == 0:
        fraction = f".{nanos // 1_000:06d}"
    else:
        fraction = f".{nanos:09d}"
    return f"{text}{fraction}+00:00"


def rfc3339_now() -> str:
    """The current time, as the crate stamps a step when it processes an event."""
    return rfc3339(time.time_ns())


def step_time(when: datetime | str) -> str:
    """A caller's step time as the crate writes one (a string is taken as it is)."""
    if isinstance(when, str):
        return when
    if when.tzinfo is None:
        raise ValueError("a step time needs a time zone (naive datetimes are ambiguous)")
    delta = when - datetime(1970, 1, 1, tzinfo=timezone.utc)
    micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    return rfc3339(micros * 1_000)


def wire_event(
    event: BaseModel | Mapping[str, Any], schema_version: str | None = None
) -> dict[str, Any]:
    """An event (a model, an envelope, or a wire dict) as a checked wire dict.

    A dict is checked as the log reader checks a line (an envelope with its own version, a
    bare event with ``schema_version``, default the newest), so a malformed one raises
    :class:`~vtcode_exec_events.WireFormatError` (as VT Code's decoder would reject it)
    instead of being half used.
    """
    if isinstance(event, Mapping):
        from vtcode_exec_events.consumers.reader import parse

        line = parse(orjson.dumps(dict(event)), "<event>", 1, schema_version)
        if line.event is None:
            assert line.error is not None
            raise WireFormatError(line.error.message, pointer=line.error.pointer)
        event = line.event
    wire = orjson.loads(encode(event))
    if "type" not in wire and isinstance(wire.get("event"), dict):
        wire = wire["event"]
    assert isinstance(wire, dict)
    return wire
