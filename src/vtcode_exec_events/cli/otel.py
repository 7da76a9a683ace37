"""``vtcode-exec-events otel``: recorded logs sent to an OTLP/HTTP endpoint as GenAI traces."""

from __future__ import annotations

import importlib
import itertools
import logging
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

import click

from vtcode_exec_events.cli.stats import bare_version_option, check_paths
from vtcode_exec_events.consumers.reader import display_name, read_log
from vtcode_exec_events.text import visible

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
    from opentelemetry.sdk.trace.export import SpanExporter

__all__ = ["SYNTHESIZED", "command", "synthetic_clock", "traces_url"]

#: Attribute set on every span this command sends: its times are made up, in event order.
SYNTHESIZED = "vtcode.time.synthesized"
#: What the command imports from the ``otel-export`` extra.
NEEDED = (
    "opentelemetry.sdk.trace",
    "opentelemetry.sdk.resources",
    "opentelemetry.exporter.otlp.proto.http.trace_exporter",
    "vtcode_exec_events.emit.otel",
)
EXTRA_MISSING = (
    "error: the otel command needs the OpenTelemetry SDK and OTLP exporter: "
    "pip install 'vtcode-exec-events[otel-export]'"
)


def _fail(message: str) -> None:
    """One line on standard error, exit status 2."""
    click.echo(f"error: {visible(message)}", err=True)
    sys.exit(2)


def traces_url(endpoint: str) -> str:
    """The OTLP/HTTP traces URL: ``http://host:4318`` gets the standard ``/v1/traces`` path."""
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL with a host: {endpoint!r}")
    if parts.path in ("", "/"):
        parts = parts._replace(path="/v1/traces")
    return urlunsplit(parts)


def _start_ns(text: str | None) -> int:
    """Nanoseconds since the epoch; ``ValueError`` for anything OTLP cannot carry."""
    if text is None or text == "now":
        return time.time_ns()
    try:
        seconds = float(text)
    except ValueError:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        seconds = when.timestamp()
    if not 0 <= seconds < 2**63 / 1e9 - 10**7:  # room for the steps after it
        raise ValueError(text)
    return int(seconds * 1e9)


def synthetic_clock(start_ns: int, step_ns: int) -> Callable[[], int]:
    """A clock for recorded events: ``start``, ``start + step``, ... one tick per call."""
    ticks = itertools.count(start_ns, step_ns)
    return lambda: min(next(ticks), 2**63 - 1)  # OTLP times are 64-bit


def _batches(exporter: SpanExporter, size: int) -> Any:
    """A span processor that exports synchronously in batches and remembers a refusal."""
    from opentelemetry.sdk.trace import SpanProcessor
    from opentelemetry.sdk.trace.export import SpanExportResult

    class Batches(SpanProcessor):
        def __init__(self) -> None:
            self.pending: list[ReadableSpan] = []
            self.sent = 0
            self.traces = 0
            self.failed = False

        def on_end(self, span: ReadableSpan) -> None:
            if not self.failed:
                self.pending.append(span)
                if len(self.pending) >= size:
                    self.flush()

        def flush(self) -> None:
            if self.failed or not self.pending:
                return
            batch, self.pending = self.pending, []
            if exporter.export(batch) is not SpanExportResult.SUCCESS:
                self.failed = True
                return
            self.sent += len(batch)
            self.traces += sum(1 for span in batch if span.parent is None)

        def force_flush(self, timeout_millis: int = 30000) -> bool:
            self.flush()
            return not self.failed

        def shutdown(self) -> None:
            self.flush()
            exporter.shutdown()

    return Batches()


class _LastError(logging.Handler):
    """Keeps the exporter's first and latest warnings (why a send failed), one line each."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.first: str | None = None
        self.last: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = " ".join(record.getMessage().split())[:300]
        except Exception:
            return
        self.first = self.first or text
        self.last = text

    @property
    def message(self) -> str:
        if self.first is None:
            return "the endpoint did not accept the traces"
        if self.last == self.first:
            return self.first
        return f"{self.last} (first: {self.first})"


@contextmanager
def _exporter_errors() -> Iterator[_LastError]:
    """Route the OTLP exporter's log records into one handler instead of the terminal."""
    logger = logging.getLogger("opentelemetry.exporter.otlp")
    handler = _LastError()
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def _headers(values: Sequence[str]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for value in values:
        key, sep, val = value.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"expected KEY=VALUE, got {visible(value)!r}")
        headers[key.strip()] = val.strip()
    return headers


@click.command("otel")
@click.argument("logs", nargs=-1, required=True, metavar="LOG...")
@click.option(
    "--endpoint",
    required=True,
    metavar="URL",
    help="OTLP/HTTP endpoint, e.g. http://localhost:4318 (/v1/traces is added to a bare host).",
)
@click.option("--header", "headers", multiple=True, metavar="KEY=VALUE", help="HTTP header.")
@bare_version_option
@click.option(
    "--start",
    metavar="TIME",
    help="Synthesized time of the first event: ISO 8601 or seconds since the epoch (default: now).",
)
@click.option(
    "--step-ms",
    type=click.FloatRange(min=0.001, max=3_600_000),
    default=1.0,
    show_default=True,
    help="Synthesized time between two events.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1, max=3600),
    default=10.0,
    show_default=True,
    help="Seconds allowed for each export request, retries included.",
)
@click.option(
    "--capture-content/--no-capture-content",
    default=None,
    help="Export tool arguments, results and messages "
    "(default: OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT).",
)
@click.option(
    "--openinference", is_flag=True, help="Add OpenInference aliases (Arize Phoenix, Langfuse)."
)
@click.option("--service-name", default="vtcode", show_default=True, help="Resource service.name.")
@click.option(
    "--batch-size", type=click.IntRange(1, 65536), default=512, show_default=True, hidden=True
)
def command(
    logs: tuple[str, ...],
    endpoint: str,
    headers: tuple[str, ...],
    schema_version: str | None,
    start: str | None,
    step_ms: float,
    timeout: float,
    capture_content: bool | None,
    openinference: bool,
    service_name: str,
    batch_size: int,
) -> None:
    """Send recorded JSONL event logs to an OTLP/HTTP endpoint as OpenTelemetry GenAI traces.

    One trace per thread: an invoke_agent span, a span per turn, an execute_tool span per
    command, tool or MCP call. Events carry no timestamps, so times are synthesized, one
    --step-ms per event from --start, and every span is marked vtcode.time.synthesized.
    Exit status: 0 every line sent, 1 some lines could not be parsed (reported, the rest
    sent), 2 usage error, unreadable log, missing extra, or an endpoint that refused.
    """
    check_paths(logs)
    try:
        url = traces_url(endpoint)
    except ValueError as exc:
        raise click.BadParameter(visible(str(exc)), param_hint="--endpoint") from None
    header_map = _headers(headers)
    try:
        start_ns = _start_ns(start)
    except (ValueError, OverflowError):
        raise click.BadParameter(
            f"not a time: {visible(str(start))!r}", param_hint="--start"
        ) from None
    try:
        for module in NEEDED:
            importlib.import_module(module)
    except ImportError:
        click.echo(EXTRA_MISSING, err=True)
        sys.exit(2)

    quiet = logging.getLogger("vtcode_exec_events.emit")  # failures are reported below
    if not any(isinstance(h, logging.NullHandler) for h in quiet.handlers):
        quiet.addHandler(logging.NullHandler())
    options = {
        "capture_content": capture_content,
        "openinference": openinference,
        "clock": synthetic_clock(start_ns, max(1, int(step_ms * 1e6))),
        "extra_attributes": {SYNTHESIZED: True},
    }
    try:
        _send(logs, url, header_map, timeout, batch_size, service_name, schema_version, options)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)


def _send(
    logs: tuple[str, ...],
    url: str,
    headers: dict[str, str],
    timeout: float,
    batch_size: int,
    service_name: str,
    schema_version: str | None,
    options: dict[str, Any],
) -> None:
    """Read the logs, build the spans, send them; exits with the command's status."""
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider

    from vtcode_exec_events.emit.otel import OtelEmitter

    with _exporter_errors() as last_error:
        exporter = OTLPSpanExporter(endpoint=url, headers=headers, timeout=timeout)
        processor = _batches(exporter, batch_size)
        provider = TracerProvider(resource=Resource.create({"service.name": service_name}))
        provider.add_span_processor(processor)
        tracer = provider.get_tracer("vtcode_exec_events.cli.otel")
        lines = invalid = 0
        failures: list[str] = []
        for path in logs:
            emitter = OtelEmitter(tracer, mode="gen_ai", **options)
            try:
                for line in read_log(path, schema_version=schema_version):
                    lines += 1
                    if line.error is not None:
                        invalid += 1
                        issue = line.error
                        where = f"{line.file}:{line.number}: {issue.pointer or '/'}"
                        click.echo(f"{visible(where)}: {visible(issue.message)}", err=True)
                    elif line.event is not None:
                        emitter(line.event)
                    if processor.failed:
                        break
            except (OSError, EOFError) as exc:
                _close(emitter, provider)
                _fail(f"cannot read {display_name(path)}: {exc}")
            emitter.close()
            if emitter.failures.count:
                failures.append(f"{display_name(path)}: {emitter.failures.last}")
            if processor.failed:
                break
        _close(emitter, provider)
    if processor.failed:
        _fail(f"cannot send traces to {url}: {last_error.message}")
    if failures:
        _fail(f"events that could not become spans in {'; '.join(failures)}")
    click.echo(
        visible(
            f"sent {processor.sent} spans in {processor.traces} traces from {lines} lines "
            f"({invalid} unparseable) to {url}"
        )
    )
    sys.exit(1 if invalid else 0)


def _close(emitter: Any, provider: TracerProvider) -> None:
    emitter.close()
    provider.shutdown()
