"""Run a Python snippet in a fresh interpreter with a wall-clock and a memory bound."""

from __future__ import annotations

import resource
import subprocess
import sys
import textwrap
from collections.abc import Callable

#: Address space a child may use: the interpreter with pydantic and orjson is ~300 MB.
MEMORY = 2 * 1024**3


def _limits(memory: int) -> Callable[[], None]:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return apply


def run_python(
    code: str, *, timeout: float, memory: int = MEMORY, cwd: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``code`` (dedented) with ``python -c``; ``subprocess.TimeoutExpired`` past
    ``timeout`` seconds, a ``MemoryError`` in the child beyond ``memory`` bytes."""
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        cwd=cwd,
        preexec_fn=_limits(memory),
    )
