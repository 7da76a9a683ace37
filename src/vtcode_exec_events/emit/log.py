"""``LogEmitter``: events as records of the standard ``logging`` module."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from vtcode_exec_events.emit.base import SinkFailures
from vtcode_exec_events.fastwire import encode, schema_version_of

if TYPE_CHECKING:
    from vtcode_exec_events import Event

__all__ = ["DEFAULT_LOGGER", "LogEmitter"]

#: The logger ``LogEmitter`` uses unless given another.
DEFAULT_LOGGER = "vtcode_exec_events.events"


class LogEmitter:
    """Logs each event's bare JSON as the message of one ``logging`` record.

    As the crate's ``LogEmitter``: the whole message is the compact JSON of the bare event
    (never the envelope), at a configurable level (default ``INFO``), and nothing is
    serialized when the logger is not enabled for that level. For structured handlers the
    record also carries these attributes:

    - ``schema_version``: the version of the event's models (or the one given;
      ``EVENT_SCHEMA_VERSION`` for a dict);
    - ``event_type``: the event's ``type`` tag, e.g. ``item.completed``;
    - ``vtcode_event``: the same JSON text as the message.

    Nothing raises into the producer (unless ``raise_errors=True``): an event that cannot be
    encoded, and an exception from a handler or filter of the logger, are counted in
    ``failures`` and reported once (on the logger ``vtcode_exec_events.emit``). A handler that
    catches its own errors (as ``StreamHandler`` does) reports them through ``logging``.
    ``close()`` (or leaving a ``with`` block) refuses later events, counted as failures; the
    logger and its handlers are the application's and stay open.
    """

    def __init__(
        self,
        logger: logging.Logger | str | None = None,
        level: int | str = logging.INFO,
        *,
        schema_version: str | None = None,
        raise_errors: bool = False,
    ) -> None:
        if logger is None or isinstance(logger, str):
            logger = logging.getLogger(logger or DEFAULT_LOGGER)
        self.logger = logger
        self.level = logging.getLevelName(level) if isinstance(level, str) else level
        if not isinstance(self.level, int):
            raise ValueError(f"unknown logging level: {level!r}")
        self.schema_version = schema_version
        self.raise_errors = raise_errors
        self.failures = SinkFailures(f"LogEmitter({self.logger.name})")
        self.closed = False

    def __call__(self, event: Event | BaseModel | Mapping[str, Any], /) -> None:
        try:
            if self.closed:
                raise ValueError("the emitter is closed")
            if not self.logger.isEnabledFor(self.level):
                return
            text = encode(event).decode()
            tag = event.get("type") if isinstance(event, Mapping) else getattr(event, "type", None)
            extra = {
                "schema_version": self.schema_version or schema_version_of(event),
                "event_type": tag if isinstance(tag, str) else None,
                "vtcode_event": text,
            }
            self.logger.log(self.level, text, extra=extra, stacklevel=2)
        except Exception as exc:
            if self.raise_errors:
                raise
            self.failures.record(exc, event)

    emit = __call__

    def close(self) -> None:
        """Refuse later events (the logger and its handlers stay as they are)."""
        self.closed = True

    def __enter__(self) -> LogEmitter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"LogEmitter({self.logger.name!r}, {logging.getLevelName(self.level)})"
