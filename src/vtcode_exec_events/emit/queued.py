"""``QueuedEmitter``: any emitter behind a bounded queue and a background thread.

The producer only ever waits for room in the queue, and never longer than ``put_timeout``:
a sink that is slow, or blocks forever, cannot hang it.
"""

from __future__ import annotations

import atexit
import os
import threading
import time
import weakref
from collections import deque
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from vtcode_exec_events.emit.base import LOGGER, Emitter, emitter_name, isolate

if TYPE_CHECKING:
    from vtcode_exec_events import Event

__all__ = ["QueuedEmitter"]

_LIVE: weakref.WeakSet[QueuedEmitter] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    # The parent's queue is the parent's to deliver: a child that delivered it too would
    # write every pending event twice. Its worker thread does not exist in the child.
    for queued in list(_LIVE):
        queued._reset_after_fork()


def _close_all() -> None:
    # At interpreter exit, before daemon threads stop: deliver what is queued, in time.
    for queued in list(_LIVE):
        queued.close()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
# At exit, queues must drain before the sinks they feed are closed by their finalizers (a
# JsonlEmitter's): atexit runs last-registered first, and ``weakref.finalize`` registers its
# own exit hook with the first finalizer, so make sure that one exists before ours.
weakref.finalize(_close_all, int)
atexit.register(_close_all)


class QueuedEmitter:
    """Hands events to ``emitter`` from a background thread, through a bounded queue.

    - ``maxsize`` (10,000): events waiting at most. When the queue is full, ``when_full``
      says what the producer does: ``"block"`` (the default) waits up to ``put_timeout``
      seconds (1.0) for room, then drops the event; ``"drop"`` drops it at once. Every
      dropped event is counted in ``dropped`` and the first drop is logged (WARNING, logger
      ``vtcode_exec_events.emit``); nothing is dropped silently.
    - The sink is isolated: its exceptions are counted in ``failures`` and logged once.
    - Events reach the sink one at a time, in the order they were accepted.
    - ``flush(timeout)`` waits until every accepted event was handed to the sink;
      ``close(timeout)`` refuses new events (counted in ``dropped``), then does the same
      within ``close_timeout`` (5.0 s) and closes the sink if it has a ``close`` method, took
      everything and ``close_sink`` is true (the default). Events still queued then are
      counted in ``undelivered``. Leaving a ``with`` block and interpreter exit close it too.
    - The thread starts with the first event and ends after ``idle_timeout`` seconds (1.0)
      without events, so an idle emitter holds no thread.
    - After ``os.fork()`` the child starts with an empty queue: the parent's pending events
      are delivered by the parent only.
    """

    def __init__(
        self,
        emitter: Emitter,
        *,
        maxsize: int = 10_000,
        when_full: Literal["block", "drop"] = "block",
        put_timeout: float = 1.0,
        close_timeout: float | None = 5.0,
        idle_timeout: float = 1.0,
        close_sink: bool = True,
        name: str | None = None,
    ) -> None:
        if when_full not in ("block", "drop"):
            raise ValueError(f"when_full must be 'block' or 'drop', not {when_full!r}")
        if maxsize < 1:
            raise ValueError(f"maxsize must be at least 1, not {maxsize}")
        self.name = name or f"QueuedEmitter({emitter_name(emitter)})"
        self.sink = isolate(emitter)
        self.maxsize = maxsize
        self.when_full = when_full
        self.put_timeout = put_timeout
        self.close_timeout = close_timeout
        self.idle_timeout = idle_timeout
        self.close_sink = close_sink
        #: Events accepted, handed to the sink, dropped (full or closed), and left in the
        #: queue by ``close``.
        self.accepted = 0
        self.delivered = 0
        self.dropped = 0
        self.undelivered = 0
        self.closed = False
        self._items: deque[Any] = deque()
        self._cond = threading.Condition(threading.Lock())
        self._worker: threading.Thread | None = None
        _LIVE.add(self)

    @property
    def failures(self) -> Any:
        """The sink's exceptions: ``count`` and ``last`` (see ``SinkFailures``)."""
        return self.sink.failures

    @property
    def pending(self) -> int:
        """Events accepted and not yet handed to the sink."""
        return self.accepted - self.delivered

    def __call__(self, event: Event | Mapping[str, Any], /) -> None:
        with self._cond:
            if self.closed:
                self._drop("the emitter is closed")
                return
            if len(self._items) >= self.maxsize:
                if self.when_full == "drop" or not self._cond.wait_for(
                    lambda: len(self._items) < self.maxsize or self.closed, self.put_timeout
                ):
                    self._drop(f"the queue is full ({self.maxsize} events)")
                    return
                if self.closed:
                    self._drop("the emitter is closed")
                    return
            self._items.append(event)
            self.accepted += 1
            if self._worker is None:
                self._worker = threading.Thread(target=self._run, name=self.name, daemon=True)
                self._worker.start()
            else:
                self._cond.notify_all()

    emit = __call__

    def _drop(self, why: str) -> None:
        """Count a dropped event; called with the lock held."""
        self.dropped += 1
        if self.dropped == 1:
            LOGGER.warning(
                "%s dropped an event: %s; further drops are counted, not logged", self.name, why
            )

    def _run(self) -> None:
        cond = self._cond
        items = self._items
        while True:
            with cond:
                while not items:
                    idle = time.monotonic() + self.idle_timeout
                    while not items and not self.closed and (left := idle - time.monotonic()) > 0:
                        cond.wait(left)
                    if not items:
                        self._worker = None  # the next event starts a new thread
                        cond.notify_all()
                        return
                event = items.popleft()
                cond.notify_all()  # room for a blocked producer
            self.sink(event)
            with cond:
                self.delivered += 1
                cond.notify_all()

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every accepted event was handed to the sink; False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: self.delivered >= self.accepted, timeout)

    def close(self, timeout: float | None = None) -> bool:
        """Refuse new events, deliver the queued ones within ``timeout`` (default
        ``close_timeout``), then close the sink; False if events were left undelivered."""
        with self._cond:
            first = not self.closed
            self.closed = True
            self._cond.notify_all()
        drained = self.flush(self.close_timeout if timeout is None else timeout)
        if not first:
            return drained
        _LIVE.discard(self)
        if not drained:
            with self._cond:
                self.undelivered = self.accepted - self.delivered
            LOGGER.warning(
                "%s closed with %d event(s) its sink has not taken",
                self.name,
                self.undelivered,
            )
            return False
        close = getattr(self.sink.emitter, "close", None) if self.close_sink else None
        if callable(close):
            try:
                close()
            except Exception as exc:
                self.sink.failures.record(exc)
        return True

    def _reset_after_fork(self) -> None:
        self._cond = threading.Condition(threading.Lock())
        self._items.clear()
        self._worker = None
        self.accepted = self.delivered = 0

    def __enter__(self) -> QueuedEmitter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return (
            f"{self.name}: accepted={self.accepted}, delivered={self.delivered}, "
            f"dropped={self.dropped}, failures={self.failures.count}"
        )
