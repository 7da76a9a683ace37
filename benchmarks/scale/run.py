"""Scale benchmark: events/s per core for each engine, Ray's fixed costs, export vs validate.

Every figure is a whole process (as users run them), timed from outside, in a fresh
process per run; the spread is shown (median, min, max over ``--runs``). Local commands
are also measured in CPU seconds (user + system of the process), the figure that holds
on a loaded machine. Bytecode is written and read as in an installed package
(``PYTHONDONTWRITEBYTECODE`` is dropped, and each command runs once before timing).
Inputs come from ``benchmarks/validate/generate.py`` (VT Code-shaped threads), cut into
``--files`` session files for the engines that spread files over workers. The run ends
with a summary of the figures; ``--json`` keeps them all.

    python benchmarks/scale/run.py --events 100000 --runs 5 [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
GENERATE = HERE.parent / "validate" / "generate.py"
CLI = [sys.executable, "-c", "from vtcode_exec_events.cli import main; main()"]


#: No command may take longer than this (seconds): the run stays bounded, unattended.
TIMEOUT = 600
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def measured(args: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one whole process (it must succeed)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        args, capture_output=True, env={**ENV, **(env or {})}, check=False, timeout=TIMEOUT
    )
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args[3:])} failed: {done.stderr.decode()[-800:]}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return elapsed, cpu


def timed(args: list[str], env: dict[str, str] | None = None) -> float:
    """Wall time of one whole process (it must succeed)."""
    return measured(args, env)[0]


def spread(samples: list[float]) -> dict[str, float]:
    return {
        "median": round(statistics.median(samples), 3),
        "min": round(min(samples), 3),
        "max": round(max(samples), 3),
    }


def split(log: Path, folder: Path, files: int) -> None:
    """Cut a log into ``files`` files at thread boundaries (whole sessions per file)."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = log.read_bytes().splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if b'"thread.started"' in line] + [len(lines)]
    per = max(1, (len(starts) - 1) // files)
    for n, first in enumerate(range(0, len(starts) - 1, per)):
        last = starts[min(first + per, len(starts) - 1)]
        (folder / f"session-{n:05d}.jsonl").write_bytes(b"".join(lines[starts[first] : last]))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def ray_cluster(cpus: int) -> tuple[str, float]:
    ray = shutil.which("ray", path=os.path.dirname(sys.executable)) or "ray"
    port = free_port()
    command = [ray, "start", "--head", f"--port={port}", f"--num-cpus={cpus}",
               "--include-dashboard=false", "--node-ip-address=127.0.0.1",
               "--disable-usage-stats"]  # fmt: skip
    env = {**os.environ, "RAY_raylet_start_wait_time_s": "180"}
    for _ in range(3):  # a loaded machine can make the raylet give up on its agents
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, env=env, check=False, timeout=TIMEOUT)
        if done.returncode == 0:
            break
        ray_stop()
    else:
        raise SystemExit(f"ray start failed: {done.stderr.decode()[-800:]}")
    return f"127.0.0.1:{port}", time.perf_counter() - start


def ray_stop() -> None:
    ray = shutil.which("ray", path=os.path.dirname(sys.executable)) or "ray"
    subprocess.run([ray, "stop", "--force"], capture_output=True, check=False, timeout=TIMEOUT)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--files", type=int, default=32)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--ray-runs", type=int, default=3, help="runs per Ray figure")
    parser.add_argument("--no-ray", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    os.environ.setdefault("RAY_AUTH_MODE", "disabled")  # the cluster and its clients agree
    results: dict[str, Any] = {"events": args.events, "files": args.files, "runs": args.runs}
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        log = root / "events.jsonl"
        subprocess.run(
            [sys.executable, str(GENERATE), str(log), "--events", str(args.events)],
            check=True,
            capture_output=True,
        )
        lines = sum(1 for _ in log.open("rb"))
        results["lines"] = lines
        results["bytes"] = log.stat().st_size
        folder = root / "sessions"
        split(log, folder, args.files)
        runs = args.runs
        tiny = root / "tiny.jsonl"  # fixed costs: a 6-line file
        tiny.write_bytes(b"".join(log.open("rb").readlines()[:6]))
        commands = {
            "validate": [*CLI, "validate", "--jobs", "1", "-q", str(log)],
            "export_parquet": [*CLI, "export", str(log), "-o", str(root / "out.parquet")],
            "export_folder": [*CLI, "export", str(folder), "-o", str(root / "out-local.parquet")],
            "validate_6_lines": [*CLI, "validate", "--jobs", "1", "-q", str(tiny)],
            "export_6_lines": [*CLI, "export", str(tiny), "-o", str(root / "tiny.parquet")],
        }
        for command in commands.values():  # bytecode written, caches warm
            measured(command)
        wall: dict[str, list[float]] = {name: [] for name in commands}
        cpu: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(runs):  # interleaved, so contention hits each alike
            for name, command in commands.items():
                seconds, used = measured(command)
                wall[name].append(seconds)
                cpu[name].append(used)

        def ratio(samples: dict[str, list[float]], top: str, bottom: str) -> dict[str, float]:
            return spread([a / b for a, b in zip(samples[top], samples[bottom], strict=True)])

        results["local"] = {name: spread(s) for name, s in wall.items()}
        results["local_cpu_s"] = {name: spread(s) for name, s in cpu.items()}
        results["export_over_validate"] = ratio(wall, "export_parquet", "validate")
        results["export_over_validate_cpu"] = ratio(cpu, "export_parquet", "validate")
        results["export_over_validate_6_lines"] = ratio(wall, "export_6_lines", "validate_6_lines")
        results["local_events_per_s_per_core"] = round(
            lines / statistics.median(wall["export_folder"])
        )
        if not args.no_ray:
            ray_results: dict[str, Any] = {}
            one = root / "one.jsonl"  # a job's fixed cost: a 1-line file
            one.write_bytes(log.read_bytes().split(b"\n", 1)[0] + b"\n")
            for cpus in (1, 2):
                address, startup = ray_cluster(cpus)
                env = {"RAY_ADDRESS": address}
                try:
                    fixed = [
                        timed(
                            [
                                *CLI,
                                "export",
                                "--engine",
                                "ray",
                                str(one),
                                "-o",
                                str(root / f"t{cpus}"),
                            ],
                            env,
                        )
                        for _ in range(args.ray_runs)
                    ]
                    full = [
                        timed(
                            [
                                *CLI,
                                "export",
                                "--engine",
                                "ray",
                                str(folder),
                                "-o",
                                str(root / f"r{cpus}"),
                            ],
                            env,
                        )
                        for _ in range(args.ray_runs)
                    ]
                finally:
                    ray_stop()
                work = statistics.median(full) - statistics.median(fixed)
                ray_results[f"{cpus}_cpu"] = {
                    "cluster_start_s": round(startup, 2),
                    "job_fixed_cost_s": spread(fixed),
                    "export_s": spread(full),
                    "events_per_s_per_core": round(lines / statistics.median(full) / cpus),
                    "events_per_s_over_local": round(
                        lines / statistics.median(full) / results["local_events_per_s_per_core"], 2
                    ),
                    # None when the fixed cost cannot be told from the noise (contention)
                    "events_per_s_per_core_after_fixed_cost": (
                        round(lines / work / cpus) if work > 0.1 * statistics.median(full) else None
                    ),
                }
            results["ray"] = ray_results
    results["cpus_on_machine"] = os.cpu_count()
    results["load_average"] = os.getloadavg()
    text = json.dumps(results, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")
    print(summary(results))


def _figure(values: dict[str, float], unit: str = "") -> str:
    return f"{values['median']}{unit} ({values['min']}-{values['max']})"


def summary(results: dict[str, Any]) -> str:
    """The figures the plan rests on, one line each (median (min-max))."""
    out = [
        f"events: {results['lines']:,} ({results['bytes'] / 1e6:.1f} MB), "
        f"{results['runs']} runs, load average {results['load_average'][0]:.1f} "
        f"on {results['cpus_on_machine']} CPUs",
        f"export / validate --jobs 1 (wall): {_figure(results['export_over_validate'], 'x')}",
        f"export / validate --jobs 1 (CPU):  {_figure(results['export_over_validate_cpu'], 'x')}",
        f"export / validate, 6-line file (fixed costs): "
        f"{_figure(results['export_over_validate_6_lines'], 'x')}",
        f"local engine: {results['local_events_per_s_per_core']:,} events/s per core",
    ]
    for cpus, ray in results.get("ray", {}).items():
        out.append(
            f"Ray {cpus.replace('_', ' ')}: start-up {ray['cluster_start_s']} s, "
            f"job fixed cost {_figure(ray['job_fixed_cost_s'], ' s')}, "
            f"{ray['events_per_s_per_core']:,} events/s per core, "
            f"throughput {ray['events_per_s_over_local']}x the local engine"
        )
    return "\n".join(out)


if __name__ == "__main__":
    main()
