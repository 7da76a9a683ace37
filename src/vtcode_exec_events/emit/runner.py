"""Run shell commands as ``command_execution`` items: started, throttled updates, completed.

The Python counterpart of ``vtcode-bash-runner``'s ``EventfulExecutor``: every command gets
a stable item id (``cmd-1``, ``cmd-2``, ... with a configurable prefix), an ``item.started``
event, ``item.updated`` events carrying the output aggregated so far (throttled), and an
``item.completed`` event with the exit code and a ``completed`` or ``failed`` status.
``CommandRunner`` uses threads and ``subprocess``; ``AsyncCommandRunner`` asyncio
subprocesses. Neither lets an exception escape for a command that fails, times out, is
killed or cannot start, unless ``check=True``.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import itertools
import os
import queue
import shlex
import signal
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any

from vtcode_exec_events.emit.base import Emitter, isolate
from vtcode_exec_events.emit.items import item_completed, item_started, item_updated
from vtcode_exec_events.errors import VtcodeExecEventsError
from vtcode_exec_events.models.v0_11_0 import CommandExecutionItem, CommandExecutionStatus

__all__ = [
    "AsyncCommandRunner",
    "CommandFailedError",
    "CommandResult",
    "CommandRunner",
]

_CHUNK = 64 * 1024
_POSIX = os.name == "posix"


@dataclass(frozen=True)
class CommandResult:
    """What a run produced: the item's final state, and why it failed if it did."""

    item_id: str
    command: str
    status: CommandExecutionStatus
    #: The process's exit code; ``None`` if it never started or was ended by a signal.
    exit_code: int | None
    #: The aggregated output (stdout and stderr merged), including the runner's note on
    #: why the command failed when that is not an exit code.
    output: str
    #: Why the run failed (``None`` on success), e.g. ``exit code 2`` or ``timed out after 5 s``.
    reason: str | None
    timed_out: bool
    duration: float

    @property
    def ok(self) -> bool:
        return self.status is CommandExecutionStatus.completed


class CommandFailedError(VtcodeExecEventsError, RuntimeError):
    """A command failed and the run asked for ``check=True``; ``result`` says how."""

    def __init__(self, result: CommandResult) -> None:
        self.result = result
        super().__init__(f"command {result.command!r} failed: {result.reason}")


def _command_text(command: str | Sequence[str]) -> str:
    return command if isinstance(command, str) else shlex.join(command)


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


class _Tracker:
    """The item of one run: aggregates output, decides when an update is due, emits events."""

    def __init__(self, runner: _Settings, item_id: str, command: str, arguments: Any) -> None:
        self.runner = runner
        self.item_id = item_id
        self.command = command
        self.arguments = arguments
        self.decoder = codecs.getincrementaldecoder(runner.encoding)(errors="replace")
        self.output = ""
        self.pending = 0
        self.started_at = time.monotonic()
        self.last_update = self.started_at

    def item(self, status: CommandExecutionStatus, exit_code: int | None = None) -> Any:
        return CommandExecutionItem(
            id=self.item_id,
            command=self.command,
            arguments=self.arguments,
            aggregated_output=self.output,
            exit_code=exit_code,
            status=status,
        )

    def start(self) -> None:
        self.runner.emit(item_started(self.item(CommandExecutionStatus.in_progress)))

    def _append(self, text: str) -> None:
        output = self.output + text
        limit = self.runner.max_output
        if limit is not None and len(output) > limit:
            output = output[-limit:]
        self.output = output

    def feed(self, data: bytes) -> None:
        self._append(self.decoder.decode(data))
        self.pending += len(data)

    def due_in(self, now: float) -> float | None:
        """Seconds until an update is due (0: now), or ``None`` if nothing is pending."""
        if not self.pending:
            return None
        size = self.runner.update_bytes
        if size is not None and self.pending >= size:
            return 0.0
        interval = self.runner.update_interval
        if interval is None:
            return None
        return max(0.0, self.last_update + interval - now)

    def maybe_update(self, now: float) -> None:
        if self.due_in(now) == 0.0:
            self.pending = 0
            self.last_update = now
            self.runner.emit(item_updated(self.item(CommandExecutionStatus.in_progress)))

    def finish(
        self, exit_code: int | None, reason: str | None, note: str | None, timed_out: bool
    ) -> CommandResult:
        self._append(self.decoder.decode(b"", final=True))
        if note:
            self._append(("\n" if self.output and not self.output.endswith("\n") else "") + note)
        status = (
            CommandExecutionStatus.completed if reason is None else CommandExecutionStatus.failed
        )
        self.runner.emit(item_completed(self.item(status, exit_code)))
        return CommandResult(
            item_id=self.item_id,
            command=self.command,
            status=status,
            exit_code=exit_code,
            output=self.output,
            reason=reason,
            timed_out=timed_out,
            duration=time.monotonic() - self.started_at,
        )


def _outcome(returncode: int) -> tuple[int | None, str | None, str | None]:
    """``(exit_code, reason, note)`` for a finished process."""
    if returncode == 0:
        return 0, None, None
    if returncode > 0:
        return returncode, f"exit code {returncode}", None
    name = _signal_name(-returncode)
    return None, f"killed by {name}", f"[killed by {name}]"


class _Settings:
    """What both runners share: the emitter, the id sequence and the throttling policy."""

    def __init__(
        self,
        emitter: Emitter,
        *,
        id_prefix: str = "cmd-",
        first_id: int = 1,
        update_interval: float | None = 0.25,
        update_bytes: int | None = None,
        timeout: float | None = None,
        terminate_grace: float = 1.0,
        max_output: int | None = None,
        capture_stderr: bool = True,
        encoding: str = "utf-8",
        check: bool = False,
    ) -> None:
        self.emit = isolate(emitter)
        self.id_prefix = id_prefix
        self._ids = itertools.count(first_id)
        self._id_lock = threading.Lock()
        self.update_interval = update_interval
        self.update_bytes = update_bytes
        self.timeout = timeout
        self.terminate_grace = terminate_grace
        self.max_output = max_output
        self.capture_stderr = capture_stderr
        self.encoding = encoding
        self.check = check

    def next_id(self) -> str:
        """The next item id: ``cmd-1``, ``cmd-2``, ..."""
        with self._id_lock:
            return f"{self.id_prefix}{next(self._ids)}"

    def _tracker(self, command: str | Sequence[str], arguments: Any) -> _Tracker:
        return _Tracker(self, self.next_id(), _command_text(command), arguments)

    def _done(self, result: CommandResult, check: bool | None) -> CommandResult:
        if (self.check if check is None else check) and not result.ok:
            raise CommandFailedError(result)
        return result


def _kill_group(pid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if _POSIX:
            os.killpg(pid, sig)
        else:  # pragma: no cover - Windows
            os.kill(pid, sig)


class CommandRunner(_Settings):
    """Runs commands with ``subprocess``, emitting a ``command_execution`` item for each.

    ``emitter`` is any emitter (a ``JsonlEmitter``, a ``FanOut``, a function); its failures
    are isolated. Options (all keyword-only):

    - ``id_prefix`` (``"cmd-"``), ``first_id`` (1): item ids ``cmd-1``, ``cmd-2``, ...
    - ``update_interval`` (0.25 s): at most one ``item.updated`` per interval while output
      arrives; output that is still pending when the interval ends is sent then. ``None``
      turns time-based updates off.
    - ``update_bytes`` (``None``): also send an update as soon as this many new bytes are
      pending. With both ``None``, only ``item.started`` and ``item.completed`` are sent.
    - ``timeout`` (``None``): seconds before the command is stopped: SIGTERM to its process
      group, SIGKILL after ``terminate_grace`` seconds. Also a per-run argument.
    - ``max_output`` (``None``): keep only the last this-many characters of output.
    - ``capture_stderr`` (True): merge stderr into the aggregated output (else inherited).
    - ``check`` (False): raise ``CommandFailedError`` after the events when a run fails.
    """

    def run(
        self,
        command: str | Sequence[str],
        *,
        shell: bool | None = None,
        cwd: str | os.PathLike[str] | None = None,
        env: Mapping[str, str] | None = None,
        input: str | bytes | None = None,
        timeout: float | None = None,
        check: bool | None = None,
        arguments: Any = None,
    ) -> CommandResult:
        """Run one command to its end; a string runs through the shell unless ``shell=False``."""
        tracker = self._tracker(command, arguments)
        tracker.start()
        use_shell = isinstance(command, str) if shell is None else shell
        argv: str | Sequence[str] = command
        if isinstance(command, str) and not use_shell:
            argv = shlex.split(command)
        try:
            proc = subprocess.Popen(
                argv,
                shell=use_shell,
                cwd=cwd,
                env=dict(env) if env is not None else None,
                stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT if self.capture_stderr else None,
                start_new_session=_POSIX,
            )
        except (OSError, ValueError) as exc:
            result = tracker.finish(
                None, f"failed to start: {exc}", f"[failed to start: {exc}]", False
            )
            return self._done(result, check)
        limit = self.timeout if timeout is None else timeout
        try:
            result = self._drive(proc, tracker, input, limit)
        except BaseException:
            self._stop(proc)
            tracker.finish(None, "interrupted", "[interrupted]", False)
            raise
        return self._done(result, check)

    def _stop(self, proc: subprocess.Popen[bytes]) -> None:
        if proc.poll() is not None:
            return
        _kill_group(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=self.terminate_grace)
        except subprocess.TimeoutExpired:
            _kill_group(proc.pid, signal.SIGKILL)
            proc.wait()

    def _drive(
        self,
        proc: subprocess.Popen[bytes],
        tracker: _Tracker,
        data: str | bytes | None,
        timeout: float | None,
    ) -> CommandResult:
        chunks: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        assert proc.stdout is not None
        reader = threading.Thread(target=_read, args=(proc.stdout, chunks), daemon=True)
        reader.start()
        if data is not None and proc.stdin is not None:
            payload = data.encode(self.encoding) if isinstance(data, str) else data
            threading.Thread(target=_feed, args=(proc.stdin, payload), daemon=True).start()
        deadline = None if timeout is None else tracker.started_at + timeout
        timed_out = False
        eof = False
        while not eof:
            now = time.monotonic()
            waits = [w for w in (tracker.due_in(now), deadline and deadline - now) if w is not None]
            try:
                chunk = chunks.get(timeout=max(0.0, min(waits)) if waits else None)
            except queue.Empty:
                chunk = b""
            if chunk is None:
                eof = True
            elif chunk:
                tracker.feed(chunk)
            now = time.monotonic()
            if deadline is not None and now >= deadline:
                timed_out = True
                break
            tracker.maybe_update(now)
        if not timed_out:
            try:
                wait = None if deadline is None else max(0.0, deadline - time.monotonic())
                proc.wait(timeout=wait)
            except subprocess.TimeoutExpired:
                timed_out = True
        if timed_out:
            self._stop(proc)
            reader.join(timeout=1.0)
        while True:
            try:
                chunk = chunks.get_nowait()
            except queue.Empty:
                break
            if chunk:
                tracker.feed(chunk)
        returncode = proc.wait()
        if timed_out:
            note = f"[timed out after {timeout:g} s]"
            return tracker.finish(None, f"timed out after {timeout:g} s", note, True)
        return tracker.finish(*_outcome(returncode), False)


def _read(stream: IO[bytes], chunks: queue.SimpleQueue[bytes | None]) -> None:
    try:
        fd = stream.fileno()
        while chunk := os.read(fd, _CHUNK):
            chunks.put(chunk)
    except OSError:
        pass
    finally:
        chunks.put(None)
        with contextlib.suppress(OSError):
            stream.close()


def _feed(stream: IO[bytes], data: bytes) -> None:
    with contextlib.suppress(OSError):
        stream.write(data)
    with contextlib.suppress(OSError):
        stream.close()


class AsyncCommandRunner(_Settings):
    """``CommandRunner`` for asyncio: the same events and options, with asyncio subprocesses.

    Cancelling ``run`` stops the command (SIGTERM, then SIGKILL), emits its ``failed``
    completion with ``[cancelled]`` and re-raises ``CancelledError``.
    """

    async def run(
        self,
        command: str | Sequence[str],
        *,
        shell: bool | None = None,
        cwd: str | os.PathLike[str] | None = None,
        env: Mapping[str, str] | None = None,
        input: str | bytes | None = None,
        timeout: float | None = None,
        check: bool | None = None,
        arguments: Any = None,
    ) -> CommandResult:
        """Run one command to its end; a string runs through the shell unless ``shell=False``."""
        tracker = self._tracker(command, arguments)
        tracker.start()
        use_shell = isinstance(command, str) if shell is None else shell
        stdin = subprocess.PIPE if input is not None else subprocess.DEVNULL
        stderr = subprocess.STDOUT if self.capture_stderr else None
        options: dict[str, Any] = {
            "cwd": cwd,
            "env": dict(env) if env is not None else None,
            "stdin": stdin,
            "stdout": subprocess.PIPE,
            "stderr": stderr,
            "start_new_session": _POSIX,
        }
        try:
            if use_shell:
                text = command if isinstance(command, str) else shlex.join(command)
                proc = await asyncio.create_subprocess_shell(text, **options)
            else:
                argv = shlex.split(command) if isinstance(command, str) else list(command)
                if not argv:
                    raise ValueError("empty command")
                proc = await asyncio.create_subprocess_exec(*argv, **options)
        except (OSError, ValueError) as exc:
            result = tracker.finish(
                None, f"failed to start: {exc}", f"[failed to start: {exc}]", False
            )
            return self._done(result, check)
        limit = self.timeout if timeout is None else timeout
        try:
            result = await self._drive(proc, tracker, input, limit)
        except BaseException as exc:
            await self._stop(proc)
            word = "cancelled" if isinstance(exc, asyncio.CancelledError) else "interrupted"
            tracker.finish(None, word, f"[{word}]", False)
            raise
        return self._done(result, check)

    async def _stop(self, proc: asyncio.subprocess.Process) -> None:
        if proc.returncode is not None:
            return
        _kill_group(proc.pid, signal.SIGTERM)
        try:
            await asyncio.wait_for(proc.wait(), self.terminate_grace)
        except asyncio.TimeoutError:
            _kill_group(proc.pid, signal.SIGKILL)
            await proc.wait()

    async def _drive(
        self,
        proc: asyncio.subprocess.Process,
        tracker: _Tracker,
        data: str | bytes | None,
        timeout: float | None,
    ) -> CommandResult:
        chunks: asyncio.Queue[bytes | None] = asyncio.Queue()
        assert proc.stdout is not None
        tasks = [asyncio.ensure_future(_aread(proc.stdout, chunks))]
        if data is not None and proc.stdin is not None:
            payload = data.encode(self.encoding) if isinstance(data, str) else data
            tasks.append(asyncio.ensure_future(_afeed(proc.stdin, payload)))
        deadline = None if timeout is None else tracker.started_at + timeout
        timed_out = False
        try:
            eof = False
            while not eof:
                now = time.monotonic()
                waits = [
                    w for w in (tracker.due_in(now), deadline and deadline - now) if w is not None
                ]
                try:
                    chunk = await asyncio.wait_for(
                        chunks.get(), max(0.0, min(waits)) if waits else None
                    )
                except asyncio.TimeoutError:
                    chunk = b""
                if chunk is None:
                    eof = True
                elif chunk:
                    tracker.feed(chunk)
                now = time.monotonic()
                if deadline is not None and now >= deadline:
                    timed_out = True
                    break
                tracker.maybe_update(now)
            if not timed_out:
                try:
                    wait = None if deadline is None else max(0.0, deadline - time.monotonic())
                    await asyncio.wait_for(proc.wait(), wait)
                except asyncio.TimeoutError:
                    timed_out = True
            if timed_out:
                await self._stop(proc)
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(asyncio.shield(tasks[0]), 1.0)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        while not chunks.empty():
            chunk = chunks.get_nowait()
            if chunk:
                tracker.feed(chunk)
        returncode = await proc.wait()
        if timed_out:
            note = f"[timed out after {timeout:g} s]"
            return tracker.finish(None, f"timed out after {timeout:g} s", note, True)
        return tracker.finish(*_outcome(returncode), False)


async def _aread(stream: asyncio.StreamReader, chunks: asyncio.Queue[bytes | None]) -> None:
    try:
        while chunk := await stream.read(_CHUNK):
            chunks.put_nowait(chunk)
    finally:
        chunks.put_nowait(None)


async def _afeed(stream: asyncio.StreamWriter, data: bytes) -> None:
    with contextlib.suppress(OSError):
        stream.write(data)
        await stream.drain()
    with contextlib.suppress(OSError):
        stream.close()
