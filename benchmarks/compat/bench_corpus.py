"""``compat`` over real schema histories: crashes, timeouts, time per pair, ratio to load+resolve.

Run: ``python benchmarks/compat/bench_corpus.py --label before`` after building the corpus with
``benchmarks/compat/corpus.py`` (``nox -s bench_compat_corpus`` does both). Each pair of the corpus
is compared the way ``vtcode-exec-events compat OLD NEW`` compares it (strict policy, witnesses,
text rendering) inside a worker process with an address-space limit; the parent kills the worker
when one pair runs past the deadline (30 s) and starts a fresh one; a worker is also replaced
every ``--recycle`` pairs and after a crash or a timeout, so no pair inherits a broken state.
Rows are written as they come (``.rows.jsonl``; ``--resume`` goes on). For each pair the worker
first measures the floor: load both sides and resolve every ``$ref`` once (what any comparison
must do), then the comparison itself (which loads again), so ``ratio`` = compare / floor.

Outcomes: ``ok`` (a verdict), ``error`` (a one-line error the CLI prints with exit 2, classified),
``crash`` (anything else: a traceback, MemoryError, or the worker dying), ``timeout``. The result
goes to ``benchmarks/results/compat-corpus-<label>.json`` and a text table next to it.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import os
import platform
import resource
import select
import signal
import statistics
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "benchmarks" / ".data" / "compat-corpus"
RESULTS = ROOT / "benchmarks" / "results"
MEMORY = 4 * 1024**3

ERROR_CLASSES = (
    ("remote $ref (not fetched)", "remote references are never fetched"),
    ("unresolvable $ref", "cannot resolve $ref"),
    ("invalid regex", "regular expression"),
    ("invalid regex", "is not a 'regex'"),
    ("invalid regex", 'is not a "regex"'),
    ("nesting / recursion", "nest too deeply"),
    ("cycle", "cycle"),
    ("invalid schema", "not a valid"),
)


# -- the worker: one pair per request line, one JSON line back ------------------------------------


def _refs(node: Any, out: list[tuple[str, str]], base: str) -> None:
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str):
                out.append((base, ref))
            stack.extend(v for k, v in item.items() if k not in ("enum", "const", "default"))
        elif isinstance(item, list):
            stack.extend(item)


def _floor(old: Path, new: Path) -> tuple[float, int]:
    """Load both sides and resolve every ``$ref`` once; unresolvable ones are counted."""
    from vtcode_exec_events.compat.loader import load_path

    start = time.perf_counter()
    missing = 0
    for path in (old, new):
        schemas = load_path(path)
        refs: list[tuple[str, str]] = []
        for uri, doc in schemas.documents.items():
            _refs(doc.contents, refs, uri)
        for base, ref in refs:
            try:
                schemas.registry.resolver(base_uri=base).lookup(ref)
            except Exception:
                missing += 1
    return time.perf_counter() - start, missing


def _compare(old: Path, new: Path) -> dict[str, Any]:
    from vtcode_exec_events.compat.api import compare_paths
    from vtcode_exec_events.compat.config import Policy
    from vtcode_exec_events.compat.formats import render

    start, cpu = time.perf_counter(), time.process_time()
    report = compare_paths(old, new, Policy(name="strict", witnesses=True))
    text = render(report, "text", "backward")
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    undecided = sum(1 for c in report.changes if getattr(c, "decided", True) is False)
    return {
        "compare_s": elapsed,
        "compare_cpu_s": cpu,
        "changes": len(report.changes),
        "breaking": sum(1 for c in report.changes if c.breaking),
        "undecided": undecided,
        "backward": report.backward,
        "forward": report.forward,
        "output_bytes": len(text.encode()),
    }


def classify(message: str) -> str:
    low = message.lower()
    for name, marker in ERROR_CLASSES:
        if marker.lower() in low:
            return name
    return "other error"


def run_one(old: Path, new: Path) -> dict[str, Any]:
    """What the CLI would do with this pair, timed; exceptions it catches are errors."""
    from vtcode_exec_events.compat.config import ConfigError
    from vtcode_exec_events.errors import VtcodeExecEventsError

    row: dict[str, Any] = {}
    try:
        row["floor_s"], row["unresolved_refs"] = _floor(old, new)
    except (VtcodeExecEventsError, RecursionError):
        row["floor_s"] = None
    try:
        row.update(_compare(old, new))
    except (VtcodeExecEventsError, ConfigError) as err:
        message = str(err).splitlines()[0] if str(err) else type(err).__name__
        row.update(status="error", cls=classify(message), message=message[:400])
        row["message_chars"] = len(str(err))
        return row
    except RecursionError:
        row.update(status="error", cls="nesting / recursion", message="RecursionError")
        return row
    except BaseException as err:
        last = traceback.format_exception_only(type(err), err)[-1].strip()
        row.update(status="crash", cls=type(err).__name__, message=last[:400])
        return row
    row["status"] = "ok"
    if row.get("floor_s"):
        row["ratio"] = row["compare_s"] / row["floor_s"]
    return row


def worker() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    for line in sys.stdin:
        request = json.loads(line)
        row = run_one(Path(request["old"]), Path(request["new"]))
        row["id"] = request["id"]
        sys.stdout.write(json.dumps(row) + "\n")
        sys.stdout.flush()


# -- the parent: deadlines, fresh workers, statistics ---------------------------------------------


class Worker:
    """A worker process with a pipe; killed (its whole group) on a deadline."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
            text=True,
        )
        self.served = 0

    def ask(self, request: dict[str, Any], timeout: float) -> dict[str, Any]:
        assert self.proc.stdin is not None
        assert self.proc.stdout is not None
        started = time.perf_counter()
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        wall = time.perf_counter() - started
        if not ready:
            self.kill()
            return {"status": "timeout", "cls": f"over {timeout:.0f} s (killed)", "wall_s": wall}
        line = self.proc.stdout.readline()
        wall = time.perf_counter() - started
        if not line:
            code = self.proc.wait()
            tail = (self.proc.stderr.read() if self.proc.stderr else "").strip().splitlines()
            why = f"signal {-code}" if code < 0 else f"exit {code}"
            return {
                "status": "crash",
                "cls": f"worker died ({why})",
                "message": (tail[-1] if tail else "")[:400],
                "wall_s": wall,
            }
        self.served += 1
        row: dict[str, Any] = json.loads(line)
        row["wall_s"] = wall
        return row

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


def summary(rows: list[dict[str, Any]], timeout: float) -> dict[str, Any]:
    def dist(values: list[float]) -> dict[str, float]:
        if not values:
            return {}
        return {
            "min": min(values),
            "median": statistics.median(values),
            "p95": percentile(values, 0.95),
            "max": max(values),
        }

    counts: dict[str, int] = {}
    classes: dict[str, int] = {}
    for r in rows:
        if r["status"] == "error" and r.get("message"):
            r["cls"] = classify(r["message"])  # the current classes, also for older rows
        counts[r["status"]] = counts.get(r["status"], 0) + 1
        if r["status"] != "ok":
            key = f"{r['status']}: {r.get('cls', '')}"
            classes[key] = classes.get(key, 0) + 1
    # every pair that got an answer (a verdict or a clean error) counts with its time; a timeout
    # counts as the deadline (a lower bound)
    times = [r["compare_s"] for r in rows if "compare_s" in r]
    answered = [r.get("compare_s", r.get("wall_s", 0.0)) for r in rows if r["status"] != "timeout"]
    answered += [timeout for r in rows if r["status"] == "timeout"]
    return {
        "pairs": len(rows),
        "counts": counts,
        "classes": dict(sorted(classes.items(), key=lambda kv: -kv[1])),
        "compare_s": dist(times),
        "compare_cpu_s": dist([r["compare_cpu_s"] for r in rows if "compare_cpu_s" in r]),
        "all_pairs_s": dist(answered),
        "floor_s": dist([r["floor_s"] for r in rows if r.get("floor_s")]),
        "ratio": dist([r["ratio"] for r in rows if "ratio" in r]),
        "over_2s": sum(1 for t in answered if t > 2.0),
        "undecided_changes": sum(r.get("undecided", 0) for r in rows),
        "breaking_pairs": sum(1 for r in rows if r.get("breaking")),
    }


def table(result: dict[str, Any]) -> str:
    s = result["summary"]
    c = s["counts"]

    def ms(d: dict[str, float], key: str) -> str:
        return f"{d[key] * 1000:.0f} ms" if key in d else "-"

    def x(d: dict[str, float], key: str) -> str:
        return f"{d[key]:.1f}×" if key in d else "-"

    lines = [
        f"compat corpus benchmark ({result['label']}): {s['pairs']} pairs, engine "
        f"{result['commit'][:10]}, {result['machine']}",
        "",
        "| pairs | ok | errors | crashes | timeouts | median | p95 | max | ratio median | "
        "ratio p95 | ratio max |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
        f"| {s['pairs']} | {c.get('ok', 0)} | {c.get('error', 0)} | {c.get('crash', 0)} | "
        f"{c.get('timeout', 0)} | {ms(s['all_pairs_s'], 'median')} | "
        f"{ms(s['all_pairs_s'], 'p95')} | {ms(s['all_pairs_s'], 'max')} | "
        f"{x(s['ratio'], 'median')} | {x(s['ratio'], 'p95')} | {x(s['ratio'], 'max')} |",
        "",
        f"floor (load + resolve both sides): median {ms(s['floor_s'], 'median')}, "
        f"p95 {ms(s['floor_s'], 'p95')}, max {ms(s['floor_s'], 'max')}; "
        f"pairs over 2 s: {s['over_2s']}",
        f"CPU per comparison (this process only: contention-free): median "
        f"{ms(s.get('compare_cpu_s', {}), 'median')}, p95 {ms(s.get('compare_cpu_s', {}), 'p95')}, "
        f"max {ms(s.get('compare_cpu_s', {}), 'max')}",
        "",
        "outcomes other than a verdict:",
    ]
    lines += [f"  {n:5d}  {k}" for k, n in s["classes"].items()] or ["  none"]
    failed = [r for r in result["pairs"] if r["status"] != "ok"]
    if failed:
        lines += ["", "pairs without a verdict (pair: outcome: message):"]
        for r in sorted(failed, key=lambda r: (r["status"], r.get("cls", ""), r["id"])):
            message = (r.get("message") or "")[:160]
            lines.append(f"  {r['id']}: {r['status']}: {r.get('cls', '')}: {message}")
    return "\n".join(lines) + "\n"


def drive(entries: list[dict[str, Any]], args: argparse.Namespace, sink: Any) -> None:
    """Run the entries on ``args.jobs`` workers; each row goes to ``sink`` as it comes."""
    queue = collections.deque(enumerate(entries, 1))
    lock = threading.Lock()
    started = time.time()

    def lane() -> None:
        current: Worker | None = None
        while True:
            with lock:
                if not queue:
                    break
                i, entry = queue.popleft()
            if current is None or current.served >= args.recycle:
                if current is not None:
                    current.close()
                current = Worker()
            request = {
                "id": entry["id"],
                "old": str(args.corpus / entry["old"]),
                "new": str(args.corpus / entry["new"]),
            }
            row = current.ask(request, args.timeout)
            row.update(id=entry["id"], repo=entry["repo"])
            if row["status"] in ("crash", "timeout"):  # the worker is dead or suspect
                if current.proc.poll() is None:
                    current.kill()
                current = None
            with lock:
                sink.write(json.dumps(row) + "\n")
                sink.flush()
                if row["status"] != "ok":
                    print(f"[{i}/{len(entries)}] {row['status']}: {entry['id']}: {row.get('cls')}")
                elif i % 100 == 0:
                    print(f"[{i}/{len(entries)}] {time.time() - started:.0f} s", flush=True)
        if current is not None:
            current.close()

    lanes = [threading.Thread(target=lane) for _ in range(max(1, args.jobs))]
    for t in lanes:
        t.start()
    for t in lanes:
        t.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--label", default="run")
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--recycle", type=int, default=25, help="pairs per worker process")
    parser.add_argument("--jobs", type=int, default=1, help="workers side by side")
    parser.add_argument("--limit", type=int, default=0, help="only the first N pairs")
    parser.add_argument("--every", type=int, default=1, help="only every K-th pair (a sample)")
    parser.add_argument("--only", default="", help="only pairs whose id contains this")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--resume", action="store_true", help="keep the rows already written")
    parser.add_argument(
        "--report-only", action="store_true", help="summarise the rows already written"
    )
    parser.add_argument("--commit", default="", help="the engine's commit (default: HEAD here)")
    args = parser.parse_args()
    if args.worker:
        worker()
        return
    manifest = args.corpus / "manifest.jsonl"
    if not manifest.is_file():
        sys.exit(f"{manifest}: no corpus; run benchmarks/compat/corpus.py first")
    entries = [json.loads(line) for line in manifest.read_text(encoding="utf-8").splitlines()]
    if args.only:
        entries = [e for e in entries if args.only in e["id"]]
    entries = entries[:: max(1, args.every)]
    if args.limit:
        entries = entries[: args.limit]
    out = args.out or RESULTS / f"compat-corpus-{args.label}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    rows_path = out.with_suffix(".rows.jsonl")
    done: dict[str, dict[str, Any]] = {}
    if (args.resume or args.report_only) and rows_path.is_file():
        for line in rows_path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            done[row["id"]] = row
    started = time.time()
    if not args.report_only:
        with rows_path.open("a" if args.resume else "w", encoding="utf-8") as sink:
            drive([e for e in entries if e["id"] not in done], args, sink)
    wanted = {e["id"] for e in entries}
    rows = [
        r
        for r in (json.loads(x) for x in rows_path.read_text(encoding="utf-8").splitlines())
        if r["id"] in wanted
    ]
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    commit = (
        args.commit
        or subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    )
    load = os.getloadavg()
    result = {
        "label": args.label,
        "commit": commit,
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": (
            f"{os.cpu_count()} cores, load {load[0]:.1f}, python {platform.python_version()}, "
            f"{args.jobs} worker(s)"
        ),
        "timeout_s": args.timeout,
        "peak_worker_rss_mb": peak / 1024,
        "wall_s": time.time() - started,
        "summary": summary(rows, args.timeout),
        "pairs": rows,
    }
    if args.report_only and out.is_file():  # keep what the run itself recorded
        before = json.loads(out.read_text(encoding="utf-8"))
        for key in ("commit", "date", "machine", "peak_worker_rss_mb", "wall_s"):
            result[key] = before.get(key, result[key])
    out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    text = table(result)
    out.with_suffix(".txt").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
