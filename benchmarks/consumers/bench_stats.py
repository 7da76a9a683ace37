"""Throughput and memory of ``stats`` and ``replay`` as ratios to the JSON-parse floor.

Run: ``python benchmarks/consumers/bench_stats.py [--copies N]``. The log is the sample
session (``examples/logs/session.jsonl``, 32 enveloped lines of most kinds) repeated N times
(default 2,000: 64,000 lines). The floor is ``orjson.loads`` of every line of the same file,
read the same way, measured in the same run; every time is the best of three. Memory is the
tracemalloc peak of one ``stats`` pass over the log and over a log ten times smaller: flat
memory means a ratio near 1, however long the log.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import orjson

from vtcode_exec_events.consumers import collect, read_log, replay

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "logs" / "session.jsonl"


def best(fn: Callable[[], object], repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def floor(path: Path) -> None:
    with path.open("rb") as stream:
        for line in stream:
            orjson.loads(line)


def peak(fn: Callable[[], object]) -> int:
    tracemalloc.start()
    fn()
    result = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=2000)
    args = parser.parse_args()
    data = SAMPLE.read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.jsonl"
        small = Path(tmp) / "small.jsonl"
        big.write_bytes(data * args.copies)
        small.write_bytes(data * max(args.copies // 10, 1))
        lines = data.count(b"\n") * args.copies
        base = best(lambda: floor(big))
        stats = best(lambda: collect(read_log(str(big))))
        timeline = best(lambda: sum(1 for _ in replay(read_log(str(big)))))
        print(f"log: {lines} lines, {big.stat().st_size / 1e6:.1f} MB")
        print(f"floor (orjson.loads per line): {lines / base:,.0f} lines/s")
        print(f"stats:  {lines / stats:,.0f} lines/s, {stats / base:.1f}x the floor")
        print(f"replay: {lines / timeline:,.0f} lines/s, {timeline / base:.1f}x the floor")
        big_peak = peak(lambda: collect(read_log(str(big))))
        small_peak = peak(lambda: collect(read_log(str(small))))
        print(
            f"stats peak memory: {big_peak / 1024:.0f} KiB for {lines} lines, "
            f"{small_peak / 1024:.0f} KiB for a tenth of them (ratio {big_peak / small_peak:.2f})"
        )


if __name__ == "__main__":
    main()
