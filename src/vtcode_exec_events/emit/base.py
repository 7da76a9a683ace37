"""The emitter protocol, fan-out to several emitters, and isolation of failing sinks."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias, runtime_checkable

from pydantic import BaseModel

if TYPE_CHECKING:
    from vtcode_exec_events import Event

__all__ = [
    "EventEmitter",
    "FanOut",
    "Isolated",
    "SinkFailures",
    "emitter_name",
    "isolate",
]

#: Where failures of sinks are reported (once per sink).
LOGGER = logging.getLogger("vtcode_exec_events.emit")


@runtime_checkable
class EventEmitter(Protocol):
    """Anything that receives events: a callable taking one event.

    The Rust crate's ``EventEmitter`` trait has one method, ``emit``, and every closure
    implements it. In Python the method is ``__call__``, so every function, lambda or bound
    method that takes an event is an emitter; the emitters of this package also have an
    ``emit`` alias.
    """

    def __call__(self, event: Event, /) -> None: ...


#: An emitter as the runner and fan-out accept it (any callable taking an event).
Emitter: TypeAlias = Callable[[Any], None]


def emitter_name(emitter: object) -> str:
    """A readable name for an emitter, for log messages."""
    name = getattr(emitter, "__qualname__", None) or type(emitter).__qualname__
    module = getattr(emitter, "__module__", None) or type(emitter).__module__
    return f"{module}.{name}" if module and module != "builtins" else str(name)


class SinkFailures:
    """Counts the exceptions of one sink and reports the first through ``logging``.

    ``count`` is the number of events the sink failed to take; ``last`` the latest exception.
    Only the first failure is logged (at WARNING, with its traceback), so a broken sink does
    not flood the log; later ones are counted silently.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.count = 0
        self.last: BaseException | None = None
        self._lock = threading.Lock()

    def record(self, exc: BaseException, event: object = None) -> None:
        with self._lock:
            self.count += 1
            self.last = exc
            first = self.count == 1
        if first:
            if isinstance(event, BaseModel):
                tag = getattr(event, "type", None)
            else:
                tag = event.get("type") if isinstance(event, Mapping) else None
            what = f" (event {tag!r})" if isinstance(tag, str) else ""
            LOGGER.warning(
                "event sink %s failed%s; further failures are counted, not logged",
                self.name,
                what,
                exc_info=(type(exc), exc, exc.__traceback__),
            )


class Isolated:
    """An emitter whose exceptions never reach the producer: caught, counted, logged once.

    ``raise_errors=True`` turns isolation off (useful in tests).
    """

    def __init__(
        self, emitter: Emitter, *, name: str | None = None, raise_errors: bool = False
    ) -> None:
        self.emitter = emitter
        self.failures = SinkFailures(name or emitter_name(emitter))
        self.raise_errors = raise_errors

    def __call__(self, event: Event | Mapping[str, Any], /) -> None:
        try:
            self.emitter(event)
        except Exception as exc:
            if self.raise_errors:
                raise
            self.failures.record(exc, event)

    emit = __call__

    def close(self) -> None:
        """Close the wrapped emitter if it has a ``close`` method (its failure is counted)."""
        close = getattr(self.emitter, "close", None)
        if callable(close):
            try:
                close()
            except Exception as exc:
                if self.raise_errors:
                    raise
                self.failures.record(exc)

    def __enter__(self) -> Isolated:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Isolated({self.emitter!r}, failures={self.failures.count})"


def isolate(emitter: Emitter, *, name: str | None = None) -> Isolated:
    """Wrap an emitter so that its exceptions are caught, counted and logged once.

    An emitter that is already isolated is returned as it is.
    """
    if isinstance(emitter, Isolated):
        return emitter
    return Isolated(emitter, name=name)


class FanOut:
    """Sends every event to several emitters, in order.

    Each emitter is isolated: one that raises is counted and logged once (see
    ``failures``), and the others still receive the event.
    """

    def __init__(self, *emitters: Emitter | Iterable[Emitter]) -> None:
        flat: list[Emitter] = []
        for item in emitters:
            if callable(item):
                flat.append(item)
            else:
                flat.extend(item)
        self.emitters: tuple[Isolated, ...] = tuple(isolate(e) for e in flat)

    def __call__(self, event: Event | Mapping[str, Any], /) -> None:
        for emitter in self.emitters:
            emitter(event)

    emit = __call__

    @property
    def failures(self) -> dict[str, int]:
        """Failure count per emitter name (only emitters that failed at least once)."""
        return {e.failures.name: e.failures.count for e in self.emitters if e.failures.count}

    def close(self) -> None:
        """Close every emitter that has a ``close`` method (failures are isolated too)."""
        for emitter in self.emitters:
            emitter.close()

    def __enter__(self) -> FanOut:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
