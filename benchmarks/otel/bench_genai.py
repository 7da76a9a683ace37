"""Cost per event of ``OtelEmitter(mode="gen_ai")`` as a ratio to one bare span per event.

Run: ``python benchmarks/otel/bench_genai.py`` (or ``nox -s bench_otel``). The stream is the
example session (``examples/logs/session.jsonl``: 32 events, every item kind, 10 GenAI spans),
repeated, with fresh event models per repetition as a producer creates them. Spans go through
the OpenTelemetry SDK (``TracerProvider``, ``SimpleSpanProcessor``) to an exporter that drops
them, so the figures are the emitter's and the SDK's own cost (CPU time of the process, which
holds up better than wall time on a shared machine). The floor, measured in the same
process: ``tracer.start_span("event").end()`` once per event. Rows: the crate-parity
``mode="spans"`` (one span per event), ``mode="gen_ai"``, and ``mode="gen_ai"`` with content
capture and the OpenInference aliases. Each row is the median over ``--processes`` fresh
processes (default 5) of its ratio to that process's floor; min and max are shown.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SESSION = ROOT / "examples" / "logs" / "session.jsonl"
ROWS = {
    "spans": {"mode": "spans"},
    "gen_ai": {"mode": "gen_ai", "capture_content": False},
    "gen_ai + content + aliases": {
        "mode": "gen_ai",
        "capture_content": True,
        "openinference": True,
    },
}


def _child(row: str, repeats: int) -> dict[str, float]:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExporter, SpanExportResult

    import vtcode_exec_events as vee
    from vtcode_exec_events.emit.otel import OtelEmitter

    class Drop(SpanExporter):
        def export(self, spans: Sequence[Any]) -> SpanExportResult:
            return SpanExportResult.SUCCESS

    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(Drop()))
    tracer = provider.get_tracer("bench")
    lines = SESSION.read_text(encoding="utf-8").splitlines()

    def fresh() -> list[Any]:
        return [vee.parse_line(line).event for line in lines * repeats]

    def timed(run: Callable[[list[Any]], None]) -> float:
        best = float("inf")
        for _ in range(3):
            events = fresh()
            start = time.process_time()
            run(events)
            best = min(best, (time.process_time() - start) / len(events))
        return best

    def floor(events: list[Any]) -> None:
        for _ in events:
            tracer.start_span("event").end()

    def emitter(events: list[Any]) -> None:
        with OtelEmitter(tracer, raise_errors=True, **ROWS[row]) as emit:  # type: ignore[arg-type]
            for event in events:
                emit(event)

    base = timed(floor)
    cost = timed(emitter)
    return {"floor_us": base * 1e6, "cost_us": cost * 1e6, "ratio": cost / base}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=100, help="copies of the session per run")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(args.child, args.repeats)))
        return
    print(f"{'row':<28} {'ratio median':>12} {'min':>6} {'max':>6} {'µs/event':>9}")
    for row in ROWS:
        runs = []
        for _ in range(args.processes):
            out = subprocess.run(
                [sys.executable, __file__, "--child", row, "--repeats", str(args.repeats)],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            runs.append(json.loads(out))
        ratios = [r["ratio"] for r in runs]
        micros = statistics.median(r["cost_us"] for r in runs)
        print(
            f"{row:<28} {statistics.median(ratios):>11.2f}x {min(ratios):>5.2f}x"
            f" {max(ratios):>5.2f}x {micros:>9.1f}"
        )
    floors = [r["floor_us"] for r in runs]
    print(f"(floor: one bare span per event, median {statistics.median(floors):.1f} µs)")


if __name__ == "__main__":
    main()
