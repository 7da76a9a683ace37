"""Bytes of events ``CommandRunner`` writes for one command, as a ratio to the command's output.

Run: ``python benchmarks/emit/bench_output.py`` (or ``nox -s bench_emit_output``). For each
output size (default 1 KB to 256 MB) and each of ``--processes`` fresh processes, a worker
writes a file of test-runner lines of that size, runs ``cat`` on it through a
``CommandRunner`` with its default options, and counts the bytes of every event line the
runner emits (``encode_line``: exactly what ``JsonlEmitter`` writes); ``--update-bytes 64K``
asks for an update after every 64 KiB read, the worst case for update cost. Reported per size: the
ratio events/output (median, min and max over the processes), the events, the run's wall
time and the worker's peak RSS. ``--check`` exits 1 when a ratio is above 3 plus 64 KiB of
constant (the target of issue 13). ``--timeout`` bounds each worker (a quadratic runner does
not finish the large sizes); a worker that runs out of time is reported as such.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LINE = b"test tests::emit::runner_%06d ... ok (finished in 0.12s)\n"
UNITS = {"K": 1024, "M": 1024**2, "G": 1024**3}
CONSTANT = 64 * 1024


def parse_size(text: str) -> int:
    text = text.strip().upper().removesuffix("B")
    if text and text[-1] in UNITS:
        return int(float(text[:-1]) * UNITS[text[-1]])
    return int(text)


def worker(size: int, update_bytes: int | None) -> dict[str, float]:
    """One command of ``size`` bytes of output, in this process: the figures as a dict."""
    from vtcode_exec_events.emit import CommandRunner
    from vtcode_exec_events.fastwire import encode_line

    counts = {"events": 0, "bytes": 0}

    def count(event: object) -> None:
        counts["events"] += 1
        counts["bytes"] += len(encode_line(event))  # type: ignore[arg-type]

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "output.txt"
        with data.open("wb") as out:
            written, n = 0, 0
            while written < size:
                chunk = b"".join(LINE % (n + i) for i in range(1024))[: size - written]
                out.write(chunk)
                written += len(chunk)
                n += 1024
        runner = CommandRunner(count, update_bytes=update_bytes)
        start = time.perf_counter()
        result = runner.run(["cat", str(data)])
        close = getattr(runner, "close", None)  # the runner before issue 13 had none
        if close is not None:
            close(600)
        elapsed = time.perf_counter() - start
    assert result.ok, result.reason
    assert len(result.output) == size, (len(result.output), size)
    return {
        "output": size,
        "events": counts["events"],
        "event_bytes": counts["bytes"],
        "seconds": elapsed,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def human(size: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return str(size)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1K,64K,1M,16M,64M,256M")
    parser.add_argument("--processes", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per worker")
    parser.add_argument("--check", action="store_true", help="exit 1 above 3x + 64 KiB")
    parser.add_argument(
        "--update-bytes",
        type=parse_size,
        default=None,
        help="the runner's update_bytes (default: its default, time-throttled updates only)",
    )
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker is not None:
        print(json.dumps(worker(args.worker, args.update_bytes)))
        return 0

    print(
        f"{'output':>10} {'ratio median (min-max)':>24} {'events':>8} {'event bytes':>12}"
        f" {'seconds':>8} {'peak RSS':>9}"
    )
    worst = 0.0
    for size in map(parse_size, args.sizes.split(",")):
        runs = []
        for _ in range(max(1, args.processes)):
            try:
                done = subprocess.run(
                    [sys.executable, __file__, "--worker", str(size)]
                    + (
                        []
                        if args.update_bytes is None
                        else ["--update-bytes", str(args.update_bytes)]
                    ),
                    capture_output=True,
                    text=True,
                    check=True,
                    timeout=args.timeout,
                )
            except subprocess.TimeoutExpired:
                print(f"{human(size):>10} {'did not finish in ' + f'{args.timeout:g} s':>24}")
                runs = []
                break
            runs.append(json.loads(done.stdout))
        if not runs:
            continue
        ratios = [r["event_bytes"] / r["output"] for r in runs]
        worst = max(worst, *((r["event_bytes"] - CONSTANT) / r["output"] for r in runs))
        spread = f"{statistics.median(ratios):.2f}x ({min(ratios):.2f}-{max(ratios):.2f})"
        print(
            f"{human(size):>10} {spread:>24} "
            f"{statistics.median(r['events'] for r in runs):>8.0f} "
            f"{human(statistics.median(r['event_bytes'] for r in runs)):>12} "
            f"{statistics.median(r['seconds'] for r in runs):>8.2f} "
            f"{human(max(r['rss_mb'] for r in runs) * 1024**2):>9}"
        )
    verdict = "within" if worst <= 3 else "ABOVE"
    print(f"worst (event bytes - 64 KiB) / output = {worst:.2f}x, {verdict} the 3x target")
    return 1 if args.check and worst > 3 else 0


if __name__ == "__main__":
    sys.exit(main())
