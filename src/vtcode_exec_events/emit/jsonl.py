"""``JsonlEmitter``: one JSON line per event, appended to a file or written to a stream."""

from __future__ import annotations

import io
import os
import sys
import threading
import time
import weakref
from typing import IO, TYPE_CHECKING, Any

import orjson

from vtcode_exec_events.emit.base import SinkFailures
from vtcode_exec_events.fastwire import (
    LINE_OPTIONS,
    Encodable,
    encode_line,
    hook,
    not_an_event,
    schema_version_of,
)

if TYPE_CHECKING:
    from vtcode_exec_events import Event

__all__ = ["JsonlEmitter"]

_dumps = orjson.dumps  # one global lookup on the hot path, not two
_APPEND = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_CLOEXEC", 0)


_LIVE: weakref.WeakSet[_Sink] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    # Lines buffered before the fork are the parent's to write: a child that wrote them too
    # would write each one twice. A lock held by a thread that does not exist in the child
    # would never be released.
    for sink in list(_LIVE):
        sink.forget()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


class _Sink:
    """The output side of a ``JsonlEmitter``: a buffer of whole lines and where they go.

    Kept apart from the emitter so that a finalizer can flush it at exit without keeping
    the emitter alive.
    """

    def __init__(self, fd: int | None, stream: IO[Any] | None, text: bool, owned: bool) -> None:
        self.fd = fd
        self.stream = stream
        self.text = text
        self.owned = owned
        #: Whole lines waiting to go out, one after another. Producers extend it without the
        #: lock (one C call under the GIL: a line goes in whole or not at all); writers, one
        #: at a time under the lock, copy what is there and delete exactly that many bytes,
        #: so a line added meanwhile waits for the next write and nothing is lost or
        #: reordered. ``close`` pins it with a memoryview: a bytearray with an exported
        #: buffer cannot grow, so a line offered after the final write is refused (the
        #: producer's ``+=`` raises ``BufferError``) rather than accepted and never written.
        self.buffer = bytearray()
        self.pin: memoryview | None = None
        #: Lines written, and lines taken since the last write (counted only when
        #: ``flush_every`` asks for it).
        self.written = 0
        self.pending = 0
        self.last_write = time.monotonic()
        self.torn = False
        self.closed = False
        self.lock = threading.Lock()
        _LIVE.add(self)

    def write_out(self) -> None:
        """Write the buffered lines; called with the lock held."""
        buffer = self.buffer
        self.pending = 0
        if buffer:
            data = bytes(buffer)
            del buffer[: len(data)]
            self.write(data, data.count(b"\n"))

    def write(self, data: bytes, lines: int) -> None:
        """Write whole lines out; called with the lock held."""
        self.last_write = time.monotonic()
        self.written += lines
        if self.torn:
            # A failed write left part of a line behind: end it, so later lines parse.
            data = b"\n" + data
        if self.fd is not None:
            view = memoryview(data)
            self.torn = True
            while view:
                written = os.write(self.fd, view)
                view = view[written:]
            self.torn = False
        elif self.stream is not None:
            self.stream.write(data.decode() if self.text else data)
            self.stream.flush()

    def forget(self) -> None:
        """In a forked child: drop the parent's buffered lines, renew the lock."""
        self.lock = threading.Lock()
        if self.pin is None:
            del self.buffer[:]
        self.pending = 0

    def close(self) -> None:
        with self.lock:
            if self.closed:
                return
            self.closed = True
            # From here on no line gets in (see ``buffer``); every line in is written now.
            self.pin = memoryview(self.buffer)
            _LIVE.discard(self)
            try:
                data = bytes(self.pin)
                if data:
                    self.write(data, data.count(b"\n"))
            finally:
                if self.fd is not None and self.owned:
                    os.close(self.fd)
                elif self.stream is not None and self.owned:
                    self.stream.close()


def _is_text(stream: IO[Any]) -> bool:
    if isinstance(stream, io.TextIOBase):
        return True
    if isinstance(stream, (io.RawIOBase, io.BufferedIOBase)):
        return False
    return hasattr(stream, "encoding")


class JsonlEmitter:
    """Writes each event as one JSONL line, byte-identical to ``vtcode_exec_events.dumps``.

    ``target`` is a path (opened for appending, created if missing) or an open stream,
    text or binary (``sys.stdout`` works). Lines are bare events, as ``vtcode exec --json``
    prints them, or with ``envelope=True`` the ``{"schema_version", "event"}`` envelope VT
    Code's session store writes; the envelope carries ``schema_version`` if given, else the
    version of the event's models (``EVENT_SCHEMA_VERSION`` for the top-level classes and
    for dicts).

    Events are models, or wire-shaped dicts (typed with ``vtcode_exec_events.dicts``) for
    the fastest path: a dict is written as it is, keys in its own order, with no runtime
    check (see ``fastwire``). Anything that does not encode to a JSON object is refused.

    Flushing: lines are buffered whole and written out when ``flush_every`` lines are
    pending (default 1: every event is written at once), when ``flush_interval`` seconds
    have passed since the last write (checked as events arrive), when the buffer holds
    ``buffer_size`` bytes, on ``flush()``, on ``close()``, and at interpreter exit.
    ``flush_every=None`` leaves batching to the other triggers.

    Threads may share one emitter: lines are queued whole and written by one thread at a time
    (producers add each line to one buffer without waiting, in a single step; whoever
    triggers a write drains it in order, under a lock). A line either gets in before
    ``close()`` and is written by it, or is refused (counted in ``failures``) and never
    written. After ``os.fork()`` the child's emitter starts with an empty buffer: the lines
    buffered before the fork are written by the parent only. For a path, the buffer only
    ever holds whole lines and goes out with ``write(2)`` on an ``O_APPEND`` descriptor, so a
    reader never sees half a line from a completed flush, and several emitters (or
    processes) appending to one file do not interleave. If a write fails half-way, the next
    write starts with a newline so the torn line cannot swallow the ones after it.

    A failing write or an event that cannot be encoded never raises into the producer (unless
    ``raise_errors=True``): it is counted in ``failures`` and logged once.
    """

    def __init__(
        self,
        target: str | os.PathLike[str] | IO[Any],
        *,
        envelope: bool = False,
        schema_version: str | None = None,
        flush_every: int | None = 1,
        flush_interval: float | None = None,
        buffer_size: int = 64 * 1024,
        raise_errors: bool = False,
        close_stream: bool = False,
    ) -> None:
        if isinstance(target, (str, os.PathLike)):
            self.name = os.fspath(target)
            fd = os.open(target, _APPEND, 0o644)
            self._sink = _Sink(fd, None, text=False, owned=True)
        else:
            self.name = str(getattr(target, "name", repr(target)))
            self._sink = _Sink(None, target, text=_is_text(target), owned=close_stream)
        self.envelope = envelope
        self.schema_version = schema_version
        self.flush_every = flush_every
        self.flush_interval = flush_interval
        self.buffer_size = buffer_size
        self.raise_errors = raise_errors
        self.failures = SinkFailures(f"JsonlEmitter({self.name})")
        self._finalizer = weakref.finalize(self, self._sink.close)
        # What the hot path reads: the buffer, and how many bytes in it call for ``_taken``
        # (``buffer_size`` when only the size triggers a write, else 0: every line). No
        # bound method is kept on the instance: that cycle would delay the finalizer.
        self._every = sys.maxsize if flush_every is None else max(1, flush_every)
        self._buffer = self._sink.buffer
        only_size = self._every == sys.maxsize and flush_interval is None
        self._limit = buffer_size if only_size else 0

    def __call__(self, event: Event | Encodable, /) -> None:
        # The hot path (see benchmarks/emit): encode, extend, compare. For a bare event it
        # is ``encode_line`` inlined; the envelope and every unusual value go through it.
        try:
            if self.envelope:
                version = self.schema_version or schema_version_of(event)
                line = encode_line(event, schema_version=version)
            else:
                try:
                    line = _dumps(event, hook, LINE_OPTIONS)
                except (TypeError, KeyError):
                    line = encode_line(event)  # pydantic's bytes, or the reason it cannot
                if line[0] != 0x7B:  # "{"
                    raise not_an_event(event)
            buffer = self._buffer
            try:
                buffer += line
            except BufferError:
                raise ValueError("the emitter is closed") from None
            if len(buffer) >= self._limit:
                self._taken()
        except Exception as exc:
            if self.raise_errors:
                raise
            self.failures.record(exc, event)

    emit = __call__

    def _taken(self) -> None:
        """After a line was buffered: write out if a trigger says so."""
        if self._every == 1:  # the default: every line straight out
            self._write_out()
            return
        sink = self._sink
        sink.pending += 1
        if (
            sink.pending >= self._every
            or len(sink.buffer) >= self.buffer_size
            or (
                self.flush_interval is not None
                and time.monotonic() - sink.last_write >= self.flush_interval
            )
        ):
            self._write_out()

    def _write_out(self) -> None:
        sink = self._sink
        with sink.lock:
            if sink.closed:
                return  # the line was refused, or the final write took it
            sink.write_out()

    def flush(self) -> None:
        """Write out the buffered lines now (nothing to do once closed)."""
        if self._sink.closed:
            return
        try:
            self._write_out()
        except Exception as exc:
            if self.raise_errors:
                raise
            self.failures.record(exc)

    def close(self) -> None:
        """Flush and close (a stream is closed only if ``close_stream=True``)."""
        try:
            self._finalizer()
        except Exception as exc:
            if self.raise_errors:
                raise
            self.failures.record(exc)

    @property
    def lines(self) -> int:
        """Lines taken so far: written, or buffered and not yet written."""
        sink = self._sink
        return sink.written + (0 if sink.closed else sink.buffer.count(b"\n"))

    @property
    def closed(self) -> bool:
        return self._sink.closed

    def __enter__(self) -> JsonlEmitter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"JsonlEmitter({self.name!r}, envelope={self.envelope}, lines={self.lines})"
