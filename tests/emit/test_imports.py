"""The core install never imports OpenTelemetry; without the extra, OtelEmitter says what to do."""

from __future__ import annotations

import subprocess
import sys

BLOCK_OTEL = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name == "opentelemetry" or name.startswith("opentelemetry."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, Block())
"""


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)


def test_importing_the_package_and_the_emitters_never_imports_opentelemetry() -> None:
    done = _python(
        "import sys, vtcode_exec_events\n"
        "from vtcode_exec_events.emit import CommandRunner, FanOut, JsonlEmitter, LogEmitter\n"
        "print(sorted(m for m in sys.modules if m.startswith('opentelemetry')))\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "[]\n"


def test_everything_but_otel_works_without_opentelemetry() -> None:
    done = _python(
        BLOCK_OTEL
        + "import io, vtcode_exec_events as vee\n"
        + "from vtcode_exec_events.emit import JsonlEmitter, LogEmitter, CommandRunner\n"
        + "out = io.StringIO()\n"
        + "CommandRunner(JsonlEmitter(out)).run('true')\n"
        + "LogEmitter()(vee.TurnStartedEvent())\n"
        + "print(len(out.getvalue().splitlines()))\n"
        + "from vtcode_exec_events.emit import OtelEmitter\n"
    )
    assert done.stdout == "2\n"
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == (
        "ImportError: OtelEmitter needs OpenTelemetry: pip install 'vtcode-exec-events[otel]'"
    )
