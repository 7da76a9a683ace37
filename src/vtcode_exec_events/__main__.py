"""``python -m vtcode_exec_events``: the ``vtcode-exec-events`` command line."""

from __future__ import annotations

from vtcode_exec_events.cli import main

if __name__ == "__main__":
    main(prog_name="vtcode-exec-events")
