"""Record a VT Code-style run as an ATIF trajectory while it happens.

``AtifBuilder`` is an emitter: put it next to a ``JsonlEmitter`` in a ``FanOut`` and every
event goes to both, the log and the trajectory. Run: ``python examples/atif_trajectory.py``
(valid ATIF on stdout, steps stamped when their events happened) or with ``--crate`` (the
document VT Code's own builder would write, which is not valid ATIF).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import vtcode_exec_events as vee
from vtcode_exec_events.atif import AtifBuilder, dumps, dumps_crate
from vtcode_exec_events.emit import CommandRunner, FanOut, JsonlEmitter, item_completed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--crate", action="store_true", help="write the crate's document")
    crate = parser.parse_args().crate

    trajectory = AtifBuilder(model_name="example-model")
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder, "events.jsonl")
        with FanOut(JsonlEmitter(log), trajectory) as emit:
            emit(vee.ThreadStartedEvent(thread_id="thread-demo"))
            emit(vee.TurnStartedEvent())
            emit(item_completed(vee.ReasoningItem(id="item_0", text="Run the tests first.")))
            CommandRunner(emit, id_prefix="item_", first_id=1).run("echo 'test result: ok'")
            emit(item_completed(vee.AgentMessageItem(id="item_2", text="The tests pass.")))
            usage = vee.Usage(
                input_tokens=900, cached_input_tokens=300, cache_creation_tokens=0, output_tokens=80
            )
            emit(vee.TurnCompletedEvent(usage=usage))
        lines = len(log.read_text().splitlines())
    if crate:
        sys.stdout.buffer.write(dumps_crate(trajectory.crate_document()) + b"\n")
    else:
        sys.stdout.buffer.write(dumps(trajectory.finish(), indent=True) + b"\n")
    sys.stdout.flush()
    print(f"{lines} events logged, {len(trajectory.steps)} steps", file=sys.stderr)


if __name__ == "__main__":
    main()
