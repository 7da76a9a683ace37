"""Accounting: refused lines are never written, accepted ones never lost, forks write nothing
twice, every emitter isolates its sink and closes as a context manager."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Any

import orjson
import pytest

import vtcode_exec_events as vee
from vtcode_exec_events.emit import FanOut, Isolated, JsonlEmitter, LogEmitter, QueuedEmitter

from .child import run_python


def _race(path: Path, flush_every: int | None) -> tuple[list[str], set[str], int]:
    """Four threads emit until refused while the main thread closes the emitter; the lines
    written, the lines refused, the lines the emitter counts."""
    emitter = JsonlEmitter(path, flush_every=flush_every, raise_errors=True)
    refused: list[str] = []
    started = threading.Barrier(5)

    def produce(thread: int) -> None:
        started.wait()
        for n in range(100_000):
            tag = f"t{thread}-{n}"
            try:
                emitter({"type": "turn.started", "tag": tag})
            except ValueError as exc:
                refused.append(f"{tag}: {exc}")
                return

    threads = [threading.Thread(target=produce, args=(t,)) for t in range(4)]
    for thread in threads:
        thread.start()
    started.wait()
    time.sleep(0.002)
    emitter.close()
    for thread in threads:
        thread.join()
    written = [orjson.loads(line)["tag"] for line in path.read_bytes().splitlines()]
    suffix = ": the emitter is closed"
    assert all(r.endswith(suffix) for r in refused)
    return written, {r.removesuffix(suffix) for r in refused}, emitter.lines


@pytest.mark.parametrize("flush_every", [None, 1, 7])
def test_close_racing_producers_writes_every_accepted_line_and_no_refused_one(
    tmp_path: Path, flush_every: int | None
) -> None:
    for round in range(20):
        path = tmp_path / f"events-{round}.jsonl"
        written, refused, counted = _race(path, flush_every)
        assert len(written) == len(set(written)) == counted  # each line once, whole
        assert not refused & set(written)  # a refused line is never written
        for thread in range(4):  # an accepted line is never lost: each thread's lines
            mine = [int(t.split("-")[1]) for t in written if t.startswith(f"t{thread}-")]
            assert mine == list(range(len(mine)))  # written in order, none missing,
            assert f"t{thread}-{len(mine)}" in refused  # up to the first one refused


FORK = """
import os, sys
from vtcode_exec_events.emit import JsonlEmitter

emitter = JsonlEmitter({path!r}, flush_every=None)
emitter({{"type": "turn.started", "who": "parent, before the fork"}})
pid = os.fork()
if pid == 0:
    emitter({{"type": "turn.started", "who": "child"}})
    sys.exit(0)  # a normal exit: the emitter's finalizer flushes the child's buffer
os.waitpid(pid, 0)
emitter({{"type": "turn.started", "who": "parent, after"}})
"""


def test_after_fork_the_child_never_writes_the_parents_buffer(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    done = run_python(FORK.format(path=str(path)), timeout=60)
    assert done.returncode == 0, done.stderr
    who = [orjson.loads(line)["who"] for line in path.read_bytes().splitlines()]
    assert who == ["child", "parent, before the fork", "parent, after"]


class Exploding(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        raise RuntimeError("handler down")


def test_a_log_handler_that_raises_never_reaches_the_producer(
    caplog: pytest.LogCaptureFixture,
) -> None:
    logger = logging.getLogger("test.accounting.exploding")
    logger.propagate = False
    logger.addHandler(Exploding())
    logger.setLevel(logging.INFO)
    emitter = LogEmitter(logger)
    with caplog.at_level(logging.WARNING, logger="vtcode_exec_events.emit"):
        for _ in range(3):
            emitter(vee.TurnStartedEvent())
    assert emitter.failures.count == 3
    assert str(emitter.failures.last) == "handler down"
    warnings = [r for r in caplog.records if r.name == "vtcode_exec_events.emit"]
    assert len(warnings) == 1
    assert "LogEmitter(test.accounting.exploding) failed (event 'turn.started')" in (
        warnings[0].getMessage()
    )
    with pytest.raises(RuntimeError, match="handler down"):
        LogEmitter(logger, raise_errors=True)(vee.TurnStartedEvent())


def test_every_emitter_is_a_context_manager(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    got: list[Any] = []
    with caplog.at_level(logging.INFO, logger="vtcode_exec_events.events"):
        with LogEmitter() as log, Isolated(got.append) as isolated:
            log(vee.TurnStartedEvent())
            isolated(vee.TurnStartedEvent())
        log(vee.TurnStartedEvent())
    assert [r.getMessage() for r in caplog.records if r.name == "vtcode_exec_events.events"] == [
        '{"type":"turn.started"}'
    ]
    assert log.closed
    assert log.failures.count == 1
    assert str(log.failures.last) == "the emitter is closed"
    inner = JsonlEmitter(tmp_path / "a.jsonl")
    with Isolated(inner), FanOut(JsonlEmitter(tmp_path / "b.jsonl")) as fan:
        pass
    assert inner.closed
    assert all(e.emitter.closed for e in fan.emitters)  # type: ignore[attr-defined]
    with QueuedEmitter(got.append) as queued:
        queued(vee.TurnStartedEvent())
    assert queued.closed
    assert len(got) == 2
