"""``QueuedEmitter``: order, the full-queue policies, draining with a deadline, hung sinks."""

from __future__ import annotations

import logging
import threading
from typing import Any

import pytest

from vtcode_exec_events.emit import JsonlEmitter, QueuedEmitter

from .child import run_python


def test_events_reach_the_sink_in_order_from_many_producers() -> None:
    got: list[tuple[int, int]] = []
    with QueuedEmitter(got.append, maxsize=64) as queued:

        def produce(thread: int) -> None:
            for n in range(2000):
                queued((thread, n))  # type: ignore[arg-type]

        threads = [threading.Thread(target=produce, args=(t,)) for t in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(got) == 8000
    for t in range(4):
        assert [n for thread, n in got if thread == t] == list(range(2000))
    assert (queued.accepted, queued.delivered, queued.dropped) == (8000, 8000, 0)


def test_drop_policy_counts_and_logs_once(caplog: pytest.LogCaptureFixture) -> None:
    gate = threading.Event()
    got: list[Any] = []

    def sink(event: Any) -> None:
        gate.wait()
        got.append(event)

    queued = QueuedEmitter(sink, maxsize=2, when_full="drop")
    with caplog.at_level(logging.WARNING, logger="vtcode_exec_events.emit"):
        for n in range(10):
            queued(n)  # type: ignore[arg-type]
    # One taken by the worker (maybe not yet), two queued, the rest dropped.
    assert queued.accepted + queued.dropped == 10
    assert queued.dropped >= 7
    assert (
        sum("dropped an event: the queue is full (2 events)" in r.message for r in caplog.records)
        == 1
    )
    gate.set()
    assert queued.close(timeout=10)
    # Every accepted event arrives, in the order given (which ones found room depends on
    # when the worker took the first).
    assert len(got) == queued.accepted
    assert got == sorted(set(got))
    assert got[:2] == [0, 1]


def test_block_policy_waits_for_room_then_drops() -> None:
    gate = threading.Event()
    queued = QueuedEmitter(lambda e: gate.wait(), maxsize=1, put_timeout=0.05)
    for n in range(5):
        queued(n)  # type: ignore[arg-type]
    assert queued.dropped >= 3
    gate.set()
    assert queued.flush(timeout=10)
    assert queued.pending == 0
    queued.close()


def test_close_refuses_later_events_and_closes_the_sink(tmp_path: Any) -> None:
    path = tmp_path / "events.jsonl"
    queued = QueuedEmitter(JsonlEmitter(path, flush_every=None))
    queued({"type": "turn.started"})
    assert queued.close()
    assert path.read_bytes() == b'{"type":"turn.started"}\n'
    queued({"type": "turn.started"})
    assert (queued.accepted, queued.dropped) == (1, 1)
    assert path.read_bytes() == b'{"type":"turn.started"}\n'


def test_sink_failures_are_isolated_and_counted() -> None:
    def broken(event: Any) -> None:
        raise RuntimeError("down")

    with QueuedEmitter(broken) as queued:
        for _ in range(3):
            queued({"type": "turn.started"})
    assert queued.failures.count == 3
    assert queued.delivered == 3


def test_bad_options_are_refused() -> None:
    with pytest.raises(ValueError, match="when_full must be 'block' or 'drop'"):
        QueuedEmitter(print, when_full="wait")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="maxsize must be at least 1"):
        QueuedEmitter(print, maxsize=0)


HUNG = """
import threading, time
from vtcode_exec_events.emit import QueuedEmitter

queued = QueuedEmitter(lambda e: threading.Event().wait(), maxsize=100, put_timeout=0.01,
                       close_timeout=0.5)
start = time.monotonic()
for n in range(300):  # each event beyond the queue waits 10 ms for room, then is dropped
    queued({"type": "turn.started"})
print(queued.accepted, queued.dropped, time.monotonic() - start < 30)
print(queued.close(), queued.undelivered)
"""


def test_a_hung_sink_never_hangs_the_producer_nor_the_exit() -> None:
    done = run_python(HUNG, timeout=120)
    assert done.returncode == 0, done.stderr
    first, second = done.stdout.splitlines()
    accepted, dropped, quick = first.split()
    assert int(accepted) == 101  # one in the sink's hands, 100 queued
    assert int(dropped) == 300 - 101
    assert quick == "True"
    assert second == "False 101"


FORKED = """
import os, sys
from vtcode_exec_events.emit import QueuedEmitter, JsonlEmitter
import threading

gate = threading.Event()
got = []
queued = QueuedEmitter(lambda e: (gate.wait(), got.append(e)))
queued({"type": "turn.started"})
queued({"type": "turn.completed"})
pid = os.fork()
if pid == 0:
    gate.set()
    queued({"type": "child"})
    queued.close(timeout=5)
    print("child", [e["type"] for e in got], flush=True)
    sys.exit(0)
os.waitpid(pid, 0)
gate.set()
queued.close(timeout=5)
print("parent", [e["type"] for e in got], flush=True)
"""


def test_after_fork_the_child_never_delivers_the_parents_queue() -> None:
    done = run_python(FORKED, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "child ['child']",
        "parent ['turn.started', 'turn.completed']",
    ]


AT_EXIT = """
import time
from vtcode_exec_events.emit import JsonlEmitter, QueuedEmitter

lines = JsonlEmitter({path!r}, flush_every=None)
queued = QueuedEmitter(lambda event: (time.sleep(0.01), lines(event)))
for n in range(50):
    queued({{"type": "turn.started", "n": n}})
"""


def test_at_exit_the_queue_drains_before_its_sink_is_closed(tmp_path: Any) -> None:
    path = tmp_path / "events.jsonl"
    done = run_python(AT_EXIT.format(path=str(path)), timeout=60)
    assert done.returncode == 0, done.stderr
    assert path.read_text().splitlines() == [
        f'{{"type":"turn.started","n":{n}}}' for n in range(50)
    ]
