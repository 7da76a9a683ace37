"""``OtelEmitter(mode="gen_ai")``: the GenAI span tree, attributes, statuses and times."""

from __future__ import annotations

import itertools
import json
import logging
import threading
from typing import Any

import pytest
from opentelemetry.trace import StatusCode

import vtcode_exec_events as vee
from vtcode_exec_events.emit.genai import CAPTURE_ENV, INCOMPLETE, capture_from_env
from vtcode_exec_events.emit.otel import OtelEmitter

from .conftest import SESSION, STEP, Traced, attrs, by_name, ms, one, parent_of


def usage(inp: int, cached: int, creation: int, out: int) -> dict[str, int]:
    """A ``Usage`` object in wire order."""
    return {
        "input_tokens": inp,
        "cached_input_tokens": cached,
        "cache_creation_tokens": creation,
        "output_tokens": out,
    }


def _turn_done(**fields: Any) -> str:
    return _line({"type": "turn.completed", **fields})


def _line(event: dict[str, Any]) -> str:
    return json.dumps(event)


def _cmd(item_id: str, phase: str, **fields: Any) -> str:
    item = {"id": item_id, "type": "command_execution", "command": "make", "status": "in_progress"}
    item |= fields
    return _line({"type": f"item.{phase}", "item": item})


def _completed(subtype: str = "success", used: dict[str, int] | None = None) -> str:
    event = {"type": "thread.completed", "thread_id": "t1", "session_id": "s1"}
    event |= {"subtype": subtype, "outcome_code": "x", "usage": used or usage(0, 0, 0, 0)}
    return _line(event | {"num_turns": 1})


STARTED = '{"type":"thread.started","thread_id":"t1"}'
TURN = '{"type":"turn.started"}'
TURN_DONE = _line({"type": "turn.completed", "usage": usage(100, 50, 10, 5)})


def _session() -> list[str]:
    return SESSION.read_text(encoding="utf-8").splitlines()


# -- the tree of a realistic session ----------------------------------------------------


def test_session_tree_names_parents_and_one_trace(traced: Traced) -> None:
    spans = traced.run(_session())
    assert traced.open_spans() == []
    root = one(spans, "invoke_agent vtcode")
    assert root.parent is None
    turns = by_name(spans, "turn")
    assert [attrs(t)["vtcode.turn.number"] for t in turns] == [1, 2]
    assert all(parent_of(t, spans) is root for t in turns)
    tools = [s for s in spans if s.name.startswith(("execute_tool ", "plan "))]
    assert sorted(s.name for s in tools) == [
        "execute_tool command_execution",
        "execute_tool command_execution",
        "execute_tool github.search_issues",
        "execute_tool read_file",
        "execute_tool run_pty_cmd",
        "execute_tool web_search",
        "plan vtcode",
    ]
    assert all(parent_of(s, spans) in turns for s in tools)
    assert {s.context.trace_id for s in spans} == {root.context.trace_id}
    assert len(spans) == 1 + 2 + 7


def test_session_root_and_turn_attributes(traced: Traced) -> None:
    spans = traced.run(_session())
    root = attrs(one(spans, "invoke_agent vtcode"))
    assert root["gen_ai.operation.name"] == "invoke_agent"
    assert root["gen_ai.agent.name"] == "vtcode"
    assert root["gen_ai.conversation.id"] == "thread-7f3a"
    turns = [attrs(t) for t in by_name(spans, "turn")]
    for key in (
        "gen_ai.usage.input_tokens",
        "gen_ai.usage.output_tokens",
        "gen_ai.usage.cache_read.input_tokens",
        "gen_ai.usage.cache_creation.input_tokens",
    ):
        assert root[key] == sum(t[key] for t in turns)
    assert (root["gen_ai.usage.input_tokens"], root["gen_ai.usage.output_tokens"]) == (14900, 1030)
    assert turns[0]["gen_ai.usage.cache_creation.input_tokens"] == 4800
    assert root["vtcode.thread.subtype"] == "success"
    assert one(spans, "invoke_agent vtcode").status.status_code is StatusCode.UNSET


def test_session_tool_spans_times_and_statuses(traced: Traced) -> None:
    spans = traced.run(_session())
    first, second = by_name(spans, "execute_tool command_execution")
    # item.started at event 3, item.completed at event 5 (the fake clock ticks per event)
    assert ms(first) == (3, 5)
    assert first.status.status_code is StatusCode.ERROR
    assert attrs(first)["error.type"] == "101"
    assert attrs(first)["process.exit.code"] == 101
    assert ms(second) == (12, 13)
    assert second.status.status_code is StatusCode.UNSET
    read = one(spans, "execute_tool read_file")
    assert ms(read) == (6, 8)  # started, completed, then its output ended the span
    assert attrs(read)["gen_ai.tool.call.id"] == "call_01"
    assert attrs(read)["gen_ai.operation.name"] == "execute_tool"
    rejected = one(spans, "execute_tool run_pty_cmd")
    assert rejected.status.status_code is StatusCode.ERROR
    assert attrs(rejected)["error.type"] == "permission_rejected"
    for span in spans:  # content is opt-in
        assert not any(k in attrs(span) for k in ("gen_ai.tool.call.arguments", "input.value"))
        assert "gen_ai.tool.call.result" not in attrs(span)
        assert "gen_ai.output.messages" not in attrs(span)


def test_other_events_become_span_events(traced: Traced) -> None:
    spans = traced.run(_session())
    first, second = by_name(spans, "turn")
    assert [e.name for e in first.events] == [
        "vtcode.item.reasoning",
        "vtcode.permission.requested",
        "vtcode.permission.resolved",
        "vtcode.item.file_change",
        "vtcode.item.agent_message",
    ]
    assert dict(first.events[2].attributes or {})["vtcode.wait_ms"] == 2350
    assert "vtcode.context.reset" in [e.name for e in second.events]


# -- content capture --------------------------------------------------------------------


def test_capture_content_adds_arguments_results_and_output(traced: Traced) -> None:
    spans = traced.run(_session(), capture_content=True)
    cmd = attrs(by_name(spans, "execute_tool command_execution")[0])
    assert json.loads(cmd["gen_ai.tool.call.arguments"]) == {"command": "cargo test"}
    assert cmd["gen_ai.tool.call.result"].startswith("running 42 tests\n")
    read = attrs(one(spans, "execute_tool read_file"))
    assert json.loads(read["gen_ai.tool.call.arguments"]) == {"path": "src/parser.rs"}
    assert read["gen_ai.tool.call.result"] == "pub fn parse(input: &str) -> Vec<Token> {"
    mcp = attrs(one(spans, "execute_tool github.search_issues"))
    assert mcp["gen_ai.tool.call.result"] == "[]"
    root = attrs(one(spans, "invoke_agent vtcode"))
    assert json.loads(root["gen_ai.output.messages"]) == [
        {
            "role": "assistant",
            "parts": [{"type": "text", "content": "Parser fixed, fuzz target added."}],
        }
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", True), ("TRUE", True), ("1", True), ("false", False), ("", False), ("no", False)],
)
def test_capture_follows_the_standard_environment_variable(
    traced: Traced, monkeypatch: pytest.MonkeyPatch, value: str, expected: bool
) -> None:
    monkeypatch.setenv(CAPTURE_ENV, value)
    assert capture_from_env() is expected
    spans = traced.run(_session(), capture_content=None)
    cmd = attrs(by_name(spans, "execute_tool command_execution")[0])
    assert ("gen_ai.tool.call.arguments" in cmd) is expected


def test_captured_content_is_cut_at_the_limit(traced: Traced) -> None:
    big = "x" * 5000
    spans = traced.run(
        [STARTED, TURN, _cmd("c1", "completed", aggregated_output=big, status="completed")],
        capture_content=True,
        content_limit=100,
    )
    result = attrs(one(spans, "execute_tool command_execution"))["gen_ai.tool.call.result"]
    assert result == "x" * 100 + "…[4900 more characters]"


# -- failures, incomplete items and thread outcomes --------------------------------------


def test_failed_turn_is_an_error_with_its_usage_counted(traced: Traced) -> None:
    failed = _line(
        {"type": "turn.failed", "message": "provider returned 500", "usage": usage(7, 3, 1, 0)}
    )
    spans = traced.run([STARTED, TURN, TURN_DONE, TURN, failed, _completed()])
    first, second = by_name(spans, "turn")
    assert first.status.status_code is StatusCode.UNSET
    assert second.status.status_code is StatusCode.ERROR
    assert second.status.description == "provider returned 500"
    assert attrs(second)["error.type"] == "turn_failed"
    assert attrs(second)["gen_ai.usage.input_tokens"] == 7
    root = attrs(one(spans, "invoke_agent vtcode"))
    assert root["gen_ai.usage.input_tokens"] == 107
    assert root["gen_ai.usage.cache_read.input_tokens"] == 53
    assert root["gen_ai.usage.output_tokens"] == 5


def test_failed_command_without_exit_code(traced: Traced) -> None:
    spans = traced.run(
        [STARTED, TURN, _cmd("c1", "started"), _cmd("c1", "completed", status="failed")]
    )
    span = one(spans, "execute_tool command_execution")
    assert span.status.status_code is StatusCode.ERROR
    assert attrs(span)["error.type"] == "command_failed"
    assert "process.exit.code" not in attrs(span)


def test_failed_mcp_call_and_failed_tool_output(traced: Traced) -> None:
    mcp = {"id": "m1", "type": "mcp_tool_call", "tool_name": "gh.search", "status": "failed"}
    inv = {"id": "t1", "type": "tool_invocation", "tool_name": "grep", "status": "completed"}
    out = {"id": "t1:output", "type": "tool_output", "call_id": "t1", "status": "failed"}
    spans = traced.run(
        [
            STARTED,
            TURN,
            _line({"type": "item.completed", "item": mcp}),
            _line({"type": "item.started", "item": inv | {"status": "in_progress"}}),
            _line({"type": "item.completed", "item": inv}),
            _line({"type": "item.completed", "item": out | {"exit_code": 2}}),
            TURN_DONE,
        ]
    )
    assert attrs(one(spans, "execute_tool gh.search"))["error.type"] == "tool_failed"
    grep = one(spans, "execute_tool grep")
    assert grep.status.status_code is StatusCode.ERROR
    assert (attrs(grep)["error.type"], attrs(grep)["process.exit.code"]) == ("tool_failed", 2)
    assert ms(grep) == (3, 5)


def test_item_that_never_completes_is_ended_with_its_turn(traced: Traced) -> None:
    spans = traced.run([STARTED, TURN, _cmd("c1", "started"), TURN_DONE, _completed()])
    assert traced.open_spans() == []
    cmd = one(spans, "execute_tool command_execution")
    assert cmd.status.status_code is StatusCode.ERROR
    assert attrs(cmd)["error.type"] == INCOMPLETE
    assert ms(cmd) == (2, 3)  # ended when its turn completed
    assert one(spans, "turn").status.status_code is StatusCode.UNSET


def test_open_turn_and_items_are_ended_when_the_thread_completes(traced: Traced) -> None:
    spans = traced.run([STARTED, TURN, _cmd("c1", "started"), _completed()])
    assert traced.open_spans() == []
    for name in ("turn", "execute_tool command_execution"):
        span = one(spans, name)
        assert (span.status.status_code, attrs(span)["error.type"]) == (
            StatusCode.ERROR,
            INCOMPLETE,
        )
        assert ms(span)[1] == 3


def test_close_ends_a_thread_that_never_completed(traced: Traced) -> None:
    emit = traced.emitter()
    for line in [STARTED, TURN, TURN_DONE, TURN, _cmd("c1", "started")]:
        emit(vee.parse_line(line).event)
    assert sorted(traced.open_spans()) == [
        "execute_tool command_execution",
        "invoke_agent vtcode",
        "turn",
    ]
    emit.close()
    assert traced.open_spans() == []
    root = one(traced.spans(), "invoke_agent vtcode")
    assert attrs(root)["vtcode.thread.completed"] is False
    assert root.status.status_code is StatusCode.UNSET
    assert attrs(root)["gen_ai.usage.input_tokens"] == 100  # the turn that completed
    emit.close()  # idempotent


@pytest.mark.parametrize(
    "subtype", ["error_max_turns", "error_max_budget_usd", "error_during_execution", "cancelled"]
)
def test_thread_that_did_not_succeed_is_an_error(traced: Traced, subtype: str) -> None:
    spans = traced.run([STARTED, TURN, TURN_DONE, _completed(subtype)])
    root = one(spans, "invoke_agent vtcode")
    assert root.status.status_code is StatusCode.ERROR
    assert attrs(root)["error.type"] == subtype


def test_error_items_and_other_items_are_turn_events(traced: Traced) -> None:
    error = {"id": "e1", "type": "error", "message": "tool timed out"}
    change = {"id": "f1", "type": "file_change", "changes": [], "status": "failed"}
    spans = traced.run(
        [
            STARTED,
            TURN,
            _line({"type": "item.started", "item": error}),  # not a span: noted when completed
            _line({"type": "item.completed", "item": error}),
            _line({"type": "item.completed", "item": change}),
            TURN_DONE,
        ]
    )
    turn = one(spans, "turn")
    assert [(e.name, dict(e.attributes or {})) for e in turn.events] == [
        ("vtcode.item.error", {"vtcode.item.id": "e1", "vtcode.item.type": "error"}),
        (
            "vtcode.item.file_change",
            {
                "vtcode.item.id": "f1",
                "vtcode.item.type": "file_change",
                "vtcode.file_change.count": 0,
                "vtcode.file_change.status": "failed",
            },
        ),
    ]
    assert len(spans) == 2


def test_threads_may_share_one_emitter(traced: Traced) -> None:
    emit = traced.emitter()
    emit(vee.parse_line(STARTED).event)
    emit(vee.parse_line(TURN).event)

    def work(worker: int) -> None:
        for i in range(100):
            emit(vee.parse_line(_cmd(f"w{worker}-{i}", "started")).event)
            emit(vee.parse_line(_cmd(f"w{worker}-{i}", "completed", status="completed")).event)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    emit.close()
    assert emit.failures.count == 0
    assert traced.open_spans() == []
    commands = by_name(traced.spans(), "execute_tool command_execution")
    assert len(commands) == 800
    assert all(s.status.status_code is StatusCode.UNSET for s in commands)


def test_error_event_marks_a_thread_that_never_completes(traced: Traced) -> None:
    spans = traced.run([STARTED, TURN, '{"type":"error","message":"provider unreachable"}'])
    root = one(spans, "invoke_agent vtcode")
    assert (root.status.status_code, attrs(root)["error.type"]) == (StatusCode.ERROR, "error")
    turn = one(spans, "turn")
    assert [(e.name, dict(e.attributes or {})) for e in turn.events] == [
        ("exception", {"exception.message": "provider unreachable"})
    ]


def test_thread_usage_falls_back_to_thread_completed(traced: Traced) -> None:
    spans = traced.run([STARTED, _completed(used=usage(9, 8, 7, 6))])
    root = attrs(one(spans, "invoke_agent vtcode"))
    assert root["gen_ai.usage.input_tokens"] == 9
    assert root["gen_ai.usage.cache_creation.input_tokens"] == 7
    assert root["gen_ai.usage.output_tokens"] == 6


# -- several threads, bounds, odd orders --------------------------------------------------


def test_one_trace_per_thread_and_a_new_thread_ends_the_open_one(traced: Traced) -> None:
    second = '{"type":"thread.started","thread_id":"t2"}'
    spans = traced.run([STARTED, TURN, TURN_DONE, second, TURN, TURN_DONE, _completed()])
    roots = by_name(spans, "invoke_agent vtcode")
    assert [attrs(r)["gen_ai.conversation.id"] for r in roots] == ["t1", "t2"]
    assert attrs(roots[0])["vtcode.thread.completed"] is False
    assert len({r.context.trace_id for r in roots}) == 2
    for span in spans:
        root = span
        while (parent := parent_of(root, spans)) is not None:
            root = parent
        assert span.context.trace_id == root.context.trace_id


def test_open_items_are_capped(traced: Traced) -> None:
    emit = traced.emitter(max_open_items=3)
    for line in [STARTED, TURN, *(_cmd(f"c{i}", "started") for i in range(10))]:
        emit(vee.parse_line(line).event)
    assert len(traced.open_spans()) == 2 + 3  # root, turn and the 3 newest items
    ended = traced.spans()
    assert [attrs(s)["vtcode.item.id"] for s in ended] == [f"c{i}" for i in range(7)]
    assert all(attrs(s)["error.type"] == INCOMPLETE for s in ended)
    emit.close()
    assert traced.open_spans() == []


def test_events_outside_a_thread_or_turn_still_get_a_parent(traced: Traced) -> None:
    spans = traced.run([_cmd("c1", "completed", status="completed"), TURN_DONE])
    root = one(spans, "invoke_agent vtcode")
    assert "gen_ai.conversation.id" not in attrs(root)
    assert parent_of(one(spans, "execute_tool command_execution"), spans) is root
    assert parent_of(one(spans, "turn"), spans) is root


def test_an_id_reused_by_another_kind_of_item(traced: Traced) -> None:
    mcp = {"id": "x", "type": "mcp_tool_call", "tool_name": "gh", "status": "started"}
    spans = traced.run(
        [
            STARTED,
            TURN,
            _line({"type": "item.started", "item": mcp}),
            _cmd("x", "completed", status="completed"),
            TURN_DONE,
        ]
    )
    assert traced.open_spans() == []
    assert attrs(one(spans, "execute_tool gh"))["error.type"] == INCOMPLETE
    assert one(spans, "execute_tool command_execution").status.status_code is StatusCode.UNSET


def test_orphan_tool_output_gets_its_own_span(traced: Traced) -> None:
    out = {"id": "x:output", "type": "tool_output", "call_id": "x", "tool_call_id": "call_9"}
    spans = traced.run(
        [STARTED, _line({"type": "item.completed", "item": out | {"status": "completed"}})]
    )
    span = one(spans, "execute_tool unknown")
    assert attrs(span)["gen_ai.tool.call.id"] == "call_9"


def test_invocation_without_output_ends_at_its_completion(traced: Traced) -> None:
    inv = {"id": "t1", "type": "tool_invocation", "tool_name": "grep", "status": "in_progress"}
    spans = traced.run(
        [
            STARTED,
            TURN,
            _line({"type": "item.started", "item": inv}),
            _line({"type": "item.completed", "item": inv | {"status": "completed"}}),
            TURN,  # a new turn ends the open one and the invocation with it
        ]
    )
    grep = one(spans, "execute_tool grep")
    assert ms(grep) == (2, 3)
    assert grep.status.status_code is StatusCode.UNSET


def test_old_schema_versions(traced: Traced) -> None:
    old = _turn_done(usage={"input_tokens": 5, "cached_input_tokens": 1, "output_tokens": 2})
    events = [vee.parse_line(line, schema_version="0.3.0").event for line in (STARTED, TURN, old)]
    spans = traced.run(events)
    turn = attrs(one(spans, "turn"))
    assert turn["gen_ai.usage.cache_creation.input_tokens"] == 0
    assert turn["gen_ai.usage.cache_read.input_tokens"] == 1


# -- inputs: dicts, unknown events, hostile strings ----------------------------------------


def test_dicts_give_the_same_spans_as_models(traced: Traced) -> None:
    lines = _session()
    models = traced.run(lines)
    traced.exporter.clear()
    dicts = traced.run([json.loads(line)["event"] for line in lines])
    shape = [(s.name, attrs(s), ms(s), s.status.status_code) for s in models]
    assert [(s.name, attrs(s), ms(s), s.status.status_code) for s in dicts] == shape


def test_unknown_events_are_ignored_and_bad_dicts_counted(traced: Traced) -> None:
    emit = traced.emitter(raise_errors=False)
    emit({"type": "thread.started", "thread_id": "t1"})
    emit({"type": "matrix.updated", "rows": 3})
    emit({"type": "turn.completed", "usage": "lots"})
    emit("not an event")  # type: ignore[arg-type]
    emit.close()
    assert emit.failures.count == 2
    assert [s.name for s in traced.spans()] == ["invoke_agent vtcode"]


def test_hostile_strings_are_kept_exactly_in_attributes(traced: Traced) -> None:
    name = "evil\x1b]0;pwned\x07\n\u202etool"
    inv = {"id": "i\x00d", "type": "tool_invocation", "tool_name": name, "status": "completed"}
    spans = traced.run([STARTED, TURN, _line({"type": "item.completed", "item": inv}), TURN_DONE])
    span = one(spans, f"execute_tool {name}")
    assert attrs(span)["gen_ai.tool.name"] == name
    assert attrs(span)["vtcode.item.id"] == "i\x00d"


def test_huge_token_counts_saturate(traced: Traced) -> None:
    big = 2**64 - 1
    spans = traced.run(
        [
            STARTED,
            TURN,
            _turn_done(usage=usage(big, big, 0, 0)),
            TURN,
            _turn_done(usage=usage(big, 1, 0, 0)),
        ]
    )
    root = attrs(one(spans, "invoke_agent vtcode"))
    assert root["gen_ai.usage.input_tokens"] == 2**63 - 1


# -- OpenInference aliases -----------------------------------------------------------------


def test_openinference_aliases(traced: Traced) -> None:
    spans = traced.run(_session(), openinference=True, capture_content=True)
    kinds = {s.name: attrs(s)["openinference.span.kind"] for s in spans}
    assert kinds["invoke_agent vtcode"] == "AGENT"
    assert kinds["turn"] == "CHAIN"
    assert kinds["execute_tool read_file"] == "TOOL"
    assert all(attrs(s)["session.id"] == "thread-7f3a" for s in spans)
    read = attrs(one(spans, "execute_tool read_file"))
    assert read["tool.name"] == "read_file"
    assert json.loads(read["input.value"]) == {"path": "src/parser.rs"}
    assert read["output.value"] == "pub fn parse(input: &str) -> Vec<Token> {"
    root = attrs(one(spans, "invoke_agent vtcode"))
    assert root["llm.token_count.total"] == 14900 + 1030


def test_no_aliases_by_default(traced: Traced) -> None:
    for span in traced.run(_session()):
        assert not {"openinference.span.kind", "session.id", "tool.name"} & set(attrs(span))


# -- isolation and the emitter's lifecycle ------------------------------------------------


class Exploding:
    """A tracer that raises on every call."""

    def start_span(self, *args: object, **kwargs: object) -> Any:
        raise RuntimeError("tracer down")


def test_a_tracer_that_raises_is_counted_and_logged_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    emit = OtelEmitter(Exploding(), mode="gen_ai")  # type: ignore[arg-type]
    with caplog.at_level(logging.WARNING, logger="vtcode_exec_events.emit"), emit:
        for line in _session():
            emit(vee.parse_line(line).event)
    assert emit.failures.count > 1
    assert isinstance(emit.failures.last, RuntimeError)
    assert len([r for r in caplog.records if "failed" in r.getMessage()]) == 1


def test_a_tracer_that_fails_once_does_not_stop_the_rest(traced: Traced) -> None:
    real = traced.provider.get_tracer("test")
    calls = {"n": 0}

    class Flaky:
        def start_span(self, *args: Any, **kwargs: Any) -> Any:
            calls["n"] += 1
            if calls["n"] == 3:
                raise RuntimeError("once")
            return real.start_span(*args, **kwargs)

    ticks = itertools.count(0, STEP)
    emit = OtelEmitter(Flaky(), mode="gen_ai", clock=lambda: next(ticks))  # type: ignore[arg-type]
    with emit:
        for line in _session():
            emit(vee.parse_line(line).event)
    assert emit.failures.count == 1
    assert traced.open_spans() == []
    spans = traced.spans()
    assert len(spans) == 1 + 2 + 7
    # the first command's item.started was lost; its item.updated opened the span late
    assert ms(by_name(spans, "execute_tool command_execution")[0]) == (4, 5)


def test_events_after_close_are_refused(traced: Traced) -> None:
    emit = traced.emitter(raise_errors=False)
    with emit:
        emit(vee.parse_line(STARTED).event)
    emit(vee.parse_line(TURN).event)
    assert emit.failures.count == 1
    assert "closed" in str(emit.failures.last)
    assert [s.name for s in traced.spans()] == ["invoke_agent vtcode"]


def test_every_mode_is_a_context_manager(traced: Traced) -> None:
    tracer = traced.provider.get_tracer("test")
    for mode in ("spans", "events", "gen_ai"):
        with OtelEmitter(tracer, mode=mode) as emit:  # type: ignore[arg-type]
            emit(vee.parse_line(STARTED).event)
        assert emit.closed


def test_bad_options() -> None:
    with pytest.raises(ValueError, match="'spans', 'events' or 'gen_ai'"):
        OtelEmitter(mode="genai")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="max_open_items"):
        OtelEmitter(mode="gen_ai", max_open_items=0)
