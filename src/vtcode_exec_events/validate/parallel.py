"""Run validation tasks, in this process or spread over worker processes (``--jobs N``).

A task is a whole input or, for a large plain file, a byte range that ends at a newline.
Workers number lines from 1 within their task; results come back in task order and the
caller shifts them by the lines of the earlier tasks of the same file, so reports read
exactly as a serial run would. Standard input is always read by this process.
"""

from __future__ import annotations

import dataclasses
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from vtcode_exec_events.validate import reader, structs
from vtcode_exec_events.validate.checker import Checker
from vtcode_exec_events.validate.result import FileResult, Issue

__all__ = ["RANGE_SIZE", "Task", "plan", "run_task", "run_tasks", "shift"]

#: A plain file larger than this is cut into ranges of about this size for the workers.
RANGE_SIZE = 4 << 20
#: At most this many ranges per file: small ranges keep the last one short (the other
#: workers are idle while it runs); each costs an open, a seek and a result sent back.
MAX_RANGES = 256

Progress = Callable[[int], None]
#: Receives the issues of each block of lines as soon as it is checked (in line order).
Sink = Callable[[list[Issue]], None]


@dataclass(frozen=True)
class Task:
    """One unit of work: ``path`` whole (``end is None``) or the bytes ``[start, end)``."""

    path: str
    index: int
    start: int = 0
    end: int | None = None
    #: The last task of its file (the one whose last line may lack a newline).
    last: bool = True

    @property
    def size(self) -> int:
        return 0 if self.end is None else self.end - self.start


def _splittable(path: str) -> bool:
    if path == reader.STDIN:
        return False
    try:
        return os.path.isfile(path) and not reader.is_gzip(path)
    except OSError:
        return False


def plan(paths: Sequence[str], jobs: int) -> list[Task]:
    """Tasks for every path, in order; large plain files are cut when ``jobs > 1``."""
    tasks: list[Task] = []
    for index, path in enumerate(paths):
        if jobs > 1 and _splittable(path):
            size = os.path.getsize(path)
            parts = max(1, min(size // RANGE_SIZE, MAX_RANGES))
            if parts > 1:
                ranges = reader.split_ranges(path, int(parts))
                for n, (start, end) in enumerate(ranges):
                    tasks.append(Task(path, index, start, end, last=n == len(ranges) - 1))
                continue
        tasks.append(Task(path, index))
    return tasks


#: Most lines checked at once: a 1 MB block can hold a million short lines, and a checked
#: part holds the issues of all its lines until they are recorded.
PART_LINES = 4096


def _parts(blocks: Iterator[reader.Block]) -> Iterator[reader.Block]:
    """Each block in parts of at most :data:`PART_LINES` lines: the block's flags on its
    last part, each over-long line's index relative to its part."""
    for block in blocks:
        lines = block.lines
        if len(lines) <= PART_LINES:
            yield block
            continue
        for start in range(0, len(lines), PART_LINES):
            end = start + PART_LINES
            last = end >= len(lines)
            yield reader.Block(
                lines[start:end],
                unterminated=block.unterminated and last,
                broken=block.broken and last,
                oversize=tuple((i - start, n) for i, n in block.oversize if start <= i < end),
            )


def run_task(
    task: Task,
    checker: Checker,
    progress: Progress | None = None,
    *,
    keep: int | None = None,
    sink: Sink | None = None,
) -> FileResult:
    """Validate one task; lines are numbered from 1 within it; never raises for bad input.

    The result keeps at most ``keep`` issues (``None``: all) and counts every one by
    group; ``sink`` also receives each block's issues as soon as it is checked.
    """
    name = reader.display_name(task.path)
    result = FileResult(path=name, keep=keep)
    number = 1
    seen = 0
    try:
        with reader.open_input(task.path) as source:
            consumed = source.consumed
            if task.end is not None:
                source.stream.seek(task.start)
            limit = None if task.end is None else task.end - task.start
            blocks = reader.blocks(
                source,
                limit=limit,
                block_size=reader.LINE_BLOCK,
                max_line=checker.max_line,
                newlines=True,
            )
            for block in _parts(blocks):
                found = checker.check_lines(
                    block.lines,
                    number,
                    name,
                    unterminated=block.unterminated and task.last,
                    broken=block.broken,
                    oversize=block.oversize,
                )
                number += found.lines
                result.lines += found.lines
                result.valid += found.valid
                result.invalid += found.invalid
                result.warnings += found.warnings
                result.record(found.issues)
                if sink is not None and found.issues:
                    sink(found.issues)
                if progress is not None:
                    now = consumed() - task.start if task.end is not None else consumed()
                    progress(now - seen)
                    seen = now
    except reader.InputError as exc:
        result.error = str(exc)
    return result


def shift(result: FileResult, lines_before: int) -> list[Issue]:
    """The issues of a task's result, numbered within the whole file."""
    if not lines_before:
        return result.issues
    return [dataclasses.replace(i, line=i.line + lines_before) for i in result.issues]


_worker_checker: Checker | None = None
_worker_keep: int | None = None


def _init_worker(settings: dict[str, Any], keep: int | None) -> None:
    global _worker_checker, _worker_keep
    # Ctrl-C is the parent's to handle: it stops the pool; workers never print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_checker = Checker(**settings)
    _worker_keep = keep


def _work(task: Task) -> FileResult:
    assert _worker_checker is not None
    return run_task(task, _worker_checker, keep=_worker_keep)


def _context() -> Any:
    import multiprocessing  # only with workers: it costs a one-process run's start-up

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def run_tasks(
    tasks: Sequence[Task],
    checker: Checker,
    jobs: int,
    progress: Progress | None = None,
    *,
    keep: int | None = None,
    sink: Callable[[Task], Sink | None] | None = None,
) -> Iterator[tuple[Task, FileResult]]:
    """Each task with its result, in task order; ``jobs > 1`` uses worker processes.

    A task run in this process streams its issues to ``sink(task)`` (when that gives a
    sink); a worker's result keeps at most ``keep`` issues (all are counted by group).
    """
    remote = [t for t in tasks if t.path != reader.STDIN]

    def here(task: Task) -> FileResult:
        own = sink(task) if sink is not None else None
        return run_task(task, checker, progress, keep=0 if own else keep, sink=own)

    if jobs <= 1 or len(remote) <= 1:
        for task in tasks:
            yield task, here(task)
        return
    context = _context()
    workers = min(jobs, len(remote))
    # Built once here, inherited by forked workers: the msgspec types of the default version
    # (the rest, for lines that fail, is built in a worker when first needed).
    structs.compile_version(checker.version)
    structs.compile_version(checker.version, raw_texts=True)
    # The checker's settings (its init fields), so the workers build the same checker.
    settings = {f.name: getattr(checker, f.name) for f in dataclasses.fields(checker) if f.init}
    with context.Pool(workers, initializer=_init_worker, initargs=(settings, keep)) as pool:
        results = pool.imap(_work, remote, chunksize=1)
        for task in tasks:
            if task.path == reader.STDIN:
                yield task, here(task)
                continue
            result = next(results)
            if progress is not None:
                progress(task.size or _file_size(task.path))
            yield task, result


def _file_size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0
