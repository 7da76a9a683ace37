"""Benchmark `vtcode-exec-events validate` against the orjson parse floor, in one run.

Generates (once, under benchmarks/.data/, git-ignored) a realistic log of 300,000 events
and a copy with 1% of the lines broken, then times, best of --repeat runs, interleaved:

- floor: ``orjson.loads`` of every line (``for line in file``), one process;
- the validator's Python API (``validate_paths``) with 1 and 2 processes (pool start-up
  included), on the valid log and on the broken copy;
- Python ``jsonschema`` (the reference implementation) on a sample of the lines, against
  the same released documents through an offline ``referencing`` registry.

Reports events per second and the ratios that matter: validator time / floor time (one
process; target <= 1.5) and the speed-up of 2 processes over 1 (target >= 1.7). Before
those, the same ratios for whole processes as users run them (an orjson loop in
``python -c`` against ``vtcode-exec-events validate --jobs 1|2``, start-up included;
median and min-max over the rounds), the start-up time on a one-line file, and what two
processes gain on this machine at best: two floor processes side by side, each on half
of the log, against one floor on all of it.

    python benchmarks/validate/run.py [--events 300000] [--repeat 5] [--json OUT]
        [--whole-process-only] [--baseline OTHER/src]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

from vtcode_exec_events import registry  # noqa: E402
from vtcode_exec_events.validate import validate_paths  # noqa: E402

DATA = HERE.parent / ".data"


def _floor(path: Path) -> int:
    loads = orjson.loads
    n = 0
    with path.open("rb") as f:
        for line in f:
            loads(line)
            n += 1
    return n


def _validator(path: Path, jobs: int) -> int:
    summary = validate_paths([path], jobs=jobs, keep_issues=False)
    return summary.lines


def _break(src: Path, dst: Path, rate: float, seed: int = 2) -> int:
    """Copy ``src`` with ``rate`` of the lines broken in assorted ways; return how many."""
    rng = random.Random(seed)
    broken = 0
    with src.open("rb") as f, dst.open("wb") as out:
        for line in f:
            if rng.random() < rate:
                broken += 1
                obj = orjson.loads(line)
                event = obj.get("event", obj)
                how = rng.randrange(4)
                if how == 0:
                    line = line[: len(line) // 2] + b"\n"
                elif how == 1:
                    event["type"] = 7
                    line = orjson.dumps(obj) + b"\n"
                elif how == 2 and "item" in event:
                    event["item"]["id"] = None
                    line = orjson.dumps(obj) + b"\n"
                else:
                    event.pop("type")
                    line = orjson.dumps(obj) + b"\n"
            out.write(line)
    return broken


def _jsonschema_sample(path: Path, count: int) -> tuple[float, int]:
    """Seconds per event for Python jsonschema (released documents, offline registry)."""
    import jsonschema
    from referencing import Registry, Resource

    version = registry.latest()
    schema_set = registry.load(version)
    reg: Registry[Any] = Registry().with_resources(
        (uri, Resource.from_contents(doc)) for uri, doc in schema_set.resources()
    )
    bare = jsonschema.Draft202012Validator(
        {"$ref": schema_set.uri(registry.THREAD_EVENT)}, registry=reg
    )
    envelope = jsonschema.Draft202012Validator(
        {"$ref": schema_set.uri(registry.VERSIONED_THREAD_EVENT)}, registry=reg
    )
    lines = []
    with path.open("rb") as f:
        for line in f:
            lines.append(line)
            if len(lines) >= count:
                break
    start = time.perf_counter()
    for line in lines:
        obj = orjson.loads(line)
        (envelope if "schema_version" in obj else bare).is_valid(obj)
    return (time.perf_counter() - start) / len(lines), len(lines)


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _timed(fn: Callable[[], int]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (this process and its workers) and the events counted."""
    cpu = _cpu()
    start = time.perf_counter()
    n = fn()
    return time.perf_counter() - start, _cpu() - cpu, n


FLOOR_SCRIPT = (
    "import sys, orjson\n"
    "loads = orjson.loads\n"
    "with open(sys.argv[1], 'rb') as f:\n"
    "    for line in f:\n"
    "        loads(line)\n"
)
VALIDATE = [sys.executable, "-c", "from vtcode_exec_events.cli import main; main()", "validate"]


def _process(command: list[str], source: Path | None = None) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, its worker processes included) of one fresh
    process, start-up included (its output discarded); see :func:`_side_by_side`."""
    return _side_by_side([command], source)


def _side_by_side(commands: list[list[str]], source: Path | None = None) -> tuple[float, float]:
    """Wall and CPU seconds of fresh processes started together, until the last ends.

    Bytecode is written and read as in an installed package (``PYTHONDONTWRITEBYTECODE``
    is dropped: with it, every start compiles the package from source). ``source``: run
    the validator from that ``src`` directory instead (``--baseline``).
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if source is not None:
        env["PYTHONPATH"] = str(source)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    running = [
        subprocess.Popen(c, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        for c in commands
    ]
    for process in running:
        process.wait()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def _halves(log: Path) -> list[Path]:
    """``log`` cut in two at the newline nearest its middle (written once, beside it)."""
    parts = [log.with_name(f"{log.stem}-half-{i}.jsonl") for i in (0, 1)]
    if not all(p.exists() for p in parts):
        data = log.read_bytes()
        cut = data.index(b"\n", len(data) // 2) + 1
        parts[0].write_bytes(data[:cut])
        parts[1].write_bytes(data[cut:])
    return parts


def _spread(values: list[float]) -> dict[str, float]:
    return {
        "median": round(statistics.median(values), 4),
        "min": round(min(values), 4),
        "max": round(max(values), 4),
    }


def whole_process(
    log: Path, one_line: Path, repeat: int, baseline: Path | None = None
) -> dict[str, Any]:
    """Whole processes as users run them, interleaved, ``repeat`` times each; ratios per
    round (floor and validator measured side by side), then their median and spread.

    ``baseline``: a ``src`` directory of another revision, run in the same rounds (its
    figures under ``"baseline"``), so a before/after comparison shares the machine's load.
    """
    sides: list[tuple[str, Path | None]] = [("", None)]
    if baseline is not None:
        sides.append(("baseline_", baseline))
    keys = ("jobs_1", "jobs_2", "start_validate")
    runs: dict[str, list[float]] = {"floor": [], "floor_halves": [], "start_floor": []}
    runs.update({prefix + k: [] for prefix, _ in sides for k in keys})
    cpu: dict[str, list[float]] = {k: [] for k in runs}
    floor = [sys.executable, "-c", FLOOR_SCRIPT]

    def record(key: str, command: list[str], source: Path | None = None) -> None:
        wall, used = _process(command, source)
        runs[key].append(wall)
        cpu[key].append(used)

    halves = _halves(log)
    for _ in range(repeat):
        record("floor", [*floor, str(log)])
        # What two processes gain on this machine at best: two floors, a half each.
        wall, used = _side_by_side([[*floor, str(half)] for half in halves])
        runs["floor_halves"].append(wall)
        cpu["floor_halves"].append(used)
        record("start_floor", [*floor, str(one_line)])
        for prefix, source in sides:
            for key, command in (
                ("jobs_1", [*VALIDATE, "--jobs", "1", str(log)]),
                ("jobs_2", [*VALIDATE, "--jobs", "2", str(log)]),
                ("start_validate", [*VALIDATE, str(one_line)]),
            ):
                record(prefix + key, command, source)
    out: dict[str, Any] = {}
    for prefix, _ in sides:
        ratio = [v / f for v, f in zip(runs[prefix + "jobs_1"], runs["floor"], strict=True)]
        speedup = [
            a / b for a, b in zip(runs[prefix + "jobs_1"], runs[prefix + "jobs_2"], strict=True)
        ]
        cpu_ratio = [v / f for v, f in zip(cpu[prefix + "jobs_1"], cpu["floor"], strict=True)]
        floor_speedup = [a / b for a, b in zip(runs["floor"], runs["floor_halves"], strict=True)]
        names = ("floor", "floor_halves", *keys, "start_floor")
        figures = {
            "seconds": {k: _spread(runs[prefix + k] if k in keys else runs[k]) for k in names},
            # CPU seconds (the workers' included): what a busy machine distorts least.
            "cpu_seconds": {k: _spread(cpu[prefix + k] if k in keys else cpu[k]) for k in names},
            "floor_speedup_2_processes": _spread(floor_speedup),
            "speedup_over_floor_speedup": _spread(
                [
                    a / b / f
                    for a, b, f in zip(
                        runs[prefix + "jobs_1"], runs[prefix + "jobs_2"], floor_speedup, strict=True
                    )
                ]
            ),
            "ratio_1_process": _spread(ratio),
            "cpu_ratio_1_process": _spread(cpu_ratio),
            "speedup_2_processes": _spread(speedup),
        }
        if prefix:
            out["baseline"] = figures
        else:
            out.update(figures)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sample", type=int, default=3000, help="lines for Python jsonschema")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--whole-process-only", action="store_true", help="skip the in-process figures"
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        help="the src directory of another revision, run in the same whole-process rounds",
    )
    args = parser.parse_args(argv)

    DATA.mkdir(parents=True, exist_ok=True)
    log = DATA / f"validate-{args.events}.jsonl"
    bad = DATA / f"validate-{args.events}-broken.jsonl"
    if not log.exists():
        generate.write(log, args.events)
    if not bad.exists():
        _break(log, bad, 0.01)
    size = log.stat().st_size
    one_line = DATA / "one-line.jsonl"
    one_line.write_bytes(b'{"type":"turn.started"}\n')

    load_before = [round(x, 2) for x in os.getloadavg()]
    _process([*VALIDATE, str(log)])  # warm the page cache
    whole = whole_process(log, one_line, args.repeat, args.baseline)
    _print_whole(whole, args.repeat, load_before)
    if "baseline" in whole:
        print(f"baseline ({args.baseline}):")
        _print_whole(whole["baseline"], args.repeat, load_before)
    if args.whole_process_only:
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps({"whole_process": whole}, indent=2) + "\n")
        return 0

    load_before = [round(x, 2) for x in os.getloadavg()]
    # Warm up: page cache, imports, compiled validators.
    _floor(log)
    _validator(log, 1)
    _validator(bad, 1)  # what only invalid lines need is built when first needed

    times: dict[str, float] = {}
    cpus: dict[str, float] = {}
    events = 0
    for _ in range(args.repeat):
        for name, fn in (
            ("floor", lambda: _floor(log)),
            ("validate_1", lambda: _validator(log, 1)),
            ("validate_2", lambda: _validator(log, 2)),
            ("broken_1", lambda: _validator(bad, 1)),
            ("broken_2", lambda: _validator(bad, 2)),
        ):
            seconds, cpu, events = _timed(fn)
            if seconds < times.get(name, float("inf")):
                times[name] = seconds
                cpus[name] = cpu
    per_event, sampled = _jsonschema_sample(log, args.sample)
    times["jsonschema_1"] = cpus["jsonschema_1"] = per_event * events

    floor = times["floor"]
    rows = []
    for name, label in (
        ("floor", "orjson.loads (floor), 1 process"),
        ("validate_1", "validate, 1 process"),
        ("validate_2", "validate, 2 processes"),
        ("broken_1", "validate, 1% broken lines, 1 process"),
        ("broken_2", "validate, 1% broken lines, 2 processes"),
        ("jsonschema_1", f"Python jsonschema, 1 process ({sampled} lines)"),
    ):
        rows.append(
            {
                "name": name,
                "label": label,
                "seconds": round(times[name], 4),
                "cpu_seconds": round(cpus[name], 4),
                "events_per_second": round(events / times[name]),
                "mb_per_second": round(size / times[name] / 1e6, 1),
                "ratio_to_floor": round(times[name] / floor, 3),
            }
        )
    figures = {
        "events": events,
        "megabytes": round(size / 1e6, 1),
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "load_average_before": load_before,
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "rows": rows,
        "ratio_1_process": round(times["validate_1"] / floor, 3),
        "speedup_2_processes": round(times["validate_1"] / times["validate_2"], 3),
        # What 2 processes would give on two otherwise idle cores: CPU time split in two.
        "cpu_speedup_2_processes": round(cpus["validate_1"] / (cpus["validate_2"] / 2), 3),
        "whole_process": whole,
    }
    print(
        f"{events} events, {size / 1e6:.1f} MB, best of {args.repeat}; "
        f"load average {load_before[0]} before, {figures['load_average_after'][0]} after"
    )
    print(f"{'':44} {'events/s':>11} {'MB/s':>7} {'x floor':>8} {'CPU s':>7}")
    for row in rows:
        print(
            f"{row['label']:44} {row['events_per_second']:>11,} {row['mb_per_second']:>7} "
            f"{row['ratio_to_floor']:>8} {row['cpu_seconds']:>7}"
        )
    print(f"validate / floor, 1 process: {figures['ratio_1_process']} (target <= 1.5)")
    print(f"speed-up, 2 processes over 1: {figures['speedup_2_processes']} (target >= 1.7)")
    print(
        "speed-up from CPU time (two idle cores): "
        f"{figures['cpu_speedup_2_processes']}; load average {figures['load_average_after']}"
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


def _print_whole(whole: dict[str, Any], repeat: int, load: list[float]) -> None:
    seconds = whole["seconds"]
    cpu = whole["cpu_seconds"]
    print(f"whole processes, {repeat} rounds (median [min-max]); load average {load[0]}")
    for key, label in (
        ("floor", "orjson.loads floor, whole process"),
        ("floor_halves", "two floors side by side, half the log each"),
        ("jobs_1", "validate --jobs 1"),
        ("jobs_2", "validate --jobs 2"),
        ("start_floor", "start-up: floor on a one-line file"),
        ("start_validate", "start-up: validate on a one-line file"),
    ):
        row, used = seconds[key], cpu[key]
        print(
            f"  {label:44} {row['median']:8.3f} s [{row['min']:.3f}-{row['max']:.3f}]"
            f"  CPU {used['median']:.3f} s [{used['min']:.3f}-{used['max']:.3f}]"
        )
    for key, label in (
        ("ratio_1_process", "validate --jobs 1 / floor (target <= 1.5)"),
        ("cpu_ratio_1_process", "the same in CPU seconds"),
        ("speedup_2_processes", "--jobs 2 speed-up over --jobs 1 (target >= 1.7)"),
        ("floor_speedup_2_processes", "the floor's own speed-up on two processes"),
        ("speedup_over_floor_speedup", "--jobs 2 speed-up / the floor's"),
    ):
        row = whole[key]
        print(f"  {label:52} {row['median']:.3f} [{row['min']:.3f}-{row['max']:.3f}]")


if __name__ == "__main__":
    sys.exit(main())
