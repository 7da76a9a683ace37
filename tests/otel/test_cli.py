"""``vtcode-exec-events otel``: recorded logs over OTLP/HTTP to a receiver on 127.0.0.1, decoded
with the official protobuf definitions; refusals, hangs, bad lines and a missing extra."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

pytest.importorskip("opentelemetry.exporter.otlp.proto.http")
pytest.importorskip("opentelemetry.proto")

from opentelemetry.proto.trace.v1.trace_pb2 import Span as PbSpan
from opentelemetry.proto.trace.v1.trace_pb2 import Status as PbStatus

from vtcode_exec_events.cli import main
from vtcode_exec_events.cli.otel import EXTRA_MISSING, traces_url

from .conftest import ROOT, SESSION
from .receiver import receiver

RUN_CLI = "import sys; from vtcode_exec_events.cli import main; sys.exit(main())"


def otel(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run the command in a fresh interpreter, bounded in time (generous: the machine is shared)."""
    return subprocess.run(
        [sys.executable, "-c", RUN_CLI, "otel", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def otel_here(*args: str) -> Result:
    """Run the command in this process (usage errors, quick cases)."""
    return CliRunner().invoke(main, ["otel", *args], catch_exceptions=False)


def _value(any_value: Any) -> Any:
    return getattr(any_value, any_value.WhichOneof("value"))


def _attrs(span: PbSpan) -> dict[str, Any]:
    return {kv.key: _value(kv.value) for kv in span.attributes}


def test_session_arrives_as_genai_traces() -> None:
    with receiver() as rx:
        done = otel(
            str(SESSION),
            "--endpoint",
            rx.url,
            "--start",
            "2026-01-01T00:00:00Z",
            "--step-ms",
            "1000",
        )
        spans = rx.spans()
        request = rx.requests[0]
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    url = f"{rx.url}/v1/traces"
    assert done.stdout == f"sent 10 spans in 1 traces from 32 lines (0 unparseable) to {url}\n"
    assert set(rx.paths) == {"/v1/traces"}
    resource = {kv.key: _value(kv.value) for kv in request.resource_spans[0].resource.attributes}
    assert resource["service.name"] == "vtcode"
    (root,) = [s for s in spans if not s.parent_span_id]
    assert root.name == "invoke_agent vtcode"
    assert root.kind == PbSpan.SPAN_KIND_INTERNAL
    start = 1767225600 * 10**9  # 2026-01-01T00:00:00Z
    assert (root.start_time_unix_nano, root.end_time_unix_nano) == (start, start + 31 * 10**9)
    assert _attrs(root)["gen_ai.usage.input_tokens"] == 14900
    assert _attrs(root)["gen_ai.conversation.id"] == "thread-7f3a"
    turns = [s for s in spans if s.name == "turn"]
    assert [s.parent_span_id for s in turns] == [root.span_id] * 2
    tools = [s for s in spans if s.name.startswith(("execute_tool", "plan"))]
    assert len(tools) == 7
    assert {s.parent_span_id for s in tools} == {t.span_id for t in turns}
    assert {s.trace_id for s in spans} == {root.trace_id}
    assert all(_attrs(s)["vtcode.time.synthesized"] is True for s in spans)
    failed = [s for s in spans if s.status.code == PbStatus.STATUS_CODE_ERROR]
    assert sorted((s.name, _attrs(s)["error.type"]) for s in failed) == [
        ("execute_tool command_execution", "101"),
        ("execute_tool run_pty_cmd", "permission_rejected"),
    ]
    command = next(s for s in failed if s.name == "execute_tool command_execution")
    assert command.end_time_unix_nano - command.start_time_unix_nano == 2 * 10**9
    assert "gen_ai.tool.call.arguments" not in _attrs(command)


def test_capture_and_aliases_travel_too() -> None:
    with receiver() as rx:
        done = otel(str(SESSION), "--endpoint", rx.url, "--capture-content", "--openinference")
        spans = rx.spans()
    assert done.returncode == 0, done.stderr
    read = next(s for s in spans if s.name == "execute_tool read_file")
    attrs = _attrs(read)
    assert json.loads(attrs["gen_ai.tool.call.arguments"]) == {"path": "src/parser.rs"}
    assert attrs["openinference.span.kind"] == "TOOL"
    assert attrs["session.id"] == "thread-7f3a"


def test_bad_lines_are_reported_and_the_rest_sent(tmp_path: Path) -> None:
    log = tmp_path / "mixed\x1b[31m.jsonl"
    good = SESSION.read_text(encoding="utf-8").splitlines()
    log.write_text(
        "\n".join([good[0], "{not json", good[1], '{"type":"turn.completed"}', *good[2:]]) + "\n",
        encoding="utf-8",
    )
    with receiver() as rx:
        done = otel_here(str(log), "--endpoint", rx.url)
        spans = rx.spans()
    assert done.exit_code == 1
    errors = done.stderr.splitlines()
    assert len(errors) == 2
    assert errors[0].startswith(f"{tmp_path}/mixed\\e[31m.jsonl:2: /: ")
    assert errors[1].startswith(f"{tmp_path}/mixed\\e[31m.jsonl:4: ")
    assert "\x1b" not in done.stderr + done.stdout
    assert "from 34 lines (2 unparseable)" in done.stdout
    assert len(spans) == 10


def test_a_receiver_that_returns_500_is_one_line_and_exit_2() -> None:
    with receiver("fail") as rx:
        done = otel(str(SESSION), "--endpoint", rx.url, "--timeout", "5")
    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"error: cannot send traces to {rx.url}/v1/traces: ")
    assert "500" in line
    assert done.stdout == ""


def test_a_receiver_that_never_answers_is_bounded_by_the_timeout() -> None:
    with receiver("hang") as rx:
        # the receiver holds the request for 600 s: only the exporter's timeout ends it sooner
        done = otel(str(SESSION), "--endpoint", rx.url, "--timeout", "1", timeout=180)
    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"error: cannot send traces to {rx.url}/v1/traces: ")


def test_nothing_listening() -> None:
    with receiver() as rx:
        url = rx.url  # the port is closed once the receiver is gone
    done = otel(str(SESSION), "--endpoint", url, "--timeout", "3", timeout=180)
    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    assert "Connection refused" in line
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "missing",
    ["opentelemetry.sdk.trace", "opentelemetry.exporter.otlp.proto.http.trace_exporter"],
)
def test_without_the_extra_one_line_names_it(monkeypatch: pytest.MonkeyPatch, missing: str) -> None:
    monkeypatch.setitem(sys.modules, missing, None)  # import fails as if not installed
    done = otel_here(str(SESSION), "--endpoint", "http://127.0.0.1:9")
    assert done.exit_code == 2
    assert done.stderr == EXTRA_MISSING + "\n"


@pytest.mark.parametrize(
    "endpoint", ["ftp://host/v1/traces", "localhost:4318", "http://", "http://\x1b[2J/"]
)
def test_bad_endpoints_are_usage_errors(endpoint: str) -> None:
    done = otel_here(str(SESSION), "--endpoint", endpoint)
    assert done.exit_code == 2
    assert "--endpoint" in done.stderr
    assert "\x1b" not in done.stderr


def test_missing_log_and_bad_start(tmp_path: Path) -> None:
    missing = otel_here(str(tmp_path / "nope.jsonl"), "--endpoint", "http://127.0.0.1:9")
    assert missing.exit_code == 2
    assert "does not exist" in missing.stderr
    for start in ("yesterday\x1b", "-5", "1e30", "nan", "9999999999999"):
        bad = otel_here(str(SESSION), "--endpoint", "http://127.0.0.1:9", "--start", start)
        assert bad.exit_code == 2, start
        assert "not a time" in bad.stderr
        assert "\x1b" not in bad.stderr


def test_traces_url() -> None:
    assert traces_url("http://h:4318") == "http://h:4318/v1/traces"
    assert traces_url("https://h/") == "https://h/v1/traces"
    assert traces_url("http://h:4318/custom/path") == "http://h:4318/custom/path"
    with pytest.raises(ValueError, match="http"):
        traces_url("unix:///tmp/sock")


MEMORY_CHILD = """
from opentelemetry.sdk.trace import TracerProvider
import vtcode_exec_events as vee
from vtcode_exec_events.emit import item_started
from vtcode_exec_events.emit.otel import OtelEmitter
emit = OtelEmitter(TracerProvider().get_tracer("m"), mode="gen_ai", raise_errors=True)
emit(vee.ThreadStartedEvent(thread_id="t"))
emit(vee.TurnStartedEvent())
for i in range(30000):  # a thread whose items never complete
    emit(item_started(vee.CommandExecutionItem(id=f"c{i}", command="x", status="in_progress")))
# VmHWM: the peak RSS of this program's own memory (ru_maxrss would include the peak of the
# forked test process before exec)
status = open("/proc/self/status").read()
print(int(status.split("VmHWM:")[1].split()[0]) // 1024)
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmHWM from /proc")
def test_a_thread_that_never_completes_holds_bounded_memory() -> None:
    """30,000 open items take about 135 MB uncapped; the cap (1,024) keeps it near 40 MB."""
    done = subprocess.run(
        [sys.executable, "-c", MEMORY_CHILD], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) < 90
