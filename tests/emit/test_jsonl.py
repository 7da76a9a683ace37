"""``JsonlEmitter``: exact lines, envelopes, streams, flushing, threads and failures."""

from __future__ import annotations

import io
import logging
import os
import threading
from pathlib import Path

import orjson
import pytest
from pydantic import BaseModel
from vtcode_exec_events.models import v0_4_0

import vtcode_exec_events as vee
from vtcode_exec_events.emit import JsonlEmitter
from vtcode_exec_events.emit import jsonl as jsonl_module

from .conftest import sample_events


def test_bare_lines_are_dumps_plus_newline(tmp_path: Path, events: list[BaseModel]) -> None:
    path = tmp_path / "events.jsonl"
    with JsonlEmitter(path) as emitter:
        for event in events:
            emitter(event)
    expected = "".join(vee.dumps(e) + "\n" for e in events)
    assert path.read_bytes() == expected.encode()
    assert emitter.lines == len(events)
    assert emitter.failures.count == 0


def test_envelopes_stamp_the_schema_version(tmp_path: Path, events: list[BaseModel]) -> None:
    path = tmp_path / "events.jsonl"
    with JsonlEmitter(path, envelope=True) as emitter:
        for event in events:
            emitter(event)
    lines = path.read_text().splitlines()
    assert lines == [vee.dumps(e, schema_version="0.11.0") for e in events]
    assert lines[0] == (
        '{"schema_version":"0.11.0","event":{"type":"thread.started","thread_id":"thread-1"}}'
    )
    assert all(vee.parse_line(line).schema_version == "0.11.0" for line in lines)


def test_envelope_version_is_the_event_models_version_unless_given(tmp_path: Path) -> None:
    usage = {
        "input_tokens": 1,
        "cached_input_tokens": 0,
        "cache_creation_tokens": 0,
        "output_tokens": 2,
    }
    old = v0_4_0.TurnCompletedEvent(usage=v0_4_0.Usage(**usage))
    stream = io.StringIO()
    JsonlEmitter(stream, envelope=True)(old)
    JsonlEmitter(stream, envelope=True, schema_version="0.9.0")(old)
    first, second = stream.getvalue().splitlines()
    assert first.startswith('{"schema_version":"0.4.0","event":{"type":"turn.completed"')
    assert second.startswith('{"schema_version":"0.9.0","event":')


def test_appends_to_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text('{"type":"turn.started"}\n')
    with JsonlEmitter(path) as emitter:
        emitter(vee.TurnStartedEvent())
    assert path.read_text() == '{"type":"turn.started"}\n' * 2


def test_text_and_binary_streams_get_the_same_bytes() -> None:
    text, binary = io.StringIO(), io.BytesIO()
    event = vee.ItemCompletedEvent(
        item=vee.ThreadItem(root=vee.AgentMessageItem(id="i", text="é ✓"))
    )
    JsonlEmitter(text)(event)
    JsonlEmitter(binary)(event)
    assert text.getvalue().encode() == binary.getvalue() == vee.dumps(event).encode() + b"\n"
    assert not binary.closed


def test_flush_every_batches_lines(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    emitter = JsonlEmitter(path, flush_every=3)
    emitter(vee.TurnStartedEvent())
    emitter(vee.TurnStartedEvent())
    assert path.read_bytes() == b""
    emitter(vee.TurnStartedEvent())
    assert path.read_text().count("\n") == 3
    emitter(vee.TurnStartedEvent())
    emitter.flush()
    assert path.read_text().count("\n") == 4
    emitter(vee.TurnStartedEvent())
    emitter.close()
    assert path.read_text().count("\n") == 5
    assert emitter.closed


def test_buffer_size_and_interval_trigger_writes(tmp_path: Path) -> None:
    by_size = JsonlEmitter(tmp_path / "a.jsonl", flush_every=None, buffer_size=60)
    by_size(vee.ThreadStartedEvent(thread_id="x" * 10))  # 48 bytes: kept
    assert (tmp_path / "a.jsonl").read_bytes() == b""
    by_size(vee.ThreadStartedEvent(thread_id="x" * 10))  # 96 bytes: written
    assert (tmp_path / "a.jsonl").read_text().count("\n") == 2
    by_interval = JsonlEmitter(tmp_path / "b.jsonl", flush_every=None, flush_interval=0.0)
    by_interval(vee.TurnStartedEvent())
    assert (tmp_path / "b.jsonl").read_text() == '{"type":"turn.started"}\n'
    by_size.close()
    by_interval.close()


def test_pending_lines_are_written_when_the_emitter_is_collected(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    emitter = JsonlEmitter(path, flush_every=None)
    emitter(vee.TurnStartedEvent())
    assert path.read_bytes() == b""
    del emitter
    assert path.read_text() == '{"type":"turn.started"}\n'


@pytest.mark.parametrize("as_dict", [False, True], ids=["models", "dicts"])
@pytest.mark.parametrize("flush_every", [1, 7, None])
def test_many_threads_never_interleave_lines(
    tmp_path: Path, flush_every: int | None, as_dict: bool
) -> None:
    path = tmp_path / "events.jsonl"
    threads, per_thread = 8, 400
    emitter = JsonlEmitter(path, flush_every=flush_every, buffer_size=4096)
    other = JsonlEmitter(path, flush_every=flush_every, buffer_size=4096)  # same file, own fd
    start = threading.Barrier(threads)

    def work(n: int) -> None:
        start.wait()
        target = emitter if n % 2 else other
        for i in range(per_thread):
            item = vee.CommandExecutionItem(
                id=f"cmd-{n}-{i}",
                command="x",
                aggregated_output="y" * (i % 300),
                status="in_progress",
            )
            event = vee.ItemUpdatedEvent(item=vee.ThreadItem(root=item))
            target(orjson.loads(vee.dumps(event)) if as_dict else event)

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    emitter.close()
    other.close()
    lines = path.read_bytes().split(b"\n")
    assert lines[-1] == b""
    ids = [orjson.loads(line)["item"]["id"] for line in lines[:-1]]
    assert len(ids) == threads * per_thread
    for n in range(threads):  # every line arrived whole, each thread's in its order
        mine = [i for i in ids if i.startswith(f"cmd-{n}-")]
        assert mine == [f"cmd-{n}-{i}" for i in range(per_thread)]


class FailingStream(io.StringIO):
    def write(self, s: str) -> int:
        raise OSError("no space left on device")


def test_a_failing_stream_never_raises_into_the_producer(caplog: pytest.LogCaptureFixture) -> None:
    emitter = JsonlEmitter(FailingStream())
    with caplog.at_level(logging.WARNING, logger="vtcode_exec_events.emit"):
        for event in sample_events():
            emitter(event)
    assert emitter.failures.count == len(sample_events())
    assert len(caplog.records) == 1
    assert "JsonlEmitter" in caplog.records[0].getMessage()
    with pytest.raises(OSError, match="no space"):
        JsonlEmitter(FailingStream(), raise_errors=True)(vee.TurnStartedEvent())


def test_emitting_after_close_is_a_counted_failure(tmp_path: Path) -> None:
    emitter = JsonlEmitter(tmp_path / "e.jsonl")
    emitter.close()
    emitter.close()
    emitter(vee.TurnStartedEvent())
    assert emitter.failures.count == 1
    assert "closed" in str(emitter.failures.last)


def test_a_torn_write_does_not_swallow_the_next_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "events.jsonl"
    emitter = JsonlEmitter(path)
    real_write = os.write
    calls = {"n": 0}

    def flaky(fd: int, data: bytes | memoryview) -> int:
        calls["n"] += 1
        if calls["n"] == 1:
            return real_write(fd, bytes(data)[:10])
        if calls["n"] == 2:
            raise OSError("disk full")
        return real_write(fd, data)

    monkeypatch.setattr(jsonl_module.os, "write", flaky)
    emitter(vee.ThreadStartedEvent(thread_id="lost"))
    emitter(vee.ThreadStartedEvent(thread_id="kept"))
    emitter.close()
    lines = path.read_text().split("\n")
    assert lines[0] == '{"type":"t'
    assert lines[1] == '{"type":"thread.started","thread_id":"kept"}'
    assert emitter.failures.count == 1
