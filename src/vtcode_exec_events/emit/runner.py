"""Run shell commands as ``command_execution`` items: started, throttled updates, completed.

The Python counterpart of ``vtcode-bash-runner``'s ``EventfulExecutor``: every command gets an
item id unique in the process (``cmd-1``, ``cmd-2``, ... with a configurable prefix), an
``item.started`` event, throttled ``item.updated`` events carrying a bounded tail of the output,
and an ``item.completed`` event with the whole output (or its last ``max_output`` characters),
the exit code and a ``completed`` or ``failed`` status. One implementation launches, reads and
completes every run: ``CommandRunner`` calls it in the caller's thread, ``AsyncCommandRunner``
in a thread of its own while the event loop awaits it. Events reach the emitter through a
``QueuedEmitter``, so no sink can stretch a run past its timeout. No exception escapes for a
command that fails, times out, is killed or cannot start, unless ``check=True``.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
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

from vtcode_exec_events.emit.base import Emitter
from vtcode_exec_events.emit.items import item_completed, item_started, item_updated
from vtcode_exec_events.emit.output import Output
from vtcode_exec_events.emit.queued import QueuedEmitter
from vtcode_exec_events.errors import VtcodeExecEventsError
from vtcode_exec_events.models.newest import CommandExecutionItem, CommandExecutionStatus

__all__ = [
    "AsyncCommandRunner",
    "CommandFailedError",
    "CommandResult",
    "CommandRunner",
    "next_item_id",
]

_CHUNK = 64 * 1024
_POSIX = os.name == "posix"
#: An update carries at least this many characters of the output's end (when there are).
_UPDATE_CONTEXT = 1024
_STOP = object()  # put in a run's chunk queue to stop it (cancellation)

# Item ids: one sequence per prefix, shared by every runner of the process.
_LAST_ID: dict[str, int] = {}
_ID_LOCK = threading.Lock()


def next_item_id(prefix: str = "cmd-", first: int = 1) -> str:
    """The next item id for ``prefix``: unique among the ids every runner of this process
    gives with that prefix, and numbered at least ``first``."""
    with _ID_LOCK:
        number = max(_LAST_ID.get(prefix, 0) + 1, first)
        _LAST_ID[prefix] = number
    return f"{prefix}{number}"


@dataclass(frozen=True)
class CommandResult:
    """What a run produced: the item's final state, and why it failed if it did."""

    item_id: str
    command: str
    status: CommandExecutionStatus
    #: The process's exit code; ``None`` if it never started or was ended by a signal.
    exit_code: int | None
    #: The output the ``item.completed`` event carries (stdout and stderr merged), with the
    #: runner's note on why the command failed when that is not an exit code.
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


@dataclass(frozen=True)
class _Launch:
    """What a run starts: the argv (or shell text), and the text its item records."""

    program: str | list[str]
    shell: bool
    text: str
    #: Why it cannot start (``None``: it can).
    error: str | None = None


def _launch(command: str | Sequence[str], shell: bool | None) -> _Launch:
    """Resolve a command the same way for both runners; ``ValueError`` for a list with
    ``shell=True`` (refused before any event), a ``_Launch`` with ``error`` for a command
    that cannot start."""
    if isinstance(command, str):
        if not command.strip():
            return _Launch(command, False, command, "empty command")
        if shell is None or shell:
            return _Launch(command, True, command)
        try:
            argv = shlex.split(command)
        except ValueError as exc:
            return _Launch(command, False, command, f"cannot split the command: {exc}")
        if not argv:
            return _Launch(command, False, command, "empty command")
        return _Launch(argv, False, shlex.join(argv))
    if shell:
        raise ValueError("shell=True takes the command as one string; pass a list with shell=False")
    try:
        argv = [os.fsdecode(part) for part in command]
    except TypeError as exc:
        return _Launch([], False, " ".join(map(str, command)), f"bad argument: {exc}")
    if not argv:
        return _Launch(argv, False, "", "empty command")
    return _Launch(argv, False, shlex.join(argv))


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _outcome(returncode: int) -> tuple[int | None, str | None, str | None]:
    """``(exit_code, reason, note)`` for a finished process."""
    if returncode == 0:
        return 0, None, None
    if returncode > 0:
        return returncode, f"exit code {returncode}", None
    name = _signal_name(-returncode)
    return None, f"killed by {name}", f"[killed by {name}]"


def _kill_group(pid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if _POSIX:
            os.killpg(pid, sig)
        else:  # pragma: no cover - Windows
            os.kill(pid, sig)


class _Run:
    """One run: its item, its output, when an update is due, and its events."""

    def __init__(self, runner: _Runner, launch: _Launch, arguments: Any) -> None:
        self.runner = runner
        self.launch = launch
        self.item_id = next_item_id(runner.id_prefix, runner.first_id)
        self.arguments = arguments
        self.decoder = codecs.getincrementaldecoder(runner.encoding)(errors="replace")
        self.output = Output(runner.max_output)
        self.pending = 0  # characters since the last update
        self.started_at = time.monotonic()
        self.last_update = self.started_at
        self.chunks: queue.SimpleQueue[Any] = queue.SimpleQueue()

    def emit(self, event_of: Any, status: CommandExecutionStatus, output: str, code: Any) -> None:
        item = CommandExecutionItem(
            id=self.item_id,
            command=self.launch.text,
            arguments=self.arguments,
            aggregated_output=output,
            exit_code=code,
            status=status,
        )
        self.runner.queue(event_of(item))

    def feed(self, data: bytes) -> None:
        text = self.decoder.decode(data)
        self.output.append(text)
        self.pending += len(text)

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
            # At most ``update_tail`` characters, and about twice what arrived since the
            # last update: the updates of a run cost O(its output), however long it runs.
            size = min(self.runner.update_tail, max(2 * self.pending, _UPDATE_CONTEXT))
            self.pending = 0
            self.last_update = now
            text = self.output.text(size)
            self.emit(item_updated, CommandExecutionStatus.in_progress, text, None)

    def finish(self, exit_code: int | None, reason: str | None, note: str | None) -> CommandResult:
        self.output.append(self.decoder.decode(b"", final=True))
        output = self.output.text()
        if note:
            output += ("\n" if output and not output.endswith("\n") else "") + note
        status = (
            CommandExecutionStatus.completed if reason is None else CommandExecutionStatus.failed
        )
        self.emit(item_completed, status, output, exit_code)
        duration = time.monotonic() - self.started_at
        self.runner.deliver()
        return CommandResult(
            item_id=self.item_id,
            command=self.launch.text,
            status=status,
            exit_code=exit_code,
            output=output,
            reason=reason,
            timed_out=reason is not None and reason.startswith("timed out"),
            duration=duration,
        )


class _Runner:
    """What both runners share: options, the event queue, and the one run implementation."""

    def __init__(
        self,
        emitter: Emitter,
        *,
        id_prefix: str = "cmd-",
        first_id: int = 1,
        update_interval: float | None = 0.25,
        update_bytes: int | None = None,
        update_tail: int = 8192,
        timeout: float | None = None,
        terminate_grace: float = 1.0,
        max_output: int | None = None,
        capture_stderr: bool = True,
        encoding: str = "utf-8",
        check: bool = False,
        delivery_timeout: float | None = 1.0,
        queue_size: int = 1000,
    ) -> None:
        self.events = QueuedEmitter(
            emitter,
            maxsize=queue_size,
            put_timeout=0.1,
            close_timeout=5.0 if delivery_timeout is None else delivery_timeout,
            close_sink=False,  # the emitter is the caller's: it may outlive the runner
        )
        self.id_prefix = id_prefix
        self.first_id = first_id
        self.update_interval = update_interval
        self.update_bytes = update_bytes
        self.update_tail = max(0, update_tail)
        self.timeout = timeout
        self.terminate_grace = terminate_grace
        self.max_output = max_output
        self.capture_stderr = capture_stderr
        self.encoding = encoding
        self.check = check
        self.delivery_timeout = delivery_timeout

    def queue(self, event: Any) -> None:
        self.events(event)

    def deliver(self) -> None:
        """Wait (at most ``delivery_timeout``) for the sink to take the queued events."""
        self.events.flush(self.delivery_timeout)

    def next_id(self) -> str:
        """An item id from this runner's prefix (see ``next_item_id``)."""
        return next_item_id(self.id_prefix, self.first_id)

    def close(self, timeout: float | None = None) -> bool:
        """Deliver the queued events (within ``timeout``, default ``delivery_timeout``);
        the emitter itself stays open (it is the caller's)."""
        return self.events.close(timeout)

    def _done(self, result: CommandResult, check: bool | None) -> CommandResult:
        if (self.check if check is None else check) and not result.ok:
            raise CommandFailedError(result)
        return result

    def _execute(
        self,
        run: _Run,
        cwd: str | os.PathLike[str] | None,
        env: Mapping[str, str] | None,
        data: str | bytes | None,
        timeout: float | None,
    ) -> CommandResult:
        """Start, read and complete one run; the stop word is ``interrupted`` (an exception
        in this thread) or ``cancelled`` (``_STOP`` in its chunk queue)."""
        run.emit(item_started, CommandExecutionStatus.in_progress, "", None)
        launch = run.launch
        if launch.error is not None:
            return run.finish(None, launch.error, f"[{launch.error}]")
        try:
            proc = subprocess.Popen(
                launch.program,
                shell=launch.shell,
                cwd=cwd,
                env=dict(env) if env is not None else None,
                stdin=subprocess.PIPE if data is not None else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT if self.capture_stderr else None,
                start_new_session=_POSIX,
            )
        except (OSError, ValueError, subprocess.SubprocessError) as exc:
            return run.finish(None, f"failed to start: {exc}", f"[failed to start: {exc}]")
        try:
            return self._drive(proc, run, data, timeout)
        except BaseException:
            self._stop(proc)
            run.finish(None, "interrupted", "[interrupted]")
            raise

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
        run: _Run,
        data: str | bytes | None,
        timeout: float | None,
    ) -> CommandResult:
        chunks = run.chunks
        assert proc.stdout is not None
        reader = threading.Thread(target=_read, args=(proc.stdout, chunks), daemon=True)
        reader.start()
        if data is not None and proc.stdin is not None:
            payload = data.encode(self.encoding) if isinstance(data, str) else data
            threading.Thread(target=_feed, args=(proc.stdin, payload), daemon=True).start()
        deadline = None if timeout is None else run.started_at + timeout
        stopped: str | None = None
        eof = False
        while not eof:
            now = time.monotonic()
            waits = [w for w in (run.due_in(now), deadline and deadline - now) if w is not None]
            try:
                chunk = chunks.get(timeout=max(0.0, min(waits)) if waits else None)
            except queue.Empty:
                chunk = b""
            if chunk is None:
                eof = True
            elif chunk is _STOP:
                stopped = "cancelled"
                break
            elif chunk:
                run.feed(chunk)
            now = time.monotonic()
            if deadline is not None and now >= deadline:
                stopped = f"timed out after {timeout:g} s"
                break
            run.maybe_update(now)
        if stopped is None:
            try:
                wait = None if deadline is None else max(0.0, deadline - time.monotonic())
                proc.wait(timeout=wait)
            except subprocess.TimeoutExpired:
                stopped = f"timed out after {timeout:g} s"
        if stopped is not None:
            self._stop(proc)
            reader.join(timeout=1.0)
        while True:
            try:
                chunk = chunks.get_nowait()
            except queue.Empty:
                break
            if chunk and chunk is not _STOP:
                run.feed(chunk)
        returncode = proc.wait()
        if stopped is not None:
            return run.finish(None, stopped, f"[{stopped}]")
        return run.finish(*_outcome(returncode))

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _read(stream: IO[bytes], chunks: queue.SimpleQueue[Any]) -> None:
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


class CommandRunner(_Runner):
    """Runs commands with ``subprocess``, emitting a ``command_execution`` item for each.

    ``emitter`` is any emitter (a ``JsonlEmitter``, a ``FanOut``, a function); the runner
    hands it events from a background thread (``runner.events``, a ``QueuedEmitter``) and
    isolates its failures. Options (all keyword-only):

    - ``id_prefix`` (``"cmd-"``), ``first_id`` (1): item ids ``cmd-1``, ``cmd-2``, ...,
      unique in the process across runners (see ``next_item_id``).
    - ``update_interval`` (0.25 s): at most one ``item.updated`` per interval while output
      arrives; output that is still pending when the interval ends is sent then. ``None``
      turns time-based updates off.
    - ``update_bytes`` (``None``): also send an update as soon as this many new characters
      are pending. With both ``None``, only ``item.started`` and ``item.completed`` are sent.
    - ``update_tail`` (8192): an update carries the end of the output so far: at most this
      many characters, and at most about twice what arrived since the previous update (at
      least 1024), behind the marker ``[N earlier characters omitted]`` when cut.
    - ``timeout`` (``None``): seconds before the command is stopped: SIGTERM to its process
      group, SIGKILL after ``terminate_grace`` seconds. Also a per-run argument.
    - ``max_output`` (``None``): the completion (and the result) keep only the last this-many
      characters of output, behind the same marker.
    - ``capture_stderr`` (True): merge stderr into the aggregated output (else inherited).
    - ``check`` (False): raise ``CommandFailedError`` after the events when a run fails.
    - ``delivery_timeout`` (1.0 s): how long a run waits, once its command ended, for the
      sink to take its events; events it has not taken by then stay queued, in order.
    - ``queue_size`` (1000): events queued for a sink that does not keep up; beyond, an
      event waits 0.1 s for room and is then dropped (counted in ``runner.events.dropped``).
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
        run = _Run(self, _launch(command, shell), arguments)
        limit = self.timeout if timeout is None else timeout
        return self._done(self._execute(run, cwd, env, input, limit), check)


class AsyncCommandRunner(_Runner):
    """``CommandRunner`` for asyncio: the same events and options, awaited.

    The run itself is ``CommandRunner``'s, in a thread of its own, so the event loop never
    waits for the command or the sink. Cancelling ``run`` stops the command (SIGTERM, then
    SIGKILL), emits its ``failed`` completion with ``[cancelled]`` and re-raises
    ``CancelledError``.
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
        run = _Run(self, _launch(command, shell), arguments)
        limit = self.timeout if timeout is None else timeout
        loop = asyncio.get_running_loop()
        future: asyncio.Future[CommandResult] = loop.create_future()

        def settle(result: CommandResult | None, error: BaseException | None) -> None:
            if not future.done():
                if error is not None:
                    future.set_exception(error)
                else:
                    future.set_result(result)  # type: ignore[arg-type]

        def work() -> None:
            try:
                result = self._execute(run, cwd, env, input, limit)
            except BaseException as exc:  # handed to the awaiting task
                outcome: tuple[CommandResult | None, BaseException | None] = (None, exc)
            else:
                outcome = (result, None)
            with contextlib.suppress(RuntimeError):  # the loop is gone: nobody awaits
                loop.call_soon_threadsafe(settle, *outcome)

        threading.Thread(target=work, name=f"run {run.item_id}", daemon=True).start()
        try:
            result = await asyncio.shield(future)
        except asyncio.CancelledError:
            run.chunks.put(_STOP)
            with contextlib.suppress(Exception):
                await future
            raise
        return self._done(result, check)
